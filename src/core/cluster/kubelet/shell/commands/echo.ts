// echo, which each shell does its own way: dash always reads backslash escapes, busybox and bash
// only with -e.

export type EchoStyle = 'busybox' | 'dash' | 'bash' | 'gnu';

export function echoText(args: string[], style: EchoStyle): string {
  let newline = true;
  let escapes = style === 'dash';
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (style === 'dash') {
      if (a !== '-n') break;
      newline = false;
      continue;
    }
    if (!/^-[neE]+$/.test(a)) break;
    for (const f of a.slice(1)) {
      if (f === 'n') newline = false;
      else if (f === 'e') escapes = true;
      else escapes = false;
    }
  }
  let text = args.slice(i).join(' ');
  if (escapes) {
    const r = unescape(text, true);
    text = r.text;
    if (r.stop) return text;
  }
  return newline ? `${text}\n` : text;
}

/** Backslash escapes as echo -e and printf %b read them; `\c` stops all output. */
export function unescape(s: string, echoStyle: boolean): { text: string; stop: boolean } {
  let text = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      text += c;
      continue;
    }
    const n = s[++i];
    switch (n) {
      case 'n': text += '\n'; break;
      case 't': text += '\t'; break;
      case 'r': text += '\r'; break;
      case 'a': text += '\x07'; break;
      case 'b': text += '\b'; break;
      case 'f': text += '\f'; break;
      case 'v': text += '\v'; break;
      case 'e': text += '\x1b'; break;
      case '\\': text += '\\'; break;
      case 'c': return { text, stop: true };
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1));
        if (m) {
          text += String.fromCharCode(parseInt(m[0], 16));
          i += m[0].length;
        } else text += '\\x';
        break;
      }
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        const digits = echoStyle && n !== '0' ? '' : /^[0-7]{0,3}/.exec(s.slice(i + (n === '0' ? 1 : 0)))![0];
        if (echoStyle && n !== '0') {
          text += `\\${n}`;
          break;
        }
        const oct = n === '0' ? digits : (n + digits).slice(0, 3);
        text += String.fromCharCode(parseInt(oct || '0', 8));
        i += n === '0' ? digits.length : oct.length - 1;
        break;
      }
      default: text += `\\${n}`;
    }
  }
  return { text, stop: false };
}

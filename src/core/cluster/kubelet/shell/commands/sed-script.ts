// sed's script language, parsed as sed reads it: commands are split by ';' and newlines only
// where a command ends, so a ';' inside an s or y argument, a bracket expression or after a
// backslash stays part of it. Regular expressions (BRE, or ERE with -E/-r) become JS RegExps.
// Pure: the program (sed.ts) runs what this returns.

export type Family = 'gnu' | 'busybox';

export type Address =
  | { kind: 'line'; n: number }
  | { kind: 'last' }
  /** null: the empty regex //, which reuses the last one used. */
  | { kind: 're'; re: RegExp | null }
  | { kind: 'step'; first: number; step: number }
  | { kind: 'plus'; n: number }
  | { kind: 'multiple'; n: number };

export type Replacement = Array<{ text: string } | { group: number } | { kase: 'U' | 'L' | 'u' | 'l' | 'E' }>;

export interface Command {
  a1?: Address;
  a2?: Address;
  negate: boolean;
  name: string;
  /** s: the expression (null: the last one), replacement and flags. */
  re?: RegExp | null;
  replacement?: Replacement;
  global?: boolean;
  occurrence?: number;
  print?: boolean;
  /** y: from → to. */
  map?: Map<string, string>;
  /** a, i, c text; b, t, T, : label; r, w file name. */
  text?: string;
  /** q, Q exit code. */
  code?: number;
  /** '{': the index of its '}'. */
  end?: number;
}

export class SedSyntaxError extends Error {
  constructor(readonly at: number, readonly gnuMessage: string, readonly busyboxMessage: string) {
    super(gnuMessage);
  }
}

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: '0-9a-zA-Z', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v', blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~', print: ' -~', graph: '!-~', cntrl: '\\x00-\\x1f\\x7f', xdigit: '0-9A-Fa-f',
};

/** A bracket expression starting at src[i] ('['): its JS form and where it ends, or undefined if unclosed. */
function bracket(src: string, i: number): { js: string; next: number } | undefined {
  let j = i + 1;
  let js = '[';
  if (src[j] === '^') {
    js += '^';
    j++;
  }
  if (src[j] === ']') {
    js += '\\]';
    j++;
  }
  for (; j < src.length; j++) {
    const c = src[j];
    if (c === ']') return { js: `${js}]`, next: j + 1 };
    if (c === '[' && src[j + 1] === ':') {
      const close = src.indexOf(':]', j + 2);
      const name = close < 0 ? '' : src.slice(j + 2, close);
      if (Object.hasOwn(CLASSES, name)) {
        js += CLASSES[name];
        j = close + 1;
        continue;
      }
    }
    if (c === '\\') {
      // GNU sed reads \n and \t in brackets too; any other backslash is itself.
      if (src[j + 1] === 'n' || src[j + 1] === 't') {
        js += `\\${src[j + 1]}`;
        j++;
      } else if (src[j + 1] === '\\') {
        js += '\\\\';
        j++;
      } else js += '\\\\';
      continue;
    }
    js += c === '[' ? '\\[' : c;
  }
  return undefined;
}

const JS_SPECIAL = /[.*+?^${}()|[\]\\/]/;

/** A POSIX regular expression (BRE unless `extended`) in JS syntax. */
export function toJsPattern(src: string, extended: boolean): string {
  let js = '';
  let atStart = true;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    const start = atStart;
    atStart = false;
    if (c === '[') {
      const b = bracket(src, i);
      if (!b) throw new Error('unterminated address regex');
      js += b.js;
      i = b.next - 1;
      continue;
    }
    if (c === '\\') {
      const n = src[++i];
      if (n === undefined) {
        js += '\\\\';
        break;
      }
      if (!extended && '(){}+?|'.includes(n)) {
        js += n;
        atStart = n === '(' || n === '|';
      } else if (/\d/.test(n)) js += `\\${n}`;
      else if (n === 'n') js += '\\n';
      else if (n === 't') js += '\\t';
      else if ('wWsSbB'.includes(n)) js += `\\${n}`;
      else if (n === '<') js += '\\b(?=\\w)';
      else if (n === '>') js += '\\b(?<=\\w)';
      else if (n === '`') js += '^';
      else if (n === "'") js += '$';
      else js += JS_SPECIAL.test(n) ? `\\${n}` : n;
      continue;
    }
    if (!extended) {
      if ('(){}+?|'.includes(c)) js += `\\${c}`;
      else if (c === '*' && start) js += '\\*';
      else if (c === '^' && !start) js += '\\^';
      else if (c === '$' && i < src.length - 1 && !src.startsWith('\\)', i + 1) && !src.startsWith('\\|', i + 1)) js += '\\$';
      else {
        js += c === '/' ? '\\/' : c;
        atStart = c === '^';
      }
      continue;
    }
    js += c === '/' ? '\\/' : c;
    atStart = c === '(' || c === '|' || c === '^';
  }
  return js;
}

/** Reads a delimited argument from `at` (just after the delimiter) to the next unescaped one. */
function delimited(script: string, at: number, delim: string, family: Family, regex: boolean, extended: boolean): { text: string; next: number } | undefined {
  let text = '';
  for (let i = at; i < script.length; i++) {
    const c = script[i];
    if (c === '\\') {
      const n = script[i + 1];
      if (n === undefined) return undefined;
      i++;
      if (n === delim) {
        // An escaped delimiter is the character itself, unless it would mean something else unescaped.
        const special = regex && (extended ? '.*[]^$+?(){}|' : '.*[]^$').includes(n);
        text += special ? `\\${n}` : n;
      } else if (n === '\n') text += regex ? '\\n' : '\n';
      else text += `\\${n}`;
      continue;
    }
    // busybox skips delimiters inside a bracket expression; GNU sed ends the argument there.
    if (regex && c === '[' && family === 'busybox') {
      const b = bracketEnd(script, i);
      if (b > 0) {
        text += script.slice(i, b);
        i = b - 1;
        continue;
      }
    }
    if (c === delim) return { text, next: i + 1 };
    if (c === '\n' && regex) return undefined;
    text += c;
  }
  return undefined;
}

function bracketEnd(s: string, i: number): number {
  let j = i + 1;
  if (s[j] === '^') j++;
  if (s[j] === ']') j++;
  for (; j < s.length; j++) {
    if (s[j] === '[' && (s[j + 1] === ':' || s[j + 1] === '.' || s[j + 1] === '=')) {
      const close = s.indexOf(`${s[j + 1]}]`, j + 2);
      if (close > 0) j = close + 1;
      continue;
    }
    if (s[j] === ']') return j + 1;
  }
  return -1;
}

function parseReplacement(text: string): Replacement {
  const parts: Replacement = [];
  let lit = '';
  const flush = () => {
    if (lit) parts.push({ text: lit });
    lit = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '&') {
      flush();
      parts.push({ group: 0 });
    } else if (c === '\\' && i + 1 < text.length) {
      const n = text[++i];
      if (/\d/.test(n)) {
        flush();
        parts.push({ group: Number(n) });
      } else if (n === 'n') lit += '\n';
      else if (n === 't') lit += '\t';
      else if ('ULulE'.includes(n)) {
        flush();
        parts.push({ kase: n as 'U' });
      } else lit += n;
    } else lit += c;
  }
  flush();
  return parts;
}

/** Parses a whole script (the -e pieces joined by newlines). */
export function parseScript(script: string, family: Family, extended: boolean): Command[] {
  const cmds: Command[] = [];
  const open: number[] = [];
  let i = 0;
  const fail = (gnu: string, bb: string): never => {
    throw new SedSyntaxError(i, gnu, bb);
  };
  const skipSpace = () => {
    while (i < script.length && /[ \t]/.test(script[i])) i++;
  };
  const compile = (text: string, flags = 's'): RegExp | null => {
    if (text === '') return null;
    try {
      return new RegExp(toJsPattern(text, extended), flags);
    } catch {
      return fail('Invalid preceding regular expression', `bad regex '${text}'`);
    }
  };
  const regex = (delim: string): RegExp | null => {
    const d = delimited(script, i, delim, family, true, extended);
    if (!d) fail('unterminated address regex', `unmatched '${delim}'`);
    i = d!.next;
    const insensitive = script[i] === 'I';
    if (insensitive) i++;
    return compile(d!.text, insensitive ? 'si' : 's');
  };
  const address = (): Address | undefined => {
    const c = script[i];
    if (c === undefined) return undefined;
    if (/\d/.test(c)) {
      const m = /^(\d+)(?:~(\d+))?/.exec(script.slice(i))!;
      i += m[0].length;
      return m[2] !== undefined ? { kind: 'step', first: Number(m[1]), step: Number(m[2]) } : { kind: 'line', n: Number(m[1]) };
    }
    if (c === '$') {
      i++;
      return { kind: 'last' };
    }
    if (c === '/') {
      i++;
      return { kind: 're', re: regex('/') };
    }
    if (c === '\\' && script[i + 1] !== undefined) {
      const d = script[i + 1];
      i += 2;
      return { kind: 're', re: regex(d) };
    }
    return undefined;
  };
  const label = (): string => {
    skipSpace();
    const m = /^[^;\n}]*/.exec(script.slice(i))!;
    i += m[0].length;
    return m[0].trim();
  };
  const restOfLine = (): string => {
    const nl = script.indexOf('\n', i);
    const end = nl < 0 ? script.length : nl;
    const t = script.slice(i, end);
    i = end;
    return t;
  };
  /** a, i, c: `a text`, `a\` newline text (lines joined by trailing backslashes), or GNU's `a\text`. */
  const text = (): string => {
    skipSpace();
    if (script[i] === '\\') {
      i++;
      if (script[i] === '\n') i++;
    }
    let t = '';
    for (;;) {
      const line = restOfLine();
      if (line.endsWith('\\') && i < script.length) {
        t += `${line.slice(0, -1)}\n`;
        i++;
        continue;
      }
      t += line;
      break;
    }
    return t.replace(/\\(.)/g, '$1');
  };
  while (i < script.length) {
    while (i < script.length && /[\s;]/.test(script[i])) i++;
    if (i >= script.length) break;
    if (script[i] === '#') {
      restOfLine();
      continue;
    }
    const cmd: Command = { negate: false, name: '' };
    cmd.a1 = address();
    if (cmd.a1 && script[i] === ',') {
      i++;
      skipSpace();
      if (script[i] === '+' || script[i] === '~') {
        const kind = script[i] === '+' ? 'plus' : 'multiple';
        const m = /^[+~](\d+)/.exec(script.slice(i));
        if (!m) fail('unexpected `,\'', 'unexpected ","');
        i += m![0].length;
        cmd.a2 = { kind, n: Number(m![1]) };
      } else {
        cmd.a2 = address();
        if (!cmd.a2) fail("unexpected `,'", 'unexpected ","');
      }
    }
    skipSpace();
    while (script[i] === '!') {
      cmd.negate = true;
      i++;
      skipSpace();
    }
    const name = script[i++];
    if (name === undefined) fail('missing command', 'missing command');
    cmd.name = name;
    switch (name) {
      case '{':
        open.push(cmds.length);
        break;
      case '}':
        if (!open.length) fail("unexpected `}'", 'unexpected "}"');
        cmds[open.pop()!].end = cmds.length;
        break;
      case 's': {
        const delim = script[i++];
        if (delim === undefined || delim === '\n' || delim === '\\') fail("unterminated `s' command", 'unterminated s command');
        const rx = delimited(script, i, delim, family, true, extended);
        const r = rx && delimited(script, rx.next, delim, family, false, extended);
        if (!rx || !r) {
          i = script.length;
          fail("unterminated `s' command", 'unterminated s command');
        }
        cmd.replacement = parseReplacement(r!.text);
        i = r!.next;
        let reFlags = 's';
        for (;;) {
          const f = script[i];
          if (f === 'g') cmd.global = true;
          else if (f === 'p') cmd.print = true;
          else if ((f === 'i' || f === 'I') && !reFlags.includes('i')) reFlags += 'i';
          else if ((f === 'm' || f === 'M') && !reFlags.includes('m')) reFlags += 'm';
          else if (f !== undefined && /\d/.test(f)) {
            const m = /^\d+/.exec(script.slice(i))!;
            cmd.occurrence = Number(m[0]);
            i += m[0].length - 1;
          } else if (f === 'w') {
            i++;
            cmd.text = restOfLine().trim();
            break;
          } else break;
          i++;
        }
        // The whole command is read before its expression is compiled, so a bad flag is reported first.
        const next = script[i];
        if (next !== undefined && !/[\s;}#]/.test(next)) {
          i++;
          fail("unknown option to `s'", 'bad option in substitution expression');
        }
        cmd.re = compile(rx!.text, reFlags);
        break;
      }
      case 'y': {
        const delim = script[i++];
        const from = delimited(script, i, delim, family, false, false);
        if (!from) fail("unterminated `y' command", 'unterminated y command');
        const to = delimited(script, from!.next, delim, family, false, false);
        if (!to) fail("unterminated `y' command", 'unterminated y command');
        i = to!.next;
        const unescape = (s: string) => s.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
        const a = [...unescape(from!.text)];
        const b = [...unescape(to!.text)];
        if (a.length !== b.length) fail("strings for `y' command are different lengths", 'strings for y command are different lengths');
        cmd.map = new Map(a.map((c, k) => [c, b[k]]));
        break;
      }
      case 'a':
      case 'i':
      case 'c':
        cmd.text = text();
        break;
      case ':':
        if (cmd.a1) fail(": doesn't want any addresses", "':' doesn't want any addresses");
        cmd.text = label();
        if (!cmd.text) fail('":" lacks a label', "':' lacks a label");
        break;
      case 'b':
      case 't':
      case 'T':
        cmd.text = label();
        break;
      case 'r':
      case 'w':
        skipSpace();
        cmd.text = restOfLine().trim();
        break;
      case 'q':
      case 'Q':
      case 'l':
      case 'L': {
        skipSpace();
        const m = /^\d+/.exec(script.slice(i));
        if (m) {
          cmd.code = Number(m[0]);
          i += m[0].length;
        }
        break;
      }
      case '=': case 'd': case 'D': case 'p': case 'P': case 'n': case 'N': case 'h': case 'H': case 'g': case 'G': case 'x': case 'z': case 'F':
        break;
      default:
        fail(`unknown command: \`${name}'`, `unsupported command ${name}`);
    }
    cmds.push(cmd);
    skipSpace();
    // After a command: its end (';', newline, '}', '#') must follow.
    const next = script[i];
    if (name !== '{' && next !== undefined && next !== ';' && next !== '\n' && next !== '}' && next !== '#') fail('extra characters after command', 'extra characters after command');
  }
  if (open.length) {
    i = script.length;
    fail("unmatched `{'", 'unmatched {');
  }
  return cmds;
}

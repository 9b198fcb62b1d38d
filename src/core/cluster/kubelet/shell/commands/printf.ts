// printf(1): the format is reused until the arguments run out, as POSIX says.
import { unescape } from './echo.js';

export function formatPrintf(format: string, args: string[]): { text: string; error?: string } {
  let text = '';
  let error: string | undefined;
  let ai = 0;
  const next = () => (ai < args.length ? args[ai++] : undefined);
  const num = (v: string | undefined, float: boolean): number => {
    if (v === undefined || v === '') return 0;
    if (/^['"]/.test(v)) return v.charCodeAt(1) || 0;
    const n = float ? Number(v) : /^[-+]?0x/i.test(v) ? parseInt(v, 16) : /^[-+]?\d+/.test(v) ? parseInt(v, 10) : NaN;
    if (Number.isNaN(n) || (!float && !/^[-+]?(0x[0-9a-f]+|\d+)$/i.test(v.trim()))) {
      error = `invalid number '${v}'`;
      return Number.isNaN(n) ? 0 : n;
    }
    return n;
  };
  do {
    const start = ai;
    for (let i = 0; i < format.length; i++) {
      const c = format[i];
      if (c === '\\') {
        const end = /^\\([0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/.exec(format.slice(i))![0];
        text += unescape(end, false).text;
        i += end.length - 1;
        continue;
      }
      if (c !== '%') {
        text += c;
        continue;
      }
      const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([sdioxXucfeEgGb%])/.exec(format.slice(i));
      if (!m) {
        text += c;
        continue;
      }
      i += m[0].length - 1;
      const [, flags, w, p, conv] = m;
      if (conv === '%') {
        text += '%';
        continue;
      }
      const width = w === '*' ? num(next(), false) : w ? Number(w) : 0;
      const prec = p === '*' ? num(next(), false) : p !== undefined ? Number(p) : undefined;
      const arg = next();
      let s: string;
      switch (conv) {
        case 's': s = arg ?? ''; if (prec !== undefined) s = s.slice(0, prec); break;
        case 'b': s = unescape(arg ?? '', false).text; break;
        case 'c': s = (arg ?? '').slice(0, 1); break;
        case 'd': case 'i': case 'u': {
          const n = Math.trunc(num(arg, false));
          s = String(Math.abs(n));
          if (prec !== undefined) s = s.padStart(prec, '0');
          s = (n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + s;
          break;
        }
        case 'o': s = Math.trunc(num(arg, false)).toString(8); break;
        case 'x': s = Math.trunc(num(arg, false)).toString(16); break;
        case 'X': s = Math.trunc(num(arg, false)).toString(16).toUpperCase(); break;
        case 'f': s = num(arg, true).toFixed(prec ?? 6); break;
        case 'e': case 'E': { s = num(arg, true).toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2'); if (conv === 'E') s = s.toUpperCase(); break; }
        default: s = String(Number(num(arg, true).toPrecision(prec || 6)));
      }
      if (s.length < width) {
        if (flags.includes('-')) s = s.padEnd(width);
        else if (flags.includes('0') && /[dioxXufeEgG]/.test(conv)) s = s.startsWith('-') ? `-${s.slice(1).padStart(width - 1, '0')}` : s.padStart(width, '0');
        else s = s.padStart(width);
      }
      text += s;
    }
    if (ai === start) break;
  } while (ai < args.length);
  return { text, error };
}

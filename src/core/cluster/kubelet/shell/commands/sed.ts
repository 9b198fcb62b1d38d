// sed: runs a parsed script (sed-script.ts) over its input a line at a time, with the pattern and
// hold spaces, ranges, branches, and -n, -i, -s, -E as GNU sed and busybox take them.
import { FsError } from '../fs.js';
import { err, out, readAll, type Gen } from '../io.js';
import { parseScript, SedSyntaxError, type Address, type Command, type Family, type Replacement } from './sed-script.js';
import type { Program, Sys } from './types.js';
import { abs } from './util.js';

interface Line {
  text: string;
  newline: boolean;
}

interface Options {
  quiet: boolean;
  inPlace?: string;
  separate: boolean;
  extended: boolean;
  scripts: string[];
  files: string[];
}

function parseArgs(argv: string[], sys: Sys): Options | { error: string } {
  const o: Options = { quiet: false, separate: false, extended: false, scripts: [], files: [] };
  const gnu = sys.toolset === 'gnu';
  const scriptFile = (f: string): string | { error: string } => {
    try {
      return sys.fs.readFile(abs(sys, f), sys.user).toString().replace(/\n$/, '');
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      return { error: gnu ? `couldn't open file ${f}: ${e.message}` : `can't open '${f}': ${e.message}` };
    }
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      o.files.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name, value] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      if (name === '--quiet' || name === '--silent') o.quiet = true;
      else if (name === '--regexp-extended') o.extended = true;
      else if (name === '--separate') o.separate = true;
      else if (name === '--in-place') o.inPlace = value ?? '';
      else if (name === '--expression') {
        const v = value ?? argv[++i];
        if (v === undefined) return { error: "option '--expression' requires an argument" };
        o.scripts.push(v);
      } else if (name === '--file') {
        const v = scriptFile(value ?? argv[++i] ?? '');
        if (typeof v !== 'string') return v;
        o.scripts.push(v);
      } else if (name === '--posix' || name === '--debug' || name === '--sandbox' || name === '--follow-symlinks') continue;
      else return { error: gnu ? `unrecognized option '${a}'` : `unrecognized option: ${a.slice(2)}` };
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      o.files.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 'n') o.quiet = true;
      else if (f === 'E' || f === 'r') o.extended = true;
      else if (f === 's') o.separate = true;
      else if (f === 'u' || f === 'z') continue;
      else if (f === 'i') {
        o.inPlace = a.slice(j + 1);
        break;
      } else if (f === 'e' || f === 'f') {
        const v = a.slice(j + 1) || argv[++i];
        if (v === undefined) return { error: gnu ? `option requires an argument -- '${f}'` : `option requires an argument: ${f}` };
        if (f === 'e') o.scripts.push(v);
        else {
          const t = scriptFile(v);
          if (typeof t !== 'string') return t;
          o.scripts.push(t);
        }
        break;
      } else return { error: gnu ? `invalid option -- '${f}'` : `unrecognized option: ${f}` };
    }
  }
  if (!o.scripts.length) {
    const first = o.files.shift();
    if (first === undefined) return { error: gnu ? 'no script specified' : 'no script specified' };
    o.scripts.push(first);
  }
  return o;
}

function substitute(ps: string, c: Command, re: RegExp): { text: string; done: boolean } {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  let count = 0;
  let done = false;
  const want = c.occurrence ?? 1;
  const text = ps.replace(g, (...m: unknown[]) => {
    const match = m[0] as string;
    count++;
    if (count < want || (!c.global && count > want)) return match;
    done = true;
    // The callback's arguments: the match, each group, then the offset and the whole string.
    const groups = m.slice(0, -2) as Array<string | undefined>;
    return expand(c.replacement ?? [], groups.map((x) => x ?? ''));
  });
  return { text, done };
}

/** The replacement for one match: & and \N, with GNU's \U \L \u \l \E case conversions. */
function expand(rep: Replacement, groups: string[]): string {
  let result = '';
  let mode: 'U' | 'L' | undefined;
  let once: 'u' | 'l' | undefined;
  const add = (s: string) => {
    let t = mode === 'U' ? s.toUpperCase() : mode === 'L' ? s.toLowerCase() : s;
    if (once && t) {
      t = (once === 'u' ? t[0].toUpperCase() : t[0].toLowerCase()) + t.slice(1);
      once = undefined;
    }
    result += t;
  };
  for (const p of rep) {
    if ('text' in p) add(p.text);
    else if ('group' in p) add(groups[p.group] ?? '');
    else if (p.kase === 'U' || p.kase === 'L') mode = p.kase;
    else if (p.kase === 'E') mode = undefined;
    else once = p.kase;
  }
  return result;
}

/** One run of the script over a stream of lines (the whole input, or one file with -i/-s). */
class Run {
  output = '';
  hold = '';
  lastRe: RegExp | null = null;
  quitCode?: number;
  private readonly active = new Map<number, { until?: number }>();
  private readonly labels = new Map<string, number>();
  readonly writes = new Map<string, string>();

  constructor(private readonly cmds: Command[], private readonly quiet: boolean, private readonly sys: Sys) {
    cmds.forEach((c, k) => c.name === ':' && this.labels.set(c.text ?? '', k));
  }

  private test(a: Address, ps: string, n: number, last: boolean): boolean {
    switch (a.kind) {
      case 'line':
        return n === a.n;
      case 'last':
        return last;
      case 'step':
        return a.step <= 0 ? n === a.first : n >= a.first && (n - a.first) % a.step === 0;
      case 're': {
        const re = a.re ?? this.lastRe;
        if (a.re) this.lastRe = a.re;
        return !!re && re.test(ps);
      }
      default:
        return false;
    }
  }

  private selected(c: Command, k: number, ps: string, n: number, last: boolean): boolean {
    if (!c.a1) return true;
    if (!c.a2) return this.test(c.a1, ps, n, last);
    const range = this.active.get(k);
    if (range) {
      const a2 = c.a2;
      let ends: boolean;
      if (a2.kind === 'line') ends = n >= a2.n;
      else if (a2.kind === 'plus' || a2.kind === 'multiple') ends = n >= (range.until ?? 0);
      else ends = this.test(a2, ps, n, last);
      if (ends) this.active.delete(k);
      return true;
    }
    if (!this.test(c.a1, ps, n, last)) return false;
    const a2 = c.a2;
    // A line-number end at or before the start closes the range at once.
    if (a2.kind === 'line' && a2.n <= n) return true;
    if (a2.kind === 'plus') {
      if (a2.n > 0) this.active.set(k, { until: n + a2.n });
      return true;
    }
    if (a2.kind === 'multiple') {
      const until = a2.n > 0 ? Math.ceil(n / a2.n) * a2.n : n;
      if (until > n) this.active.set(k, { until });
      return true;
    }
    if (a2.kind === 'last' && last) return true;
    this.active.set(k, {});
    return true;
  }

  /** Runs the script over the lines; false if a q/Q stopped it. */
  *lines(input: Line[], lineNo: { n: number }, lastOfAll: boolean): Gen<boolean> {
    let idx = 0;
    let carried: string | undefined;
    while (idx < input.length || carried !== undefined) {
      let ps: string;
      let newline = true;
      if (carried !== undefined) {
        ps = carried;
        carried = undefined;
      } else {
        const l = input[idx++];
        lineNo.n++;
        ps = l.text;
        newline = l.newline;
      }
      const isLast = () => idx >= input.length && lastOfAll;
      let append = '';
      let autoprint = !this.quiet;
      let substituted = false;
      let restart = false;
      let stop: 'q' | 'Q' | undefined;
      const emit = (s: string) => (this.output += s);
      for (let k = 0; k < this.cmds.length; k++) {
        const c = this.cmds[k];
        if (c.name === '}' || c.name === ':') continue;
        const hit = this.selected(c, k, ps, lineNo.n, isLast()) !== c.negate;
        if (!hit) {
          if (c.name === '{') k = c.end ?? k;
          continue;
        }
        switch (c.name) {
          case '{':
            break;
          case '=':
            emit(`${lineNo.n}\n`);
            break;
          case 'p':
            emit(`${ps}\n`);
            break;
          case 'P':
            emit(`${ps.split('\n')[0]}\n`);
            break;
          case 'd':
            autoprint = false;
            k = this.cmds.length;
            break;
          case 'D': {
            const nl = ps.indexOf('\n');
            autoprint = false;
            if (nl >= 0) {
              carried = ps.slice(nl + 1);
              restart = true;
            }
            k = this.cmds.length;
            break;
          }
          case 's': {
            const re = c.re ?? this.lastRe;
            if (c.re) this.lastRe = c.re;
            if (!re) break;
            const r = substitute(ps, c, re);
            if (r.done) {
              ps = r.text;
              substituted = true;
              if (c.print) emit(`${ps}\n`);
              if (c.text) this.writes.set(c.text, `${this.writes.get(c.text) ?? ''}${ps}\n`);
            }
            break;
          }
          case 'y':
            ps = [...ps].map((ch) => c.map?.get(ch) ?? ch).join('');
            break;
          case 'a':
            append += `${c.text}\n`;
            break;
          case 'i':
            emit(`${c.text}\n`);
            break;
          case 'c':
            autoprint = false;
            // In a range, the text replaces the whole range: it is printed at its end.
            if (!c.a2 || c.negate || !this.active.has(k)) emit(`${c.text}\n`);
            k = this.cmds.length;
            break;
          case 'h':
            this.hold = ps;
            break;
          case 'H':
            this.hold += `\n${ps}`;
            break;
          case 'g':
            ps = this.hold;
            break;
          case 'G':
            ps += `\n${this.hold}`;
            break;
          case 'x':
            [ps, this.hold] = [this.hold, ps];
            break;
          case 'z':
            ps = '';
            break;
          case 'n':
            if (idx >= input.length) {
              // No next line: sed ends here (printing the pattern space unless -n).
              k = this.cmds.length;
              break;
            }
            if (!this.quiet) emit(`${ps}\n`);
            emit(append);
            append = '';
            ps = input[idx].text;
            newline = input[idx++].newline;
            lineNo.n++;
            break;
          case 'N':
            if (idx >= input.length) {
              k = this.cmds.length;
              break;
            }
            ps += `\n${input[idx].text}`;
            newline = input[idx++].newline;
            lineNo.n++;
            break;
          case 'b':
          case 't':
          case 'T': {
            const jump = c.name === 'b' || (c.name === 't' ? substituted : !substituted);
            if (c.name !== 'b') substituted = false;
            if (!jump) break;
            if (!c.text) k = this.cmds.length;
            else k = this.labels.get(c.text) ?? this.cmds.length;
            break;
          }
          case 'q':
            stop = 'q';
            this.quitCode = c.code ?? 0;
            k = this.cmds.length;
            break;
          case 'Q':
            stop = 'Q';
            autoprint = false;
            this.quitCode = c.code ?? 0;
            k = this.cmds.length;
            break;
          case 'l':
            emit(`${ps.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n')}$\n`);
            break;
          case 'F':
            emit('-\n');
            break;
          case 'r':
            try {
              append += this.sys.fs.readFile(abs(this.sys, c.text ?? ''), this.sys.user).toString();
            } catch {
              // A file r cannot read adds nothing, silently, as sed does.
            }
            break;
          case 'w':
            this.writes.set(c.text ?? '', `${this.writes.get(c.text ?? '') ?? ''}${ps}\n`);
            break;
        }
      }
      // The last line keeps its lack of a newline, as GNU sed and busybox both do.
      if (autoprint) emit(`${ps}${newline || restart || idx < input.length ? '\n' : ''}`);
      emit(append);
      if (stop) return false;
      if (restart) continue;
    }
    return true;
  }
}

function splitLines(text: string): Line[] {
  const parts = text.split('\n');
  const result: Line[] = parts.map((t) => ({ text: t, newline: true }));
  if (parts[parts.length - 1] === '') result.pop();
  else result[result.length - 1].newline = false;
  return result;
}

export const sedProgram: Program = function* (argv, sys) {
  const gnu = sys.toolset === 'gnu';
  const family: Family = gnu ? 'gnu' : 'busybox';
  const o = parseArgs(argv, sys);
  if ('error' in o) {
    yield* err(gnu ? `sed: ${o.error}\nUsage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n` : `sed: ${o.error}\n`);
    return 1;
  }
  let cmds: Command[];
  try {
    cmds = parseScript(o.scripts.join('\n'), family, o.extended);
  } catch (e) {
    if (!(e instanceof SedSyntaxError)) throw e;
    yield* err(gnu ? `sed: -e expression #1, char ${e.at}: ${e.gnuMessage}\n` : `sed: ${e.busyboxMessage}\n`);
    return 1;
  }
  const files = o.files.length ? o.files : ['-'];
  let status = 0;
  const read = function* (f: string): Gen<string | undefined> {
    if (f === '-') return (yield* readAll()).toString();
    try {
      const node = sys.fs.stat(abs(sys, f), sys.user);
      if (node.type === 'dir') {
        yield* err(gnu ? `sed: couldn't edit ${f}: not a regular file\n` : `sed: read error on ${f}: Is a directory\n`);
        return undefined;
      }
      return sys.fs.readFile(abs(sys, f), sys.user).toString();
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      yield* err(gnu ? `sed: can't read ${f}: ${e.message}\n` : `sed: can't open '${f}': ${e.message}\n`);
      return undefined;
    }
  };
  const flushWrites = (run: Run) => {
    for (const [name, data] of run.writes) {
      try {
        sys.fs.writeFile(abs(sys, name), data, sys.user);
      } catch {
        // w to a file that cannot be opened: sed would have refused at start; nothing is written.
      }
    }
  };
  if (o.inPlace !== undefined || o.separate) {
    for (const f of files) {
      const text = yield* read(f);
      if (text === undefined) {
        status = gnu ? 2 : 1;
        continue;
      }
      const run = new Run(cmds, o.quiet, sys);
      const more = yield* run.lines(splitLines(text), { n: 0 }, true);
      flushWrites(run);
      if (o.inPlace !== undefined && f !== '-') {
        try {
          if (o.inPlace) sys.fs.writeFile(abs(sys, `${f}${o.inPlace}`), text, sys.user);
          sys.fs.writeFile(abs(sys, f), run.output, sys.user);
        } catch (e) {
          if (!(e instanceof FsError)) throw e;
          yield* err(gnu ? `sed: couldn't open temporary file ${f}: ${e.message}\n` : `sed: can't create '${f}': ${e.message}\n`);
          status = 4;
        }
      } else yield* out(run.output);
      if (!more) return run.quitCode ?? status;
    }
    return status;
  }
  const all: Line[] = [];
  for (const f of files) {
    const text = yield* read(f);
    if (text === undefined) status = gnu ? 2 : 1;
    else all.push(...splitLines(text));
  }
  const run = new Run(cmds, o.quiet, sys);
  yield* run.lines(all, { n: 0 }, true);
  flushWrites(run);
  yield* out(run.output);
  return run.quitCode ?? status;
};

// Filters over lines of text: head, tail (-f follows a file on the simulated clock), wc, grep,
// tee, sort, uniq, cut, tr, sed (s///, p, d), xargs.
import { appendTo, FsError, type FileNode } from '../fs.js';
import { err, LineReader, out, readAll, readChunk, sleep } from '../io.js';
import type { Gen } from '../io.js';
import { sedProgram } from './sed.js';
import type { Program, Sys } from './types.js';
import { abs, fail, parseOpts } from './util.js';

/** The text of the operands (or stdin); a file that cannot be read is reported and skipped. */
function* inputs(sys: Sys, files: string[]): Gen<{ name: string; data: string; raw: Buffer; ok: boolean }[]> {
  const result: { name: string; data: string; raw: Buffer; ok: boolean }[] = [];
  for (const f of files.length ? files : ['-']) {
    if (f === '-') {
      const raw = yield* readAll();
      result.push({ name: '(standard input)', data: raw.toString(), raw, ok: true });
      continue;
    }
    try {
      const node = sys.fs.stat(abs(sys, f), sys.user);
      if (node.type === 'dir') throw new FsError('EISDIR', f);
      const raw = sys.fs.readFile(abs(sys, f), sys.user);
      result.push({ name: f, data: raw.toString(), raw, ok: true });
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      yield* err(sys.toolset === 'gnu' ? (sys.name === 'head' || sys.name === 'tail' ? `${sys.name}: cannot open '${f}' for reading: ${e.message}\n` : `${sys.name}: ${f}: ${e.message}\n`) : `${sys.name}: can't open '${f}': ${e.message}\n`);
      result.push({ name: f, data: '', raw: Buffer.alloc(0), ok: false });
    }
  }
  return result;
}

const lines = (s: string) => s.split(/(?<=\n)/).filter((l) => l !== '');

/** -n N, -N and -nN as head and tail take them. */
function countOpt(argv: string[]): { n: number; plus: boolean; follow: boolean; bytes?: number; files: string[] } {
  let n = 10;
  let plus = false;
  let follow = false;
  let bytes: number | undefined;
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const v = a === '-n' || a === '-c' ? argv[++i] : /^-[nc]/.test(a) ? a.slice(2) : /^-\d+$/.test(a) ? a.slice(1) : undefined;
    if (v !== undefined) {
      plus = v.startsWith('+');
      if (a.startsWith('-c')) bytes = Number(v.replace('+', ''));
      else n = Number(v.replace('+', ''));
      continue;
    }
    if (a === '-f' || a === '-F' || a === '--follow') follow = true;
    else if (/^-[fqv]+$/.test(a)) follow = follow || a.includes('f');
    else files.push(a);
  }
  return { n, plus, follow, bytes, files };
}

const head: Program = function* (argv, sys) {
  const o = countOpt(argv);
  if (!o.files.length && o.bytes === undefined) {
    // From a pipe, head stops reading (and so ends the pipe) once it has its lines.
    const reader = new LineReader();
    for (let i = 0; i < o.n; i++) {
      const l = yield* reader.line();
      if (l === undefined) break;
      yield* out(l);
    }
    return 0;
  }
  const ins = yield* inputs(sys, o.files);
  if (o.bytes !== undefined) {
    // Bytes, not characters: head -c and tail -c carry binary data (kubectl cp's retries).
    yield* out(Buffer.concat(ins.filter((f) => f.ok).map((f) => f.raw.subarray(0, o.bytes))));
    return ins.every((f) => f.ok) ? 0 : 1;
  }
  let text = '';
  ins.forEach((f, i) => {
    if (!f.ok) return;
    if (ins.length > 1) text += `${i ? '\n' : ''}==> ${f.name} <==\n`;
    text += lines(f.data).slice(0, o.n).join('');
  });
  yield* out(text);
  return ins.every((f) => f.ok) ? 0 : 1;
};

const tail: Program = function* (argv, sys) {
  const o = countOpt(argv);
  if (o.follow && o.files.length) return yield* follow(sys, o.files[0], o.n);
  const ins = yield* inputs(sys, o.files);
  if (o.bytes !== undefined) {
    const b = o.bytes;
    yield* out(Buffer.concat(ins.filter((f) => f.ok).map((f) => (o.plus ? f.raw.subarray(Math.max(0, b - 1)) : b === 0 ? Buffer.alloc(0) : f.raw.subarray(-b)))));
    return ins.every((f) => f.ok) ? 0 : 1;
  }
  let text = '';
  ins.forEach((f, i) => {
    if (!f.ok) return;
    if (ins.length > 1) text += `${i ? '\n' : ''}==> ${f.name} <==\n`;
    const l = lines(f.data);
    text += (o.plus ? l.slice(Math.max(0, o.n - 1)) : o.n === 0 ? [] : l.slice(-o.n)).join('');
  });
  yield* out(text);
  if (o.follow) {
    // tail -f on standard input: waits for more forever.
    for (;;) {
      const c = yield* readChunk();
      if (c === undefined) yield* sleep(Infinity);
      else yield* out(c);
    }
  }
  return ins.every((f) => f.ok) ? 0 : 1;
};

/** tail -f: prints what is appended, checking once a second as inotify-less tail does. */
function* follow(sys: Sys, file: string, n: number): Gen<number> {
  const path = abs(sys, file);
  let seen = 0;
  try {
    const data = sys.fs.readFile(path, sys.user);
    const text = data.toString();
    yield* out(n === 0 ? '' : lines(text).slice(-n).join(''));
    seen = data.length;
  } catch (e) {
    if (!(e instanceof FsError)) throw e;
    yield* err(sys.toolset === 'gnu' ? `tail: cannot open '${file}' for reading: ${e.message}\n` : `tail: can't open '${file}': ${e.message}\n`);
  }
  for (;;) {
    yield* sleep(1000);
    let data: Buffer;
    try {
      data = sys.fs.readFile(path, sys.user);
    } catch {
      continue;
    }
    if (data.length < seen) {
      yield* err(`tail: ${file}: file truncated\n`);
      seen = 0;
    }
    if (data.length > seen) {
      yield* out(data.subarray(seen));
      seen = data.length;
    }
  }
}

const wc: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  const ins = yield* inputs(sys, o.args);
  const pick = o.flags.size ? o.flags : new Set(['l', 'w', 'c']);
  const counts = (d: string) => [pick.has('l') ? (d.match(/\n/g) ?? []).length : undefined, pick.has('w') ? d.split(/\s+/).filter(Boolean).length : undefined, pick.has('c') ? Buffer.byteLength(d) : pick.has('m') ? d.length : undefined].filter((x): x is number => x !== undefined);
  const rows = ins.filter((f) => f.ok).map((f) => ({ c: counts(f.data), name: o.args.length ? f.name : '' }));
  if (rows.length > 1) rows.push({ c: rows[0].c.map((_, i) => rows.reduce((s, r) => s + r.c[i], 0)), name: 'total' });
  const single = pick.size === 1 && !o.args.length;
  const width = sys.toolset === 'gnu' ? Math.max(1, ...rows.flatMap((r) => r.c.map((x) => String(x).length))) : 7;
  yield* out(rows.map((r) => `${r.c.map((x) => (single ? String(x) : String(x).padStart(width))).join(' ')}${r.name ? ` ${r.name}` : ''}\n`).join(''));
  return ins.every((f) => f.ok) ? 0 : 1;
};

const grep: Program = function* (argv, sys) {
  const o = parseOpts(argv, 'eABCm');
  const flags = o.flags;
  const args = [...o.args];
  const pattern = o.values.get('e') ?? args.shift();
  if (pattern === undefined) return yield* fail(sys, sys.toolset === 'gnu' ? "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information." : 'usage', 2);
  let source = flags.has('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : flags.has('E') ? pattern : pattern.replace(/\\([|+?(){}])/g, '$1\u0000').replace(/([|+?(){}])(?!\u0000)/g, '\\$1').replace(/\u0000/g, '');
  if (flags.has('w')) source = `\\b(?:${source})\\b`;
  if (flags.has('x')) source = `^(?:${source})$`;
  let re: RegExp;
  try {
    re = new RegExp(source, flags.has('i') ? 'i' : '');
  } catch {
    return yield* fail(sys, 'Invalid regular expression', 2);
  }
  const files = args;
  const ins = yield* inputs(sys, files);
  let matched = false;
  let text = '';
  const many = files.length > 1 && !flags.has('h');
  for (const f of ins) {
    if (!f.ok) continue;
    let count = 0;
    let n = 0;
    for (const raw of lines(f.data)) {
      n++;
      const line = raw.replace(/\n$/, '');
      if (re.test(line) === flags.has('v')) continue;
      count++;
      matched = true;
      if (flags.has('c') || flags.has('l') || flags.has('q')) continue;
      text += `${many ? `${f.name}:` : ''}${flags.has('n') ? `${n}:` : ''}${flags.has('o') ? (line.match(new RegExp(re.source, `g${re.flags}`)) ?? []).join('\n') : line}\n`;
    }
    if (flags.has('c')) text += `${many ? `${f.name}:` : ''}${count}\n`;
    if (flags.has('l') && count) text += `${f.name}\n`;
  }
  if (!flags.has('q')) yield* out(text);
  if (ins.some((f) => !f.ok) && !flags.has('s')) return matched && flags.has('q') ? 0 : 2;
  return matched ? 0 : 1;
};

const tee: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  const targets: FileNode[] = [];
  let status = 0;
  for (const f of o.args) {
    try {
      const t = sys.fs.openWrite(abs(sys, f), sys.user, { append: o.flags.has('a') });
      if (t.kind === 'file') targets.push(t.node);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      status = 1;
      yield* err(sys.toolset === 'gnu' ? `tee: ${f}: ${e.message}\n` : `tee: can't open '${f}': ${e.message}\n`);
    }
  }
  for (;;) {
    const c = yield* readChunk();
    if (c === undefined) return status;
    for (const t of targets) appendTo(t, c);
    yield* out(c);
  }
};

const sort: Program = function* (argv, sys) {
  const o = parseOpts(argv, 'kt');
  const ins = yield* inputs(sys, o.args);
  let all = ins.flatMap((f) => lines(f.data).map((l) => l.replace(/\n$/, '')));
  const key = (l: string) => {
    if (!o.values.has('k')) return l;
    const k = Number(o.values.get('k')!.split(',')[0]) - 1;
    const sep = o.values.get('t');
    return (sep ? l.split(sep) : l.trim().split(/\s+/)).slice(k).join(sep ?? ' ');
  };
  if (o.flags.has('n')) all.sort((a, b) => (parseFloat(key(a)) || 0) - (parseFloat(key(b)) || 0) || (a < b ? -1 : a > b ? 1 : 0));
  else all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if (o.flags.has('r')) all.reverse();
  if (o.flags.has('u')) all = all.filter((l, i) => i === 0 || l !== all[i - 1]);
  yield* out(all.map((l) => `${l}\n`).join(''));
  return 0;
};

const uniq: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  const ins = yield* inputs(sys, o.args.slice(0, 1));
  const all = ins.flatMap((f) => lines(f.data).map((l) => l.replace(/\n$/, '')));
  const groups: Array<[string, number]> = [];
  for (const l of all) {
    const last = groups[groups.length - 1];
    if (last && last[0] === l) last[1]++;
    else groups.push([l, 1]);
  }
  const kept = groups.filter(([, n]) => (o.flags.has('d') ? n > 1 : o.flags.has('u') ? n === 1 : true));
  yield* out(kept.map(([l, n]) => (o.flags.has('c') ? `${String(n).padStart(7)} ${l}\n` : `${l}\n`)).join(''));
  return 0;
};

const cut: Program = function* (argv, sys) {
  const o = parseOpts(argv, 'dfc');
  const ins = yield* inputs(sys, o.args);
  const ranges = (spec: string) =>
    spec.split(',').map((r) => {
      const [a, b] = r.split('-');
      return [a ? Number(a) : 1, r.includes('-') ? (b ? Number(b) : Infinity) : Number(a)] as const;
    });
  const want = (i: number, rs: ReadonlyArray<readonly [number, number]>) => rs.some(([a, b]) => i >= a && i <= b);
  let text = '';
  for (const f of ins)
    for (const raw of lines(f.data)) {
      const l = raw.replace(/\n$/, '');
      if (o.values.has('f')) {
        const d = o.values.get('d') ?? '\t';
        const fields = l.split(d);
        if (fields.length === 1 && !o.flags.has('s')) text += `${l}\n`;
        else if (fields.length > 1) text += `${fields.filter((_, i) => want(i + 1, ranges(o.values.get('f')!))).join(d)}\n`;
      } else if (o.values.has('c')) text += `${[...l].filter((_, i) => want(i + 1, ranges(o.values.get('c')!))).join('')}\n`;
    }
  yield* out(text);
  return 0;
};

function expandSet(s: string): string {
  const classes: Record<string, string> = { '[:upper:]': 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '[:lower:]': 'abcdefghijklmnopqrstuvwxyz', '[:digit:]': '0123456789', '[:space:]': ' \t\n\r\f\v' };
  for (const [k, v] of Object.entries(classes)) s = s.split(k).join(v);
  s = s.replace(/\\([0-7]{1,3}|n|t|r|\\)/g, (_, e: string) => (e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '\\' ? '\\' : String.fromCharCode(parseInt(e, 8))));
  return s.replace(/(.)-(.)/g, (_, a: string, b: string) => {
    let r = '';
    for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) r += String.fromCharCode(c);
    return r;
  });
}

const tr: Program = function* (argv) {
  const del = argv[1] === '-d';
  const squeeze = argv[1] === '-s';
  const args = argv.slice(del || squeeze ? 2 : 1);
  const from = expandSet(args[0] ?? '');
  const to = expandSet(args[1] ?? '');
  const data = (yield* readAll()).toString();
  let text = '';
  let prev = '';
  for (const c of data) {
    const i = from.indexOf(c);
    if (del) {
      if (i < 0) text += c;
      continue;
    }
    const r = i < 0 || squeeze ? c : (to[i] ?? to[to.length - 1] ?? c);
    if (squeeze && i >= 0 && r === prev) continue;
    text += r;
    prev = r;
  }
  yield* out(text);
  return 0;
};

/** Splits xargs input as it does: blanks and newlines, with quotes and backslashes honoured. */
function xargsWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      cur += text.slice(i + 1, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
      has = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) words.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) words.push(cur);
  return words;
}

/** xargs [-I REPL] [-n N] [-0] [-r] [-t] CMD…: runs CMD with its input as arguments. */
const xargs: Program = function* (argv, sys) {
  let replace: string | undefined;
  let perCommand = Infinity;
  let nul = false;
  let noEmpty = sys.toolset === 'busybox';
  let trace = false;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') break;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-0' || a === '--null') nul = true;
    else if (a === '-r' || a === '--no-run-if-empty') noEmpty = true;
    else if (a === '-t' || a === '--verbose') trace = true;
    else if (a.startsWith('-I')) replace = a.length > 2 ? a.slice(2) : argv[++i];
    else if (a.startsWith('--replace')) replace = a.includes('=') ? a.slice(a.indexOf('=') + 1) : '{}';
    else if (a === '-i') replace = '{}';
    else if (a.startsWith('-n')) perCommand = Math.max(1, Number(a.length > 2 ? a.slice(2) : argv[++i]) || 1);
    else if (a.startsWith('-L')) perCommand = Math.max(1, Number(a.length > 2 ? a.slice(2) : argv[++i]) || 1);
    else if (a.startsWith('-P') || a.startsWith('-s')) {
      if (a.length === 2) i++;
    } else return yield* fail(sys, sys.toolset === 'gnu' ? `invalid option -- '${a.slice(1, 2)}'` : `unrecognized option: ${a.slice(1, 2)}`);
  }
  const cmd = argv.slice(i).length ? argv.slice(i) : ['echo'];
  const text = (yield* readAll()).toString();
  const runs: string[][] = [];
  if (replace !== undefined) {
    // -I: one command per input line, the line (without leading blanks) put where REPL stands.
    for (const line of text.split(nul ? '\0' : '\n')) {
      const item = line.replace(/^[ \t]+/, '');
      if (item === '') continue;
      runs.push(cmd.map((a) => a.split(replace!).join(item)));
    }
  } else {
    const words = nul ? text.split('\0').filter((w) => w !== '') : xargsWords(text);
    if (!words.length) {
      if (!noEmpty) runs.push(cmd);
    } else for (let k = 0; k < words.length; k += perCommand === Infinity ? words.length : perCommand) runs.push([...cmd, ...words.slice(k, k + (perCommand === Infinity ? words.length : perCommand))]);
  }
  let status = 0;
  for (const r of runs) {
    if (trace) yield* err(`${r.join(' ')}\n`);
    const code = yield* sys.exec(r);
    // 123: some run failed; 127 and 126 stop xargs as they do.
    if (code === 127 || code === 126) return code;
    if (code !== 0) status = 123;
  }
  return status;
};

export const textPrograms: Record<string, Program> = { head, tail, wc, grep, tee, sort, uniq, cut, tr, sed: sedProgram, xargs };

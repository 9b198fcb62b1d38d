// The small tools both families ship that scenarios reach for: stat, du, readlink, the checksum
// programs, expr, and busybox's rev, each in its family's output format.
import { createHash } from 'node:crypto';
import { FsError, type FsNode } from '../fs.js';
import { err, out, readAll, type Gen } from '../io.js';
import { strftime } from '../time-format.js';
import type { Program, Sys } from './types.js';
import { abs, groupNames, humanSize, modeString, parseOpts, userNames } from './util.js';

function* openError(sys: Sys, f: string, e: unknown): Gen<void> {
  if (!(e instanceof FsError)) throw e;
  yield* err(sys.toolset === 'gnu' ? `${sys.name}: ${f}: ${e.message}\n` : `${sys.name}: can't open '${f}': ${e.message}\n`);
}

function sizeOf(sys: Sys, node: FsNode, path: string): number {
  if (node.type !== 'file') return node.type === 'dir' ? 4096 : node.type === 'symlink' ? node.target.length : 0;
  try {
    return sys.fs.readFile(path, sys.user).length;
  } catch {
    return 0;
  }
}

const FILE_TYPE: Record<FsNode['type'], string> = { file: 'regular file', dir: 'directory', symlink: 'symbolic link', dev: 'character special file' };

/** A stable inode number for a path, so two looks at one file agree. */
function inode(path: string): number {
  let h = 0;
  for (const c of path) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return 1_000_000 + (h % 8_000_000);
}

const statProgram: Program = function* (argv, sys) {
  const o = parseOpts(argv, 'c');
  const format = o.values.get('c') ?? o.long.find((l) => l.startsWith('--format='))?.slice(9);
  const follow = o.flags.has('L');
  if (!o.args.length) {
    yield* err(sys.toolset === 'gnu' ? "stat: missing operand\nTry 'stat --help' for more information.\n" : 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: stat [-ltf] [-c FMT] FILE...\n');
    return 1;
  }
  const users = userNames(sys);
  const groups = groupNames(sys);
  let status = 0;
  for (const f of o.args) {
    const path = abs(sys, f);
    let node: FsNode;
    try {
      node = follow ? sys.fs.stat(path, sys.user) : sys.fs.lstat(path, sys.user);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      yield* err(sys.toolset === 'gnu' ? `stat: cannot statx '${f}': ${e.message}\n` : `stat: can't stat '${f}': ${e.message}\n`);
      status = 1;
      continue;
    }
    const size = sizeOf(sys, node, path);
    const time = strftime('%Y-%m-%d %H:%M:%S.000000000 +0000', node.mtime);
    const user = users.get(node.uid) ?? 'UNKNOWN';
    const group = groups.get(node.gid) ?? 'UNKNOWN';
    if (format !== undefined) {
      const text = format.replace(/%([aAsnNUGugFyYiXZbBho%])/g, (_m, c: string) => {
        switch (c) {
          case 'a': return (node.mode & 0o7777).toString(8);
          case 'A': return modeString(node.type, node.mode);
          case 's': return String(size);
          case 'n': return f;
          case 'N': return node.type === 'symlink' ? `'${f}' -> '${node.target}'` : `'${f}'`;
          case 'U': return user;
          case 'G': return group;
          case 'u': return String(node.uid);
          case 'g': return String(node.gid);
          case 'F': return FILE_TYPE[node.type];
          case 'y': return time;
          case 'Y': return String(Math.floor(node.mtime / 1000));
          case 'i': return String(inode(path));
          case 'b': return String(Math.ceil(size / 4096) * 8);
          case 'B': return '512';
          case 'h': return String(node.type === 'dir' ? 2 : 1);
          case 'o': return '4096';
          case '%': return '%';
          default: return '?';
        }
      });
      yield* out(`${text}\n`);
      continue;
    }
    const pad = (s: string | number, n: number) => String(s).padStart(n);
    const name = node.type === 'symlink' ? `${f} -> ${node.target}` : f;
    const device = sys.toolset === 'gnu' ? 'Device: 0,56\t' : 'Device: 38h/56d\t';
    yield* out(
      `  File: ${name}\n  Size: ${String(size).padEnd(10)}\tBlocks: ${String(Math.ceil(size / 4096) * 8).padEnd(10)} IO Block: 4096   ${FILE_TYPE[node.type]}\n` +
        `${device}Inode: ${String(inode(path)).padEnd(11)} Links: ${node.type === 'dir' ? 2 : 1}\n` +
        `Access: (${(node.mode & 0o7777).toString(8).padStart(4, '0')}/${modeString(node.type, node.mode)})  Uid: (${pad(node.uid, 5)}/${pad(user, 8)})   Gid: (${pad(node.gid, 5)}/${pad(group, 8)})\n` +
        `Access: ${time}\nModify: ${time}\nChange: ${time}\n${sys.toolset === 'gnu' ? ' Birth: -\n' : ''}`,
    );
  }
  return status;
};

function diskUsage(sys: Sys, path: string, each: (p: string, kb: number) => void, depth: number, maxDepth: number): number {
  const node = sys.fs.lstat(path, sys.user);
  let kb = Math.ceil(sizeOf(sys, node, path) / 4096) * 4;
  if (node.type === 'dir') {
    for (const name of sys.fs.readdir(path, sys.user)) kb += diskUsage(sys, `${path.replace(/\/$/, '')}/${name}`, each, depth + 1, maxDepth);
    if (depth <= maxDepth) each(path, kb);
  }
  return kb;
}

const duProgram: Program = function* (argv, sys) {
  const o = parseOpts(argv, 'd');
  const human = o.flags.has('h');
  const summary = o.flags.has('s');
  const maxDepth = summary ? 0 : o.values.has('d') ? Number(o.values.get('d')) : Infinity;
  const show = (kb: number) => (human ? (kb === 0 ? '0' : humanSize(kb * 1024, sys.toolset === 'gnu' ? 'gnu' : 'busybox')) : String(kb));
  let status = 0;
  for (const f of o.args.length ? o.args : ['.']) {
    const lines: string[] = [];
    try {
      const total = diskUsage(sys, abs(sys, f), (p, kb) => lines.push(`${show(kb)}\t${f === '.' && !o.args.length ? `.${p.slice(abs(sys, '.').length)}` : `${f}${p.slice(abs(sys, f).length)}`}`), 0, maxDepth);
      if (!lines.length) lines.push(`${show(total)}\t${f}`);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      yield* err(sys.toolset === 'gnu' ? `du: cannot access '${f}': ${e.message}\n` : `du: ${f}: ${e.message}\n`);
      status = 1;
    }
    yield* out(lines.map((l) => `${l}\n`).join(''));
  }
  return status;
};

const readlinkProgram: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  const canonical = o.flags.has('f') || o.flags.has('e') || o.flags.has('m');
  let status = 0;
  for (const f of o.args) {
    try {
      if (canonical) yield* out(`${sys.fs.realpath(abs(sys, f), sys.user)}\n`);
      else {
        const node = sys.fs.lstat(abs(sys, f), sys.user);
        if (node.type !== 'symlink') status = 1;
        else yield* out(`${node.target}\n`);
      }
    } catch {
      status = 1;
    }
  }
  return status;
};

function checksum(algorithm: 'md5' | 'sha1' | 'sha256' | 'sha512'): Program {
  return function* (argv, sys) {
    const o = parseOpts(argv);
    let status = 0;
    for (const f of o.args.length ? o.args : ['-']) {
      let data: Buffer;
      if (f === '-') data = yield* readAll();
      else {
        try {
          data = sys.fs.readFile(abs(sys, f), sys.user);
        } catch (e) {
          yield* openError(sys, f, e);
          status = 1;
          continue;
        }
      }
      yield* out(`${createHash(algorithm).update(data).digest('hex')}  ${f}\n`);
    }
    return status;
  };
}

const revProgram: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  let text = '';
  for (const f of o.args.length ? o.args : ['-']) {
    if (f === '-') text += (yield* readAll()).toString();
    else {
      try {
        text += sys.fs.readFile(abs(sys, f), sys.user).toString();
      } catch (e) {
        yield* openError(sys, f, e);
        return 1;
      }
    }
  }
  yield* out(text.split('\n').map((l, i, all) => (i === all.length - 1 && l === '' ? '' : `${[...l].reverse().join('')}\n`)).join(''));
  return 0;
};

/** expr's grammar, lowest precedence first: | & comparisons + - * / % and the `:` match. */
export function evalExpr(args: string[]): string {
  let i = 0;
  const isNum = (s: string) => /^-?\d+$/.test(s);
  const need = (s: string): number => {
    if (!isNum(s)) throw new Error('non-integer argument');
    return Number(s);
  };
  const truthy = (s: string) => s !== '' && s !== '0';
  const primary = (): string => {
    const a = args[i++];
    if (a === undefined) throw new Error('syntax error');
    if (a === '(') {
      const v = or();
      if (args[i++] !== ')') throw new Error('syntax error');
      return v;
    }
    if (a === 'length') return String((args[i++] ?? '').length);
    if (a === 'substr') {
      const s = args[i++] ?? '';
      const pos = need(args[i++] ?? '');
      const len = need(args[i++] ?? '');
      return pos < 1 || len < 1 ? '' : s.slice(pos - 1, pos - 1 + len);
    }
    if (a === 'index') {
      const s = args[i++] ?? '';
      const chars = args[i++] ?? '';
      const at = [...s].findIndex((c) => chars.includes(c));
      return String(at + 1);
    }
    if (a === 'match') {
      const s = args[i++] ?? '';
      return matchOp(s, args[i++] ?? '');
    }
    return a;
  };
  const matchOp = (s: string, pattern: string): string => {
    const js = pattern.replace(/\\\(/g, '(').replace(/\\\)/g, ')').replace(/\\\{/g, '{').replace(/\\\}/g, '}');
    const m = new RegExp(`^(?:${js})`).exec(s);
    if (!m) return /\\\(/.test(pattern) ? '' : '0';
    return m[1] !== undefined ? m[1] : String(m[0].length);
  };
  const colon = (): string => {
    let a = primary();
    while (args[i] === ':') {
      i++;
      a = matchOp(a, primary());
    }
    return a;
  };
  const mul = (): string => {
    let a = colon();
    while (['*', '/', '%'].includes(args[i])) {
      const op = args[i++];
      const b = colon();
      const x = need(a);
      const y = need(b);
      if (op !== '*' && y === 0) throw new Error('division by zero');
      a = String(op === '*' ? x * y : op === '/' ? Math.trunc(x / y) : x % y);
    }
    return a;
  };
  const add = (): string => {
    let a = mul();
    while (args[i] === '+' || args[i] === '-') {
      const op = args[i++];
      const b = mul();
      a = String(op === '+' ? need(a) + need(b) : need(a) - need(b));
    }
    return a;
  };
  const cmp = (): string => {
    let a = add();
    while (['=', '==', '!=', '<', '<=', '>', '>='].includes(args[i])) {
      const op = args[i++];
      const b = add();
      const c = isNum(a) && isNum(b) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0;
      const r = op === '=' || op === '==' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      a = r ? '1' : '0';
    }
    return a;
  };
  const and = (): string => {
    let a = cmp();
    while (args[i] === '&') {
      i++;
      const b = cmp();
      a = truthy(a) && truthy(b) ? a : '0';
    }
    return a;
  };
  const or = (): string => {
    let a = and();
    while (args[i] === '|') {
      i++;
      const b = and();
      a = truthy(a) ? a : truthy(b) ? b : '0';
    }
    return a;
  };
  const v = or();
  if (i < args.length) throw new Error('syntax error');
  return v;
}

const exprProgram: Program = function* (argv, sys) {
  const args = argv.slice(1);
  if (!args.length) {
    yield* err(sys.toolset === 'gnu' ? "expr: missing operand\nTry 'expr --help' for more information.\n" : 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: expr EXPRESSION\n');
    return 2;
  }
  let v: string;
  try {
    v = evalExpr(args);
  } catch (e) {
    const m = (e as Error).message;
    yield* err(`expr: ${m === 'non-integer argument' && sys.toolset !== 'gnu' ? 'non-numeric argument' : m}\n`);
    return 2;
  }
  yield* out(`${v}\n`);
  return v === '' || v === '0' ? 1 : 0;
};

export const coreutilsPrograms: Record<string, Program> = {
  stat: statProgram,
  du: duProgram,
  readlink: readlinkProgram,
  md5sum: checksum('md5'),
  sha1sum: checksum('sha1'),
  sha256sum: checksum('sha256'),
  sha512sum: checksum('sha512'),
  expr: exprProgram,
  rev: revProgram,
};

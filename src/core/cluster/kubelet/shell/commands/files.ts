// Programs that work on files: cat, ls, mkdir, touch, rm, cp, mv, ln, chmod, chown, find.
import { bytesOf, FsError, sizeOf, type FsNode } from '../fs.js';
import { err, out, readChunk } from '../io.js';
import type { Gen } from '../io.js';
import { baseName, joinPath } from '../path.js';
import { globMatch } from '../pattern.js';
import { MONTHS } from '../time-format.js';
import type { Program, Sys } from './types.js';
import { abs, fail, groupNames, modeString, parseOpts, userNames } from './util.js';

/** GNU quotes names in messages; busybox mostly does not. */
const q = (sys: Sys, s: string) => (sys.toolset === 'gnu' ? `'${s}'` : s);

function* copyStdin(): Gen<void> {
  for (;;) {
    const c = yield* readChunk();
    if (c === undefined) return;
    yield* out(c);
  }
}

const cat: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  const files = o.args.length ? o.args : ['-'];
  let status = 0;
  let lineNo = 0;
  const number = (data: Buffer) => data.toString().replace(/^(?=.)/gm, () => `${String(++lineNo).padStart(6)}\t`);
  for (const f of files) {
    if (f === '-') {
      yield* copyStdin();
      continue;
    }
    try {
      const node = sys.fs.stat(abs(sys, f), sys.user);
      if (node.type === 'dir') throw new FsError('EISDIR', f);
      const data = sys.fs.readFile(abs(sys, f), sys.user);
      yield* out(o.flags.has('n') ? number(data) : data);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      status = 1;
      if (sys.toolset === 'gnu') yield* err(`cat: ${f}: ${e.message}\n`);
      else if (e.code === 'EISDIR') yield* err('cat: read error: Is a directory\n');
      else yield* err(`cat: can't open '${f}': ${e.message}\n`);
    }
  }
  return status;
};

interface Entry {
  name: string;
  path: string;
  node: FsNode;
}

function lsTime(ms: number, now: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2);
  const recent = now - ms < 182 * 86_400_000 && ms - now < 3_600_000;
  return `${MONTHS[d.getUTCMonth()]} ${day} ${recent ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` : ` ${d.getUTCFullYear()}`}`;
}

function links(node: FsNode): number {
  if (node.type !== 'dir') return 1;
  let n = 2;
  for (const c of node.entries.values()) if (c.type === 'dir') n++;
  return n;
}

const ls: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  const f = o.flags;
  const all = f.has('a');
  const almost = f.has('A');
  const long = f.has('l') || f.has('n') || f.has('g') || f.has('o');
  const one = f.has('1') || !sys.ctx.tty;
  const users = userNames(sys);
  const groups = groupNames(sys);
  const now = sys.now();
  const gnu = sys.toolset === 'gnu';
  let status = 0;

  const lstat = (p: string) => sys.fs.lstat(p, sys.user);
  const target = (e: Entry): FsNode => {
    try {
      return sys.fs.stat(e.path, sys.user);
    } catch {
      return e.node;
    }
  };
  const sortEntries = (list: Entry[]) => {
    const sorted = [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (f.has('t')) sorted.sort((a, b) => b.node.mtime - a.node.mtime);
    if (f.has('S')) sorted.sort((a, b) => sizeOf(b.node) - sizeOf(a.node));
    return f.has('r') ? sorted.reverse() : sorted;
  };
  const suffix = (e: Entry) => {
    if (!f.has('F') && !f.has('p')) return '';
    const n = e.node;
    if (n.type === 'dir') return '/';
    if (!f.has('F')) return '';
    if (n.type === 'symlink') return '@';
    return n.mode & 0o111 ? '*' : '';
  };
  const longLines = (list: Entry[]): string[] => {
    const rows = list.map((e) => {
      const n = e.node;
      const owner = f.has('n') ? String(n.uid) : (users.get(n.uid) ?? String(n.uid));
      const group = f.has('n') ? String(n.gid) : (groups.get(n.gid) ?? String(n.gid));
      const size = n.type === 'dev' ? '1,   3' : String(sizeOf(n));
      const name = e.name + suffix(e) + (n.type === 'symlink' ? ` -> ${n.target}` : '');
      return { mode: modeString(n.type, n.mode), links: String(links(n)), owner, group, size, time: lsTime(n.mtime, now), name };
    });
    if (!gnu) return rows.map((r) => `${r.mode} ${r.links.padStart(4)} ${r.owner.padEnd(8)} ${r.group.padEnd(8)} ${r.size.padStart(9)} ${r.time} ${r.name}`);
    const w = (k: 'links' | 'owner' | 'group' | 'size') => Math.max(...rows.map((r) => r[k].length));
    const [wl, wo, wg, ws] = [w('links'), w('owner'), w('group'), w('size')];
    return rows.map((r) => `${r.mode} ${r.links.padStart(wl)} ${f.has('g') ? '' : `${r.owner.padEnd(wo)} `}${f.has('o') ? '' : `${r.group.padEnd(wg)} `}${r.size.padStart(ws)} ${r.time} ${r.name}`);
  };
  const columns = (names: string[]): string => {
    if (one || !names.length) return names.map((n) => `${n}\n`).join('');
    const width = 80;
    const w = Math.max(...names.map((n) => n.length)) + 2;
    const cols = Math.max(1, Math.floor((width + 2) / w));
    const rowsN = Math.ceil(names.length / cols);
    let s = '';
    for (let r = 0; r < rowsN; r++) {
      const cells: string[] = [];
      for (let c = 0; c < cols; c++) {
        const n = names[c * rowsN + r];
        if (n !== undefined) cells.push(n);
      }
      s += `${cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(w) : c)).join('')}\n`;
    }
    return s;
  };
  const render = (list: Entry[]): string => {
    if (long) return longLines(list).map((l) => `${l}\n`).join('');
    return columns(list.map((e) => e.name + suffix(e)));
  };
  const total = (list: Entry[]) => list.reduce((s, e) => s + (e.node.type === 'file' ? Math.ceil(sizeOf(e.node) / 4096) * 4 : e.node.type === 'dir' ? 4 : 0), 0);
  const dirEntries = (path: string): Entry[] => {
    const names = sys.fs.readdir(path, sys.user);
    const list: Entry[] = [];
    if (all) {
      list.push({ name: '.', path, node: sys.fs.stat(path, sys.user) });
      list.push({ name: '..', path: joinPath(path, '..'), node: sys.fs.stat(joinPath(path, '..'), sys.user) });
    }
    for (const name of names) {
      if (name.startsWith('.') && !all && !almost) continue;
      const p = joinPath(path, name);
      list.push({ name, path: p, node: lstat(p) });
    }
    return sortEntries(list).sort((a, b) => (all ? Number(b.name === '.' || b.name === '..') - Number(a.name === '.' || a.name === '..') : 0));
  };

  const operands = o.args.length ? o.args : ['.'];
  const files: Entry[] = [];
  const dirs: Entry[] = [];
  for (const a of operands) {
    const p = abs(sys, a);
    try {
      const node = lstat(p);
      const e: Entry = { name: a, path: p, node };
      const followed = node.type === 'symlink' && !long ? target(e) : node.type === 'symlink' && a.endsWith('/') ? target(e) : node;
      if (followed.type === 'dir' && !f.has('d')) dirs.push({ ...e, node: followed });
      else files.push(e);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      yield* err(gnu ? `ls: cannot access '${a}': ${e.message}\n` : `ls: ${a}: ${e.message}\n`);
      status = gnu ? 2 : 1;
    }
  }
  let text = render(sortEntries(files));
  const showHeaders = operands.length > 1 || f.has('R');
  const walk = function* (d: Entry, first: boolean): Gen<void> {
    let list: Entry[];
    try {
      list = dirEntries(d.path);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      yield* err(gnu ? `ls: cannot open directory '${d.name}': ${e.message}\n` : `ls: can't open '${d.name}': ${e.message}\n`);
      status = gnu ? 2 : 1;
      return;
    }
    if (showHeaders) text += `${first && !files.length ? '' : '\n'}${d.name}:\n`;
    if (long) text += `total ${total(list)}\n`;
    text += render(list);
    if (f.has('R')) {
      for (const c of list) if (c.node.type === 'dir' && c.name !== '.' && c.name !== '..') yield* walk({ ...c, name: d.name === '/' ? `/${c.name}` : `${d.name}/${c.name}` }, false);
    }
  };
  let first = true;
  for (const d of sortEntries(dirs)) {
    yield* walk(d, first);
    first = false;
  }
  yield* out(text);
  return status;
};

const mkdir: Program = function* (argv, sys) {
  const o = parseOpts(argv, 'm');
  const mode = o.values.has('m') ? parseInt(o.values.get('m')!, 8) : undefined;
  let status = 0;
  if (!o.args.length) return yield* fail(sys, 'missing operand');
  for (const a of o.args) {
    try {
      sys.fs.mkdir(abs(sys, a), sys.user, { parents: o.flags.has('p'), mode });
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      status = 1;
      yield* err(sys.toolset === 'gnu' ? `mkdir: cannot create directory '${a}': ${e.message}\n` : `mkdir: can't create directory '${a}': ${e.message}\n`);
    }
  }
  return status;
};

const touch: Program = function* (argv, sys) {
  const o = parseOpts(argv, 'dtr');
  let status = 0;
  if (!o.args.length) return yield* fail(sys, 'missing file operand');
  for (const a of o.args) {
    try {
      const p = abs(sys, a);
      if (o.flags.has('c') && !sys.fs.exists(p, sys.user)) continue;
      sys.fs.touch(p, sys.user);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      status = 1;
      yield* err(sys.toolset === 'gnu' ? `touch: cannot touch '${a}': ${e.message}\n` : `touch: ${a}: ${e.message}\n`);
    }
  }
  return status;
};

const rm: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  const force = o.flags.has('f');
  const recursive = o.flags.has('r') || o.flags.has('R');
  let status = 0;
  if (!o.args.length && !force) return yield* fail(sys, 'missing operand');
  for (const a of o.args) {
    const p = abs(sys, a);
    try {
      const node = sys.fs.lstat(p, sys.user);
      if (node.type === 'dir' && !recursive) {
        status = 1;
        yield* err(sys.toolset === 'gnu' ? `rm: cannot remove '${a}': Is a directory\n` : `rm: '${a}' is a directory\n`);
        continue;
      }
      sys.fs.remove(p, sys.user, { recursive });
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      if (force && e.code === 'ENOENT') continue;
      status = 1;
      yield* err(sys.toolset === 'gnu' ? `rm: cannot remove '${a}': ${e.message}\n` : `rm: can't remove '${a}': ${e.message}\n`);
    }
  }
  return status;
};

const rmdir: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  let status = 0;
  for (const a of o.args) {
    try {
      const node = sys.fs.lstat(abs(sys, a), sys.user);
      if (node.type !== 'dir') throw new FsError('ENOTDIR', a);
      sys.fs.remove(abs(sys, a), sys.user);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      status = 1;
      yield* err(sys.toolset === 'gnu' ? `rmdir: failed to remove '${a}': ${e.message}\n` : `rmdir: '${a}': ${e.message}\n`);
    }
  }
  return status;
};

function clone(node: FsNode): FsNode {
  if (node.type === 'dir') return { ...node, entries: new Map([...node.entries].map(([k, v]) => [k, clone(v)])) };
  if (node.type === 'file') return { ...node, data: bytesOf(node) };
  return { ...node };
}

const cp: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  const recursive = o.flags.has('r') || o.flags.has('R') || o.flags.has('a');
  if (o.args.length < 2) return yield* fail(sys, o.args.length ? `missing destination file operand after ${q(sys, o.args[0])}` : 'missing file operand');
  const dest = o.args[o.args.length - 1];
  const sources = o.args.slice(0, -1);
  let status = 0;
  let destIsDir = false;
  try {
    destIsDir = sys.fs.stat(abs(sys, dest), sys.user).type === 'dir';
  } catch {
    destIsDir = false;
  }
  if (sources.length > 1 && !destIsDir) return yield* fail(sys, sys.toolset === 'gnu' ? `target '${dest}' is not a directory` : `'${dest}' is not a directory`);
  for (const s of sources) {
    const to = destIsDir ? joinPath(abs(sys, dest), baseName(s)) : abs(sys, dest);
    try {
      const node = sys.fs.stat(abs(sys, s), sys.user);
      if (node.type === 'dir' && !recursive) {
        status = 1;
        yield* err(sys.toolset === 'gnu' ? `cp: -r not specified; omitting directory '${s}'\n` : `cp: omitting directory '${s}'\n`);
        continue;
      }
      if (node.type === 'file') sys.fs.readFile(abs(sys, s), sys.user);
      if (node.type === 'file' && sys.fs.exists(to, sys.user) && sys.fs.stat(to, sys.user).type === 'file') sys.fs.writeFile(to, bytesOf(node), sys.user);
      else sys.fs.place(to, clone(node), sys.user, { keepOwner: o.flags.has('a') || o.flags.has('p') });
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      status = 1;
      yield* err(sys.toolset === 'gnu' ? `cp: cannot stat '${s}': ${e.message}\n` : `cp: can't stat '${s}': ${e.message}\n`);
    }
  }
  return status;
};

const mv: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  if (o.args.length < 2) return yield* fail(sys, 'missing file operand');
  const dest = o.args[o.args.length - 1];
  let status = 0;
  for (const s of o.args.slice(0, -1)) {
    try {
      try {
        sys.fs.rename(abs(sys, s), abs(sys, dest), sys.user);
      } catch (e) {
        if (!(e instanceof FsError) || e.code !== 'EXDEV') throw e;
        let to = abs(sys, dest);
        if (sys.fs.exists(to) && sys.fs.stat(to).type === 'dir') to = joinPath(to, baseName(s));
        sys.fs.place(to, clone(sys.fs.lstat(abs(sys, s), sys.user)), sys.user);
        sys.fs.remove(abs(sys, s), sys.user, { recursive: true });
      }
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      status = 1;
      yield* err(sys.toolset === 'gnu' ? `mv: cannot move '${s}' to '${dest}': ${e.message}\n` : `mv: can't rename '${s}': ${e.message}\n`);
    }
  }
  return status;
};

const ln: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  if (o.args.length < 2) return yield* fail(sys, 'missing file operand');
  const [target, name] = o.args;
  try {
    let p = abs(sys, name);
    if (sys.fs.exists(p) && sys.fs.stat(p).type === 'dir') p = joinPath(p, baseName(target));
    if (o.flags.has('f') && sys.fs.exists(p)) sys.fs.remove(p, sys.user);
    if (o.flags.has('s')) sys.fs.symlink(target, p, sys.user);
    else sys.fs.place(p, sys.fs.stat(abs(sys, target), sys.user), sys.user, { keepOwner: true });
  } catch (e) {
    if (!(e instanceof FsError)) throw e;
    return yield* fail(sys, `${sys.toolset === 'gnu' ? `failed to create ${o.flags.has('s') ? 'symbolic ' : 'hard '}link '${name}'` : name}: ${e.message}`);
  }
  return 0;
};

function applyMode(spec: string, mode: number): number | undefined {
  if (/^[0-7]+$/.test(spec)) return parseInt(spec, 8);
  let m = mode;
  for (const clause of spec.split(',')) {
    const c = /^([ugoa]*)([+=-])([rwxXst]*)$/.exec(clause);
    if (!c) return undefined;
    const who = c[1] || 'a';
    let bits = 0;
    for (const p of c[3]) {
      const v = p === 'r' ? 4 : p === 'w' ? 2 : p === 'x' || p === 'X' ? 1 : 0;
      if (who.includes('u') || who.includes('a')) bits |= v << 6;
      if (who.includes('g') || who.includes('a')) bits |= v << 3;
      if (who.includes('o') || who.includes('a')) bits |= v;
      if (p === 's') bits |= (who.includes('u') || who.includes('a') ? 0o4000 : 0) | (who.includes('g') || who.includes('a') ? 0o2000 : 0);
      if (p === 't') bits |= 0o1000;
    }
    if (c[2] === '+') m |= bits;
    else if (c[2] === '-') m &= ~bits;
    else {
      const mask = (who.includes('u') || who.includes('a') ? 0o4700 : 0) | (who.includes('g') || who.includes('a') ? 0o2070 : 0) | (who.includes('o') || who.includes('a') ? 0o1007 : 0);
      m = (m & ~mask) | bits;
    }
  }
  return m;
}

const chmod: Program = function* (argv, sys) {
  const args = argv.slice(1).filter((a) => a !== '-R');
  if (args.length < 2) return yield* fail(sys, 'missing operand');
  const [spec, ...paths] = args;
  let status = 0;
  for (const p of paths) {
    try {
      const node = sys.fs.stat(abs(sys, p), sys.user);
      const m = applyMode(spec, node.mode);
      if (m === undefined) return yield* fail(sys, `invalid mode '${spec}'`);
      sys.fs.chmod(abs(sys, p), m, sys.user);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      status = 1;
      yield* err(sys.toolset === 'gnu' ? `chmod: changing permissions of '${p}': ${e.message}\n` : `chmod: ${p}: ${e.message}\n`);
    }
  }
  return status;
};

const chown: Program = function* (argv, sys) {
  const args = argv.slice(1).filter((a) => a !== '-R');
  if (args.length < 2) return yield* fail(sys, 'missing operand');
  const [spec, ...paths] = args;
  const [u, g] = spec.split(/[:.]/);
  const byName = (names: Map<number, string>, v: string | undefined) => {
    if (v === undefined || v === '') return undefined;
    if (/^\d+$/.test(v)) return Number(v);
    for (const [id, n] of names) if (n === v) return id;
    return NaN;
  };
  const uid = byName(userNames(sys), u);
  const gid = byName(groupNames(sys), g);
  if (Number.isNaN(uid)) return yield* fail(sys, `unknown user ${u}`);
  if (Number.isNaN(gid)) return yield* fail(sys, `unknown group ${g}`);
  let status = 0;
  for (const p of paths) {
    try {
      const node = sys.fs.stat(abs(sys, p), sys.user);
      sys.fs.chown(abs(sys, p), uid ?? node.uid, gid ?? node.gid, sys.user);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      status = 1;
      yield* err(sys.toolset === 'gnu' ? `chown: changing ownership of '${p}': ${e.message}\n` : `chown: ${p}: ${e.message}\n`);
    }
  }
  return status;
};

const find: Program = function* (argv, sys) {
  const args = argv.slice(1);
  const roots: string[] = [];
  let i = 0;
  for (; i < args.length && !args[i].startsWith('-'); i++) roots.push(args[i]);
  let name: string | undefined;
  let type: string | undefined;
  let maxDepth = Infinity;
  for (; i < args.length; i++) {
    if (args[i] === '-name') name = args[++i];
    else if (args[i] === '-type') type = args[++i];
    else if (args[i] === '-maxdepth') maxDepth = Number(args[++i]);
  }
  let text = '';
  let status = 0;
  const visit = (p: string, shown: string, depth: number) => {
    let node: FsNode;
    try {
      node = sys.fs.lstat(p, sys.user);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      status = 1;
      text += '';
      return;
    }
    const t = node.type === 'dir' ? 'd' : node.type === 'symlink' ? 'l' : node.type === 'dev' ? 'c' : 'f';
    if ((!name || globMatch(name, baseName(shown) || shown)) && (!type || type === t)) text += `${shown}\n`;
    if (node.type === 'dir' && depth < maxDepth) {
      let names: string[] = [];
      try {
        names = sys.fs.readdir(p, sys.user);
      } catch {
        status = 1;
      }
      for (const n of names) visit(joinPath(p, n), shown.endsWith('/') ? `${shown}${n}` : `${shown}/${n}`, depth + 1);
    }
  };
  for (const r of roots.length ? roots : ['.']) visit(abs(sys, r), r, 0);
  yield* out(text);
  return status;
};

export const filePrograms: Record<string, Program> = { cat, ls, mkdir, touch, rm, rmdir, cp, mv, ln, chmod, chown, find };

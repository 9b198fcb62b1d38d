// tar, as `kubectl cp` drives it: `tar cf - PATH` to copy out of a container and
// `tar -xmf - -C DIR` (with --no-same-permissions --no-same-owner for --no-preserve) to copy in.
// The archives are real ustar bytes, so a real tar on the learner's machine reads them.
import { gunzipSync, gzipSync } from 'node:zlib';
import { bytesOf, FsError, type FsNode } from '../fs.js';
import { err, out, readAll } from '../io.js';
import { joinPath, normalizePath } from '../path.js';
import type { Program, Sys } from './types.js';
import { abs, fail, groupNames, modeString, userNames } from './util.js';

export interface TarEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'hardlink';
  mode: number;
  uid: number;
  gid: number;
  uname?: string;
  gname?: string;
  mtime: number;
  data: Buffer;
  linkname: string;
}

const BLOCK = 512;
const RECORD = 10240;

function octal(n: number, width: number): string {
  return `${Math.max(0, Math.floor(n)).toString(8).padStart(width - 1, '0')}\0`;
}

function header(e: { name: string; type: string; mode: number; uid: number; gid: number; size: number; mtime: number; linkname: string; uname: string; gname: string }): Buffer {
  const h = Buffer.alloc(BLOCK);
  let name = e.name;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut > 0 && Buffer.byteLength(name.slice(cut + 1)) <= 100) {
      prefix = name.slice(0, cut);
      name = name.slice(cut + 1);
    }
  }
  h.write(name, 0, 100, 'utf8');
  h.write(octal(e.mode & 0o7777, 8), 100, 'ascii');
  h.write(octal(e.uid, 8), 108, 'ascii');
  h.write(octal(e.gid, 8), 116, 'ascii');
  h.write(octal(e.size, 12), 124, 'ascii');
  h.write(octal(Math.floor(e.mtime / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(e.type, 156, 'ascii');
  h.write(e.linkname, 157, 100, 'utf8');
  h.write('ustar\u000000', 257, 'ascii');
  h.write(e.uname, 265, 32, 'utf8');
  h.write(e.gname, 297, 32, 'utf8');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

function pad(data: Buffer): Buffer[] {
  const rest = data.length % BLOCK;
  return rest ? [data, Buffer.alloc(BLOCK - rest)] : [data];
}

/** Writes entries as a ustar archive (long names get a PAX header, as Go's archive/tar does). */
export function writeTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const type = { file: '0', dir: '5', symlink: '2', hardlink: '1' }[e.type];
    const name = e.type === 'dir' && !e.name.endsWith('/') ? `${e.name}/` : e.name;
    if (Buffer.byteLength(name) > 100 && !(name.lastIndexOf('/', 155) > 0 && Buffer.byteLength(name.slice(name.lastIndexOf('/', 155) + 1)) <= 100)) {
      const record = paxRecord('path', name);
      parts.push(header({ name: `PaxHeaders/${name.slice(-80)}`, type: 'x', mode: 0o644, uid: 0, gid: 0, size: record.length, mtime: e.mtime, linkname: '', uname: '', gname: '' }), ...pad(record));
    }
    const size = e.type === 'file' ? e.data.length : 0;
    parts.push(header({ name, type, mode: e.mode, uid: e.uid, gid: e.gid, size, mtime: e.mtime, linkname: e.linkname, uname: e.uname ?? '', gname: e.gname ?? '' }));
    if (size) parts.push(...pad(e.data));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  const total = parts.reduce((s, p) => s + p.length, 0);
  if (total % RECORD) parts.push(Buffer.alloc(RECORD - (total % RECORD)));
  return Buffer.concat(parts);
}

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return Buffer.from(`${len}${body}`);
}

function str(b: Buffer, start: number, len: number): string {
  const s = b.subarray(start, start + len);
  const nul = s.indexOf(0);
  return (nul >= 0 ? s.subarray(0, nul) : s).toString('utf8');
}

function num(b: Buffer, start: number, len: number): number {
  if (b[start] & 0x80) {
    // base-256 (GNU) for large values
    let n = 0;
    for (let i = start + 1; i < start + len; i++) n = n * 256 + b[i];
    return n;
  }
  const s = str(b, start, len).trim();
  return s ? parseInt(s, 8) : 0;
}

/** Reads a tar archive: ustar, GNU long names and PAX path records. */
export function readTar(data: Buffer): { entries: TarEntry[]; error?: string } {
  const entries: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> = {};
  while (off + BLOCK <= data.length) {
    const h = data.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    if (sum !== num(h, 148, 8)) return { entries, error: entries.length ? 'Skipping to next header' : 'This does not look like a tar archive' };
    const size = num(h, 124, 12);
    const type = String.fromCharCode(h[156] || 48);
    const body = data.subarray(off + BLOCK, off + BLOCK + size);
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = str(body, 0, body.length);
      continue;
    }
    if (type === 'K') {
      longLink = str(body, 0, body.length);
      continue;
    }
    if (type === 'x' || type === 'g') {
      const text = body.toString('utf8');
      let i = 0;
      while (i < text.length) {
        const sp = text.indexOf(' ', i);
        const len = Number(text.slice(i, sp));
        if (!len) break;
        const rec = text.slice(sp + 1, i + len - 1);
        const eq = rec.indexOf('=');
        if (type === 'x') pax[rec.slice(0, eq)] = rec.slice(eq + 1);
        i += len;
      }
      continue;
    }
    const magic = str(h, 257, 6);
    const prefix = magic.startsWith('ustar') && h[345] ? str(h, 345, 155) : '';
    let name = pax.path ?? longName ?? (prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100));
    const linkname = pax.linkpath ?? longLink ?? str(h, 157, 100);
    const kind = type === '5' ? 'dir' : type === '2' ? 'symlink' : type === '1' ? 'hardlink' : 'file';
    if (kind === 'dir') name = name.replace(/\/+$/, '');
    entries.push({
      name,
      type: kind,
      mode: num(h, 100, 8),
      uid: pax.uid ? Number(pax.uid) : num(h, 108, 8),
      gid: pax.gid ? Number(pax.gid) : num(h, 116, 8),
      uname: str(h, 265, 32),
      gname: str(h, 297, 32),
      mtime: (pax.mtime ? Number(pax.mtime) : num(h, 136, 12)) * 1000,
      data: kind === 'file' ? Buffer.from(body) : Buffer.alloc(0),
      linkname,
    });
    longName = longLink = undefined;
    pax = {};
  }
  return { entries };
}

interface Options {
  mode?: 'c' | 'x' | 't';
  file?: string;
  dir?: string;
  verbose: boolean;
  gzip: boolean;
  keepMtime: boolean;
  sameOwner?: boolean;
  samePermissions?: boolean;
  toStdout: boolean;
  paths: string[];
}

function parseArgs(argv: string[]): Options | string {
  const o: Options = { verbose: false, gzip: false, keepMtime: true, toStdout: false, paths: [] };
  const args = argv.slice(1);
  // The first word may be old-style bundled flags without a dash: `tar cf - x`.
  if (args[0] && !args[0].startsWith('-') && /^[cxtvfzmopCO]+$/.test(args[0])) args[0] = `-${args[0]}`;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      if (a === '--no-same-permissions') o.samePermissions = false;
      else if (a === '--no-same-owner') o.sameOwner = false;
      else if (a === '--same-owner') o.sameOwner = true;
      else if (a === '--same-permissions' || a === '--preserve-permissions') o.samePermissions = true;
      else if (a === '--touch') o.keepMtime = false;
      else if (a === '--extract' || a === '--get') o.mode = 'x';
      else if (a === '--create') o.mode = 'c';
      else if (a === '--list') o.mode = 't';
      else if (a === '--gzip') o.gzip = true;
      else if (a === '--verbose') o.verbose = true;
      else if (a.startsWith('--file=')) o.file = a.slice(7);
      else if (a.startsWith('--directory=')) o.dir = a.slice(12);
      else if (a === '--directory') o.dir = args[++i];
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      o.paths.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 'c' || f === 'x' || f === 't') o.mode = f;
      else if (f === 'v') o.verbose = true;
      else if (f === 'z') o.gzip = true;
      else if (f === 'm') o.keepMtime = false;
      else if (f === 'o') o.sameOwner = false;
      else if (f === 'p') o.samePermissions = true;
      else if (f === 'O') o.toStdout = true;
      else if (f === 'f' || f === 'C') {
        const v = a.slice(j + 1) || args[++i];
        if (f === 'f') o.file = v;
        else o.dir = v;
        break;
      } else return `invalid option -- '${f}'`;
    }
  }
  return o;
}

function collect(sys: Sys, base: string, name: string, entries: TarEntry[], users: Map<number, string>, groups: Map<number, string>): void {
  const node: FsNode = sys.fs.lstat(joinPath(base, name), sys.user);
  const common = { mode: node.mode, uid: node.uid, gid: node.gid, uname: users.get(node.uid) ?? '', gname: groups.get(node.gid) ?? '', mtime: node.mtime, linkname: '' };
  const entryName = name.replace(/^\/+/, '');
  if (node.type === 'dir') {
    entries.push({ ...common, name: entryName, type: 'dir', data: Buffer.alloc(0) });
    for (const child of sys.fs.readdir(joinPath(base, name), sys.user)) collect(sys, base, name.endsWith('/') ? `${name}${child}` : `${name}/${child}`, entries, users, groups);
  } else if (node.type === 'symlink') entries.push({ ...common, name: entryName, type: 'symlink', data: Buffer.alloc(0), linkname: node.target });
  else if (node.type === 'file') {
    sys.fs.readFile(joinPath(base, name), sys.user);
    entries.push({ ...common, name: entryName, type: 'file', data: bytesOf(node) });
  }
}

export const tarProgram: Program = function* (argv, sys) {
  const gnu = sys.toolset === 'gnu';
  const o = parseArgs(argv);
  if (typeof o === 'string') return yield* fail(sys, o, gnu ? 2 : 1);
  if (!o.mode) return yield* fail(sys, gnu ? "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\nTry 'tar --help' or 'tar --usage' for more information." : 'need at least one of -c, -x or -t', gnu ? 2 : 1);
  const base = o.dir ? abs(sys, o.dir) : sys.cwd;
  const failure = gnu ? 2 : 1;
  if (o.mode === 'c') {
    if (!o.paths.length) return yield* fail(sys, gnu ? 'Cowardly refusing to create an empty archive' : 'empty archive', failure);
    const entries: TarEntry[] = [];
    const users = userNames(sys);
    const groups = groupNames(sys);
    let status = 0;
    let warned = false;
    for (const p of o.paths) {
      if (p.startsWith('/') && !warned) {
        warned = true;
        yield* err(gnu ? "tar: Removing leading `/' from member names\n" : "tar: removing leading '/' from member names\n");
      }
      try {
        collect(sys, base, p.startsWith('/') ? normalizePath(p) : p, entries, users, groups);
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        yield* err(gnu ? `tar: ${p}: Cannot stat: ${e.message}\n` : `tar: ${p}: ${e.message}\n`);
        status = failure;
      }
    }
    if (o.verbose) yield* err(entries.map((e) => `${e.name}${e.type === 'dir' ? '/' : ''}\n`).join(''));
    if (gnu && status) yield* err('tar: Exiting with failure status due to previous errors\n');
    let archive = writeTar(entries);
    if (o.gzip) archive = gzipSync(archive);
    if (!o.file || o.file === '-') yield* out(archive);
    else {
      try {
        sys.fs.writeFile(abs(sys, o.file), archive, sys.user);
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        return yield* fail(sys, gnu ? `${o.file}: Cannot open: ${e.message}` : `can't open '${o.file}': ${e.message}`, failure);
      }
    }
    return status;
  }

  let data: Buffer;
  if (!o.file || o.file === '-') data = yield* readAll();
  else {
    try {
      data = sys.fs.readFile(abs(sys, o.file), sys.user);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      return yield* fail(sys, gnu ? `${o.file}: Cannot open: ${e.message}` : `can't open '${o.file}': ${e.message}`, failure);
    }
  }
  if (o.gzip || (data[0] === 0x1f && data[1] === 0x8b)) {
    try {
      data = gunzipSync(data);
    } catch {
      return yield* fail(sys, gnu ? 'Child returned status 1\ntar: Error is not recoverable: exiting now' : 'invalid gzip magic', failure);
    }
  }
  if (!data.length) {
    if (gnu) return yield* fail(sys, 'This does not look like a tar archive\ntar: Exiting with failure status due to previous errors', 2);
    return 0;
  }
  const parsed = readTar(data);
  if (parsed.error && !parsed.entries.length) return yield* fail(sys, gnu ? `${parsed.error}\ntar: Exiting with failure status due to previous errors` : 'invalid tar magic', failure);
  if (o.mode === 't') {
    const text = parsed.entries.map((e) => {
      const name = `${e.name}${e.type === 'dir' ? '/' : ''}`;
      if (!o.verbose) return `${name}\n`;
      const d = new Date(e.mtime);
      const when = `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`;
      return `${modeString(e.type === 'hardlink' ? 'file' : e.type, e.mode)} ${e.uname || e.uid}/${e.gname || e.gid} ${String(e.data.length).padStart(gnu ? 9 : 9)} ${when} ${name}${e.type === 'symlink' ? ` -> ${e.linkname}` : ''}\n`;
    });
    yield* out(text.join(''));
    return 0;
  }
  const root = sys.user.uid === 0;
  const sameOwner = o.sameOwner ?? root;
  const samePerms = o.samePermissions ?? root;
  let status = 0;
  let warned = false;
  for (const e of parsed.entries) {
    let name = e.name;
    if (name.startsWith('/')) {
      name = name.replace(/^\/+/, '');
      if (!warned) {
        warned = true;
        yield* err(gnu ? "tar: Removing leading `/' from member names\n" : "tar: removing leading '/' from member names\n");
      }
    }
    if (name.split('/').includes('..')) {
      yield* err(gnu ? `tar: ${name}: Member name contains '..'\n` : `tar: skipping '${name}'\n`);
      status = failure;
      continue;
    }
    if (!name) continue;
    if (o.verbose) yield* out(`${name}${e.type === 'dir' ? '/' : ''}\n`);
    if (o.toStdout) {
      if (e.type === 'file') yield* out(e.data);
      continue;
    }
    const path = joinPath(base === '/' ? '' : base, name).replace(/^(?!\/)/, '/');
    try {
      const parent = path.slice(0, path.lastIndexOf('/')) || '/';
      if (!sys.fs.exists(parent, sys.user)) sys.fs.mkdir(parent, sys.user, { parents: true });
      const mode = samePerms ? e.mode : e.mode & ~0o022;
      if (e.type === 'dir') {
        if (!sys.fs.exists(path, sys.user)) sys.fs.mkdir(path, sys.user, { mode: mode & 0o7777 });
      } else if (e.type === 'symlink') {
        if (sys.fs.exists(path, sys.user) || isLink(sys, path)) sys.fs.remove(path, sys.user);
        sys.fs.symlink(e.linkname, path, sys.user);
      } else {
        if (e.type === 'hardlink') {
          const target = joinPath(base === '/' ? '' : base, e.linkname.replace(/^\/+/, ''));
          sys.fs.writeFile(path, sys.fs.readFile(target.startsWith('/') ? target : `/${target}`, sys.user), sys.user, { mode });
        } else sys.fs.writeFile(path, e.data, sys.user, { mode });
        try {
          sys.fs.chmod(path, mode, sys.user);
        } catch {
          // not the owner of an existing file: the data was written, the mode stays
        }
      }
      const node = sys.fs.lstat(path, sys.user);
      if (sameOwner && root) {
        node.uid = e.uid;
        node.gid = e.gid;
      }
      if (o.keepMtime) node.mtime = e.mtime;
    } catch (err2) {
      if (!(err2 instanceof FsError)) throw err2;
      status = failure;
      yield* err(gnu ? `tar: ${name}: Cannot open: ${err2.message}\n` : `tar: can't open '${name}': ${err2.message}\n`);
    }
  }
  if (gnu && status) yield* err('tar: Exiting with failure status due to previous errors\n');
  return status;
};

function isLink(sys: Sys, path: string): boolean {
  try {
    return sys.fs.lstat(path, sys.user).type === 'symlink';
  } catch {
    return false;
  }
}

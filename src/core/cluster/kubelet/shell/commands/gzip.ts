// gzip, gunzip and zcat: real gzip members made with zlib, so an archive copied out with
// `kubectl cp` opens with the host's gzip. A file is replaced by its .gz (or back) keeping its mode
// and time, unless -k or -c; busybox and coreutils word their refusals differently.
import { gunzipSync, gzipSync } from 'node:zlib';
import { FsError } from '../fs.js';
import { err, out, readAll, type Gen } from '../io.js';
import { baseName } from '../path.js';
import type { Program, Sys } from './types.js';
import { abs } from './util.js';

interface Options {
  decompress: boolean;
  stdout: boolean;
  keep: boolean;
  force: boolean;
  test: boolean;
  verbose: boolean;
  level: number;
  suffix: string;
  files: string[];
}

/** A gzip member for `data`, its header carrying the time and (for a named file) the name, as gzip writes them. */
export function gzipBytes(data: Buffer, opts: { level?: number; mtimeMs?: number; name?: string } = {}): Buffer {
  const body = gzipSync(data, { level: opts.level ?? 6 });
  const header = Buffer.from(body.subarray(0, 10));
  header.writeUInt32LE(Math.floor((opts.mtimeMs ?? 0) / 1000), 4);
  // OS: Unix. XFL: 2 for the slowest level, 4 for the fastest.
  header[9] = 3;
  header[8] = opts.level === 9 ? 2 : opts.level === 1 ? 4 : 0;
  if (!opts.name) return Buffer.concat([header, body.subarray(10)]);
  header[3] |= 0x08;
  return Buffer.concat([header, Buffer.from(`${opts.name}\0`, 'latin1'), body.subarray(10)]);
}

/** Whether the bytes start like a gzip member. */
export function isGzip(data: Buffer): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

function parse(argv: string[], sys: Sys): Options | string {
  const name = sys.name;
  const o: Options = { decompress: name === 'gunzip' || name === 'zcat', stdout: name === 'zcat', keep: false, force: false, test: false, verbose: false, level: 6, suffix: '.gz', files: [] };
  const gnu = sys.toolset === 'gnu';
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      o.files.push(...argv.slice(i + 1));
      break;
    }
    if (gnu && a.startsWith('--')) {
      const long: Record<string, () => void> = {
        '--stdout': () => (o.stdout = true), '--to-stdout': () => (o.stdout = true), '--decompress': () => (o.decompress = true), '--uncompress': () => (o.decompress = true),
        '--keep': () => (o.keep = true), '--force': () => (o.force = true), '--test': () => (o.test = true), '--verbose': () => (o.verbose = true),
        '--fast': () => (o.level = 1), '--best': () => (o.level = 9), '--quiet': () => undefined, '--name': () => undefined, '--no-name': () => undefined,
      };
      if (a.startsWith('--suffix=')) o.suffix = a.slice(9).replace(/^(?!\.)/, '.');
      else if (Object.hasOwn(long, a)) long[a]();
      else return `unrecognized option '${a}'`;
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      o.files.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 'c') o.stdout = true;
      else if (f === 'd') o.decompress = true;
      else if (f === 'k') o.keep = true;
      else if (f === 'f') o.force = true;
      else if (f === 't') o.test = true;
      else if (f === 'v') o.verbose = true;
      else if (f === 'q' || f === 'n' || f === 'N') continue;
      else if (/[1-9]/.test(f)) o.level = Number(f);
      else if (f === 'S' && gnu) {
        const v = a.slice(j + 1) || argv[++i];
        if (!v) return "option requires an argument -- 'S'";
        o.suffix = v;
        break;
      } else return gnu ? `invalid option -- '${f}'` : `unrecognized option: ${f}`;
    }
  }
  return o;
}

function* usage(sys: Sys, message: string): Gen<number> {
  if (sys.toolset === 'gnu') {
    yield* err(`${sys.name}: ${message}\nTry \`${sys.name} --help' for more information.\n`);
    return 1;
  }
  yield* err(`${sys.name}: ${message}\nBusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: ${sys.name} [-cfk${sys.name === 'gzip' ? 'dt123456789' : 't'}] [FILE]...\n`);
  return 1;
}

function* notGzip(sys: Sys, file: string): Gen<number> {
  yield* err(sys.toolset === 'gnu' ? `gzip: ${file === '-' ? 'stdin' : file}: not in gzip format\n` : `${sys.name}: invalid magic\n`);
  return 1;
}

/** The output name of decompressing `file`, or undefined when its suffix is not one gzip knows. */
function stripSuffix(file: string, suffix: string): string | undefined {
  if (file.endsWith(suffix) && file.length > suffix.length) return file.slice(0, -suffix.length);
  if (file.endsWith('.tgz')) return `${file.slice(0, -4)}.tar`;
  if (suffix !== '.gz' && file.endsWith('.gz')) return file.slice(0, -3);
  return undefined;
}

function* one(sys: Sys, o: Options, file: string): Gen<number> {
  const gnu = sys.toolset === 'gnu';
  // Debian's gunzip and zcat are scripts that exec gzip, so gzip speaks for them.
  const me = gnu ? 'gzip' : sys.name;
  if (file === '-') {
    const data = yield* readAll();
    if (!o.decompress && !o.test) {
      if (sys.ctx.tty && !o.force) {
        yield* err(gnu ? `${me}: compressed data not written to a terminal. Use -f to force compression.\nFor help, type: ${me} -h\n` : `${me}: compressed data not written to a terminal. Use -f to force compression.\n`);
        return 1;
      }
      yield* out(gzipBytes(data, { level: o.level }));
      return 0;
    }
    if (!isGzip(data)) return yield* notGzip(sys, '-');
    let plain: Buffer;
    try {
      plain = gunzipSync(data);
    } catch {
      yield* err(gnu ? `${me}: stdin: unexpected end of file\n` : `${me}: corrupted data\n`);
      return 1;
    }
    if (!o.test) yield* out(plain);
    return 0;
  }
  const path = abs(sys, file);
  let data: Buffer;
  let node;
  try {
    node = sys.fs.stat(path, sys.user);
    if (node.type === 'dir') {
      yield* err(gnu ? `${me}: ${file} is a directory -- ignored\n` : `${me}: ${file}: Is a directory\n`);
      return gnu ? 2 : 1;
    }
    data = sys.fs.readFile(path, sys.user);
  } catch (e) {
    if (!(e instanceof FsError)) throw e;
    yield* err(gnu ? `${me}: ${file}: ${e.message}\n` : `${me}: can't open '${file}': ${e.message}\n`);
    return 1;
  }
  let target: string | undefined;
  let result: Buffer;
  if (o.decompress || o.test) {
    target = stripSuffix(file, o.suffix);
    if (target === undefined && !o.stdout && !o.test) {
      yield* err(gnu ? `${me}: ${file}: unknown suffix -- ignored\n` : `${me}: ${file}: unknown suffix - ignored\n`);
      return gnu ? 2 : 1;
    }
    if (!isGzip(data)) return yield* notGzip(sys, file);
    try {
      result = gunzipSync(data);
    } catch {
      yield* err(gnu ? `${me}: ${file}: unexpected end of file\n` : `${me}: corrupted data\n`);
      return 1;
    }
    if (o.test) return 0;
  } else {
    if (file.endsWith(o.suffix) && !o.stdout) {
      yield* err(gnu ? `${me}: ${file} already has ${o.suffix} suffix -- unchanged\n` : `${me}: ${file}: already has ${o.suffix} suffix\n`);
      return gnu ? 2 : 1;
    }
    target = `${file}${o.suffix}`;
    result = gzipBytes(data, { level: o.level, mtimeMs: node.mtime, ...(gnu ? { name: baseName(file) } : {}) });
  }
  if (o.stdout) {
    yield* out(result);
    return 0;
  }
  const to = abs(sys, target!);
  if (sys.fs.exists(to, sys.user) && !o.force) {
    yield* err(gnu ? `${me}: ${target} already exists;\tnot overwritten\n` : `${me}: can't open '${target}': File exists\n`);
    return gnu ? 2 : 1;
  }
  try {
    sys.fs.writeFile(to, result, sys.user, { mode: node.mode & 0o7777 });
    sys.fs.chmod(to, node.mode & 0o7777, sys.user);
    sys.fs.touch(to, sys.user, node.mtime);
    if (!o.keep) sys.fs.remove(path, sys.user);
  } catch (e) {
    if (!(e instanceof FsError)) throw e;
    yield* err(gnu ? `${me}: ${target}: ${e.message}\n` : `${me}: can't open '${target}': ${e.message}\n`);
    return 1;
  }
  if (o.verbose) {
    const saved = o.decompress ? 1 - data.length / Math.max(1, result.length) : 1 - result.length / Math.max(1, data.length);
    yield* err(`${file}:\t${(saved * 100).toFixed(1)}% -- ${o.keep ? 'created' : 'replaced with'} ${target}\n`);
  }
  return 0;
}

export const gzipProgram: Program = function* (argv, sys) {
  const o = parse(argv, sys);
  if (typeof o === 'string') return yield* usage(sys, o);
  let status = 0;
  for (const f of o.files.length ? o.files : ['-']) status = Math.max(status, yield* one(sys, o, f));
  return status;
};

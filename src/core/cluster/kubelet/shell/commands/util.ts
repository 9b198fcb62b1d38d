// Small helpers programs share: paths, user and group names, messages.
import { FsError } from '../fs.js';
import { err } from '../io.js';
import type { Gen } from '../io.js';
import { absPath } from '../path.js';
import type { Sys } from './types.js';

export function abs(sys: Sys, p: string): string {
  return absPath(sys.cwd, p);
}

export function* fail(sys: Sys, message: string, code = 1): Gen<number> {
  yield* err(`${sys.name}: ${message}\n`);
  return code;
}

export function errMessage(e: unknown): string {
  if (e instanceof FsError) return e.message;
  throw e;
}

/** uid → name, from the container's own /etc/passwd (a learner may have edited it). */
export function userNames(sys: Sys): Map<number, string> {
  return idNames(sys, '/etc/passwd');
}

export function groupNames(sys: Sys): Map<number, string> {
  return idNames(sys, '/etc/group');
}

function idNames(sys: Sys, file: string): Map<number, string> {
  const m = new Map<number, string>();
  try {
    for (const line of sys.fs.readFile(file).toString().split('\n')) {
      const f = line.split(':');
      if (f.length >= 3 && !m.has(Number(f[2]))) m.set(Number(f[2]), f[0]);
    }
  } catch {
    // No passwd (scratch images): ids show as numbers.
  }
  return m;
}

/** Splits short options (-la → l, a) from operands; `--` ends options. Options with values are listed. */
export function parseOpts(argv: string[], withValue = ''): { flags: Set<string>; values: Map<string, string>; args: string[]; long: string[] } {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const args: string[] = [];
  const long: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      long.push(a);
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j];
        if (withValue.includes(f)) {
          values.set(f, a.slice(j + 1) || argv[++i] || '');
          break;
        }
        flags.add(f);
      }
      continue;
    }
    args.push(a);
  }
  return { flags, values, args, long };
}

export function modeString(type: string, mode: number): string {
  const t = type === 'dir' ? 'd' : type === 'symlink' ? 'l' : type === 'dev' ? 'c' : '-';
  const bits = (m: number, special: boolean, ch: string) => `${m & 4 ? 'r' : '-'}${m & 2 ? 'w' : '-'}${special ? (m & 1 ? ch : ch.toUpperCase()) : m & 1 ? 'x' : '-'}`;
  return t + bits(mode >> 6, (mode & 0o4000) !== 0, 's') + bits(mode >> 3, (mode & 0o2000) !== 0, 's') + bits(mode, (mode & 0o1000) !== 0, 't');
}

export function humanSize(bytes: number, style: 'busybox' | 'gnu'): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return String(bytes);
  if (style === 'gnu') return v < 10 ? `${(Math.ceil(v * 10) / 10).toFixed(1)}${units[u]}` : `${Math.ceil(v)}${units[u]}`;
  return `${v < 10 ? v.toFixed(1) : Math.round(v)}${units[u]}`;
}

// test / [ ]: file tests against the container's filesystem as the running user, string and
// integer comparisons, ! -a -o and parentheses.
import { permits, type ContainerFs, type FsNode } from '../fs.js';
import { absPath } from '../path.js';
import type { User } from '../types.js';

export interface TestEnv {
  fs: ContainerFs;
  user: User;
  cwd: string;
}

const UNARY = new Set(['-e', '-f', '-d', '-r', '-w', '-x', '-s', '-z', '-n', '-L', '-h', '-p', '-S', '-b', '-c', '-t', '-g', '-u', '-k', '-O', '-G']);
const BINARY = new Set(['=', '==', '!=', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '<', '>', '-nt', '-ot', '-ef']);

export function testExpression(args: string[], env: TestEnv): { status: number; error?: string } {
  let i = 0;
  let error: string | undefined;
  const int = (s: string): number => {
    if (!/^\s*[-+]?\d+\s*$/.test(s)) {
      error ??= `${s}: integer expression expected`;
      return 0;
    }
    return Number(s);
  };
  const node = (p: string, follow = true): FsNode | undefined => {
    try {
      const path = absPath(env.cwd, p);
      return follow ? env.fs.stat(path, env.user) : env.fs.lstat(path, env.user);
    } catch {
      return undefined;
    }
  };
  const unary = (op: string, a: string): boolean => {
    switch (op) {
      case '-z': return a === '';
      case '-n': return a !== '';
      case '-t': return false;
      case '-L': case '-h': return node(a, false)?.type === 'symlink';
    }
    const n = node(a);
    if (!n) return false;
    switch (op) {
      case '-e': return true;
      case '-f': return n.type === 'file';
      case '-d': return n.type === 'dir';
      case '-c': return n.type === 'dev';
      case '-s': return n.type === 'file' ? (typeof n.data === 'function' ? n.data() : n.data).length > 0 : n.type === 'dir';
      case '-r': return permits(env.user, n, 4);
      case '-w': {
        if (!permits(env.user, n, 2)) return false;
        try {
          return !env.fs.mountOf(absPath(env.cwd, a)).readOnly;
        } catch {
          return true;
        }
      }
      case '-x': return permits(env.user, n, 1);
      case '-g': return (n.mode & 0o2000) !== 0;
      case '-u': return (n.mode & 0o4000) !== 0;
      case '-k': return (n.mode & 0o1000) !== 0;
      case '-O': return n.uid === env.user.uid;
      case '-G': return n.gid === env.user.gid;
      default: return false;
    }
  };
  const binary = (a: string, op: string, b: string): boolean => {
    switch (op) {
      case '=': case '==': return a === b;
      case '!=': return a !== b;
      case '<': return a < b;
      case '>': return a > b;
      case '-eq': return int(a) === int(b);
      case '-ne': return int(a) !== int(b);
      case '-lt': return int(a) < int(b);
      case '-le': return int(a) <= int(b);
      case '-gt': return int(a) > int(b);
      case '-ge': return int(a) >= int(b);
      case '-nt': return (node(a)?.mtime ?? -1) > (node(b)?.mtime ?? -1);
      case '-ot': return (node(a)?.mtime ?? Infinity) < (node(b)?.mtime ?? Infinity);
      default: return node(a) !== undefined && node(a) === node(b);
    }
  };
  const primary = (): boolean => {
    const a = args[i];
    if (a === undefined) {
      error ??= 'argument expected';
      return false;
    }
    if (a === '!') {
      i++;
      return !primary();
    }
    if (a === '(' ) {
      i++;
      const v = or();
      if (args[i] !== ')') error ??= "')' expected";
      i++;
      return v;
    }
    if (BINARY.has(args[i + 1] ?? '') && args[i + 2] !== undefined) {
      i += 3;
      return binary(a, args[i - 2], args[i - 1]);
    }
    if (UNARY.has(a) && args[i + 1] !== undefined) {
      i += 2;
      return unary(a, args[i - 1]);
    }
    i++;
    return a !== '';
  };
  const and = (): boolean => {
    let v = primary();
    while (args[i] === '-a' || args[i] === '&&') {
      i++;
      const r = primary();
      v = v && r;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (args[i] === '-o' || args[i] === '||') {
      i++;
      const r = and();
      v = v || r;
    }
    return v;
  };
  if (!args.length) return { status: 1 };
  // Two and three arguments follow POSIX's fixed rules rather than precedence.
  const v = or();
  if (i < args.length) error ??= `${args[i]}: unexpected operator`;
  if (error) return { status: 2, error };
  return { status: v ? 0 : 1 };
}

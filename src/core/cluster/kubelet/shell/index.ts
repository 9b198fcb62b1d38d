// The door to what runs inside a simulated container: `run(argv, ctx)` starts a process (a shell,
// or one of the image's programs) as a generator of steps, and `findProgram` tells the kubelet
// beforehand whether argv[0] exists, so a missing one fails the way the runtime fails it.
import type { ImageInfo } from '../images.js';
import { awkProgram } from './commands/awk.js';
import { coreutilsPrograms } from './commands/coreutils.js';
import { filePrograms } from './commands/files.js';
import { gzipProgram } from './commands/gzip.js';
import { pythonProgram } from './commands/listen.js';
import { netPrograms } from './commands/net.js';
import { netinfoPrograms } from './commands/netinfo.js';
import { stressProgram } from './commands/stress.js';
import { systemPrograms } from './commands/system.js';
import { tarProgram } from './commands/tar.js';
import { textPrograms } from './commands/text.js';
import { timeoutProgram } from './commands/timeout.js';
import type { Program, Sys, Toolset } from './commands/types.js';
import { binDir, passwdOf } from './distro-files.js';
import { permits } from './fs.js';
import { imageFiles } from './image-files.js';
import { err, out, sleep, withStdin, type Gen } from './io.js';
import { ExitSignal, Interrupt, Shell, type Flavour, type Runner } from './interp.js';
import { absPath, baseName, joinPath, normalizePath } from './path.js';
import { parse, SyntaxError } from './syntax.js';
import { onTerminal } from './tty.js';
import type { ProcessContext, ProcessGen } from './types.js';
import { toolsetOf } from '../images/distros.js';
import { commandsOf } from './toolbox.js';
import { nginxReload, nginxTest } from '../servers-nginx.js';

export { containerFs, hostsFile, resolvConf, CLUSTER_DNS, type ContainerFsOptions, type PodFacts } from './rootfs.js';
export { emptyDirVolume, keyedVolume } from './volumes.js';
export { Interrupt } from './interp.js';
export type * from './types.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const PROGRAMS: Record<string, Program> = {
  ...systemPrograms,
  ...filePrograms,
  ...textPrograms,
  ...netPrograms,
  ...coreutilsPrograms,
  ...netinfoPrograms,
  tar: tarProgram,
  stress: stressProgram,
  timeout: timeoutProgram,
  gzip: gzipProgram,
  gunzip: gzipProgram,
  zcat: gzipProgram,
  python3: pythonProgram,
  python: pythonProgram,
  awk: awkProgram,
};

const SHELLS: Record<string, true> = { sh: true, ash: true, bash: true, dash: true };

/** Where each program lives in an image that nobody has looked inside yet (its tree is built lazily). */
const layouts = new WeakMap<ImageInfo, Map<string, string>>();

function layoutOf(image: ImageInfo): Map<string, string> {
  let m = layouts.get(image);
  if (m) return m;
  m = new Map();
  const multiCall = image.os === 'busybox' || image.os === 'alpine';
  if (image.os !== 'scratch') {
    for (const name of commandsOf(image)) {
      const path = `${binDir(image.os, name)}/${name}`;
      const program = multiCall ? 'busybox' : name === 'sh' && image.shell === 'dash' ? 'dash' : name;
      m.set(path, program);
    }
    if (multiCall) m.set('/bin/busybox', 'busybox');
    if (image.shell === 'dash') m.set('/usr/bin/dash', 'dash');
  }
  for (const [path, f] of Object.entries(imageFiles(image))) if (f.program) m.set(path, f.program);
  if (!multiCall) for (const [path, p] of [...m]) if (path.startsWith('/usr/bin/') || path.startsWith('/usr/sbin/')) m.set(path.slice(4), p);
  layouts.set(image, m);
  return m;
}

export type Located = { path: string; program: string | null } | { error: 'notfound' | 'denied' | 'isdir' };

/** Finds a command as execvp would: a path as given, or the first executable on PATH. */
export function locate(name: string, ctx: Pick<ProcessContext, 'image' | 'fs' | 'user' | 'cwd'>, pathVar = DEFAULT_PATH): Located {
  const candidates = name.includes('/') ? [absPath(ctx.cwd, name)] : pathVar.split(':').filter(Boolean).map((d) => joinPath(normalizePath(d), name));
  if (!ctx.fs.materialised) {
    const layout = layoutOf(ctx.image);
    for (const c of candidates) {
      const p = layout.get(c);
      if (p !== undefined) return { path: c, program: p };
    }
    // Directories and plain files only matter once someone has looked; build the tree then.
    if (!name.includes('/')) return { error: 'notfound' };
  }
  let denied = false;
  for (const c of candidates) {
    let node;
    try {
      node = ctx.fs.stat(c, ctx.user);
    } catch {
      continue;
    }
    if (node.type === 'dir') {
      if (name.includes('/')) return { error: 'isdir' };
      continue;
    }
    if (node.type !== 'file' || !permits(ctx.user, node, 1)) {
      denied = true;
      continue;
    }
    return { path: c, program: node.program ?? null };
  }
  return { error: denied ? 'denied' : 'notfound' };
}

/**
 * Whether a container's argv[0] can be started, and if not the runtime's reason, as it appears
 * inside the kubelet's StartError message: `exec: "foo": executable file not found in $PATH`.
 */
export function findProgram(argv0: string, ctx: Pick<ProcessContext, 'image' | 'fs' | 'user' | 'cwd' | 'env'>): { ok: true; path: string } | { ok: false; message: string } {
  const found = locate(argv0, ctx, ctx.env.PATH ?? DEFAULT_PATH);
  if (!('error' in found)) return { ok: true, path: found.path };
  if (found.error === 'denied' || found.error === 'isdir') return { ok: false, message: `exec: "${argv0}": permission denied` };
  if (argv0.includes('/')) return { ok: false, message: `exec: "${argv0}": stat ${argv0}: no such file or directory` };
  return { ok: false, message: `exec: "${argv0}": executable file not found in $PATH` };
}

/**
 * A running process. `signal` tells it of a signal from outside and says what it does: a shell
 * with a trap runs it after its current command ('trapped'); 'default' means the signal's default
 * action (death by TERM, except for PID 1, which the kernel shields from signals it has no
 * handler for, so a `sleep` or trap-less shell as a container's process waits for SIGKILL).
 */
export type ProcessHandle = ProcessGen & { signal(name: string): 'trapped' | 'ignored' | 'default' };

/** Starts a process in the container. The caller plays its steps on the simulated clock. */
export function run(argv: string[], ctx: ProcessContext): ProcessHandle {
  const env = { ...ctx.env };
  if (!env.PATH) env.PATH = DEFAULT_PATH;
  if (!env.HOSTNAME) env.HOSTNAME = ctx.hostname;
  if (!env.HOME) env.HOME = homeOf(ctx);
  const holder: ShellHolder = {};
  const gen = start(argv, { ...ctx, env }, holder);
  const proc = withStdin(ctx.tty ? onTerminal(gen) : gen, ctx.stdin) as ProcessHandle;
  proc.signal = (name) => holder.shell?.signal(name) ?? 'default';
  return proc;
}

/** The shell a process runs as, once it has started, so signals can reach its traps. */
interface ShellHolder {
  shell?: Shell;
}

export interface Finished {
  /** Undefined when the command was still running at the deadline. */
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** Both streams as they interleaved (what a probe's failure message quotes). */
  output: string;
  elapsedMs: number;
}

/**
 * Runs a short command to its end at once (exec probes, `kubectl exec` without a stream): its
 * sleeps are counted against `timeoutMs` on a clock of its own that starts at ctx.now().
 */
export function runToEnd(argv: string[], ctx: ProcessContext, timeoutMs = Infinity): Finished {
  const start = ctx.now();
  let elapsed = 0;
  const gen = run(argv, { ...ctx, now: () => start + elapsed, stdin: ctx.stdin === 'stream' ? undefined : ctx.stdin });
  let stdout = '';
  let stderr = '';
  let output = '';
  let steps = 0;
  for (let r = gen.next(); ; r = gen.next(undefined)) {
    if (r.done) return { exitCode: r.value, stdout, stderr, output, elapsedMs: elapsed };
    // A program that writes without pause (yes) takes time too.
    if (++steps % 10_000 === 0) elapsed += 100;
    if (elapsed > timeoutMs || output.length > 4_000_000) {
      gen.return(137);
      return { exitCode: undefined, stdout, stderr, output, elapsedMs: Math.min(elapsed, timeoutMs) };
    }
    const s = r.value;
    if (s.kind === 'stdout') {
      stdout += s.data.toString();
      output += s.data.toString();
    } else if (s.kind === 'stderr') {
      stderr += s.data.toString();
      output += s.data.toString();
    } else if (s.kind === 'sleep') {
      if (elapsed + s.ms > timeoutMs) {
        gen.return(137);
        return { exitCode: undefined, stdout, stderr, output, elapsedMs: timeoutMs };
      }
      elapsed += s.ms;
    }
  }
}

/** The HOME the runtime sets: the user's entry in the image's /etc/passwd. */
function homeOf(ctx: ProcessContext): string {
  const entry = ctx.image.os === 'scratch' ? undefined : passwdOf(ctx.image).find((e) => e.uid === ctx.user.uid);
  return entry?.home ?? '/';
}

function* start(argv: string[], ctx: ProcessContext, holder: ShellHolder = {}): Gen<number> {
  if (!argv.length) return 0;
  const found = locate(argv[0], ctx, ctx.env.PATH);
  if ('error' in found) {
    // exec'd directly there is no shell to say so; the runtime's words reach the caller's stderr.
    const f = findProgram(argv[0], ctx);
    yield* err(`${f.ok ? '' : f.message}\n`);
    return found.error === 'notfound' ? 127 : 126;
  }
  return yield* exec(argv, found, ctx.env, ctx.cwd, ctx, holder);
}

function flavourOf(ctx: ProcessContext, program: string, name: string): Flavour {
  if (program === 'dash') return 'dash';
  if (program === 'bash' || name === 'bash') return 'bash';
  if (program === 'busybox') return 'ash';
  return ctx.image.shell === 'bash' ? 'bash' : ctx.image.shell === 'dash' ? 'dash' : 'ash';
}

/** Runs a located program. */
function* exec(argv: string[], found: { path: string; program: string | null }, env: Record<string, string>, cwd: string, ctx: ProcessContext, holder?: ShellHolder): Gen<number> {
  let program = found.program;
  let args = argv;
  if (program === null) return yield* script(argv, found.path, env, cwd, ctx);
  if (program === 'busybox') {
    const applet = baseName(argv[0]);
    if (applet === 'busybox') {
      if (argv.length < 2) {
        yield* out(`BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\nBusyBox is copyrighted by many authors between 1998-2015.\nLicensed under GPLv2. See source distribution for detailed\ncopyright notices.\n\nUsage: busybox [function [arguments]...]\n`);
        return 0;
      }
      args = argv.slice(1);
      program = baseName(args[0]);
    } else program = applet;
    if (SHELLS[program]) return yield* shell(args, 'ash', env, cwd, ctx, holder);
    const impl = PROGRAMS[program];
    if (!impl || !commandsOf(ctx.image).includes(program)) {
      yield* err(`${program}: applet not found\n`);
      return 127;
    }
    return yield* impl(args, sys(args, env, cwd, ctx));
  }
  if (SHELLS[program]) return yield* shell(args, flavourOf(ctx, program, baseName(argv[0])), env, cwd, ctx, holder);
  const impl = PROGRAMS[program];
  if (impl) return yield* impl(args, sys(args, env, cwd, ctx));
  return yield* daemon(program, args, ctx);
}

function sys(argv: string[], env: Record<string, string>, cwd: string, ctx: ProcessContext): Sys {
  const toolset: Toolset = toolsetOf(ctx.image.os) === 'gnu' ? 'gnu' : 'busybox';
  return {
    ctx,
    name: baseName(argv[0]),
    cwd,
    env,
    toolset,
    user: ctx.user,
    fs: ctx.fs,
    now: () => ctx.now(),
    *exec(next: string[], nextEnv = env) {
      const found = locate(next[0], ctx, nextEnv.PATH ?? DEFAULT_PATH);
      if ('error' in found) {
        yield* err(toolset === 'gnu' ? `${baseName(argv[0])}: '${next[0]}': No such file or directory\n` : `${baseName(argv[0])}: can't execute '${next[0]}': No such file or directory\n`);
        return 127;
      }
      return yield* exec(next, found, nextEnv, cwd, ctx);
    },
  };
}

/** A file without a program of its own: a script, run by the interpreter its #! line names (sh if none). */
function* script(argv: string[], path: string, env: Record<string, string>, cwd: string, ctx: ProcessContext): Gen<number> {
  let text: string;
  try {
    text = ctx.fs.readFile(path, ctx.user).toString();
  } catch (e) {
    yield* err(`${argv[0]}: ${(e as Error).message}\n`);
    return 126;
  }
  const m = /^#![ \t]*(\S+)(?:[ \t]+([^\n]*))?/.exec(text);
  const interp = m ? [m[1], ...(m[2] ? [m[2].trim()] : [])] : ['/bin/sh'];
  const found = locate(interp[0], ctx, env.PATH);
  if ('error' in found) {
    yield* err(`${ctx.image.shell === 'bash' ? 'bash' : 'sh'}: ${argv[0]}: ${interp[0]}: bad interpreter: No such file or directory\n`);
    return 126;
  }
  return yield* exec([...interp, path, ...argv.slice(1)], found, env, cwd, ctx);
}

/** Keys set through redis-cli, per container. */
const redisData = new WeakMap<object, Map<string, string>>();

/**
 * One of the image's own programs run by hand (`kubectl exec … -- nginx -v`): the few answers
 * learners ask for. A second copy of the image's server cannot take its port, as on a real node.
 */
function* daemon(program: string, argv: string[], ctx: ProcessContext): Gen<number> {
  const version = argv.includes('-v') || argv.includes('-V') || argv.includes('--version');
  if (program === 'nginx') {
    if (version) {
      yield* err(`nginx version: nginx/${ctx.image.version}\n`);
      return 0;
    }
    if (argv.includes('-t') || argv.includes('-T')) {
      const t = nginxTest(ctx);
      yield* err(t.text);
      return t.ok ? 0 : 1;
    }
    const signal = argv[argv.indexOf('-s') + 1];
    if (argv.includes('-s')) {
      if (signal === 'reload') {
        const failure = nginxReload(ctx);
        yield* err(failure ?? '');
        return failure ? 1 : 0;
      }
      if (signal === 'stop' || signal === 'quit') ctx.kill?.(1, 'TERM');
      else if (signal !== 'reopen') {
        yield* err(`nginx: invalid option: "-s ${signal ?? ''}"\n`);
        return 1;
      }
      return 0;
    }
    if ((ctx.pid ?? 1) === 1) {
      // The container's own process (`sh -c '…; exec nginx -g "daemon off;"'`): it serves until stopped.
      yield* sleep(Infinity);
      return 0;
    }
    yield* err('nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address in use)\n'.repeat(5) + 'nginx: [emerg] still could not bind()\n');
    yield* sleep(2500);
    return 1;
  }
  if (program === 'redis-cli') return yield* redisCli(argv, ctx);
  if (version) {
    yield* out(`${program} ${ctx.image.version}\n`);
    return 0;
  }
  if (program === 'pause') {
    yield* sleep(Infinity);
    return 0;
  }
  if (program === ctx.image.server?.program) {
    if ((ctx.pid ?? 1) === 1) {
      yield* sleep(Infinity);
      return 0;
    }
    yield* err(`${program}: listen: address already in use\n`);
    return 1;
  }
  return 0;
}

function* redisCli(argv: string[], ctx: ProcessContext): Gen<number> {
  let data = redisData.get(ctx.fs);
  if (!data) redisData.set(ctx.fs, (data = new Map()));
  const args = argv.slice(1).filter((a, i, all) => !a.startsWith('-') && !['-h', '-p', '-a', '-n'].includes(all[i - 1] ?? ''));
  const [cmd = '', ...rest] = args;
  switch (cmd.toLowerCase()) {
    case 'ping':
      yield* out('PONG\n');
      return 0;
    case 'set':
      data.set(rest[0] ?? '', rest[1] ?? '');
      yield* out('OK\n');
      return 0;
    case 'get':
      yield* out(data.has(rest[0] ?? '') ? `${data.get(rest[0] ?? '')}\n` : '\n');
      return 0;
    case 'dbsize':
      yield* out(`${data.size}\n`);
      return 0;
    case 'keys':
      yield* out([...data.keys()].map((k) => `${k}\n`).join(''));
      return 0;
    case '':
      return 0;
    default:
      yield* out(`(error) ERR unknown command '${cmd}', with args beginning with: ${rest.map((r) => `'${r}' `).join('')}\n`);
      return 0;
  }
}

/** sh [-c SCRIPT [NAME [ARGS…]]] | [FILE [ARGS…]] | interactive. */
function* shell(argv: string[], flavour: Flavour, env: Record<string, string>, cwd: string, ctx: ProcessContext, holder?: ShellHolder): Gen<number> {
  const name = argv[0];
  const runner: Runner = {
    locate(cmd, sh) {
      const found = locate(cmd, { ...ctx, cwd: sh.cwd }, sh.vars.get('PATH') ?? DEFAULT_PATH);
      if ('error' in found) return found;
      return { run: (a, e, c) => exec(a, found, e, c, ctx) };
    },
  };
  const sh = new Shell({ ...ctx, cwd }, name, flavour, runner);
  if (holder && !holder.shell) holder.shell = sh;
  for (const [k, v] of Object.entries(env)) sh.setVar(k, v, true);
  if (!sh.vars.has('PWD')) sh.setVar('PWD', cwd, true);
  if (flavour !== 'bash') sh.setVar('PS1', ctx.user.uid === 0 ? '# ' : '$ ');
  let i = 1;
  let command: string | undefined;
  let wantsCommand = false;
  let fromStdin = false;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a.startsWith('--')) continue; // --login, --norc, --noprofile
    if (!/^[-+][a-zA-Z]+$/.test(a)) break;
    for (const f of a.slice(1)) {
      if (f === 'c') wantsCommand = true;
      else if (f === 'e') sh.errexit = a[0] === '-';
      else if (f === 'u') sh.nounset = a[0] === '-';
      else if (f === 's') fromStdin = true;
    }
  }
  if (wantsCommand) {
    command = argv[i];
    if (command === undefined) {
      yield* err(flavour === 'bash' ? `${name}: -c: option requires an argument\n` : flavour === 'dash' ? `${name}: 0: -c requires an argument\n` : `${name}: -c requires an argument\n`);
      return 2;
    }
    i++;
  }
  if (command !== undefined) {
    const rest = argv.slice(i);
    if (rest.length) {
      (sh as { name: string }).name = rest[0];
      sh.positional = rest.slice(1);
    }
    return yield* sh.script(command);
  }
  if (i < argv.length && !fromStdin) {
    const file = argv[i];
    sh.positional = argv.slice(i + 1);
    let text: string;
    try {
      text = ctx.fs.readFile(absPath(cwd, file), ctx.user).toString();
    } catch (e) {
      const msg = (e as Error).message;
      yield* err(flavour === 'bash' ? `${name}: ${file}: ${msg}\n` : flavour === 'dash' ? `${name}: 0: cannot open ${file}: ${msg === 'No such file or directory' ? 'No such file' : msg}\n` : `${name}: can't open '${file}': ${msg}\n`);
      return flavour === 'ash' ? 2 : 127;
    }
    (sh as { name: string }).name = file;
    return yield* sh.script(text);
  }
  sh.positional = argv.slice(i);
  sh.interactive = ctx.tty;
  return yield* interactive(sh, ctx);
}

function prompt(sh: Shell, ctx: ProcessContext): string {
  const root = ctx.user.uid === 0;
  const home = sh.vars.get('HOME');
  const dir = home && sh.cwd === home ? '~' : sh.cwd;
  if (sh.flavour === 'bash') {
    if (ctx.image.os === 'centos' || ctx.image.os === 'oraclelinux') return `[${root ? 'root' : 'I have no name!'}@${ctx.hostname} ${dir === '/' ? '/' : baseName(dir)}]${root ? '#' : '$'} `;
    const user = root ? 'root' : 'I have no name!';
    return `${user}@${ctx.hostname}:${dir}${root ? '#' : '$'} `;
  }
  if (sh.flavour === 'dash') return root ? '# ' : '$ ';
  return `${dir} ${root ? '#' : '$'} `;
}

/** Reads commands from standard input; with a terminal it prompts, as `kubectl exec -it … sh` shows. */
function* interactive(sh: Shell, ctx: ProcessContext): Gen<number> {
  let buffer = '';
  for (;;) {
    if (ctx.tty) yield* err(buffer ? '> ' : prompt(sh, ctx));
    let line: string | undefined;
    try {
      line = yield* sh.stdin.line();
    } catch (e) {
      if (e instanceof Interrupt) {
        buffer = '';
        continue;
      }
      throw e;
    }
    if (line === undefined) {
      if (ctx.tty && sh.flavour === 'bash') yield* err('exit\n');
      return yield* sh.exitTrap(sh.status);
    }
    buffer += line;
    let list;
    try {
      list = parse(buffer);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      if (e.token === 'end of file') continue;
      buffer = '';
      yield* err(sh.syntaxMessage(e));
      sh.status = 2;
      continue;
    }
    buffer = '';
    try {
      sh.status = yield* sh.list(list);
    } catch (e) {
      if (e instanceof ExitSignal) return yield* sh.exitTrap(e.code);
      if (e instanceof Interrupt) {
        yield* out('\n');
        sh.status = 130;
        continue;
      }
      throw e;
    }
  }
}

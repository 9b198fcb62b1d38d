// Where a learner's kubectl runs when the machine is not the learner's (the Slack bot): a
// bubblewrap jail in which the host does not exist. Inside are only the kubectl binary, the CA
// roots, that learner's kubeconfig (read-only), a private empty /tmp and a network of its own
// holding nothing but loopback; jail-init (jail-init.c) listens there where the kubeconfig points
// and carries connections to the API server's Unix socket. Other learners' files, the bot's
// environment and secrets, the host's programs and its loopback services cannot be named from
// inside, whatever flags kubectl is given.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../paths.js';

export interface JailLimits {
  /** Heap and other private writable memory of kubectl, in bytes (RLIMIT_DATA). */
  dataBytes: number;
  /** CPU seconds kubectl may use (RLIMIT_CPU). */
  cpuSeconds: number;
  /** Size of the jail's private /tmp, in bytes. */
  tmpBytes: number;
}

export const DEFAULT_JAIL_LIMITS: JailLimits = { dataBytes: 384 * 1024 * 1024, cpuSeconds: 20, tmpBytes: 32 * 1024 * 1024 };

/** What one jailed run may see of the host: a kubeconfig, and the socket of the API it names. */
export interface JailTarget {
  kubeconfig: string;
  socket: string;
}

const INSIDE = { kubectl: '/usr/bin/kubectl', init: '/usr/bin/jail-init', kubeconfig: '/kube/config', socket: '/run/kubedojo/api.sock' };

/** jail-init, built next to this file by `npm run build` (under the test runner: the built copy). */
export function jailInitPath(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.js') ? path.join(path.dirname(here), 'jail-init') : path.join(packageRoot(), 'dist', 'src', 'core', 'kube', 'jail', 'jail-init');
}

/** An absolute path for a program named on PATH (or already a path). */
export function resolveProgram(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const candidates = name.includes('/') ? [name] : (env.PATH ?? '').split(':').filter(Boolean).map((dir) => path.join(dir, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      if (statSync(c).isFile()) return realpathSync(c);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The API port a kubeconfig of ours points at (`server: https://127.0.0.1:PORT/...`). */
export function kubeconfigPort(kubeconfig: string): number {
  const m = /server:\s*https?:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(kubeconfig, 'utf8'));
  if (!m) throw new Error(`${path.basename(kubeconfig)} does not name a loopback API server`);
  return Number(m[1]);
}

export class Jail {
  private constructor(
    readonly bwrap: string,
    readonly kubectl: string,
    readonly init: string,
    readonly limits: JailLimits,
  ) {}

  /**
   * A jail for the kubectl this process would run, or why none can be made here (no bubblewrap,
   * jail-init not built, or namespaces not permitted). Proven by running `kubectl version
   * --client` inside it once.
   */
  static detect(opts: { kubectl: string; env?: NodeJS.ProcessEnv; limits?: Partial<JailLimits> }): { jail: Jail } | { reason: string } {
    const env = opts.env ?? process.env;
    const bwrap = resolveProgram('bwrap', env);
    if (!bwrap) return { reason: 'bubblewrap (bwrap) is not installed; on Debian or Ubuntu: apt-get install bubblewrap' };
    const kubectl = resolveProgram(opts.kubectl, env);
    if (!kubectl) return { reason: `kubectl (${opts.kubectl}) is not on PATH` };
    const init = jailInitPath();
    if (!existsSync(init)) return { reason: 'jail-init is not built (it needs a C compiler when kubedojo is built: apt-get install gcc libc6-dev, then npm run build)' };
    const jail = new Jail(bwrap, kubectl, init, { ...DEFAULT_JAIL_LIMITS, ...opts.limits });
    try {
      const out = execFileSync(bwrap, jail.sandboxArgs(undefined, [INSIDE.kubectl, 'version', '--client']), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
      if (!/Client Version/.test(out)) return { reason: `kubectl did not run inside bubblewrap: ${out.trim().slice(0, 200)}` };
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      return { reason: `bubblewrap cannot make a jail here (${(e.stderr || e.message).trim().split('\n')[0]}); user namespaces may be turned off` };
    }
    return { jail };
  }

  /** The program and arguments that run kubectl with `args` in a jail reaching only `target`. */
  command(args: string[], target: JailTarget): { file: string; args: string[] } {
    const port = kubeconfigPort(target.kubeconfig);
    const program = [INSIDE.init, String(port), INSIDE.socket, String(this.limits.dataBytes), String(this.limits.cpuSeconds), INSIDE.kubectl, ...args];
    return { file: this.bwrap, args: this.sandboxArgs(target, program) };
  }

  private sandboxArgs(target: JailTarget | undefined, program: string[]): string[] {
    const a = [
      '--unshare-all',
      '--unshare-user',
      '--uid', '65534',
      '--gid', '65534',
      '--hostname', 'kubedojo',
      '--die-with-parent',
      '--new-session',
      '--cap-drop', 'ALL',
      '--clearenv',
      '--setenv', 'PATH', '/usr/bin',
      '--setenv', 'HOME', '/tmp',
      '--setenv', 'KUBECONFIG', INSIDE.kubeconfig,
      '--proc', '/proc',
      '--dev', '/dev',
      '--size', String(this.limits.tmpBytes), '--tmpfs', '/tmp',
      '--ro-bind', this.kubectl, INSIDE.kubectl,
      '--ro-bind', this.init, INSIDE.init,
    ];
    if (existsSync('/etc/ssl/certs')) a.push('--ro-bind', '/etc/ssl/certs', '/etc/ssl/certs');
    if (target) a.push('--ro-bind', target.kubeconfig, INSIDE.kubeconfig, '--bind', target.socket, INSIDE.socket);
    // A read-only root: nothing but the mounts above can be written, and only /tmp at all.
    a.push('--remount-ro', '/', ...program);
    return a;
  }
}

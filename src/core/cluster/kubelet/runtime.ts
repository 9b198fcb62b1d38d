// The simulated nodes' container runtime (containerd, as kind runs it): it unpacks an image into a
// container filesystem with the pod's volumes mounted, works out the process from the image config
// and the pod spec, and runs it, either the image's own server (which prints what that server
// prints and answers on its ports) or anything else through the container shell.
import type { Container as ContainerSpec, Pod, PodSecurityContext, PodSpec, SecurityContext } from 'kubernetes-types/core/v1.js';
import type { Cluster } from '../cluster.js';
import { resolveImage, type ImageInfo, type ImageServer, type LogLine } from './images.js';
import { PATH as DEFAULT_PATH } from './images/catalog.js';
import { passwdOf, groupsOf } from './shell/distro-files.js';
import { FsError, permits, type ContainerFs, type DirNode } from './shell/fs.js';
import { containerFs } from './shell/rootfs.js';
import { podNetwork } from '../network/index.js';
import { corednsLoaded, corednsGone } from '../network/dns.js';
import { parseCorefile } from '../network/corefile.js';
import { createHash } from 'node:crypto';
import { findProgram, run } from './shell/index.js';
import { baseName } from './shell/path.js';
import { Listeners } from './shell/listeners.js';
import type { Network, Periodic, Process, ProcessContext, ProcessGen, User } from './shell/types.js';
import { serverHttp, serverAccessLog, serverStart } from './servers-http.js';
import { podVolumes, type PodVolumes } from './pod-volumes.js';
import { RecentStrings } from '../recent.js';
import type { ContainerRuntime, ImageResolution, ProcessSpec, RunningProcess, SpawnOptions, StartFailure } from './types.js';

/** How long after a ConfigMap or Secret changes its mounted files follow (kubelet sync + cache). */
export const VOLUME_SYNC_MS = 30_000;

export interface RuntimeOptions {
  /** The pod's view of the cluster network (DNS, Services); the cluster's own by default. */
  network?(namespace: string, pod: string): Network;
}

/** A container's resources the runtime keeps while it runs: what exec and probes run in. */
interface Container {
  ctx: ProcessContext;
  image: ImageInfo;
  processes: Process[];
  nextPid: number;
}

export class SimRuntime implements ContainerRuntime {
  private readonly pods = new Map<string, PodVolumes>();
  /** PersistentVolumes' contents outlive the pods that mount them; keyed by claim. */
  private readonly claims = new Map<string, DirNode>();
  /** A node's host paths, shared by the pods on it. */
  private readonly hostPaths = new Map<string, DirNode>();
  /** Images by the reference the kubelet pulled, resolved once (parsing a reference is not free). */
  private readonly images = new Map<string, ImageInfo>();

  /** Namespaces whose ConfigMaps or Secrets changed since the last volume sync. */
  private readonly stale = new Set<string>();
  private syncing = false;

  constructor(private readonly cluster: Cluster, private readonly opts: RuntimeOptions = {}) {
    // The kubelet's periodic sync brings mounted ConfigMaps and Secrets up to date about a minute
    // after they change; here, once per change, on the cluster's clock.
    const changed = (ev: { object: { metadata: { namespace?: string } } }) => {
      if (ev.object.metadata.namespace) this.stale.add(ev.object.metadata.namespace);
      if (this.syncing || !this.pods.size) return;
      this.syncing = true;
      this.cluster.clock.after(VOLUME_SYNC_MS, () => {
        this.syncing = false;
        const at = this.cluster.clock.now().getTime();
        for (const v of this.pods.values()) if (this.stale.has(v.namespace)) v.refresh(at);
        this.stale.clear();
      });
    };
    cluster.store.subscribe('/configmaps', changed);
    cluster.store.subscribe('/secrets', changed);
  }

  resolveImage(ref: string): ImageResolution {
    return resolveImage(ref);
  }

  removePod(uid: string): void {
    this.pods.delete(uid);
    corednsGone(uid);
  }

  start(spec: ProcessSpec): RunningProcess | StartFailure {
    let image = this.images.get(spec.image.ref);
    if (!image) {
      const res = resolveImage(spec.image.ref);
      if (!res.ok) return { startError: `failed to create containerd task: ${res.message}`, exitCode: 128 };
      this.images.set(spec.image.ref, (image = res.image));
    }
    // Closures below outlive the start for as long as the container runs: they take what they
    // use from the spec, never the spec itself (which holds the pod as it was at the start).
    const { pod, container, onSignal, onMemory, onCpu, namespace, podIP, startedAt } = spec;
    const uid = pod.metadata?.uid ?? '';
    const podName = pod.metadata?.name ?? '';
    let volumes = this.pods.get(uid);
    if (!volumes) {
      volumes = podVolumes(this.cluster, volumeView(pod), { now: startedAt, claims: this.claims, hostPaths: this.hostPaths, podIP });
      this.pods.set(uid, volumes);
    }
    const env = containerEnv(image, spec);
    const argv = containerArgv(image, container, env);
    const user = userOf(image, pod, container);
    const hostname = spec.hostname;
    const processes: Process[] = [{ pid: 1, argv, uid: user.uid, startedAt }];
    const mounts = container.volumeMounts ?? [];
    // Volumes are mounted as the tree is built, unless a single file must be placed into it.
    const eager = mounts.some((m) => m.subPath);
    const fs = containerFs({
      image,
      pod: {
        hostname,
        podIP: spec.podIP,
        namespace: spec.namespace,
        subdomain: pod.spec?.subdomain,
        hostAliases: pod.spec?.hostAliases?.map((a) => ({ ip: a.ip ?? '', hostnames: a.hostnames ?? [] })),
      },
      now: spec.now,
      readOnlyRoot: !!container.securityContext?.readOnlyRootFilesystem,
      processes: () => processes,
      beforeBuild: eager ? undefined : (built) => mounts.forEach((m) => volumes.mount(built, m)),
    });
    if (eager) for (const m of mounts) volumes.mount(fs, m);
    // runc enters the working directory before it starts anything (making it when missing).
    const chdir = container.workingDir ? chdirProblem(fs, container.workingDir, user) : undefined;
    if (chdir) return { startError: `${RUNC_FAILED}error during container init: chdir to cwd ("${container.workingDir}") set in config.json failed: ${chdir}: unknown`, exitCode: 128 };
    let net: Network | undefined;
    const network = () => (net ??= this.opts.network?.(namespace, podName) ?? podNetwork(this.cluster, namespace, podName));
    // Ports the container's programs open themselves (nc -l, python -m http.server).
    const listeners = new Listeners();
    const ctx: ProcessContext = {
      env,
      cwd: container.workingDir ?? image.workingDir ?? '/',
      user,
      hostname,
      podIP,
      namespace,
      fs,
      image,
      now: spec.now,
      stdin: container.stdin ? 'stream' : undefined,
      tty: !!container.tty,
      processes: () => processes,
      pid: 1,
      kill: (pid: number, signal: string) => {
        if (pid === 1) onSignal?.(signal);
        return processes.some((p) => p.pid === pid);
      },
      setMemory: onMemory,
      setCpuMillicores: onCpu,
      listen: listeners.listen,
    } as Omit<ProcessContext, 'net'> as ProcessContext;
    lazyNetworks.set(ctx, network);
    Object.defineProperty(ctx, 'net', LAZY_NET);
    const c: Container = { ctx, image, processes, nextPid: 7 };
    const spawn = (more: string[], o: SpawnOptions) => this.spawn(c, more, o);
    const server = serverFor(image, argv);
    if (server) {
      const needs = server.server.requiredConfig;
      const config = needs && fs.exists(needs.path) ? fs.readFile(needs.path).toString('utf8') : undefined;
      const missing = (server.server.requiredEnv && !server.server.requiredEnv.anyOf.some((k) => env[k])) || (needs && config === undefined);
      const http = server.server.http;
      // The ports open once the server has started, as a probe or a Service finds them.
      const ports: number[] = [];
      const listens = needs && config !== undefined ? needs.ports(config) : server.server.ports;
      const watcher = server.server.program === 'coredns' ? corednsWatcher(fs, argv, ctx.cwd, uid, image.version, startedAt) : undefined;
      return {
        gen: serverProgram(server.server, server.preamble, { now: startedAt, podIP, hostname, argv, env }, !!missing, needs && config !== undefined ? { listen: () => ports.push(...listens) } : serverStart(server.server, image, ctx, ports, mounts.map((m) => m.mountPath)), watcher),
        handlesTerm: server.server.handlesTerm,
        ports,
        ...(http ? { http: (port, req, at) => serverHttp(http, image, ctx, argv, req, port, at) } : {}),
        ...(server.server.accessLog ? { accessLog: (req, r, ip, at) => serverAccessLog(server.server.accessLog!, req, r, ip, at) } : {}),
        spawn,
      };
    }
    const missing = findMissing(argv[0], ctx);
    if (missing) return { startError: `${RUNC_FAILED}${missing}: unknown`, exitCode: 128 };
    // An image's entrypoint script sets up, then execs what follows it.
    const main = argv.length > 1 && /entrypoint\.sh$/.test(baseName(argv[0])) ? argv.slice(1) : argv;
    if (main !== argv) {
      processes[0] = { ...processes[0], argv: main };
      const next = findMissing(main[0], ctx);
      if (next) return { gen: exitWith(`${baseName(argv[0])}: exec: ${main[0]}: not found\n`, 127), handlesTerm: false, ports: [], spawn };
    }
    // zsh without a terminal reads an empty input and ends at once, as netshoot's does.
    if (isZsh(main, ctx) && main.length === 1 && !container.tty && !container.stdin) return { gen: exitWith('', 0), handlesTerm: false, ports: [], spawn };
    return { gen: run(zshStandIn(main, ctx), ctx), handlesTerm: false, ports: listeners.ports, http: listeners.http, accessLog: listeners.accessLog, spawn };
  }

  private spawn(c: Container, argv: string[], o: SpawnOptions): ProcessGen | { error: string } {
    if (!argv.length) return { error: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "": executable file not found in $PATH: unknown' };
    const missing = findMissing(argv[0], c.ctx);
    if (missing) return { error: `OCI runtime exec failed: exec failed: unable to start container process: ${missing}: unknown` };
    const pid = c.nextPid;
    c.nextPid += 6;
    const proc: Process = { pid, argv, uid: c.ctx.user.uid, startedAt: o.now(), ...(o.tty ? { tty: 'pts/0' } : {}) };
    c.processes.push(proc);
    const gen = run(zshStandIn(argv, c.ctx), { ...c.ctx, pid, tty: o.tty, stdin: o.stdin, now: o.now });
    // The process leaves the table when it returns or is abandoned.
    return (function* track(): ProcessGen {
      try {
        return yield* gen;
      } finally {
        const i = c.processes.indexOf(proc);
        if (i >= 0) c.processes.splice(i, 1);
      }
    })();
  }
}

/**
 * A container's network is made when it first reaches for it (`ctx.net`). One getter serves every
 * container, defined after the other members: an object literal with a getter, or a getter of its
 * own per object, leaves the thousands of contexts of a big cluster as slow dictionaries.
 */
const lazyNetworks = new WeakMap<object, () => Network>();
const LAZY_NET: PropertyDescriptor = {
  get(this: object) {
    return lazyNetworks.get(this)!();
  },
  enumerable: true,
  configurable: true,
};

/**
 * What a pod's volumes read of the pod as long as it runs (names, labels and annotations for the
 * downward API, the spec): the parts of the stored version, not the version itself, whose status
 * and managed fields the pod's next writes replace.
 */
function volumeView(pod: Pod): Pod {
  const m = pod.metadata ?? {};
  return { apiVersion: pod.apiVersion, kind: pod.kind, metadata: { name: m.name, namespace: m.namespace, uid: m.uid, labels: m.labels, annotations: m.annotations }, spec: pod.spec };
}

/** Whether argv runs the image's zsh (netshoot's default shell). */
function isZsh(argv: string[], ctx: ProcessContext): boolean {
  return argv.length > 0 && baseName(argv[0]) === 'zsh' && ctx.image.commands.includes('zsh');
}

/** The simulated shell has no zsh of its own: the image's sh answers for it, prompt and all. */
function zshStandIn(argv: string[], ctx: ProcessContext): string[] {
  return isZsh(argv, ctx) ? ['sh', ...argv.slice(1)] : argv;
}

/** How containerd words runc's failure to start a container's process, before runc's own reason. */
const RUNC_FAILED = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ';

/** Why runc cannot enter a working directory, if it cannot: a file in the way, or no search permission. */
function chdirProblem(fs: ContainerFs, dir: string, user: User): string | undefined {
  let node;
  try {
    node = fs.stat(dir, user);
  } catch (e) {
    if (!(e instanceof FsError) || e.code === 'ENOENT') return undefined;
    return e.code === 'ENOTDIR' ? 'not a directory' : e.code === 'EACCES' ? 'permission denied' : undefined;
  }
  if (node.type !== 'dir') return 'not a directory';
  return permits(user, node, 1) ? undefined : 'permission denied';
}

function* exitWith(message: string, code: number): ProcessGen {
  yield { kind: 'stderr', data: message };
  return code;
}

// ------------------------------------------------------------ the process

/**
 * The process the runtime starts: command replaces the image's entrypoint (and drops its cmd),
 * args replace cmd, and `$(VAR)` references are expanded from the container's environment.
 */
export function containerArgv(image: ImageInfo, container: Pick<ContainerSpec, 'command' | 'args'>, env: Record<string, string>): string[] {
  const expand = (s: string) => String(s).replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name) => (m === '$$' ? '$' : name in env ? env[name] : m));
  const command: string[] | undefined = container.command?.length ? container.command.map(expand) : undefined;
  const args: string[] | undefined = container.args?.length ? container.args.map(expand) : undefined;
  if (command) return [...command, ...(args ?? [])];
  return [...image.entrypoint, ...(args ?? image.cmd)];
}

/** The image's environment with the kubelet's on top, and what the runtime always sets. */
export function containerEnv(image: ImageInfo, spec: ProcessSpec): Record<string, string> {
  const env: Record<string, string> = {
    PATH: DEFAULT_PATH,
    ...image.env,
    HOSTNAME: spec.hostname,
    ...spec.env,
  };
  // Every container of a namespace has the same Service variables: their values are held once.
  for (const k of Object.keys(env)) if (typeof env[k] === 'string') env[k] = envValues.get(env[k]);
  return env;
}

/** Values of containers' environments seen lately. */
const envValues = new RecentStrings();

/** Whether argv[0] can be executed, or containerd's reason it cannot. */
function findMissing(argv0: string | undefined, ctx: ProcessContext): string | undefined {
  if (!argv0) return 'exec: "": executable file not found in $PATH';
  const found = findProgram(argv0, ctx);
  return found.ok ? undefined : found.message;
}

/**
 * The image's server, when the process is it: run directly (`nginx -g …`), through the image's
 * entrypoint script (which then prints its own preamble), or as the one command of `sh -c`.
 */
export function serverFor(image: ImageInfo, argv: string[]): { server: ImageServer; preamble: boolean } | undefined {
  const s = image.server;
  if (!s || !argv.length) return undefined;
  let rest = argv;
  let preamble = false;
  if (argv.length > 1 && /entrypoint\.sh$/.test(baseName(argv[0]))) {
    rest = argv.slice(1);
    preamble = true;
  }
  if (['sh', 'bash'].includes(baseName(rest[0])) && rest[1] === '-c' && rest.length === 3 && /^[\w./ -]+$/.test(rest[2])) rest = rest[2].trim().split(/\s+/);
  const program = rest[0] ? baseName(rest[0]) : '';
  if (program === s.program && (!s.requiresArg || rest.includes(s.requiresArg))) return { server: s, preamble };
  // An image whose entrypoint is the server itself (cadvisor, http-echo) with its own flags.
  if (!preamble && image.entrypoint.length && argv[0] === image.entrypoint[0] && baseName(argv[0]) === s.program && !s.requiresArg) return { server: s, preamble };
  return undefined;
}

/** A server's life: its start-up lines at their moments, then serving until it is stopped. */
/** What a server keeps doing as it serves: CoreDNS loads its Corefile, then looks for changes. */
interface Watcher {
  /** Its first words, and the exit code when it cannot start at all. */
  start(): { lines: LogLine[]; exitCode?: number };
  /** How long until it looks again, if it does. */
  nextMs(): number | undefined;
  /** It looks, `atMs` after the process started: what it says about what it found. */
  look(atMs: number): LogLine[];
}

function* serverProgram(server: ImageServer, preamble: boolean, ctx: Parameters<ImageServer['startup']>[0], missing: boolean, start: ReturnType<typeof serverStart>, watcher?: Watcher): ProcessGen {
  let at = 0;
  const play = function* (lines: LogLine[]): ProcessGen {
    for (const l of lines) {
      const when = l.atMs ?? at;
      if (when > at) {
        yield { kind: 'sleep', ms: when - at };
        at = when;
      }
      yield { kind: l.stream, data: `${l.text}\n` };
    }
    return 0;
  };
  const refusal = missing ? (server.requiredEnv ?? server.requiredConfig) : undefined;
  if (refusal) {
    yield* play(refusal.complaint(ctx));
    return refusal.exitCode;
  }
  if (preamble && server.preamble) yield* play(server.preamble(ctx));
  // A configuration the server cannot read (nginx's [emerg]) ends it before it listens.
  if ('failure' in start) {
    yield* play(start.failure.map((text) => ({ stream: 'stderr' as const, text })));
    return 1;
  }
  yield* play(server.startup(ctx));
  if (watcher) {
    const first = watcher.start();
    yield* play(first.lines);
    if (first.exitCode !== undefined) return first.exitCode;
  }
  start.listen();
  for (let next = watcher?.nextMs(); next !== undefined; next = watcher?.nextMs()) {
    const periodic: Periodic = { skipped: 0 };
    yield { kind: 'sleep', ms: next, periodic };
    at += next * (1 + periodic.skipped);
    yield* play(watcher!.look(at));
  }
  yield { kind: 'sleep', ms: Infinity };
  return 0;
}

/**
 * CoreDNS as a container runs it: it reads its Corefile (`-conf`) at start and stops if it cannot
 * load it; then, while the Corefile has the reload plugin, it reads the file again at each
 * interval and loads what changed, or says why it could not and keeps the last good one (and does
 * not try the same broken text twice). The cluster's DNS answers with what it loaded.
 */
function corednsWatcher(fs: ContainerFs, argv: string[], cwd: string, podUid: string, version: string, startedAt: number): Watcher {
  const flag = argv.indexOf('-conf');
  const path = flag >= 0 && argv[flag + 1] ? argv[flag + 1] : `${cwd.replace(/\/$/, '')}/Corefile`;
  const read = (): string | undefined => (fs.exists(path) ? fs.readFile(path).toString('utf8') : undefined);
  const sha = (text: string) => createHash('sha512').update(text).digest('hex');
  const info = (text: string, atMs: number): LogLine => ({ stream: 'stdout', text, atMs });
  // The text last looked at (compared whole, as an adopted CoreDNS replays its ticks since it started).
  let seenText: string | undefined;
  let reloadMs: number | undefined;
  const load = (text: string, atMs: number) => {
    const parsed = parseCorefile(text, path);
    if (!parsed.ok) return parsed;
    corednsLoaded(podUid, parsed.config, startedAt + atMs);
    reloadMs = parsed.config.blocks.find((b) => b.reloadMs !== undefined)?.reloadMs;
    return parsed;
  };
  return {
    start() {
      const text = read();
      if (text === undefined) return { lines: [info(`open ${path}: no such file or directory`, 0)], exitCode: 1 };
      seenText = text;
      const parsed = load(text, 0);
      if (!parsed.ok) return { lines: [info(parsed.error, 0)], exitCode: 1 };
      // It names the server blocks it serves (`.:53`), one line each.
      const keys = [...text.matchAll(/^([^\s#{}]+)[^\n#]*\{\s*$/gm)].map((m) => m[1]);
      return { lines: [...keys.map((k) => info(/:\d+$/.test(k) ? k : `${k}:53`, 0)), info(`[INFO] plugin/reload: Running configuration SHA512 = ${sha(text)}`, 0), info(`CoreDNS-${version}`, 0), info('linux/amd64, go1.23.3, 51e11f1', 0)] };
    },
    nextMs: () => reloadMs,
    look(atMs) {
      const text = read();
      if (text === undefined || text === seenText) return [];
      seenText = text;
      const parsed = load(text, atMs);
      if (!parsed.ok) {
        return [info(`[ERROR] Restart failed: ${parsed.error}`, atMs), info(`[ERROR] plugin/reload: Corefile changed but reload failed: starting with listener file descriptors: ${parsed.error}`, atMs)];
      }
      return [info('[INFO] Reloading', atMs), info(`[INFO] plugin/reload: Running configuration SHA512 = ${sha(text)}`, atMs), info('[INFO] Reloading complete', atMs)];
    },
  };
}

// ------------------------------------------------------------ who the process runs as

/** An image's users, parsed once: every container of the image asks. */
const passwdCache = new WeakMap<ImageInfo, ReturnType<typeof passwdOf>>();

/** runAsUser/runAsGroup (container over pod) over the image's USER; fsGroup and supplementalGroups join. */
export function userOf(image: ImageInfo, pod: { spec?: Pick<PodSpec, 'securityContext'> }, container: Pick<ContainerSpec, 'securityContext'>): User {
  const psc: PodSecurityContext = pod.spec?.securityContext ?? {};
  const csc: SecurityContext = container.securityContext ?? {};
  const passwd = passwdCache.get(image) ?? passwdCache.set(image, passwdOf(image)).get(image)!;
  let uid = 0;
  let gid: number | undefined;
  if (image.user) {
    const [u, g] = image.user.split(':');
    const entry = /^\d+$/.test(u) ? passwd.find((e) => e.uid === Number(u)) : passwd.find((e) => e.name === u);
    uid = /^\d+$/.test(u) ? Number(u) : entry?.uid ?? 0;
    gid = g === undefined ? entry?.gid : /^\d+$/.test(g) ? Number(g) : groupsOf(image).find((x) => x.name === g)?.gid;
  }
  const runAsUser = csc.runAsUser ?? psc.runAsUser;
  if (runAsUser !== undefined) {
    uid = Number(runAsUser);
    gid = passwd.find((e) => e.uid === uid)?.gid;
  }
  const runAsGroup = csc.runAsGroup ?? psc.runAsGroup;
  if (runAsGroup !== undefined) gid = Number(runAsGroup);
  const groups: number[] = [];
  if (psc.fsGroup !== undefined) groups.push(Number(psc.fsGroup));
  for (const g of (psc.supplementalGroups ?? []) as number[]) if (!groups.includes(Number(g))) groups.push(Number(g));
  const name = passwd.find((e) => e.uid === uid)?.name;
  return { uid, gid: gid ?? 0, groups, ...(name ? { name } : {}) };
}

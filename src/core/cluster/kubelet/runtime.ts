// The simulated nodes' container runtime (containerd, as kind runs it): it unpacks an image into a
// container filesystem with the pod's volumes mounted, works out the process from the image config
// and the pod spec, and runs it, either the image's own server (which prints what that server
// prints and answers on its ports) or anything else through the container shell.
import type { Cluster } from '../cluster.js';
import { resolveImage, type ImageInfo, type ImageServer, type LogLine } from './images.js';
import { PATH as DEFAULT_PATH } from './images/catalog.js';
import { passwdOf, groupsOf } from './shell/distro-files.js';
import type { DirNode } from './shell/fs.js';
import { containerFs } from './shell/rootfs.js';
import { podNetwork } from '../network/index.js';
import { findProgram, run } from './shell/index.js';
import { baseName } from './shell/path.js';
import { Listeners } from './shell/listeners.js';
import type { Network, Process, ProcessContext, ProcessGen, User } from './shell/types.js';
import { serverHttp, serverAccessLog, serverStart } from './servers-http.js';
import { podVolumes, type PodVolumes } from './pod-volumes.js';
import type { ContainerRuntime, ImageResolution, ProcessSpec, RunningProcess, SpawnOptions, StartFailure } from './types.js';

type Obj = Record<string, any>;

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
  }

  start(spec: ProcessSpec): RunningProcess | StartFailure {
    let image = this.images.get(spec.image.ref);
    if (!image) {
      const res = resolveImage(spec.image.ref);
      if (!res.ok) return { startError: `failed to create containerd task: ${res.message}`, exitCode: 128 };
      this.images.set(spec.image.ref, (image = res.image));
    }
    const { pod, container } = spec;
    let volumes = this.pods.get(pod.metadata.uid);
    if (!volumes) {
      volumes = podVolumes(this.cluster, pod, { now: spec.startedAt, claims: this.claims, hostPaths: this.hostPaths, podIP: spec.podIP });
      this.pods.set(pod.metadata.uid, volumes);
    }
    const env = containerEnv(image, spec);
    const argv = containerArgv(image, container, env);
    const user = userOf(image, pod, container);
    const hostname = spec.hostname;
    const processes: Process[] = [{ pid: 1, argv, uid: user.uid, startedAt: spec.startedAt }];
    const mounts = (container.volumeMounts ?? []) as Obj[];
    // Volumes are mounted as the tree is built, unless a single file must be placed into it.
    const eager = mounts.some((m) => m.subPath);
    const fs = containerFs({
      image,
      pod: { hostname, podIP: spec.podIP, namespace: spec.namespace, subdomain: pod.spec.subdomain, hostAliases: pod.spec.hostAliases },
      now: spec.now,
      readOnlyRoot: !!container.securityContext?.readOnlyRootFilesystem,
      processes: () => processes,
      beforeBuild: eager ? undefined : (built) => mounts.forEach((m) => volumes.mount(built, m)),
    });
    if (eager) for (const m of mounts) volumes.mount(fs, m);
    let net: Network | undefined;
    const network = () => (net ??= this.opts.network?.(spec.namespace, pod.metadata.name) ?? podNetwork(this.cluster, spec.namespace, pod.metadata.name));
    const ctx: ProcessContext = {
      env,
      cwd: container.workingDir ?? image.workingDir ?? '/',
      user,
      hostname,
      podIP: spec.podIP,
      namespace: spec.namespace,
      fs,
      image,
      now: spec.now,
      stdin: container.stdin ? 'stream' : undefined,
      tty: !!container.tty,
      // Made when the container first reaches for the network.
      get net() {
        return network();
      },
      processes: () => processes,
      pid: 1,
      kill: (pid: number, signal: string) => {
        if (pid === 1) spec.onSignal?.(signal);
        return processes.some((p) => p.pid === pid);
      },
      setMemory: (bytes: number) => spec.onMemory(bytes),
      setCpuMillicores: (m: number) => spec.onCpu(m),
    };
    // Ports the container's programs open themselves (nc -l, python -m http.server).
    const listeners = new Listeners();
    ctx.listen = listeners.listen;
    const c: Container = { ctx, image, processes, nextPid: 7 };
    const spawn = (more: string[], o: SpawnOptions) => this.spawn(c, more, o);
    const server = serverFor(image, argv);
    if (server) {
      const missing = server.server.requiredEnv && !server.server.requiredEnv.anyOf.some((k) => env[k]);
      const http = server.server.http;
      // The ports open once the server has started, as a probe or a Service finds them.
      const ports: number[] = [];
      return {
        gen: serverProgram(server.server, server.preamble, { now: spec.startedAt, podIP: spec.podIP, hostname, argv, env }, !!missing, serverStart(server.server, image, ctx, ports)),
        handlesTerm: server.server.handlesTerm,
        ports,
        ...(http ? { http: (port, req, at) => serverHttp(http, image, ctx, argv, req, port, at) } : {}),
        ...(server.server.accessLog ? { accessLog: (req, r, ip, at) => serverAccessLog(server.server.accessLog!, req, r, ip, at) } : {}),
        spawn,
      };
    }
    const missing = findMissing(argv[0], ctx);
    if (missing) return { startError: `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${missing}: unknown`, exitCode: 128 };
    // An image's entrypoint script sets up, then execs what follows it.
    const main = argv.length > 1 && /entrypoint\.sh$/.test(baseName(argv[0])) ? argv.slice(1) : argv;
    if (main !== argv) {
      processes[0] = { ...processes[0], argv: main };
      const next = findMissing(main[0], ctx);
      if (next) return { gen: exitWith(`${baseName(argv[0])}: exec: ${main[0]}: not found\n`, 127), handlesTerm: false, ports: [], spawn };
    }
    return { gen: run(main, ctx), handlesTerm: false, ports: listeners.ports, http: listeners.http, accessLog: listeners.accessLog, spawn };
  }

  private spawn(c: Container, argv: string[], o: SpawnOptions): ProcessGen | { error: string } {
    if (!argv.length) return { error: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "": executable file not found in $PATH: unknown' };
    const missing = findMissing(argv[0], c.ctx);
    if (missing) return { error: `OCI runtime exec failed: exec failed: unable to start container process: ${missing}: unknown` };
    const pid = c.nextPid;
    c.nextPid += 6;
    const proc: Process = { pid, argv, uid: c.ctx.user.uid, startedAt: o.now(), ...(o.tty ? { tty: 'pts/0' } : {}) };
    c.processes.push(proc);
    const gen = run(argv, { ...c.ctx, pid, tty: o.tty, stdin: o.stdin, now: o.now });
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

function* exitWith(message: string, code: number): ProcessGen {
  yield { kind: 'stderr', data: message };
  return code;
}

// ------------------------------------------------------------ the process

/**
 * The process the runtime starts: command replaces the image's entrypoint (and drops its cmd),
 * args replace cmd, and `$(VAR)` references are expanded from the container's environment.
 */
export function containerArgv(image: ImageInfo, container: Obj, env: Record<string, string>): string[] {
  const expand = (s: string) => String(s).replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name) => (m === '$$' ? '$' : name in env ? env[name] : m));
  const command: string[] | undefined = container.command?.length ? container.command.map(expand) : undefined;
  const args: string[] | undefined = container.args?.length ? container.args.map(expand) : undefined;
  if (command) return [...command, ...(args ?? [])];
  return [...image.entrypoint, ...(args ?? image.cmd)];
}

/** The image's environment with the kubelet's on top, and what the runtime always sets. */
export function containerEnv(image: ImageInfo, spec: ProcessSpec): Record<string, string> {
  return {
    PATH: DEFAULT_PATH,
    ...image.env,
    HOSTNAME: spec.hostname,
    ...spec.env,
  };
}

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
function* serverProgram(server: ImageServer, preamble: boolean, ctx: Parameters<ImageServer['startup']>[0], missingEnv: boolean, start: ReturnType<typeof serverStart>): ProcessGen {
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
  if (missingEnv && server.requiredEnv) {
    yield* play(server.requiredEnv.complaint(ctx));
    return server.requiredEnv.exitCode;
  }
  if (preamble && server.preamble) yield* play(server.preamble(ctx));
  // A configuration the server cannot read (nginx's [emerg]) ends it before it listens.
  if ('failure' in start) {
    yield* play(start.failure.map((text) => ({ stream: 'stderr' as const, text })));
    return 1;
  }
  yield* play(server.startup(ctx));
  start.listen();
  yield { kind: 'sleep', ms: Infinity };
  return 0;
}

// ------------------------------------------------------------ who the process runs as

/** An image's users, parsed once: every container of the image asks. */
const passwdCache = new WeakMap<ImageInfo, ReturnType<typeof passwdOf>>();

/** runAsUser/runAsGroup (container over pod) over the image's USER; fsGroup and supplementalGroups join. */
export function userOf(image: ImageInfo, pod: Obj, container: Obj): User {
  const psc: Obj = pod.spec.securityContext ?? {};
  const csc: Obj = container.securityContext ?? {};
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

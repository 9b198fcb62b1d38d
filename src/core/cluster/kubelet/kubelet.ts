// The kubelets of all simulated nodes. A pod bound to a node gets a sandbox and an IP, its images
// pulled (or found on the node), its init containers run in order, then its containers, each a
// program played on the simulated clock. Exits, restarts with back-off, probes, graceful
// termination and the pod's status follow from that state, with the events a real kubelet sends.
// Runtime state lives in memory, as a kubelet's does; after a restart running pods are adopted.
import { randomBytes } from 'node:crypto';
import { rfc3339 } from '../clock.js';
import type { KObject } from '../kinds/types.js';
import type { StoreEvent } from '../store.js';
import type { Controller, ControllerContext } from '../controllers/manager.js';
import { keyOf, splitKey } from '../controllers/manager.js';
import { kind, writeStatus } from '../controllers/util.js';
import type { EventType } from '../controllers/events.js';
import { ContainerLog } from './logs.js';
import { Program } from './program.js';
import type { ContainerRuntime, RunningProcess, RuntimeImage } from './types.js';
import type { HttpRequest, HttpResponse, NetFailure } from './shell/types.js';
import { KUBERNETES_VERSION } from './node-status.js';
import { serviceEnv, servicesForEnv } from '../network/env.js';
import { quantityFromJSON, quantityMilliValue, quantityValue } from '../validation/quantity.js';
import { dict, hasOwn, own, setOwn } from '../own.js';

type Obj = Record<string, any>;

const SANDBOX_MS = 400;
const CREATE_MS = 150;
const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
/** A container that ran this long without crashing starts its back-off afresh. */
const BACKOFF_RESET_MS = 10 * 60 * 1000;
/** After an ErrImagePull, the next sync shows ImagePullBackOff. */
const PULL_BACKOFF_SHOWN_MS = 1000;

type Phase = 'new' | 'pulling' | 'pull-error' | 'pull-backoff' | 'never-pull' | 'config-error' | 'creating' | 'running' | 'exited' | 'crash-backoff';

interface Terminated {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  signal?: number;
  message?: string;
}

interface ProbeState {
  nextAt: number;
  failures: number;
  successes: number;
}

export interface ContainerState {
  name: string;
  spec: Obj;
  init: boolean;
  phase: Phase;
  /** When the current phase's work completes (pull done, back-off over, creation done). */
  until: number;
  image?: RuntimeImage;
  imageRef: string;
  pullError?: string;
  pullBackoffMs: number;
  configError?: string;
  id: string;
  restartCount: number;
  startedAt?: number;
  lastStartAt?: number;
  process?: RunningProcess;
  program?: Program;
  terminated?: Terminated;
  last?: Terminated;
  crashBackoffMs: number;
  ready: boolean;
  started: boolean;
  probes: { liveness?: ProbeState; readiness?: ProbeState; startup?: ProbeState };
  log: ContainerLog;
  previousLog?: ContainerLog;
  /** When requests were served, for the CPU they cost. */
  served: number[];
  /** CPU a busy program burns on its own (a stress test), in millicores. */
  burnMillicores?: number;
  /** Set when the kubelet killed it (liveness, OOM, pod deletion): how to report the exit. */
  killedFor?: 'liveness' | 'startup' | 'oom' | 'stop';
  /** Memory the program says it holds beyond the image's idle use (a stress test). */
  memoryBytes?: number;
  /** The runtime could not start the process: containerd's words for it. */
  startError?: string;
  /** Typed into an attached container's stdin, not read yet; `end` once the client closed it. */
  stdin?: { chunks: Buffer[]; end: boolean };
  /** Attached clients, who see the main process's output as it is written. */
  attached?: Set<(o: { stream: 'stdout' | 'stderr'; text: string }) => void>;
  /** Told when the main process ends (an attached session ends with it). */
  exitWatchers?: Set<() => void>;
}

export interface PodState {
  uid: string;
  node: string;
  sandboxAt: number;
  ip?: string;
  startTime: number;
  init: ContainerState[];
  containers: ContainerState[];
  stopping?: { since: number; deadline: number };
  /** `name_namespace(uid)`, as the kubelet names a pod in messages. */
  ref: string;
  hostIP: string;
  mountWarnedAt?: number;
}

function containerId(): string {
  return `containerd://${randomBytes(32).toString('hex')}`;
}

function cpuLimitNanos(c: Obj): number | undefined {
  const q = c.resources?.limits?.cpu;
  if (q === undefined) return undefined;
  try {
    return quantityMilliValue(quantityFromJSON(q)) * 1_000_000;
  } catch {
    return undefined;
  }
}

function memoryLimit(c: Obj): number | undefined {
  const q = c.resources?.limits?.memory;
  if (q === undefined) return undefined;
  try {
    return quantityValue(quantityFromJSON(q));
  } catch {
    return undefined;
  }
}

export class Kubelet implements Controller {
  readonly name = 'kubelet';
  readonly watches;
  readonly pods = new Map<string, PodState>();
  /** Images present on each node (kind's nodes come with their own system images). */
  private readonly images = new Map<string, Set<string>>();
  private readonly usedIPs = new Map<string, Set<string>>();
  private readonly waitingOnConfig = new Set<string>();
  /** The manager's context, for work that comes from outside a reconcile (requests, streams). */
  private ctx?: ControllerContext;

  constructor(readonly runtime: ContainerRuntime) {
    this.watches = [
      { resource: '/pods', keys: (e: StoreEvent) => (e.object as Obj).spec?.nodeName ? [keyOf(e.object)] : [] },
      { resource: '/configmaps', keys: () => [...this.waitingOnConfig] },
      { resource: '/secrets', keys: () => [...this.waitingOnConfig] },
      { resource: '/persistentvolumeclaims', keys: () => [...this.waitingOnConfig] },
    ];
  }

  initialKeys(ctx: ControllerContext): string[] {
    this.ctx = ctx;
    return ctx.cluster.store
      .list('/pods')
      .filter((p) => (p as Obj).spec?.nodeName)
      .map(keyOf);
  }

  reconcile(key: string, ctx: ControllerContext): void {
    this.ctx = ctx;
    const [ns, name] = splitKey(key);
    const pod = ctx.cluster.store.get('/pods', ns, name) as Obj | undefined;
    if (!pod || !pod.spec?.nodeName) {
      this.forget(key);
      return;
    }
    let state = this.pods.get(key);
    if (state && state.uid !== pod.metadata.uid) {
      this.forget(key);
      state = undefined;
    }
    if (!state) state = this.admit(key, pod, ctx);
    const now = ctx.now().getTime();
    const events: Array<[ContainerState | undefined, EventType, string, string]> = [];
    const emit = (c: ContainerState | undefined, type: EventType, reason: string, message: string) => events.push([c, type, reason, message]);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      if (pod.metadata.deletionTimestamp) this.finish(pod, ctx);
      return;
    }
    if (pod.metadata.deletionTimestamp) this.stop(pod, state, now, emit);
    else this.sync(key, pod, state, now, emit, ctx);
    for (const [c, type, reason, message] of events) this.event(ctx, pod, c, type, reason, message);
    const fresh = ctx.cluster.store.get('/pods', ns, name);
    if (!fresh) return;
    if (pod.metadata.deletionTimestamp && this.allStopped(state)) {
      writeStatus(ctx.cluster, kind(ctx.cluster, '', 'pods'), fresh, this.status(fresh as Obj, state, now));
      this.finish(fresh as Obj, ctx);
      return;
    }
    writeStatus(ctx.cluster, kind(ctx.cluster, '', 'pods'), fresh, this.status(fresh as Obj, state, now));
    const wake = this.nextWake(state, now);
    if (wake !== undefined && Number.isFinite(wake)) ctx.requeueAfter(key, Math.max(1, wake - now));
  }

  /**
   * The log a `kubectl logs` asks for, or the reason there is none, worded as the kubelet words it
   * (validateContainerLogStatus).
   */
  logOf(pod: Obj, container: string, previous: boolean): { log: ContainerLog; running: () => boolean } | { error: string } {
    const state = this.pods.get(keyOf(pod as KObject));
    const c = state && [...state.init, ...state.containers].find((x) => x.name === container);
    const podName = pod.metadata.name;
    if (previous) {
      if (!c?.previousLog) return { error: `previous terminated container "${container}" in pod "${podName}" not found` };
      return { log: c.previousLog, running: () => false };
    }
    if (!c || (c.phase !== 'running' && c.phase !== 'exited' && c.phase !== 'crash-backoff')) {
      const waiting = ((pod.status?.containerStatuses ?? []) as Obj[]).concat(pod.status?.initContainerStatuses ?? []).find((s) => s.name === container)?.state?.waiting?.reason ?? 'ContainerCreating';
      if (waiting === 'ErrImagePull' || waiting === 'ImagePullBackOff') return { error: `container "${container}" in pod "${podName}" is waiting to start: image can't be pulled` };
      return { error: `container "${container}" in pod "${podName}" is waiting to start: ${waiting}` };
    }
    const log = c.log;
    return { log, running: () => c.phase === 'running' && c.log === log && this.pods.get(keyOf(pod as KObject)) === state };
  }

  /** What a container uses now, as cAdvisor would measure it: CPU in nanocores, memory in bytes. */
  usage(c: ContainerState, now: number): { cpu: number; memory: number } {
    if (c.phase !== 'running') return { cpu: 0, memory: 0 };
    const idle = c.process?.ports.length ? 1_000_000 : 0;
    // Requests served in the last minute make a server busy (what an HPA reacts to).
    const recent = c.served.filter((t) => t > now - 60_000);
    c.served = recent;
    const load = recent.length * 5_000_000;
    const limit = cpuLimitNanos(c.spec);
    const cpu = Math.min(limit ?? Infinity, idle + load + (c.burnMillicores ?? 0) * 1_000_000);
    return { cpu, memory: (c.image?.memoryBytes ?? 0) + (c.memoryBytes ?? 0) };
  }

  /** A request served by a container (through a Service or port-forward), for load and logs. */
  served(key: string, container: string, now: number): void {
    const c = this.pods.get(key)?.containers.find((x) => x.name === container);
    if (c) c.served.push(now);
  }

  // ------------------------------------------------------------ admission of a pod to its node

  private admit(key: string, pod: Obj, ctx: ControllerContext): PodState {
    const now = ctx.now().getTime();
    const mk = (c: Obj, init: boolean): ContainerState => ({
      name: c.name,
      spec: c,
      init,
      phase: 'new',
      until: 0,
      imageRef: c.image,
      pullBackoffMs: BACKOFF_INITIAL_MS,
      id: containerId(),
      restartCount: 0,
      crashBackoffMs: 0,
      ready: false,
      started: false,
      probes: {},
      log: new ContainerLog(),
      served: [],
    });
    const state: PodState = {
      uid: pod.metadata.uid,
      node: pod.spec.nodeName,
      sandboxAt: now + SANDBOX_MS,
      startTime: now,
      init: (pod.spec.initContainers ?? []).map((c: Obj) => mk(c, true)),
      containers: (pod.spec.containers ?? []).map((c: Obj) => mk(c, false)),
      ref: `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
      hostIP: nodeIP(ctx.cluster.store.get('/nodes', undefined, pod.spec.nodeName)),
    };
    // A pod that was already running (the cluster's own pods, or any pod after a restart) is
    // adopted as it is: its containers keep running.
    const statuses: Obj[] = pod.status?.containerStatuses ?? [];
    if (pod.status?.podIP && statuses.length && statuses.every((s) => s.state?.running)) {
      state.ip = pod.status.podIP;
      state.sandboxAt = now;
      state.startTime = Date.parse(pod.status.startTime ?? '') || now;
      for (const c of state.init) {
        c.phase = 'exited';
        c.terminated = { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now };
      }
      for (const c of state.containers) {
        const s = statuses.find((x) => x.name === c.name);
        const res = this.runtime.resolveImage(c.imageRef);
        if (res.ok) c.image = res.image;
        if (s?.containerID) c.id = s.containerID;
        c.restartCount = s?.restartCount ?? 0;
        const started = Date.parse(s?.state?.running?.startedAt ?? '') || now;
        this.startProcess(pod, state, c, started, ctx, true);
        c.started = true;
        c.ready = !!s?.ready || !c.spec.readinessProbe;
        if (c.spec.readinessProbe) c.probes.readiness = { nextAt: now, failures: 0, successes: c.ready ? 1 : 0 };
        if (c.spec.livenessProbe) c.probes.liveness = { nextAt: now + (c.spec.livenessProbe.periodSeconds ?? 10) * 1000, failures: 0, successes: 0 };
      }
      this.ipsOf(state.node).add(state.ip!);
      if (!this.images.has(state.node)) this.images.set(state.node, new Set());
      for (const c of state.containers) if (c.image) this.images.get(state.node)!.add(c.image.ref);
    }
    this.pods.set(key, state);
    return state;
  }

  private forget(key: string): void {
    const state = this.pods.get(key);
    if (!state) return;
    if (state.ip) this.usedIPs.get(state.node)?.delete(state.ip);
    this.runtime.removePod?.(state.uid);
    this.pods.delete(key);
    for (const c of [...state.init, ...state.containers]) for (const w of c.exitWatchers ?? []) w();
    this.waitingOnConfig.delete(key);
  }

  private ipsOf(node: string): Set<string> {
    let set = this.usedIPs.get(node);
    if (!set) this.usedIPs.set(node, (set = new Set()));
    return set;
  }

  private allocateIP(pod: Obj, node: KObject | undefined): string {
    if (pod.spec.hostNetwork) return nodeIP(node);
    const cidr: string = (node as Obj)?.spec?.podCIDR ?? '10.244.1.0/24';
    const base = cidr.split('/')[0].split('.').slice(0, 3).join('.');
    const used = this.ipsOf(pod.spec.nodeName);
    for (let i = 2; i < 255; i++) {
      const ip = `${base}.${i}`;
      if (!used.has(ip)) {
        used.add(ip);
        return ip;
      }
    }
    return `${base}.254`;
  }

  // ------------------------------------------------------------ the pod's life

  private sync(key: string, pod: Obj, state: PodState, now: number, emit: Emit, ctx: ControllerContext): void {
    this.applySpecChanges(pod, state, now, emit);
    if (now < state.sandboxAt) return;
    if (!state.ip) {
      const missing = this.missingVolumes(pod, ctx);
      if (missing) {
        this.waitingOnConfig.add(key);
        if (missing.event && (state.mountWarnedAt === undefined || now - state.mountWarnedAt >= 120_000)) {
          state.mountWarnedAt = now;
          emit(undefined, 'Warning', 'FailedMount', missing.event);
        }
        return;
      }
      this.waitingOnConfig.delete(key);
      const node = ctx.cluster.store.get('/nodes', undefined, state.node);
      state.ip = this.allocateIP(pod, node);
    }
    // Init containers one at a time, in order; the app containers only after all succeeded.
    for (const c of state.init) {
      if (c.phase === 'exited' && c.terminated?.exitCode === 0) continue;
      this.step(key, pod, state, c, now, emit, ctx);
      if (c.phase === 'exited' && c.terminated?.exitCode === 0) continue;
      return;
    }
    for (const c of state.containers) this.step(key, pod, state, c, now, emit, ctx);
  }

  /** A new image (`kubectl set image` on a pod) replaces the container, as its hash changed. */
  private applySpecChanges(pod: Obj, state: PodState, now: number, emit: Emit): void {
    const specs = [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])] as Obj[];
    for (const c of [...state.init, ...state.containers]) {
      const spec = specs.find((x) => x.name === c.name);
      if (!spec || spec.image === c.imageRef) continue;
      c.spec = spec;
      c.imageRef = spec.image;
      c.pullBackoffMs = BACKOFF_INITIAL_MS;
      c.pullError = undefined;
      if (c.phase === 'running') {
        emit(c, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`);
        c.killedFor = 'stop';
        c.program!.kill(now);
        this.exited(pod, c, emit);
        c.crashBackoffMs = 0;
        c.phase = 'crash-backoff';
        c.until = now;
      } else if (c.phase !== 'exited' && c.phase !== 'crash-backoff') {
        c.phase = 'new';
        c.until = now;
      }
    }
  }

  /** Moves one container through its phases up to `now`. */
  private step(key: string, pod: Obj, state: PodState, c: ContainerState, now: number, emit: Emit, ctx: ControllerContext): void {
    for (let guard = 0; guard < 50; guard++) {
      const before = `${c.phase}:${c.until}:${c.restartCount}`;
      this.stepOnce(key, pod, state, c, now, emit, ctx);
      if (`${c.phase}:${c.until}:${c.restartCount}` === before) return;
    }
  }

  private stepOnce(key: string, pod: Obj, state: PodState, c: ContainerState, now: number, emit: Emit, ctx: ControllerContext): void {
    const policy = c.spec.imagePullPolicy ?? 'IfNotPresent';
    const nodeImages = this.images.get(state.node) ?? this.images.set(state.node, new Set()).get(state.node)!;
    switch (c.phase) {
      case 'new':
      case 'pull-backoff': {
        if (c.phase === 'pull-backoff' && now < c.until) return;
        const t = c.phase === 'new' ? Math.max(state.sandboxAt, c.until || 0) : c.until;
        const res = this.runtime.resolveImage(c.imageRef);
        const present = res.ok && nodeImages.has(res.image.ref);
        if (present && policy !== 'Always') {
          c.image = (res as { image: RuntimeImage }).image;
          emit(c, 'Normal', 'Pulled', `Container image "${c.imageRef}" already present on machine`);
          c.phase = 'creating';
          c.until = t + CREATE_MS;
          return;
        }
        if (policy === 'Never') {
          c.phase = 'never-pull';
          emit(c, 'Warning', 'ErrImageNeverPull', `Container image "${c.imageRef}" is not present with pull policy of Never`);
          return;
        }
        emit(c, 'Normal', 'Pulling', `Pulling image "${c.imageRef}"`);
        c.phase = 'pulling';
        c.until = t + (res.ok ? res.image.pullMs : 1200);
        return;
      }
      case 'pulling': {
        if (now < c.until) return;
        const res = this.runtime.resolveImage(c.imageRef);
        if (!res.ok) {
          c.pullError = res.message;
          emit(c, 'Warning', 'Failed', `Failed to pull image "${c.imageRef}": ${res.message}`);
          emit(c, 'Warning', 'Failed', 'Error: ErrImagePull');
          c.phase = 'pull-error';
          c.until = c.until + PULL_BACKOFF_SHOWN_MS;
          return;
        }
        c.image = res.image;
        nodeImages.add(res.image.ref);
        const secs = (res.image.pullMs / 1000).toFixed(3);
        emit(c, 'Normal', 'Pulled', `Successfully pulled image "${c.imageRef}" in ${secs}s (${secs}s including waiting). Image size: ${res.image.size} bytes.`);
        c.pullBackoffMs = BACKOFF_INITIAL_MS;
        c.phase = 'creating';
        c.until = c.until + CREATE_MS;
        return;
      }
      case 'pull-error': {
        if (now < c.until) return;
        emit(c, 'Normal', 'BackOff', `Back-off pulling image "${c.imageRef}"`);
        emit(c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
        c.phase = 'pull-backoff';
        c.until = c.until - PULL_BACKOFF_SHOWN_MS + c.pullBackoffMs;
        c.pullBackoffMs = Math.min(BACKOFF_MAX_MS, c.pullBackoffMs * 2);
        return;
      }
      case 'creating': {
        if (now < c.until) return;
        const problem = this.configProblem(pod, c, ctx);
        if (problem) {
          if (c.configError !== problem) emit(c, 'Warning', 'Failed', `Error: ${problem}`);
          c.configError = problem;
          this.waitingOnConfig.add(key);
          return;
        }
        c.configError = undefined;
        emit(c, 'Normal', 'Created', `Created container: ${c.name}`);
        this.startProcess(pod, state, c, c.until, ctx, false);
        if (c.startError) emit(c, 'Warning', 'Failed', `Error: ${c.startError}`);
        else emit(c, 'Normal', 'Started', `Started container ${c.name}`);
        return;
      }
      case 'running': {
        const p = c.program!;
        p.advance(now);
        this.runProbes(pod, state, c, now, emit);
        const limit = memoryLimit(c.spec);
        if (!p.exit && limit !== undefined && c.image && c.image.memoryBytes > limit && c.startedAt !== undefined && now >= c.startedAt + 1000) {
          c.killedFor = 'oom';
          p.kill(c.startedAt + 1000, true);
        }
        if (!p.exit) return;
        this.exited(pod, c, emit);
        return;
      }
      case 'exited': {
        const t = c.terminated!;
        const restartPolicy = c.init ? (pod.spec.restartPolicy === 'Never' ? 'Never' : 'OnFailure') : pod.spec.restartPolicy ?? 'Always';
        const restart = c.killedFor === 'liveness' || c.killedFor === 'startup' || restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && t.exitCode !== 0);
        if (!restart) return;
        // The first restart is immediate; then 10 s, 20 s, … up to 5 minutes.
        if (t.finishedAt - t.startedAt >= BACKOFF_RESET_MS) c.crashBackoffMs = 0;
        const delay = c.crashBackoffMs;
        c.crashBackoffMs = delay ? Math.min(BACKOFF_MAX_MS, delay * 2) : BACKOFF_INITIAL_MS;
        c.phase = 'crash-backoff';
        c.until = t.finishedAt + delay;
        if (delay) emit(c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`);
        return;
      }
      case 'crash-backoff': {
        if (now < c.until) return;
        c.last = c.terminated;
        c.terminated = undefined;
        c.killedFor = undefined;
        c.restartCount++;
        c.previousLog = c.log;
        c.log = new ContainerLog();
        c.id = containerId();
        c.ready = false;
        c.started = false;
        c.probes = {};
        const t = c.until;
        if (policy === 'Always') {
          emit(c, 'Normal', 'Pulling', `Pulling image "${c.imageRef}"`);
          c.phase = 'pulling';
          c.until = t + (c.image?.pullMs ?? 1000);
        } else {
          emit(c, 'Normal', 'Pulled', `Container image "${c.imageRef}" already present on machine`);
          c.phase = 'creating';
          c.until = t + CREATE_MS;
        }
        return;
      }
      default:
        return;
    }
  }

  private startProcess(pod: Obj, state: PodState, c: ContainerState, at: number, ctx: ControllerContext, adopted: boolean): void {
    const env = this.environment(pod, c, ctx);
    let program: Program | undefined;
    c.memoryBytes = undefined;
    c.burnMillicores = undefined;
    c.startError = undefined;
    const started = this.runtime.start({
      image: c.image ?? { ref: c.imageRef, id: c.imageRef, size: 0, pullMs: 0, memoryBytes: 0 },
      pod,
      container: c.spec,
      env,
      hostname: pod.spec.hostname ?? pod.metadata.name,
      podIP: state.ip ?? '',
      namespace: pod.metadata.namespace,
      startedAt: at,
      now: () => program?.time ?? at,
      onMemory: (bytes) => {
        c.memoryBytes = bytes;
        const limit = memoryLimit(c.spec);
        // The kernel's OOM killer acts the moment the cgroup passes its limit.
        if (program && limit !== undefined && (c.image?.memoryBytes ?? 0) + bytes > limit) {
          c.killedFor = 'oom';
          program.halt(program.time);
        }
      },
      onCpu: (m) => {
        c.burnMillicores = m;
      },
      // PID 1 gets only the signals it handles: a server stops on TERM, a shell ignores it.
      onSignal: (signal) => {
        if (!program || program.exit || !/^(TERM|INT|QUIT|15|2|3)$/.test(signal.replace(/^SIG/, ''))) return;
        program.terminate(this.now());
        this.ctx?.enqueue(this.name, keyOf(pod as KObject));
      },
    });
    c.startedAt = at;
    c.lastStartAt = at;
    if ('startError' in started) {
      // containerd made the container but could not start its process: it ends at once.
      c.startError = started.startError;
      c.process = undefined;
      c.program = undefined;
      c.terminated = { exitCode: started.exitCode, reason: 'StartError', startedAt: 0, finishedAt: at, message: started.startError };
      c.phase = 'exited';
      c.ready = false;
      c.started = false;
      return;
    }
    const proc = started;
    c.process = proc;
    const stdin = c.spec.stdin
      ? () => {
          const s = c.stdin;
          if (s?.chunks.length) return s.chunks.shift()!;
          return s?.end ? undefined : null;
        }
      : undefined;
    program = new Program(proc.gen, at, (o) => this.output(c, o), proc.handlesTerm, stdin);
    c.program = program;
    c.phase = 'running';
    c.started = !c.spec.startupProbe;
    c.ready = !c.spec.readinessProbe && c.started;
    // The prober's ticker started with the pod worker, before the container: its first look comes
    // a tick after the start at the earliest, when a server has had its moment to listen.
    const first = (p: Obj | undefined) => (p ? { nextAt: at + Math.max((p.initialDelaySeconds ?? 0) * 1000, 1000), failures: 0, successes: 0 } : undefined);
    if (!adopted) c.probes = { liveness: first(c.spec.livenessProbe), readiness: first(c.spec.readinessProbe), startup: first(c.spec.startupProbe) };
    if (c.init) c.ready = false;
  }

  /** What a container's main process writes: to its log, and to whoever is attached. */
  private output(c: ContainerState, o: { at: number; stream: 'stdout' | 'stderr'; text: string }): void {
    c.log.write(o);
    for (const f of c.attached ?? []) f(o);
  }

  // ------------------------------------------------------------ requests from outside the node

  /**
   * An HTTP request to a pod's port, as the network delivers it: answered by the container that
   * listens there, which counts it as load and writes its access log line; 'refused' when nothing
   * listens (or the container is not running).
   */
  serveHttp(namespace: string, pod: string, port: number, req: HttpRequest, clientIP?: string): HttpResponse | NetFailure {
    const state = this.pods.get(`${namespace}/${pod}`);
    for (const c of state?.containers ?? []) {
      if (c.phase !== 'running' || !c.process?.ports.includes(port)) continue;
      if (!c.process.http) return { error: 'refused' };
      const now = this.now();
      const res = c.process.http(port, req, now);
      c.served.push(now);
      const line = c.process.accessLog?.(req, res, clientIP ?? gateway(state!.ip), now);
      if (line) this.output(c, { at: now, stream: line.stream, text: `${line.text}\n` });
      return res;
    }
    return { error: 'refused' };
  }

  /** Whether a running container of the pod listens on the port (a bare TCP connect). */
  listening(namespace: string, pod: string, port: number): boolean {
    return !!this.pods.get(`${namespace}/${pod}`)?.containers.some((c) => c.phase === 'running' && c.process?.ports.includes(port));
  }

  /** Input for an attached container's stdin (undefined: the client closed it). */
  attachInput(namespace: string, pod: string, container: string, chunk: Buffer | undefined): void {
    const key = `${namespace}/${pod}`;
    const c = this.pods.get(key)?.containers.find((x) => x.name === container);
    if (!c?.program) return;
    c.stdin ??= { chunks: [], end: false };
    if (chunk) c.stdin.chunks.push(chunk);
    else if (!c.spec.stdinOnce) return;
    else c.stdin.end = true;
    c.program.wake(this.now());
    this.ctx?.enqueue(this.name, key);
  }

  /** The simulated time now, for work that comes from outside a reconcile. */
  now(): number {
    // The manager hands the kubelet its context before any pod reaches it.
    return this.ctx ? this.ctx.now().getTime() : 0;
  }

  private exited(pod: Obj, c: ContainerState, emit: Emit): void {
    const e = c.program!.exit!;
    c.log.flush();
    let reason = e.code === 0 ? 'Completed' : 'Error';
    let code = e.code;
    if (c.killedFor === 'oom') {
      reason = 'OOMKilled';
      code = 137;
    } else if (e.signal === 'KILL') {
      code = 137;
      reason = 'Error';
    }
    c.terminated = { exitCode: code, reason, startedAt: c.startedAt!, finishedAt: e.at };
    c.phase = 'exited';
    c.ready = false;
    const watchers = c.exitWatchers;
    c.exitWatchers = undefined;
    for (const w of watchers ?? []) w();
    void pod;
    void emit;
  }

  // ------------------------------------------------------------ probes

  private runProbes(pod: Obj, state: PodState, c: ContainerState, now: number, emit: Emit): void {
    const kinds: Array<'startup' | 'liveness' | 'readiness'> = c.started ? ['liveness', 'readiness'] : ['startup'];
    for (const k of kinds) {
      const probe = c.spec[`${k}Probe`] as Obj | undefined;
      const ps = c.probes[k];
      if (!probe || !ps) continue;
      while (ps.nextAt <= now && !c.program!.exit) {
        const at = ps.nextAt;
        c.program!.advance(at);
        if (c.program!.exit) break;
        const result = this.probe(probe, state, c, at);
        ps.nextAt = at + (probe.periodSeconds ?? 10) * 1000;
        if (result.ok) {
          ps.failures = 0;
          ps.successes++;
          if (k === 'readiness' && ps.successes >= (probe.successThreshold ?? 1)) c.ready = true;
          if (k === 'startup') {
            c.started = true;
            c.ready = !c.spec.readinessProbe;
            const rd = c.probes.readiness;
            if (rd) rd.nextAt = Math.max(rd.nextAt, at);
            const lv = c.probes.liveness;
            if (lv) lv.nextAt = Math.max(lv.nextAt, at);
            break;
          }
          continue;
        }
        ps.successes = 0;
        ps.failures++;
        const title = k[0].toUpperCase() + k.slice(1);
        emit(c, 'Warning', 'Unhealthy', `${title} probe ${result.errored ? 'errored' : 'failed'}: ${result.message}`);
        if (k === 'readiness') {
          if (ps.failures >= (probe.failureThreshold ?? 3)) c.ready = false;
          continue;
        }
        if (ps.failures >= (probe.failureThreshold ?? 3)) {
          emit(c, 'Normal', 'Killing', `Container ${c.name} failed ${k} probe, will be restarted`);
          c.killedFor = k;
          const grace = (probe.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
          c.program!.terminate(at);
          c.program!.advance(at + grace);
          if (!c.program!.exit) c.program!.kill(at + grace);
          break;
        }
      }
    }
  }

  private probe(probe: Obj, state: PodState, c: ContainerState, at: number): { ok: boolean; message: string; errored?: boolean } {
    const ip = state.ip ?? '';
    const portOf = (p: number | string) => (typeof p === 'number' ? p : ((c.spec.ports ?? []) as Obj[]).find((x) => x.name === p)?.containerPort ?? Number(p));
    if (probe.httpGet) {
      const port = portOf(probe.httpGet.port);
      const path = probe.httpGet.path ?? '/';
      const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
      const host = probe.httpGet.host ?? ip;
      const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
      if (!c.process?.ports.includes(port)) return { ok: false, message: `Get "${url}": dial tcp ${host}:${port}: connect: connection refused` };
      if (!c.process.http) return { ok: false, message: `Get "${url}": net/http: HTTP/1.x transport connection broken: malformed HTTP response` };
      const headers: Record<string, string> = { Host: `${host}:${port}`, 'User-Agent': `kube-probe/${KUBERNETES_VERSION.replace(/^v/, '').split('.').slice(0, 2).join('.')}`, Accept: '*/*', Connection: 'close' };
      for (const h of (probe.httpGet.httpHeaders ?? []) as Obj[]) setOwn(headers, String(h.name), h.value);
      const req: HttpRequest = { method: 'GET', url, host, ip: host, port, path, headers };
      const res = c.process.http(port, req, at);
      // The probe is a request like any other: the server logs it, from the node's side of the pod network.
      const line = c.process.accessLog?.(req, res, gateway(ip), at);
      if (line) this.output(c, { at, stream: line.stream, text: `${line.text}\n` });
      if (res.status >= 200 && res.status < 400) return { ok: true, message: '' };
      return { ok: false, message: `HTTP probe failed with statuscode: ${res.status}` };
    }
    if (probe.tcpSocket) {
      const port = portOf(probe.tcpSocket.port);
      if (c.process?.ports.includes(port)) return { ok: true, message: '' };
      return { ok: false, message: `dial tcp ${ip}:${port}: connect: connection refused` };
    }
    if (probe.exec) {
      const command: string[] = probe.exec.command ?? [];
      const r = this.execProbe ? this.execProbe(state, c, command) : this.runInContainer(c, command, at, (probe.timeoutSeconds ?? 1) * 1000);
      if (!r) return { ok: true, message: '' };
      return { ok: r.exitCode === 0, message: r.output, ...('errored' in r && r.errored ? { errored: true } : {}) };
    }
    return { ok: true, message: '' };
  }

  /** Runs an exec probe's command in the container instead of the container shell (tests). */
  execProbe?: (pod: PodState, c: ContainerState, command: string[]) => { exitCode: number; output: string } | undefined;

  /**
   * Runs a command to completion in a running container at simulated time `at`, as an exec probe
   * does: its output is what the probe reports, and running past the timeout fails it.
   */
  private runInContainer(c: ContainerState, command: string[], at: number, timeoutMs: number): { exitCode: number; output: string; errored?: boolean } {
    if (!c.process) return { exitCode: 1, output: 'container not running' };
    let t = at;
    const gen = c.process.spawn(command, { tty: false, now: () => t });
    // The runtime could not start it: the kubelet reports the probe as errored, in the CRI's words.
    if ('error' in gen) return { exitCode: 126, output: `rpc error: code = Unknown desc = failed to exec in container: failed to start exec "${randomBytes(32).toString('hex')}": ${gen.error}`, errored: true };
    let output = '';
    let input: string | undefined;
    for (let steps = 0; steps < 100_000; steps++) {
      const r = gen.next(input);
      input = undefined;
      if (r.done) return { exitCode: r.value, output: output.replace(/\n$/, '') };
      const step = r.value;
      if (step.kind === 'stdout' || step.kind === 'stderr') output += String(step.data);
      else if (step.kind === 'sleep') {
        t += step.ms;
        if (t - at > timeoutMs) {
          gen.return(1);
          return { exitCode: 1, output: `command "${command.join(' ')}" timed out` };
        }
      }
    }
    gen.return(1);
    return { exitCode: 1, output: `command "${command.join(' ')}" timed out` };
  }

  // ------------------------------------------------------------ volumes and configuration

  private missingVolumes(pod: Obj, ctx: ControllerContext): { event?: string } | undefined {
    const ns = pod.metadata.namespace;
    for (const v of (pod.spec.volumes ?? []) as Obj[]) {
      if (v.configMap && !v.configMap.optional && !ctx.cluster.store.get('/configmaps', ns, v.configMap.name)) {
        return { event: `MountVolume.SetUp failed for volume "${v.name}" : configmap "${v.configMap.name}" not found` };
      }
      if (v.secret && !v.secret.optional && !ctx.cluster.store.get('/secrets', ns, v.secret.secretName)) {
        return { event: `MountVolume.SetUp failed for volume "${v.name}" : secret "${v.secret.secretName}" not found` };
      }
      if (v.persistentVolumeClaim) {
        const pvc = ctx.cluster.store.get('/persistentvolumeclaims', ns, v.persistentVolumeClaim.claimName) as Obj | undefined;
        if (!pvc || pvc.status?.phase !== 'Bound') return {};
      }
    }
    return undefined;
  }

  private configProblem(pod: Obj, c: ContainerState, ctx: ControllerContext): string | undefined {
    const ns = pod.metadata.namespace;
    for (const e of (c.spec.env ?? []) as Obj[]) {
      const cm = e.valueFrom?.configMapKeyRef;
      if (cm && !cm.optional) {
        const obj = ctx.cluster.store.get('/configmaps', ns, cm.name) as Obj | undefined;
        if (!obj) return `configmap "${cm.name}" not found`;
        if (!hasOwn(obj.data, cm.key) && !hasOwn(obj.binaryData, cm.key)) return `couldn't find key ${cm.key} in ConfigMap ${ns}/${cm.name}`;
      }
      const sk = e.valueFrom?.secretKeyRef;
      if (sk && !sk.optional) {
        const obj = ctx.cluster.store.get('/secrets', ns, sk.name) as Obj | undefined;
        if (!obj) return `secret "${sk.name}" not found`;
        if (!hasOwn(obj.data, sk.key)) return `couldn't find key ${sk.key} in Secret ${ns}/${sk.name}`;
      }
    }
    for (const f of (c.spec.envFrom ?? []) as Obj[]) {
      if (f.configMapRef && !f.configMapRef.optional && !ctx.cluster.store.get('/configmaps', ns, f.configMapRef.name)) return `configmap "${f.configMapRef.name}" not found`;
      if (f.secretRef && !f.secretRef.optional && !ctx.cluster.store.get('/secrets', ns, f.secretRef.name)) return `secret "${f.secretRef.name}" not found`;
    }
    return undefined;
  }

  /** The container's environment: service links, envFrom, then env (later entries win). */
  environment(pod: Obj, c: ContainerState, ctx: ControllerContext): Record<string, string> {
    const ns = pod.metadata.namespace;
    // Keyed by names the learner chose (`__proto__` is a valid variable name): no prototype.
    const env = dict<string>();
    env.HOSTNAME = pod.spec.hostname ?? pod.metadata.name;
    // The namespace's Services (unless links are off) and, always, the API server's own.
    const master = ctx.cluster.store.get('/services', 'default', 'kubernetes') as Obj | undefined;
    const candidates = [...(master ? [master] : []), ...(ctx.cluster.store.list('/services', ns) as Obj[])];
    Object.assign(env, serviceEnv(servicesForEnv(candidates, ns, pod.spec.enableServiceLinks !== false)));
    const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
    for (const f of (c.spec.envFrom ?? []) as Obj[]) {
      const prefix = f.prefix ?? '';
      if (f.configMapRef) for (const [k, v] of Object.entries(((ctx.cluster.store.get('/configmaps', ns, f.configMapRef.name) as Obj | undefined)?.data ?? {}) as Record<string, string>)) env[prefix + k] = v;
      if (f.secretRef) for (const [k, v] of Object.entries(((ctx.cluster.store.get('/secrets', ns, f.secretRef.name) as Obj | undefined)?.data ?? {}) as Record<string, string>)) env[prefix + k] = decode(v);
    }
    for (const e of (c.spec.env ?? []) as Obj[]) {
      if (e.value !== undefined) env[e.name] = String(e.value).replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n) => env[n] ?? m);
      else if (e.valueFrom?.configMapKeyRef) env[e.name] = own<string>((ctx.cluster.store.get('/configmaps', ns, e.valueFrom.configMapKeyRef.name) as Obj | undefined)?.data, e.valueFrom.configMapKeyRef.key) ?? '';
      else if (e.valueFrom?.secretKeyRef) {
        const v = own<string>((ctx.cluster.store.get('/secrets', ns, e.valueFrom.secretKeyRef.name) as Obj | undefined)?.data, e.valueFrom.secretKeyRef.key);
        env[e.name] = v === undefined ? '' : decode(v);
      } else if (e.valueFrom?.fieldRef) env[e.name] = fieldRef(pod, e.valueFrom.fieldRef.fieldPath, this.pods.get(keyOf(pod as KObject))?.ip);
      else if (e.valueFrom?.resourceFieldRef) env[e.name] = resourceFieldRef(pod, c, e.valueFrom.resourceFieldRef);
      else env[e.name] = '';
    }
    return env;
  }

  // ------------------------------------------------------------ termination

  private stop(pod: Obj, state: PodState, now: number, emit: Emit): void {
    if (!state.stopping) {
      const grace = (pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
      const since = Date.parse(pod.metadata.deletionTimestamp) - grace;
      state.stopping = { since: Math.min(now, Number.isNaN(since) ? now : since), deadline: Number.isNaN(since) ? now + grace : since + grace };
      for (const c of [...state.init, ...state.containers]) {
        if (c.phase !== 'running') continue;
        emit(c, 'Normal', 'Killing', `Stopping container ${c.name}`);
        c.program!.advance(state.stopping.since);
        c.program!.terminate(state.stopping.since);
      }
    }
    for (const c of [...state.init, ...state.containers]) {
      if (c.phase === 'running') {
        c.program!.advance(now);
        if (!c.program!.exit && now >= state.stopping.deadline) {
          c.killedFor = 'stop';
          c.program!.kill(state.stopping.deadline);
        }
        if (c.program!.exit) this.exited(pod, c, emit);
      } else if (c.phase !== 'exited') {
        c.phase = 'exited';
        c.terminated = c.terminated ?? { exitCode: 0, reason: 'ContainerStatusUnknown', startedAt: now, finishedAt: now };
      }
    }
  }

  private allStopped(state: PodState): boolean {
    return [...state.init, ...state.containers].every((c) => c.phase !== 'running');
  }

  /** The kubelet's last word on a pod it stopped: delete it for good. */
  private finish(pod: Obj, ctx: ControllerContext): void {
    try {
      ctx.cluster.delete(kind(ctx.cluster, '', 'pods'), pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch {
      // Already gone, or replaced by a new pod of the same name.
    }
  }

  // ------------------------------------------------------------ status and wake-ups

  private nextWake(state: PodState, now: number): number | undefined {
    let next = Infinity;
    if (now < state.sandboxAt) next = state.sandboxAt;
    if (state.stopping && now < state.stopping.deadline) next = Math.min(next, state.stopping.deadline);
    for (const c of [...state.init, ...state.containers]) {
      if (['pulling', 'pull-error', 'pull-backoff', 'creating', 'crash-backoff'].includes(c.phase) && c.until > now) next = Math.min(next, c.until);
      if (c.phase === 'running') {
        const w = c.program?.wakeAt;
        if (w !== undefined) next = Math.min(next, w);
        for (const k of ['liveness', 'readiness', 'startup'] as const) {
          const p = c.probes[k];
          if (p && (k === 'startup' ? !c.started : c.started)) next = Math.min(next, p.nextAt);
        }
        const limit = memoryLimit(c.spec);
        if (limit !== undefined && c.image && c.image.memoryBytes > limit && c.startedAt !== undefined) next = Math.min(next, c.startedAt + 1000);
      }
    }
    return next === Infinity ? undefined : Math.max(next, now + 1);
  }

  status(pod: Obj, state: PodState, now: number): Obj {
    const t = (ms: number) => rfc3339(new Date(ms));
    const old = pod.status ?? {};
    const cond = (type: string, ok: boolean, reason?: string, message?: string): Obj => {
      const prev = (old.conditions ?? []).find((c: Obj) => c.type === type);
      const status = ok ? 'True' : 'False';
      return {
        type,
        status,
        lastProbeTime: null,
        lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : t(now),
        ...(reason ? { reason } : {}),
        ...(message ? { message } : {}),
      };
    };
    const sandbox = !!state.ip;
    const initDone = state.init.every((c) => c.phase === 'exited' && c.terminated?.exitCode === 0);
    const unready = state.containers.filter((c) => !c.ready).map((c) => c.name);
    const incompleteInit = state.init.filter((c) => !(c.phase === 'exited' && c.terminated?.exitCode === 0)).map((c) => c.name);
    const phase = this.phase(pod, state, initDone);
    const conditions = [
      cond('PodReadyToStartContainers', sandbox),
      initDone ? cond('Initialized', true) : cond('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`),
      unready.length ? cond('Ready', false, phase === 'Succeeded' || phase === 'Failed' ? 'PodCompleted' : 'ContainersNotReady', phase === 'Succeeded' || phase === 'Failed' ? undefined : `containers with unready status: [${unready.join(' ')}]`) : cond('Ready', true),
      unready.length ? cond('ContainersReady', false, phase === 'Succeeded' || phase === 'Failed' ? 'PodCompleted' : 'ContainersNotReady', phase === 'Succeeded' || phase === 'Failed' ? undefined : `containers with unready status: [${unready.join(' ')}]`) : cond('ContainersReady', true),
      (old.conditions ?? []).find((c: Obj) => c.type === 'PodScheduled') ?? cond('PodScheduled', true),
    ];
    const hostIP = state.hostIP;
    const status: Obj = {
      phase,
      conditions,
      hostIP,
      hostIPs: [{ ip: hostIP }],
      ...(state.ip ? { podIP: state.ip, podIPs: [{ ip: state.ip }] } : {}),
      startTime: t(state.startTime),
      ...(state.init.length ? { initContainerStatuses: state.init.map((c) => this.containerStatus(c, now, initDone, state.ref)) } : {}),
      containerStatuses: state.containers.map((c) => this.containerStatus(c, now, initDone, state.ref)),
      qosClass: old.qosClass,
    };
    if (old.nominatedNodeName) status.nominatedNodeName = old.nominatedNodeName;
    return status;
  }

  private phase(pod: Obj, state: PodState, initDone: boolean): string {
    if (!initDone) {
      const failed = state.init.find((c) => c.phase === 'exited' && c.terminated && c.terminated.exitCode !== 0);
      if (failed && pod.spec.restartPolicy === 'Never') return 'Failed';
      return 'Pending';
    }
    const cs = state.containers;
    const policy = pod.spec.restartPolicy ?? 'Always';
    if (cs.some((c) => c.phase === 'running')) return 'Running';
    if (cs.every((c) => c.phase === 'exited' || c.phase === 'crash-backoff')) {
      if (policy === 'Always' || cs.some((c) => c.phase === 'crash-backoff')) return cs.some((c) => c.restartCount > 0 || c.phase === 'crash-backoff') || policy === 'Always' ? 'Running' : 'Pending';
      const failed = cs.some((c) => c.terminated && c.terminated.exitCode !== 0);
      if (policy === 'OnFailure' && failed) return 'Running';
      return failed ? 'Failed' : 'Succeeded';
    }
    // Some containers waiting: Running once any has started before, Pending otherwise.
    return cs.some((c) => c.restartCount > 0 || c.startedAt !== undefined) ? 'Running' : 'Pending';
  }

  private containerStatus(c: ContainerState, now: number, initDone: boolean, podRef: string): Obj {
    const t = (ms: number) => rfc3339(new Date(ms));
    const term = (x: Terminated): Obj => ({ terminated: { exitCode: x.exitCode, reason: x.reason, ...(x.message ? { message: x.message } : {}), startedAt: t(x.startedAt), finishedAt: t(x.finishedAt), containerID: c.id } });
    let state: Obj;
    switch (c.phase) {
      case 'running':
        state = { running: { startedAt: t(c.startedAt!) } };
        break;
      case 'exited':
        state = term(c.terminated!);
        break;
      case 'crash-backoff':
        state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${humanBackoff(c.until - c.terminated!.finishedAt)} restarting failed container=${c.name} pod=${podRef}` } };
        break;
      case 'pull-error':
        state = { waiting: { reason: 'ErrImagePull', message: c.pullError } };
        break;
      case 'pull-backoff':
        state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.imageRef}": ErrImagePull: ${c.pullError}` } };
        break;
      case 'never-pull':
        state = { waiting: { reason: 'ErrImageNeverPull', message: `Container image "${c.imageRef}" is not present with pull policy of Never` } };
        break;
      case 'creating':
        state = { waiting: { reason: c.configError ? 'CreateContainerConfigError' : 'ContainerCreating', ...(c.configError ? { message: c.configError } : {}) } };
        break;
      default:
        state = { waiting: { reason: c.init || initDone ? 'ContainerCreating' : 'PodInitializing' } };
    }
    // A restart's pull and creation happen inside one sync of the real kubelet, which publishes the
    // status it found at the start of it: the last exit, or the back-off it was waiting out.
    if ((c.phase === 'pulling' || c.phase === 'creating') && !c.configError && c.last && c.restartCount > 0) {
      const waited = c.crashBackoffMs / 2;
      state = waited >= BACKOFF_INITIAL_MS ? { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${humanBackoff(waited)} restarting failed container=${c.name} pod=${podRef}` } } : term(c.last);
    }
    void now;
    const out: Obj = {
      name: c.name,
      state,
      lastState: c.last && c.phase !== 'exited' && !state.terminated ? term(c.last) : c.phase === 'exited' && c.last ? term(c.last) : {},
      ready: c.ready,
      restartCount: c.restartCount,
      image: c.image?.ref ?? c.imageRef,
      imageID: c.image && c.startedAt !== undefined ? c.image.id : '',
      ...(c.startedAt !== undefined || c.phase === 'running' ? { containerID: c.id } : {}),
      started: c.phase === 'running' && c.started,
    };
    if (c.init) delete out.started;
    return out;
  }

  private event(ctx: ControllerContext, pod: Obj, c: ContainerState | undefined, type: EventType, reason: string, message: string): void {
    ctx.events.record(
      { component: 'kubelet', host: pod.spec.nodeName },
      { kind: 'Pod', apiVersion: 'v1', object: pod as KObject, ...(c ? { fieldPath: `spec.${c.init ? 'initContainers' : 'containers'}{${c.name}}` } : {}) },
      type,
      reason,
      message,
    );
  }
}

/** The pod network's gateway on the node, where the kubelet's probes come from. */
function gateway(ip: string | undefined): string {
  return ip ? ip.replace(/\.\d+$/, '.1') : '';
}

function nodeIP(node: KObject | undefined): string {
  return (((node as Obj | undefined)?.status?.addresses ?? []) as Obj[]).find((a) => a.type === 'InternalIP')?.address ?? '';
}

/** Go's time.Duration printing for the back-off: 10s, 20s, 1m20s, 5m0s. */
function humanBackoff(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

type Emit = (c: ContainerState | undefined, type: EventType, reason: string, message: string) => void;

function fieldRef(pod: Obj, path: string, ip: string | undefined): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return own<string>(own(pod.metadata, m[1]), m[2]) ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace;
    case 'metadata.uid':
      return pod.metadata.uid;
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return ip ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return pod.status?.hostIP ?? '';
    default:
      return '';
  }
}

function resourceFieldRef(pod: Obj, c: ContainerState, ref: Obj): string {
  const container = ref.containerName ? ((pod.spec.containers ?? []) as Obj[]).find((x) => x.name === ref.containerName) : c.spec;
  const [kindOf, res] = String(ref.resource).split('.');
  const q = container?.resources?.[kindOf]?.[res];
  if (q === undefined) return res === 'cpu' ? '4' : '16757207040';
  try {
    const v = quantityValue(quantityFromJSON(q));
    const divisor = ref.divisor ? quantityValue(quantityFromJSON(ref.divisor)) : 1;
    return String(Math.ceil(v / divisor));
  } catch {
    return '';
  }
}

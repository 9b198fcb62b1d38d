// The kubelets of all simulated nodes, as a controller. A pod bound to a node gets a sandbox and an
// IP, then its containers are stepped through their lifecycle (lifecycle.ts), init containers
// first and in order; this file does what the steps ask and cannot do themselves: start processes
// and play them on the simulated clock, probe them (probes.ts), kill them, stop a deleted pod
// within its grace period, write the pod's status (pod-status.ts) and send the kubelet's events.
// It also answers what comes from outside the node: logs, requests to a pod's ports, attach input.
// Runtime state lives in memory, as a kubelet's does; after a restart running pods are adopted.
import { randomBytes } from 'node:crypto';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KObject } from '../kinds/types.js';
import type { StoreEvent } from '../store.js';
import type { KubeletApi } from '../control-plane.js';
import { flat } from '../recent.js';
import type { Controller, ControllerContext } from '../controllers/manager.js';
import { keyOf, splitKey } from '../controllers/manager.js';
import { kind, writeStatus } from '../controllers/util.js';
import type { EventType } from '../kinds/event.js';
import { configProblem, cpuLimitNanos, environment, memoryLimit, missingVolume } from './container-env.js';
import { abandoned, adopted, completedBefore, dueAt, exitedWith, imageChanged, isSidecar, newLifecycle, restartPolicyOf, startedWith, step, TIMINGS, type Facts, type KilledFor } from './lifecycle.js';
import { ContainerLog } from './logs.js';
import { allOf, isRunning, succeeded, type ContainerState, type PodState } from './pod-state.js';
import { podStatus, stoppedForGood } from './pod-status.js';
import { adoptedProbes, firstProbes, gateway, nextProbeAt, runProbes } from './probes.js';
import { Program } from './program.js';
import type { ContainerRuntime, StartFailure } from './types.js';
import type { HttpRequest, HttpResponse, NetFailure } from './shell/types.js';

type Emit = (c: ContainerState | undefined, type: EventType, reason: string, message: string) => void;

function containerId(): string {
  return `containerd://${randomBytes(32).toString('hex')}`;
}

function nodeIP(node: Node | undefined): string {
  return (node?.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address ?? '';
}

export class Kubelet implements Controller, KubeletApi {
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
      { resource: '/pods', keys: (e: StoreEvent) => ((e.object as Pod).spec?.nodeName ? [keyOf(e.object)] : []) },
      { resource: '/configmaps', keys: () => [...this.waitingOnConfig] },
      { resource: '/secrets', keys: () => [...this.waitingOnConfig] },
      { resource: '/persistentvolumeclaims', keys: () => [...this.waitingOnConfig] },
    ];
  }

  initialKeys(ctx: ControllerContext): string[] {
    this.ctx = ctx;
    return ctx.cluster.store
      .list('/pods')
      .filter((p) => (p as Pod).spec?.nodeName)
      .map(keyOf);
  }

  reconcile(key: string, ctx: ControllerContext): void {
    this.ctx = ctx;
    const [ns, name] = splitKey(key);
    const stored = ctx.cluster.store.get('/pods', ns, name);
    const pod = stored as Pod | undefined;
    if (!stored || !pod?.spec?.nodeName) {
      this.forget(key);
      return;
    }
    let state = this.pods.get(key);
    if (state && state.uid !== stored.metadata.uid) {
      this.forget(key);
      state = undefined;
    }
    if (!state) state = this.admit(key, pod, ctx);
    const now = ctx.now().getTime();
    const events: Array<Parameters<Emit>> = [];
    const emit: Emit = (...e) => events.push(e);
    const phase = pod.status?.phase;
    const deleting = !!stored.metadata.deletionTimestamp;
    if (phase === 'Succeeded' || phase === 'Failed') {
      if (deleting) this.finish(stored, ctx);
      return;
    }
    if (deleting) this.stop(pod, state, now, emit);
    else this.sync(key, pod, state, now, emit, ctx);
    for (const [c, type, reason, message] of events) this.event(ctx, stored, c, type, reason, message);
    const fresh = ctx.cluster.store.get('/pods', ns, name);
    if (!fresh) return;
    if (!this.midSync(state)) writeStatus(ctx.cluster, kind(ctx.cluster, '', 'pods'), fresh, podStatus(fresh as Pod, state, now));
    if (deleting && stoppedForGood(state)) {
      this.finish(fresh, ctx);
      return;
    }
    const wake = this.nextWake(state, now);
    if (wake !== undefined && Number.isFinite(wake)) ctx.requeueAfter(key, Math.max(1, wake - now));
  }

  /**
   * The log a `kubectl logs` asks for, or the reason there is none, worded as the kubelet words it
   * (validateContainerLogStatus).
   */
  logOf(pod: Pod, container: string, previous: boolean): { log: ContainerLog; running: () => boolean } | { error: string } {
    const key = keyOf(pod as KObject);
    const state = this.pods.get(key);
    const c = state && allOf(state).find((x) => x.name === container);
    const podName = pod.metadata?.name;
    // The logs of the container the status names: the latest, or the one before for --previous.
    // While the kubelet waits to restart it, the status shows the latest as the last state:
    // both read the latest then.
    const l = c?.life;
    const waitingToRestart = !!l?.terminated && l.phase !== 'exited' && !!l.failure;
    if (previous) {
      const log = waitingToRestart ? c?.log : c?.previousLog;
      if (!log) return { error: `previous terminated container "${container}" in pod "${podName}" not found` };
      return { log, running: () => false };
    }
    if (!c || (c.life.phase !== 'running' && !c.life.terminated)) {
      const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
      const waiting = statuses.find((s) => s.name === container)?.state?.waiting?.reason ?? 'ContainerCreating';
      if (waiting === 'ErrImagePull' || waiting === 'ImagePullBackOff') return { error: `container "${container}" in pod "${podName}" is waiting to start: image can't be pulled` };
      return { error: `container "${container}" in pod "${podName}" is waiting to start: ${waiting}` };
    }
    const log = c.log;
    return { log, running: () => isRunning(c) && c.log === log && this.pods.get(key) === state };
  }

  /** What a container uses now, as cAdvisor would measure it: CPU in nanocores, memory in bytes. */
  usage(c: ContainerState, now: number): { cpu: number; memory: number } {
    if (!isRunning(c)) return { cpu: 0, memory: 0 };
    const idle = c.process?.ports.length ? 1_000_000 : 0;
    // Requests served in the last minute make a server busy (what an HPA reacts to).
    const recent = c.served.filter((t) => t > now - 60_000);
    c.served = recent;
    const load = recent.length * 5_000_000;
    const cpu = Math.min(cpuLimitNanos(c.spec) ?? Infinity, idle + load + (c.burnMillicores ?? 0) * 1_000_000);
    return { cpu, memory: (c.life.image?.memoryBytes ?? 0) + (c.memoryBytes ?? 0) };
  }

  /** A request served by a container (through a Service or port-forward), for load and logs. */
  served(key: string, container: string, now: number): void {
    const c = this.pods.get(key)?.containers.find((x) => x.name === container);
    if (c) c.served.push(now);
  }

  // ------------------------------------------------------------ admission of a pod to its node

  private admit(key: string, pod: Pod, ctx: ControllerContext): PodState {
    const now = ctx.now().getTime();
    const spec = pod.spec!;
    const meta = pod.metadata!;
    const mk = (c: (typeof spec.containers)[number], init: boolean): ContainerState => ({
      name: c.name,
      init,
      spec: c,
      life: newLifecycle(c, init),
      id: containerId(),
      probes: {},
      log: new ContainerLog(),
      served: [],
    });
    const state: PodState = {
      uid: meta.uid ?? '',
      node: spec.nodeName ?? '',
      sandboxAt: now + TIMINGS.sandboxMs,
      startTime: now,
      init: (spec.initContainers ?? []).map((c) => mk(c, true)),
      containers: spec.containers.map((c) => mk(c, false)),
      ref: flat(`${meta.name}_${meta.namespace}(${meta.uid})`),
      hostIP: nodeIP(ctx.cluster.store.get('/nodes', undefined, spec.nodeName ?? '') as Node | undefined),
    };
    // A pod that was already running (the cluster's own pods, or any pod after a restart) is
    // adopted as it is: its containers keep running.
    const statuses = pod.status?.containerStatuses ?? [];
    const podIP = pod.status?.podIP;
    if (podIP && statuses.length && statuses.every((s) => s.state?.running)) {
      state.ip = podIP;
      state.sandboxAt = now;
      state.startTime = Date.parse(pod.status?.startTime ?? '') || now;
      const initStatuses = pod.status?.initContainerStatuses ?? [];
      // A sidecar that was running is adopted running, as the app containers are; the other init containers had completed.
      const runningSidecar = (c: ContainerState) => isSidecar(c.spec) && !!initStatuses.find((x) => x.name === c.name)?.state?.running;
      for (const c of state.init) if (!runningSidecar(c)) c.life = completedBefore(c.life, now);
      const onNode = this.imagesOf(state.node);
      for (const c of [...state.init.filter(runningSidecar), ...state.containers]) {
        const s = (c.init ? initStatuses : statuses).find((x) => x.name === c.name);
        const res = this.runtime.resolveImage(c.life.imageRef);
        if (res.ok) {
          c.life = { ...c.life, image: res.image };
          onNode.add(res.image.ref);
        }
        if (s?.containerID) c.id = s.containerID;
        const started = Date.parse(s?.state?.running?.startedAt ?? '') || now;
        const outcome = this.launch(pod, state, c, started, ctx);
        c.life = 'startError' in outcome ? startedWith(c.life, started, outcome, c.spec) : adopted(c.life, started, s?.restartCount ?? 0, !!s?.ready, c.spec);
        c.probes = adoptedProbes(c.spec, now, c.life.ready);
      }
      this.ipsOf(state.node).add(podIP);
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
    for (const c of allOf(state)) for (const w of c.exitWatchers ?? []) w();
    this.waitingOnConfig.delete(key);
  }

  private ipsOf(node: string): Set<string> {
    let set = this.usedIPs.get(node);
    if (!set) this.usedIPs.set(node, (set = new Set()));
    return set;
  }

  private imagesOf(node: string): Set<string> {
    let set = this.images.get(node);
    if (!set) this.images.set(node, (set = new Set()));
    return set;
  }

  private allocateIP(pod: Pod, node: Node | undefined): string {
    if (pod.spec?.hostNetwork) return nodeIP(node);
    const cidr = node?.spec?.podCIDR ?? '10.244.1.0/24';
    const base = cidr.split('/')[0].split('.').slice(0, 3).join('.');
    const used = this.ipsOf(pod.spec?.nodeName ?? '');
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

  private sync(key: string, pod: Pod, state: PodState, now: number, emit: Emit, ctx: ControllerContext): void {
    this.applySpecChanges(pod, state, now, emit);
    if (now < state.sandboxAt) return;
    if (!state.ip) {
      const missing = missingVolume(pod, ctx.cluster.store);
      if (missing) {
        this.waitingOnConfig.add(key);
        if (missing.event && (state.mountWarnedAt === undefined || now - state.mountWarnedAt >= TIMINGS.mountWarningMs)) {
          state.mountWarnedAt = now;
          emit(undefined, 'Warning', 'FailedMount', missing.event);
        }
        return;
      }
      this.waitingOnConfig.delete(key);
      state.ip = this.allocateIP(pod, ctx.cluster.store.get('/nodes', undefined, state.node) as Node | undefined);
    }
    // Init containers one at a time, in order, each from the moment the one before it ended; the
    // app containers only after all succeeded, from the moment the last one did. A sidecar does
    // not end: the next one starts once it has started, and it keeps running (and restarting)
    // beside the app containers, which no longer wait for it once they have run.
    let from = state.sandboxAt;
    const initialized = state.containers.some((c) => c.life.startedAt !== undefined);
    for (const c of state.init) {
      if (isSidecar(c.spec)) {
        this.advance(pod, state, c, from, now, emit, ctx);
        if (!initialized && !(isRunning(c) && c.life.started)) return;
        from = Math.max(from, c.life.startedAt ?? from);
        continue;
      }
      if (!succeeded(c)) this.advance(pod, state, c, from, now, emit, ctx);
      if (!succeeded(c)) return;
      from = Math.max(from, c.life.terminated?.finishedAt ?? from);
    }
    for (const c of state.containers) this.advance(pod, state, c, from, now, emit, ctx);
    this.stopSidecarsWhenDone(pod, state, now, emit);
  }

  /**
   * A pod whose app containers are not restarted (a Job's) is done when they have ended for good:
   * its sidecars are then stopped, as for a deletion (SIGTERM, SIGKILL after the grace period).
   */
  private stopSidecarsWhenDone(pod: Pod, state: PodState, now: number, emit: Emit): void {
    const policy = pod.spec?.restartPolicy ?? 'Always';
    if (policy === 'Always') return;
    const done = state.containers.every((c) => c.life.phase === 'exited' && (policy === 'Never' || c.life.terminated?.exitCode === 0));
    if (!done) return;
    for (const c of state.init) {
      if (!isSidecar(c.spec) || !isRunning(c) || c.life.killedFor) continue;
      emit(c, 'Normal', 'Killing', `Stopping container ${c.name}`);
      this.kill(c, 'stop', now, (pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
    }
  }

  /**
   * A new image (`kubectl set image` on a pod) replaces the container, as its hash changed: a
   * running one is stopped as for a deletion (SIGTERM, SIGKILL after the grace period), then
   * started again from the new image.
   */
  private applySpecChanges(pod: Pod, state: PodState, now: number, emit: Emit): void {
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    for (const c of allOf(state)) {
      const spec = specs.find((x) => x.name === c.name);
      if (!spec || spec.image === c.life.imageRef) continue;
      c.spec = spec;
      if (isRunning(c) && !c.life.killedFor) {
        emit(c, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`);
        this.kill(c, 'changed', now, (pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
      }
      c.life = imageChanged(c.life, spec.image ?? '', now);
    }
  }

  /** SIGTERM to a running container the kubelet kills, and SIGKILL once its grace period is over. */
  private kill(c: ContainerState, why: KilledFor, at: number, graceMs: number): void {
    c.life = { ...c.life, killedFor: why };
    c.program!.advance(at);
    c.program!.terminate(at);
    c.killDeadline = at + graceMs;
  }

  /**
   * Whether the kubelet is inside a sync that kills containers (to restart them, or because the
   * pod was deleted): the status it wrote as the sync began stands until that is done, as the
   * real one writes none before.
   */
  private midSync(state: PodState): boolean {
    if (state.stopping) return !stoppedForGood(state);
    return allOf(state).some((c) => {
      const { killedFor, phase, failure } = c.life;
      const kubeletKill = killedFor === 'liveness' || killedFor === 'startup' || killedFor === 'changed';
      // Until the new container runs, unless the restart must wait (a back-off, a failed pull).
      return kubeletKill && phase !== 'exited' && !failure;
    });
  }

  /** Steps one container through its lifecycle up to `now`, doing the work each stage asks for. */
  private advance(pod: Pod, state: PodState, c: ContainerState, startFrom: number, now: number, emit: Emit, ctx: ControllerContext): void {
    const onNode = this.imagesOf(state.node);
    const facts: Facts = {
      spec: c.spec,
      restartPolicy: pod.spec?.restartPolicy,
      startFrom,
      podRef: state.ref,
      image: (ref) => this.runtime.resolveImage(ref),
      onNode: (ref) => onNode.has(ref),
      configProblem: () => configProblem(pod, c.spec, ctx.cluster.store),
    };
    for (let guard = 0; guard < 50; guard++) {
      const before = c.life;
      let start: Facts['start'];
      let exit: Facts['exit'];
      if (before.phase === 'starting') start = this.launch(pod, state, c, before.until, ctx);
      else if (before.phase === 'running') exit = this.run(pod, state, c, now, emit);
      const r = step(c.life, now, { ...facts, start, exit });
      c.life = r.life;
      for (const e of r.events) emit(c, e.type, e.reason, e.message);
      for (const effect of r.effects) {
        if (effect.kind === 'image-on-node') onNode.add(effect.ref);
        else this.restarted(c);
      }
      if (exit) this.ended(c);
      const l = c.life;
      if (l.phase === before.phase && l.until === before.until && l.restartCount === before.restartCount && l.resyncAt === before.resyncAt) return;
    }
  }

  /** A running container up to `now`: its program played, its probes run, the OOM killer watching. How it ended, if it did. */
  private run(pod: Pod, state: PodState, c: ContainerState, now: number, emit: Emit): Facts['exit'] {
    const p = c.program!;
    p.advance(now);
    const probed = runProbes(c, state.ip ?? '', now, (type, reason, message) => emit(c, type, reason, message), (x, o) => this.output(x, o), {
      restarts: restartPolicyOf(pod.spec?.restartPolicy, c.init, c.spec.restartPolicy) !== 'Never',
    });
    if (probed.kill) this.kill(c, probed.kill.why, probed.kill.at, probed.kill.graceMs ?? (pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
    if (!p.exit && c.killDeadline !== undefined && now >= c.killDeadline) p.kill(c.killDeadline);
    const oomAt = this.oomAtRest(c);
    if (!p.exit && oomAt !== undefined && now >= oomAt) {
      c.life = { ...c.life, killedFor: 'oom' };
      p.kill(oomAt, true);
    }
    c.log.settle();
    return p.exit;
  }

  /** When the OOM killer takes a container whose image alone needs more than its memory limit. */
  private oomAtRest(c: ContainerState): number | undefined {
    const limit = memoryLimit(c.spec);
    const { image, startedAt } = c.life;
    if (limit === undefined || !image || image.memoryBytes <= limit || startedAt === undefined) return undefined;
    return startedAt + TIMINGS.oomAtRestMs;
  }

  /** Starts the container's process at `at`, or learns from the runtime why it cannot. */
  private launch(pod: Pod, state: PodState, c: ContainerState, at: number, ctx: ControllerContext): { ok: true } | StartFailure {
    const env = environment(pod, c.spec, state.ip, ctx.cluster.store);
    // The closures below live as long as the container: they hold its key, not the pod.
    const key = keyOf(pod as KObject);
    let program: Program | undefined;
    c.memoryBytes = undefined;
    c.burnMillicores = undefined;
    c.process = undefined;
    c.program = undefined;
    const started = this.runtime.start({
      image: c.life.image ?? { ref: c.life.imageRef, id: c.life.imageRef, size: 0, pullMs: 0, memoryBytes: 0 },
      pod,
      container: c.spec,
      env,
      hostname: pod.spec?.hostname ?? pod.metadata?.name ?? '',
      podIP: state.ip ?? '',
      namespace: pod.metadata?.namespace ?? '',
      startedAt: at,
      now: () => program?.time ?? at,
      onMemory: (bytes) => {
        c.memoryBytes = bytes;
        const limit = memoryLimit(c.spec);
        // The kernel's OOM killer acts the moment the cgroup passes its limit.
        if (program && limit !== undefined && (c.life.image?.memoryBytes ?? 0) + bytes > limit) {
          c.life = { ...c.life, killedFor: 'oom' };
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
        this.ctx?.enqueue(this.name, key);
      },
    });
    if ('startError' in started) return started;
    c.process = started;
    const stdin = c.spec.stdin
      ? () => {
          const s = c.stdin;
          if (s?.chunks.length) return s.chunks.shift()!;
          return s?.end ? undefined : null;
        }
      : undefined;
    program = new Program(started.gen, at, (o) => this.output(c, o), started.handlesTerm, stdin);
    c.program = program;
    c.probes = firstProbes(c.spec, at);
    return { ok: true };
  }

  /** A container's main process has ended: its last words flushed, attached clients let go. How it ended. */
  private ended(c: ContainerState): Facts['exit'] {
    c.log.flush();
    c.killDeadline = undefined;
    const watchers = c.exitWatchers;
    c.exitWatchers = undefined;
    for (const w of watchers ?? []) w();
    return c.program?.exit;
  }

  /** A new container replaces a failed one: a new id and log (the old one kept for --previous), probes afresh. */
  private restarted(c: ContainerState): void {
    c.previousLog = c.log;
    c.log = new ContainerLog();
    c.previousId = c.id;
    c.id = containerId();
    c.probes = {};
  }

  /** What a container's main process writes: to its log, and to whoever is attached. */
  private output(c: ContainerState, o: { at: number; stream: 'stdout' | 'stderr'; text: string }): void {
    c.log.write(o);
    for (const f of c.attached ?? []) f(o);
  }

  // ------------------------------------------------------------ termination

  /** SIGTERM to every running container, SIGKILL to those still running when the grace period ends. */
  private stop(pod: Pod, state: PodState, now: number, emit: Emit): void {
    const all = allOf(state);
    if (!state.stopping) {
      const grace = (pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
      const since = Date.parse(pod.metadata?.deletionTimestamp ?? '') - grace;
      state.stopping = { since: Math.min(now, Number.isNaN(since) ? now : since), deadline: Number.isNaN(since) ? now + grace : since + grace };
      for (const c of all.filter(isRunning)) {
        emit(c, 'Normal', 'Killing', `Stopping container ${c.name}`);
        c.program!.advance(state.stopping.since);
        c.program!.terminate(state.stopping.since);
      }
    }
    for (const c of all) {
      if (!isRunning(c)) continue;
      const p = c.program!;
      p.advance(now);
      // A container the kubelet was already killing keeps its own deadline, if sooner.
      const deadline = Math.min(state.stopping.deadline, c.killDeadline ?? Infinity);
      if (!p.exit && now >= deadline) {
        c.life = { ...c.life, killedFor: 'stop' };
        p.kill(deadline);
      }
      const exit = p.exit && this.ended(c);
      if (exit) c.life = exitedWith(c.life, exit);
    }
    if (!all.some(isRunning)) this.abandon(state);
  }

  /**
   * The final word on the containers of a deleted pod that were not running: those that had a
   * container show how it ended; of those that never had one, the app containers of an initialized
   * pod and the first init container not to have started are reported as not found. The init and
   * app containers it never got to wait as they were.
   */
  private abandon(state: PodState): void {
    const hadOne = (c: ContainerState) => c.life.phase === 'exited' || c.life.terminated !== undefined;
    const initialized = state.init.every(succeeded) || state.containers.some(hadOne);
    const triedInit = Math.max(1, ...state.init.map((c, i) => (hadOne(c) ? i + 1 : 0)));
    const reported = [...state.init.slice(0, triedInit), ...(initialized ? state.containers : [])];
    for (const c of reported) if (c.life.phase !== 'exited') c.life = abandoned(c.life);
  }

  /** The kubelet's last word on a pod it stopped: delete it for good. */
  private finish(pod: KObject, ctx: ControllerContext): void {
    try {
      ctx.cluster.delete(kind(ctx.cluster, '', 'pods'), pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch {
      // Already gone, or replaced by a new pod of the same name.
    }
  }

  // ------------------------------------------------------------ wake-ups and events

  private nextWake(state: PodState, now: number): number | undefined {
    let next = Infinity;
    if (now < state.sandboxAt) next = state.sandboxAt;
    if (state.stopping && now < state.stopping.deadline) next = Math.min(next, state.stopping.deadline);
    for (const c of allOf(state)) {
      const due = dueAt(c.life);
      if (due !== undefined && due > now) next = Math.min(next, due);
      if (!isRunning(c)) continue;
      next = Math.min(next, c.program?.wakeAt ?? Infinity, nextProbeAt(c.probes, c.life.started, !!c.life.killedFor), this.oomAtRest(c) ?? Infinity, c.killDeadline ?? Infinity);
    }
    return next === Infinity ? undefined : Math.max(next, now + 1);
  }

  private event(ctx: ControllerContext, pod: KObject, c: ContainerState | undefined, type: EventType, reason: string, message: string): void {
    const node = (pod as Pod).spec?.nodeName;
    ctx.events.record(
      { component: 'kubelet', host: node },
      { kind: 'Pod', apiVersion: 'v1', object: pod, ...(c ? { fieldPath: `spec.${c.init ? 'initContainers' : 'containers'}{${c.name}}` } : {}) },
      type,
      reason,
      message,
    );
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
      if (!isRunning(c) || !c.process?.ports.includes(port)) continue;
      if (!c.process.http) return { error: 'refused' };
      const now = this.now();
      const res = c.process.http(port, req, now);
      c.served.push(now);
      const line = c.process.accessLog?.(req, res, clientIP ?? gateway(state!.ip), now);
      if (line) this.output(c, { at: now, stream: line.stream, text: `${line.text}\n` });
      // A program waiting on its connection (nc -l serves one, then exits) carries on now.
      if (c.program?.wake(now)) this.ctx?.enqueue(this.name, `${namespace}/${pod}`);
      return res;
    }
    return { error: 'refused' };
  }

  /** Whether a running container of the pod listens on the port (a bare TCP connect). */
  listening(namespace: string, pod: string, port: number): boolean {
    return !!this.pods.get(`${namespace}/${pod}`)?.containers.some((c) => isRunning(c) && c.process?.ports.includes(port));
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
}

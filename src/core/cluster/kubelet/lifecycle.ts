// A container's life as data: the stages it goes through (pull, create, start, exit, back-off,
// restart), each a selector, the moment it fires and what comes next, and the timings they use in
// one table. `step` is pure: the container's record, the time and the facts the kubelet gathered
// (what the registry and the node hold, what the runtime answered, how the process ended) in; the
// next record, the events a real kubelet sends and the effects the kubelet must carry out, out.
// A record holds the latest container until a new one is created in its place, and why the last
// try to start one failed, as the kubelet's reason cache does: that is what its status shows.
import type { Container } from 'kubernetes-types/core/v1.js';
import type { EventType } from '../kinds/event.js';
import type { Exit } from './program.js';
import type { ImageResolution, RuntimeImage, StartFailure } from './types.js';

/** How long things take on a node, and the kubelet's back-off (pkg/kubelet: 10 s doubling to 5 min). */
export const TIMINGS = {
  /** From a pod's binding to its sandbox being up (network namespace, IP, pause container). */
  sandboxMs: 400,
  /** Creating a container from an image the node has. */
  createMs: 150,
  /** How long a pull of an image the registry does not have takes to fail. */
  failedPullMs: 1200,
  /** A restart's pull when the image's own pull time is not known. */
  repullMs: 1000,
  /** ErrImagePull shows this long before the next sync reports ImagePullBackOff. */
  pullErrorShownMs: 1000,
  /** Back-off for pulls and restarts: the first wait, doubled each time, up to the longest. */
  backoffInitialMs: 10_000,
  backoffMaxMs: 300_000,
  /** A container that ran this long without failing starts its back-off afresh. */
  backoffResetMs: 10 * 60 * 1000,
  /** The OOM killer takes a container whose image needs more than its limit at rest this soon. */
  oomAtRestMs: 1000,
  /** The prober's first look, at the earliest, after a start (a server has had its moment to listen). */
  firstProbeMs: 1000,
  /** A FailedMount warning repeats no more often than this. */
  mountWarningMs: 120_000,
  /**
   * A pod worker whose sync failed tries again this much later (the kubelet's backOffPeriod): a
   * container without its ConfigMap, an image it must not pull, or one backing off, which says
   * so again at each of these syncs.
   */
  syncRetryMs: 10_000,
} as const;

export type Phase =
  /** About to start (first or again): its image is looked for or pulled next, from `until`. */
  | 'new'
  | 'pulling'
  | 'pull-error'
  | 'pull-backoff'
  /** The image is absent and must not be pulled: tried again at `until`. */
  | 'never-pull'
  /** A ConfigMap or Secret it needs is missing: tried again (image, then config) at `until`. */
  | 'config-error'
  | 'creating'
  /** Created: the kubelet starts the process and tells the next step how that went. */
  | 'starting'
  | 'running'
  | 'exited'
  | 'crash-backoff';

/**
 * Why it was killed: a failed probe, a changed spec (`kubectl set image`), the OOM killer, or the
 * pod's deletion. The kubelet's own kills restart it (a probe's only if the policy allows).
 */
export type KilledFor = 'liveness' | 'startup' | 'changed' | 'oom' | 'stop';

/** Why the kubelet's last try to start a container failed: a waiting state's reason and message. */
export interface Failure {
  reason: string;
  message: string;
}

export interface Terminated {
  exitCode: number;
  reason: string;
  /** Absent when the process never started (StartError). */
  startedAt?: number;
  /** Absent when the kubelet never found the container (ContainerStatusUnknown). */
  finishedAt?: number;
  message?: string;
}

/** One container's record: plain data, replaced (never changed in place) at each step. */
export interface Lifecycle {
  readonly name: string;
  readonly init: boolean;
  readonly phase: Phase;
  /** When the current phase's work completes (pull done, back-off over, creation done). */
  readonly until: number;
  /** The image the spec asks for, and what it resolved to once pulled or found. */
  readonly imageRef: string;
  readonly image?: RuntimeImage;
  /**
   * Why the last try to start it failed (ErrImagePull, CreateContainerConfigError,
   * CrashLoopBackOff…): shown as its waiting state until a start succeeds.
   */
  readonly failure?: Failure;
  /** The next image pull back-off. */
  readonly pullBackoffMs: number;
  /** The latest container's count of restarts before it. */
  readonly restartCount: number;
  /** When the current (or last) run of the process started. */
  readonly startedAt?: number;
  /** How the latest container ended, until a new one is created in its place. */
  readonly terminated?: Terminated;
  /** How the container before the latest one ended. */
  readonly last?: Terminated;
  /** The next crash back-off (0: the next restart is immediate). */
  readonly crashBackoffMs: number;
  /** While it backs off (a pull, a restart), when the pod worker syncs it again and says so again. */
  readonly resyncAt?: number;
  readonly ready: boolean;
  readonly started: boolean;
  /** Set when the kubelet killed it (a probe, the OOM killer, a stop): how to report the exit. */
  readonly killedFor?: KilledFor;
}

/** What the kubelet knows, beyond the record, when it steps a container. */
export interface Facts {
  readonly spec: Container;
  /** The pod's restartPolicy. */
  readonly restartPolicy?: string;
  /**
   * When a new container's work can start: the pod's sandbox up for the first, the previous init
   * container's exit for the next.
   */
  readonly startFrom: number;
  /** `name_namespace(uid)`, as the kubelet names a pod in messages. */
  readonly podRef: string;
  /** The registry's answer for an image. */
  image(ref: string): ImageResolution;
  /** Whether the node has the image already. */
  onNode(ref: string): boolean;
  /** Why the container cannot be created yet (a missing ConfigMap or key), if so. */
  configProblem(): string | undefined;
  /** How starting the process went, for a container `starting`. */
  readonly start?: { ok: true } | StartFailure;
  /** How the process ended, for a container `running` whose process has ended. */
  readonly exit?: Exit;
}

export interface LifeEvent {
  type: EventType;
  reason: string;
  message: string;
}

/** What the kubelet must do besides recording the new state. */
export type Effect =
  /** The node has this image now. */
  | { kind: 'image-on-node'; ref: string }
  /** A new container replaces the old one: new id, new log (the old one kept as previous), probes afresh. */
  | { kind: 'restarted' };

export interface StepResult {
  life: Lifecycle;
  events: LifeEvent[];
  effects: Effect[];
}

/** A stage: when it applies to a record (its selector), when it fires, and what comes next. */
interface Stage {
  name: string;
  from: readonly Phase[];
  when?(l: Lifecycle, f: Facts, now: number): boolean;
  /** Fires as soon as it applies, rather than once `until` has come. */
  immediate?: boolean;
  next(l: Lifecycle, f: Facts): StepResult;
}

const warning = (reason: string, message: string): LifeEvent => ({ type: 'Warning', reason, message });
const normal = (reason: string, message: string): LifeEvent => ({ type: 'Normal', reason, message });
const result = (life: Lifecycle, events: LifeEvent[] = [], effects: Effect[] = []): StepResult => ({ life, events, effects });

const pullPolicy = (f: Facts) => f.spec.imagePullPolicy ?? 'IfNotPresent';
/** Where a pull or a lookup on the node starts: a new container when it may, a retry from its back-off. */
const pullStart = (l: Lifecycle, f: Facts) => (l.phase === 'new' ? Math.max(f.startFrom, l.until) : l.until);
/** The image the registry has for the record's reference, if it has one. */
const resolved = (l: Lifecycle, f: Facts): RuntimeImage | undefined => {
  const res = f.image(l.imageRef);
  return res.ok ? res.image : undefined;
};
/** The registry's words for why it has no such image. */
const pullFailure = (l: Lifecycle, f: Facts): string => {
  const res = f.image(l.imageRef);
  return res.ok ? '' : res.message;
};
/** The phases a container starts again from: its image is looked for or pulled next. */
const STARTING_OVER: readonly Phase[] = ['new', 'pull-backoff', 'never-pull', 'config-error'];
const presentOnNode = (l: Lifecycle, f: Facts): RuntimeImage | undefined => {
  const image = resolved(l, f);
  return image && f.onNode(image.ref) ? image : undefined;
};
const startFailure = (f: Facts): StartFailure | undefined => (f.start && 'startError' in f.start ? f.start : undefined);
const alreadyPresent = (l: Lifecycle) => normal('Pulled', `Container image "${l.imageRef}" already present on machine`);
const doubled = (ms: number) => Math.min(TIMINGS.backoffMaxMs, ms * 2);

/** Go's time.Duration printing, as the back-off message says it: 10s, 1m20s, 5m0s. */
function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

/**
 * Whether an init container is a sidecar: its own restartPolicy Always makes it start in the init
 * sequence and then run beside the app containers, restarted whenever it ends.
 */
export const isSidecar = (spec: Container): boolean => spec.restartPolicy === 'Always';

/**
 * The restart policy that applies to a container: a sidecar's own (Always), else an init
 * container is retried until it succeeds unless the pod says Never.
 */
export function restartPolicyOf(podPolicy: string | undefined, init: boolean, own?: string): string {
  if (own === 'Always') return 'Always';
  if (init) return podPolicy === 'Never' ? 'Never' : 'OnFailure';
  return podPolicy ?? 'Always';
}

/**
 * Whether a container that ended is started again. A changed spec restarts it whatever the
 * policy; a failed probe's kill, as any failure, unless the policy is Never.
 */
function restarts(l: Lifecycle, f: Facts): boolean {
  const policy = restartPolicyOf(f.restartPolicy, l.init, f.spec.restartPolicy);
  // Stopped for good: a sidecar once the app containers of a pod that does not restart them have ended.
  if (l.killedFor === 'stop') return false;
  if (l.killedFor === 'changed') return true;
  if (l.killedFor === 'liveness' || l.killedFor === 'startup') return policy !== 'Never';
  return policy === 'Always' || (policy === 'OnFailure' && l.terminated!.exitCode !== 0);
}

/** The events a sync of a container backing off sends, at the first and at each one after. */
const backingOff = (l: Lifecycle, f: Facts): LifeEvent[] =>
  l.phase === 'pull-backoff'
    ? [normal('BackOff', `Back-off pulling image "${l.imageRef}"`), warning('Failed', 'Error: ImagePullBackOff')]
    : [warning('BackOff', `Back-off restarting failed container ${l.name} in pod ${f.podRef}`)];
/** The next sync of a container backing off from `at`, if it comes before the back-off is over. */
const resyncAfter = (at: number, until: number): number | undefined => (at + TIMINGS.syncRetryMs < until ? at + TIMINGS.syncRetryMs : undefined);

const STAGES: readonly Stage[] = [
  {
    // A sync that fails is tried again: each time, the back-off is said again (the events count up).
    name: 'still backing off',
    from: ['pull-backoff', 'crash-backoff'],
    immediate: true,
    when: (l, _, now) => l.resyncAt !== undefined && now >= l.resyncAt,
    next: (l, f) => result({ ...l, resyncAt: resyncAfter(l.resyncAt!, l.until) }, backingOff(l, f)),
  },
  {
    name: 'image already on the node',
    from: STARTING_OVER,
    when: (l, f) => pullPolicy(f) !== 'Always' && presentOnNode(l, f) !== undefined,
    next: (l, f) => result({ ...l, image: presentOnNode(l, f), phase: 'creating', until: pullStart(l, f) + TIMINGS.createMs }, [alreadyPresent(l)]),
  },
  {
    name: 'image absent, never pulled',
    from: STARTING_OVER,
    when: (_, f) => pullPolicy(f) === 'Never',
    next: (l, f) => {
      const message = `Container image "${l.imageRef}" is not present with pull policy of Never`;
      return result({ ...l, phase: 'never-pull', until: pullStart(l, f) + TIMINGS.syncRetryMs, failure: { reason: 'ErrImageNeverPull', message } }, [warning('ErrImageNeverPull', message)]);
    },
  },
  {
    name: 'pull',
    from: STARTING_OVER,
    next: (l, f) => {
      const until = pullStart(l, f) + (resolved(l, f)?.pullMs ?? TIMINGS.failedPullMs);
      return result({ ...l, phase: 'pulling', until }, [normal('Pulling', `Pulling image "${l.imageRef}"`)]);
    },
  },
  {
    name: 'pulled',
    from: ['pulling'],
    when: (l, f) => resolved(l, f) !== undefined,
    next: (l, f) => {
      const image = resolved(l, f)!;
      const secs = (image.pullMs / 1000).toFixed(3);
      return result(
        { ...l, image, pullBackoffMs: TIMINGS.backoffInitialMs, phase: 'creating', until: l.until + TIMINGS.createMs },
        [normal('Pulled', `Successfully pulled image "${l.imageRef}" in ${secs}s (${secs}s including waiting). Image size: ${image.size} bytes.`)],
        [{ kind: 'image-on-node', ref: image.ref }],
      );
    },
  },
  {
    name: 'pull failed',
    from: ['pulling'],
    next: (l, f) => {
      const message = pullFailure(l, f);
      return result({ ...l, failure: { reason: 'ErrImagePull', message }, phase: 'pull-error', until: l.until + TIMINGS.pullErrorShownMs }, [
        warning('Failed', `Failed to pull image "${l.imageRef}": ${message}`),
        warning('Failed', 'Error: ErrImagePull'),
      ]);
    },
  },
  {
    name: 'pull back-off',
    from: ['pull-error'],
    next: (l, f) => {
      const failure = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${l.imageRef}": ErrImagePull: ${l.failure?.message ?? ''}` };
      const until = l.until - TIMINGS.pullErrorShownMs + l.pullBackoffMs;
      const next: Lifecycle = { ...l, failure, phase: 'pull-backoff', until, pullBackoffMs: doubled(l.pullBackoffMs), resyncAt: resyncAfter(l.until, until) };
      return result(next, backingOff(next, f));
    },
  },
  {
    name: 'configuration missing',
    from: ['creating'],
    when: (_, f) => f.configProblem() !== undefined,
    next: (l, f) => {
      // The sync fails; the pod worker tries the whole start again (image, then config) a little later.
      const problem = f.configProblem()!;
      return result({ ...l, failure: { reason: 'CreateContainerConfigError', message: problem }, phase: 'config-error', until: l.until + TIMINGS.syncRetryMs }, [
        warning('Failed', `Error: ${problem}`),
      ]);
    },
  },
  {
    name: 'created',
    from: ['creating'],
    next: (l) => {
      const created: Lifecycle = { ...l, phase: 'starting' };
      if (!l.terminated) return result(created, [normal('Created', `Created container: ${l.name}`)]);
      // A new container in place of the latest one: that one becomes the last, and is counted.
      const fresh: Lifecycle = { ...created, last: l.terminated, terminated: undefined, killedFor: undefined, restartCount: l.restartCount + 1, ready: false, started: false };
      return result(fresh, [normal('Created', `Created container: ${l.name}`)], [{ kind: 'restarted' }]);
    },
  },
  {
    name: 'start failed',
    from: ['starting'],
    when: (_, f) => startFailure(f) !== undefined,
    immediate: true,
    next: (l, f) => {
      const failure = startFailure(f)!;
      return result(startedWith(l, l.until, failure, f.spec), [warning('Failed', `Error: ${failure.startError}`)]);
    },
  },
  {
    name: 'started',
    from: ['starting'],
    when: (_, f) => f.start !== undefined,
    immediate: true,
    next: (l, f) => result(startedWith(l, l.until, { ok: true }, f.spec), [normal('Started', `Started container ${l.name}`)]),
  },
  {
    name: 'process ended',
    from: ['running'],
    when: (_, f) => f.exit !== undefined,
    immediate: true,
    next: (l, f) => result(exitedWith(l, f.exit!)),
  },
  {
    name: 'back off before restarting',
    from: ['exited'],
    when: (l, f) => restarts(l, f),
    immediate: true,
    next: (l, f) => {
      const t = l.terminated!;
      // The first restart is immediate; then 10 s, 20 s, … up to 5 minutes. A process that never
      // started did not run at all: its failures back off like any crash. A changed spec is a new
      // container to the back-off, which starts afresh.
      const ran = t.startedAt === undefined ? 0 : (t.finishedAt ?? t.startedAt) - t.startedAt;
      const backoff = ran >= TIMINGS.backoffResetMs || l.killedFor === 'changed' ? 0 : l.crashBackoffMs;
      const finished = t.finishedAt ?? 0;
      const next: Lifecycle = { ...l, crashBackoffMs: backoff ? doubled(backoff) : TIMINGS.backoffInitialMs, phase: 'crash-backoff', until: finished + backoff, resyncAt: undefined };
      if (!backoff) return result(next);
      const failure = { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(backoff)} restarting failed container=${l.name} pod=${f.podRef}` };
      const waiting: Lifecycle = { ...next, failure, resyncAt: resyncAfter(finished, next.until) };
      return result(waiting, backingOff(waiting, f));
    },
  },
  {
    name: 'restart',
    from: ['crash-backoff'],
    // Its image is looked for (or pulled) again, as for any start; the latest container stays until a new one is created.
    next: (l) => result({ ...l, phase: 'new', resyncAt: undefined }),
  },
];

/** A container as the kubelet first sees it in a pod's spec. */
export function newLifecycle(spec: Container, init: boolean): Lifecycle {
  return {
    name: spec.name,
    init,
    phase: 'new',
    until: 0,
    imageRef: spec.image ?? '',
    pullBackoffMs: TIMINGS.backoffInitialMs,
    restartCount: 0,
    crashBackoffMs: 0,
    ready: false,
    started: false,
  };
}

/** Moves a container one stage on, if one applies at `now`; the record comes back unchanged otherwise. */
export function step(l: Lifecycle, now: number, f: Facts): StepResult {
  for (const stage of STAGES) {
    if (!stage.from.includes(l.phase)) continue;
    if (!stage.immediate && now < l.until) break;
    if (stage.when && !stage.when(l, f, now)) continue;
    return stage.next(l, f);
  }
  return result(l);
}

/** When a container waiting on a timer (a pull, a back-off or a sync in it, its creation, a retry) wants to be looked at again. */
export function dueAt(l: Lifecycle): number | undefined {
  const timed: readonly Phase[] = ['pulling', 'pull-error', 'pull-backoff', 'never-pull', 'config-error', 'creating', 'crash-backoff'];
  if (!timed.includes(l.phase)) return undefined;
  const backingOffNow = l.phase === 'pull-backoff' || l.phase === 'crash-backoff';
  return backingOffNow ? Math.min(l.until, l.resyncAt ?? Infinity) : l.until;
}

/** The record once the runtime has started the process at `at`, or said why it could not. */
export function startedWith(l: Lifecycle, at: number, outcome: { ok: true } | StartFailure, spec: Container): Lifecycle {
  if ('startError' in outcome) {
    // containerd made the container but could not start its process: it ends at once, never having run.
    // The kubelet remembers why: RunContainerError, shown while it waits to try again.
    const terminated: Terminated = { exitCode: outcome.exitCode, reason: 'StartError', finishedAt: at, message: outcome.startError };
    return { ...l, startedAt: at, terminated, phase: 'exited', ready: false, started: false, failure: { reason: 'RunContainerError', message: outcome.startError } };
  }
  const started = !spec.startupProbe;
  return { ...l, startedAt: at, phase: 'running', started, ready: started && !spec.readinessProbe && (!l.init || isSidecar(spec)), failure: undefined };
}

/** The record once its process has ended, reported as the kubelet reports it. */
export function exitedWith(l: Lifecycle, exit: Exit): Lifecycle {
  let reason = exit.code === 0 ? 'Completed' : 'Error';
  let exitCode = exit.code;
  if (l.killedFor === 'oom') {
    reason = 'OOMKilled';
    exitCode = 137;
  } else if (exit.signal === 'KILL') {
    exitCode = 137;
    reason = 'Error';
  }
  return { ...l, terminated: { exitCode, reason, startedAt: l.startedAt ?? exit.at, finishedAt: exit.at }, phase: 'exited', ready: false };
}

/**
 * The record after the spec changed the container's image (`kubectl set image` on a pod). A
 * running one is being killed (the kubelet's doing) and restarts once it has ended; one waiting
 * to start, or backing off, starts again now: to the back-offs it is a new container.
 */
export function imageChanged(l: Lifecycle, image: string, now: number): Lifecycle {
  const changed: Lifecycle = { ...l, imageRef: image, pullBackoffMs: TIMINGS.backoffInitialMs };
  if (l.phase === 'running' || l.phase === 'exited') return changed;
  if (l.phase === 'crash-backoff') return { ...changed, crashBackoffMs: TIMINGS.backoffInitialMs, until: now, resyncAt: undefined };
  return { ...changed, phase: 'new', until: now, resyncAt: undefined };
}

/**
 * A container of a deleted pod that was not running: it will not run now. It shows how its
 * latest container ended, or, if it never had one, that the kubelet could not find it.
 */
export function abandoned(l: Lifecycle): Lifecycle {
  const unknown: Terminated = { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' };
  return { ...l, phase: 'exited', ready: false, terminated: l.terminated ?? unknown };
}

/** A container adopted as it runs (after a restart of kubedojo), ready as its status said. */
export function adopted(l: Lifecycle, at: number, restartCount: number, ready: boolean, spec: Container): Lifecycle {
  const running = startedWith({ ...l, restartCount }, at, { ok: true }, spec);
  return { ...running, started: true, ready: ready || !spec.readinessProbe };
}

/** An init container that had completed before the pod was adopted. */
export function completedBefore(l: Lifecycle, now: number): Lifecycle {
  return { ...l, phase: 'exited', terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } };
}

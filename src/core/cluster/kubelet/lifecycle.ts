// A container's life as data: the stages it goes through (pull, create, start, exit, back-off,
// restart), each a selector, the moment it fires and what comes next, and the timings they use in
// one table. `step` is pure: the container's record, the time and the facts the kubelet gathered
// (what the registry and the node hold, what the runtime answered, how the process ended) in; the
// next record, the events a real kubelet sends and the effects the kubelet must carry out, out.
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
} as const;

export type Phase =
  | 'new'
  | 'pulling'
  | 'pull-error'
  | 'pull-backoff'
  | 'never-pull'
  | 'creating'
  /** Created: the kubelet starts the process and tells the next step how that went. */
  | 'starting'
  | 'running'
  | 'exited'
  | 'crash-backoff';

export type KilledFor = 'liveness' | 'startup' | 'oom' | 'stop';

export interface Terminated {
  exitCode: number;
  reason: string;
  /** Absent when the process never started (StartError). */
  startedAt?: number;
  finishedAt: number;
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
  readonly pullError?: string;
  /** The next image pull back-off. */
  readonly pullBackoffMs: number;
  readonly configError?: string;
  readonly restartCount: number;
  /** When the current (or last) run of the process started. */
  readonly startedAt?: number;
  readonly terminated?: Terminated;
  /** The previous run's end, once it has been restarted. */
  readonly last?: Terminated;
  /** The next crash back-off (0: the next restart is immediate). */
  readonly crashBackoffMs: number;
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
  /** When the pod's sandbox was up: a new container's work starts from there. */
  readonly sandboxAt: number;
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
  /** The container waits on a ConfigMap or Secret: a change to one must wake the pod. */
  | { kind: 'wait-config' }
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
  when?(l: Lifecycle, f: Facts): boolean;
  /** Fires as soon as it applies, rather than once `until` has come. */
  immediate?: boolean;
  next(l: Lifecycle, f: Facts): StepResult;
}

const warning = (reason: string, message: string): LifeEvent => ({ type: 'Warning', reason, message });
const normal = (reason: string, message: string): LifeEvent => ({ type: 'Normal', reason, message });
const result = (life: Lifecycle, events: LifeEvent[] = [], effects: Effect[] = []): StepResult => ({ life, events, effects });

const pullPolicy = (f: Facts) => f.spec.imagePullPolicy ?? 'IfNotPresent';
/** Where a pull or a lookup on the node starts: a first container from the sandbox, a retry from its back-off. */
const pullStart = (l: Lifecycle, f: Facts) => (l.phase === 'new' ? Math.max(f.sandboxAt, l.until || 0) : l.until);
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
const presentOnNode = (l: Lifecycle, f: Facts): RuntimeImage | undefined => {
  const image = resolved(l, f);
  return image && f.onNode(image.ref) ? image : undefined;
};
const startFailure = (f: Facts): StartFailure | undefined => (f.start && 'startError' in f.start ? f.start : undefined);
const alreadyPresent = (l: Lifecycle) => normal('Pulled', `Container image "${l.imageRef}" already present on machine`);
const doubled = (ms: number) => Math.min(TIMINGS.backoffMaxMs, ms * 2);

/**
 * The restart policy that applies to a container: an init container is retried until it succeeds
 * unless the pod says Never.
 */
export function restartPolicyOf(podPolicy: string | undefined, init: boolean): string {
  if (init) return podPolicy === 'Never' ? 'Never' : 'OnFailure';
  return podPolicy ?? 'Always';
}

function restarts(l: Lifecycle, f: Facts): boolean {
  const t = l.terminated!;
  const policy = restartPolicyOf(f.restartPolicy, l.init);
  return l.killedFor === 'liveness' || l.killedFor === 'startup' || policy === 'Always' || (policy === 'OnFailure' && t.exitCode !== 0);
}

const STAGES: readonly Stage[] = [
  {
    name: 'image already on the node',
    from: ['new', 'pull-backoff'],
    when: (l, f) => pullPolicy(f) !== 'Always' && presentOnNode(l, f) !== undefined,
    next: (l, f) => result({ ...l, image: presentOnNode(l, f), phase: 'creating', until: pullStart(l, f) + TIMINGS.createMs }, [alreadyPresent(l)]),
  },
  {
    name: 'image absent, never pulled',
    from: ['new', 'pull-backoff'],
    when: (_, f) => pullPolicy(f) === 'Never',
    next: (l) => result({ ...l, phase: 'never-pull' }, [warning('ErrImageNeverPull', `Container image "${l.imageRef}" is not present with pull policy of Never`)]),
  },
  {
    name: 'pull',
    from: ['new', 'pull-backoff'],
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
      return result({ ...l, pullError: message, phase: 'pull-error', until: l.until + TIMINGS.pullErrorShownMs }, [
        warning('Failed', `Failed to pull image "${l.imageRef}": ${message}`),
        warning('Failed', 'Error: ErrImagePull'),
      ]);
    },
  },
  {
    name: 'pull back-off',
    from: ['pull-error'],
    next: (l) =>
      result({ ...l, phase: 'pull-backoff', until: l.until - TIMINGS.pullErrorShownMs + l.pullBackoffMs, pullBackoffMs: doubled(l.pullBackoffMs) }, [
        normal('BackOff', `Back-off pulling image "${l.imageRef}"`),
        warning('Failed', 'Error: ImagePullBackOff'),
      ]),
  },
  {
    name: 'configuration missing',
    from: ['creating'],
    when: (_, f) => f.configProblem() !== undefined,
    next: (l, f) => {
      const problem = f.configProblem()!;
      // Said once per problem; the container waits, and a change to config wakes it.
      return result({ ...l, configError: problem }, l.configError === problem ? [] : [warning('Failed', `Error: ${problem}`)], [{ kind: 'wait-config' }]);
    },
  },
  {
    name: 'created',
    from: ['creating'],
    next: (l) => result({ ...l, configError: undefined, phase: 'starting' }, [normal('Created', `Created container: ${l.name}`)]),
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
    when: restarts,
    immediate: true,
    next: (l, f) => {
      const t = l.terminated!;
      // The first restart is immediate; then 10 s, 20 s, … up to 5 minutes. A process that never
      // started did not run at all: its failures back off like any crash.
      const ran = t.startedAt === undefined ? 0 : t.finishedAt - t.startedAt;
      const backoff = ran >= TIMINGS.backoffResetMs ? 0 : l.crashBackoffMs;
      const next: Lifecycle = { ...l, crashBackoffMs: backoff ? doubled(backoff) : TIMINGS.backoffInitialMs, phase: 'crash-backoff', until: t.finishedAt + backoff };
      return result(next, backoff ? [warning('BackOff', `Back-off restarting failed container ${l.name} in pod ${f.podRef}`)] : []);
    },
  },
  {
    name: 'restart',
    from: ['crash-backoff'],
    next: (l, f) => {
      const fresh: Lifecycle = { ...l, last: l.terminated, terminated: undefined, killedFor: undefined, restartCount: l.restartCount + 1, ready: false, started: false };
      const effects: Effect[] = [{ kind: 'restarted' }];
      if (pullPolicy(f) === 'Always') {
        return result({ ...fresh, phase: 'pulling', until: l.until + (l.image?.pullMs ?? TIMINGS.repullMs) }, [normal('Pulling', `Pulling image "${l.imageRef}"`)], effects);
      }
      return result({ ...fresh, phase: 'creating', until: l.until + TIMINGS.createMs }, [alreadyPresent(l)], effects);
    },
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
    if (stage.when && !stage.when(l, f)) continue;
    return stage.next(l, f);
  }
  return result(l);
}

/** When a container waiting on a timer (a pull, a back-off, its creation) wants to be looked at again. */
export function dueAt(l: Lifecycle): number | undefined {
  return l.phase === 'pulling' || l.phase === 'pull-error' || l.phase === 'pull-backoff' || l.phase === 'creating' || l.phase === 'crash-backoff' ? l.until : undefined;
}

/** The record once the runtime has started the process at `at`, or said why it could not. */
export function startedWith(l: Lifecycle, at: number, outcome: { ok: true } | StartFailure, spec: Container): Lifecycle {
  if ('startError' in outcome) {
    // containerd made the container but could not start its process: it ends at once, never having run.
    const terminated: Terminated = { exitCode: outcome.exitCode, reason: 'StartError', finishedAt: at, message: outcome.startError };
    return { ...l, startedAt: at, terminated, phase: 'exited', ready: false, started: false };
  }
  const started = !spec.startupProbe;
  return { ...l, startedAt: at, phase: 'running', started, ready: started && !spec.readinessProbe && !l.init };
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
 * The record after the spec changed the container's image (`kubectl set image` on a pod): a new
 * container replaces it, at once if it was running (`killed` says how that one ended).
 */
export function imageChanged(l: Lifecycle, image: string, now: number, killed?: Exit): Lifecycle {
  const changed: Lifecycle = { ...l, imageRef: image, pullBackoffMs: TIMINGS.backoffInitialMs, pullError: undefined };
  if (killed) return { ...exitedWith(changed, killed), crashBackoffMs: 0, phase: 'crash-backoff', until: now };
  if (l.phase === 'exited' || l.phase === 'crash-backoff') return changed;
  return { ...changed, phase: 'new', until: now };
}

/** A container of a pod being deleted that was not running: it will not run now. */
export function abandoned(l: Lifecycle, now: number): Lifecycle {
  return { ...l, phase: 'exited', terminated: l.terminated ?? { exitCode: 0, reason: 'ContainerStatusUnknown', startedAt: now, finishedAt: now } };
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

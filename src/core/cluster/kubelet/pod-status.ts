// The status a kubelet writes for a pod from what it holds of it: each container's state as
// kubectl reads it (the latest container's, or why the last try to start one failed), the phase
// worked out from those states, and the conditions. Pure: the pod as stored, the kubelet's state
// of it and the time in; the status out.
import type { ContainerState as K8sContainerState, ContainerStatus, ContainerStateTerminated, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../clock.js';
import { isSidecar, type Terminated } from './lifecycle.js';
import { isRunning, type ContainerState, type PodState } from './pod-state.js';

/** A condition as the kubelet writes it: a probe time never set is null. */
export type Condition = Omit<PodCondition, 'lastProbeTime'> & { lastProbeTime?: string | null };

/**
 * How a container ended, as the kubelet writes it: a container it never found has null times
 * (the Go zero time of a pointer left unset), which the published types do not allow for.
 */
export type TerminatedState = Omit<ContainerStateTerminated, 'startedAt' | 'finishedAt'> & { startedAt?: string | null; finishedAt?: string | null };
export type KubeletContainerState = Omit<K8sContainerState, 'terminated'> & { terminated?: TerminatedState };
export type KubeletContainerStatus = Omit<ContainerStatus, 'state' | 'lastState'> & { state?: KubeletContainerState; lastState?: KubeletContainerState };

export type KubeletPodStatus = Omit<PodStatus, 'conditions' | 'containerStatuses' | 'initContainerStatuses'> & {
  conditions: Condition[];
  containerStatuses?: KubeletContainerStatus[];
  initContainerStatuses?: KubeletContainerStatus[];
};

const time = (ms: number) => rfc3339(new Date(ms));

/** Whether the pod was deleted and all its containers have stopped: its status is final. */
export const stoppedForGood = (state: PodState): boolean => state.stopping !== undefined && ![...state.init, ...state.containers].some(isRunning);

export function podStatus(pod: Pod, state: PodState, now: number): KubeletPodStatus {
  const old = pod.status ?? {};
  const cond = (type: string, ok: boolean, reason?: string, message?: string): Condition => {
    const prev = (old.conditions ?? []).find((c) => c.type === type);
    const status = ok ? 'True' : 'False';
    return {
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : time(now),
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    };
  };
  const terminal = stoppedForGood(state);
  const hasInit = state.init.length > 0;
  const initStatuses = state.init.map((c) => containerStatus(c, hasInit));
  const statuses = state.containers.map((c) => containerStatus(c, hasInit));
  const sidecars = new Set(state.init.filter((c) => isSidecar(c.spec)).map((c) => c.name));
  const byContainers = podPhase(pod.spec?.restartPolicy, initStatuses, statuses, terminal, sidecars);
  // The kubelet reports a pod ended only once every container has stopped: a Job's pod stays
  // Running while its sidecars are being stopped.
  const ended = byContainers === 'Succeeded' || byContainers === 'Failed';
  const phase = ended && state.init.some(isRunning) ? 'Running' : byContainers;
  const started = anyStarted(statuses);
  // A sidecar has done its part of initialization once it has started; the others once they succeeded.
  const incompleteInit = initStatuses.filter((s) => (sidecars.has(s.name) ? !(s.state?.running && s.started) : s.state?.terminated?.exitCode !== 0)).map((s) => s.name);
  const initialized = () => {
    if (phase === 'Succeeded') return cond('Initialized', true, 'PodCompleted');
    // Once an app container has run, the pod was initialized, whatever its init containers show now.
    if (!incompleteInit.length || started) return cond('Initialized', true);
    return cond('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`);
  };
  // Sidecars run beside the app containers, so the pod is ready only when they are too.
  const unready = [...initStatuses.filter((s) => sidecars.has(s.name)), ...statuses].filter((s) => !s.ready).map((s) => s.name);
  const readiness = (type: string) => {
    if (phase === 'Succeeded') return cond(type, false, 'PodCompleted');
    if (phase === 'Failed') return cond(type, false, 'PodFailed');
    return unready.length ? cond(type, false, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`) : cond(type, true);
  };
  const scheduled = (old.conditions ?? []).find((c) => c.type === 'PodScheduled');
  const conditions = [
    // The sandbox goes with the containers of a pod that has stopped for good.
    cond('PodReadyToStartContainers', !!state.ip && !terminal),
    initialized(),
    readiness('Ready'),
    readiness('ContainersReady'),
    scheduled ?? cond('PodScheduled', true),
  ];
  const status: KubeletPodStatus = {
    phase,
    conditions,
    hostIP: state.hostIP,
    hostIPs: [{ ip: state.hostIP }],
    ...(state.ip ? { podIP: state.ip, podIPs: [{ ip: state.ip }] } : {}),
    startTime: time(state.startTime),
    ...(hasInit ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    qosClass: old.qosClass,
  };
  if (old.nominatedNodeName) status.nominatedNodeName = old.nominatedNodeName;
  return status;
}

/** Whether an app container has run (or is running) in this pod. */
function anyStarted(statuses: KubeletContainerStatus[]): boolean {
  return statuses.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
}

/**
 * The pod's phase from its containers' states, as the kubelet works it out: Pending while any
 * container waits to run for the first time (or init is not done), Running while any runs or will
 * be restarted, and Succeeded or Failed once all have ended for good.
 */
export function podPhase(restartPolicy: string | undefined, init: KubeletContainerStatus[], containers: KubeletContainerStatus[], terminal: boolean, sidecars: ReadonlySet<string> = new Set()): string {
  const policy = restartPolicy ?? 'Always';
  const ended = (s: KubeletContainerStatus) => s.state?.terminated ?? (s.state?.waiting ? s.lastState?.terminated : undefined);
  let pendingInit = 0;
  let failedInit = 0;
  for (const s of init) {
    const end = ended(s);
    // A sidecar holds the pod in Pending until it has started; one that ended after is restarted, never waited for.
    if (sidecars.has(s.name)) {
      if (s.state?.running ? !s.started : !end) pendingInit++;
      continue;
    }
    if (s.state?.running || !end) pendingInit++;
    else if (end.exitCode !== 0) failedInit++;
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of containers) {
    const end = ended(s);
    if (s.state?.running) running++;
    else if (end) {
      stopped++;
      // A container waiting to restart counts as stopped, but only one that ended now as succeeded.
      if (s.state?.terminated?.exitCode === 0) succeeded++;
    } else waiting++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  // A deleted pod whose containers have all stopped ends Failed, unless every one of them succeeded.
  if ((pendingInit > 0 && !anyStarted(containers)) || waiting > 0) return terminal ? 'Failed' : 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return terminal ? 'Failed' : 'Pending';
  if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
  if (policy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  return policy === 'Never' ? 'Failed' : 'Running';
}

/**
 * One container's status: the latest container's state (running, or how it ended), or, while the
 * kubelet waits to start it, why its last try failed (its reason cache) over how the latest one
 * ended; with no container yet and no failure, the default waiting reason.
 */
function containerStatus(c: ContainerState, hasInit: boolean): KubeletContainerStatus {
  const l = c.life;
  // containerd gives a process that never started the zero time as its start; a container the
  // kubelet never found has no times at all.
  const term = (x: Terminated, id: string | undefined): KubeletContainerState => {
    const t: TerminatedState = { exitCode: x.exitCode, reason: x.reason, ...(x.message ? { message: x.message } : {}) };
    if (x.finishedAt === undefined) Object.assign(t, { startedAt: null, finishedAt: null });
    else Object.assign(t, { startedAt: time(x.startedAt ?? 0), finishedAt: time(x.finishedAt), ...(id ? { containerID: id } : {}) });
    return { terminated: t };
  };
  const latest = l.terminated && term(l.terminated, c.id);
  const before = l.last && term(l.last, c.previousId);
  let state: KubeletContainerState;
  let lastState: KubeletContainerState | undefined = before;
  if (l.phase === 'running') state = { running: { startedAt: time(l.startedAt!) } };
  else if (l.phase === 'exited' && latest) state = latest;
  else if (l.failure) {
    state = { waiting: { reason: l.failure.reason, message: l.failure.message } };
    lastState = latest ?? before;
  } else state = latest ?? { waiting: { reason: hasInit ? 'PodInitializing' : 'ContainerCreating' } };
  // A container exists once one was created: it has an id, and the image it runs.
  const exists = l.phase === 'running' || l.terminated !== undefined;
  const status: KubeletContainerStatus = {
    name: c.name,
    state,
    lastState: lastState ?? {},
    ready: c.init && !isSidecar(c.spec) ? state.terminated?.exitCode === 0 : l.ready,
    restartCount: l.restartCount,
    image: exists && l.image ? l.image.ref : l.imageRef,
    imageID: exists && l.image ? l.image.id : '',
    ...(exists ? { containerID: c.id } : {}),
    started: l.phase === 'running' && l.started,
  };
  return status;
}

// The status a kubelet writes for a pod from what it holds of it: the phase, the conditions and
// each container's state as kubectl reads them (waiting reasons, exits, restart counts, readiness).
// Pure: the pod as stored, the kubelet's state of it and the time in; the status out.
import type { ContainerState as K8sContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../clock.js';
import { TIMINGS, type Terminated } from './lifecycle.js';
import { isRunning, succeeded, type ContainerState, type PodState } from './pod-state.js';

/** A condition as the kubelet writes it: a probe time never set is null. */
export type Condition = Omit<PodCondition, 'lastProbeTime'> & { lastProbeTime?: string | null };

export type KubeletPodStatus = Omit<PodStatus, 'conditions'> & { conditions: Condition[] };

const time = (ms: number) => rfc3339(new Date(ms));

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
  const initDone = state.init.every(succeeded);
  const unready = state.containers.filter((c) => !c.life.ready).map((c) => c.name);
  const incompleteInit = state.init.filter((c) => !succeeded(c)).map((c) => c.name);
  const phase = podPhase(pod, state, initDone);
  const finished = phase === 'Succeeded' || phase === 'Failed';
  const readiness = (type: string) =>
    unready.length ? cond(type, false, finished ? 'PodCompleted' : 'ContainersNotReady', finished ? undefined : `containers with unready status: [${unready.join(' ')}]`) : cond(type, true);
  const scheduled = (old.conditions ?? []).find((c) => c.type === 'PodScheduled');
  const conditions = [
    cond('PodReadyToStartContainers', !!state.ip),
    initDone ? cond('Initialized', true) : cond('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`),
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
    ...(state.init.length ? { initContainerStatuses: state.init.map((c) => containerStatus(c, initDone, state.ref)) } : {}),
    containerStatuses: state.containers.map((c) => containerStatus(c, initDone, state.ref)),
    qosClass: old.qosClass,
  };
  if (old.nominatedNodeName) status.nominatedNodeName = old.nominatedNodeName;
  return status;
}

function podPhase(pod: Pod, state: PodState, initDone: boolean): string {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (!initDone) {
    const failed = state.init.find((c) => c.life.phase === 'exited' && c.life.terminated && c.life.terminated.exitCode !== 0);
    return failed && policy === 'Never' ? 'Failed' : 'Pending';
  }
  const cs = state.containers;
  const backingOff = cs.some((c) => c.life.phase === 'crash-backoff');
  if (cs.some(isRunning)) return 'Running';
  if (cs.every((c) => c.life.phase === 'exited' || c.life.phase === 'crash-backoff')) {
    if (policy === 'Always' || backingOff) return cs.some((c) => c.life.restartCount > 0) || backingOff || policy === 'Always' ? 'Running' : 'Pending';
    const failed = cs.some((c) => c.life.terminated && c.life.terminated.exitCode !== 0);
    if (policy === 'OnFailure' && failed) return 'Running';
    return failed ? 'Failed' : 'Succeeded';
  }
  // Some containers waiting: Running once any has started before, Pending otherwise.
  return cs.some((c) => c.life.restartCount > 0 || c.life.startedAt !== undefined) ? 'Running' : 'Pending';
}

function containerStatus(c: ContainerState, initDone: boolean, podRef: string): ContainerStatus {
  const l = c.life;
  // containerd gives a process that never started the zero time as its start.
  const term = (x: Terminated): K8sContainerState => ({
    terminated: { exitCode: x.exitCode, reason: x.reason, ...(x.message ? { message: x.message } : {}), startedAt: time(x.startedAt ?? 0), finishedAt: time(x.finishedAt), containerID: c.id },
  });
  const crashLoop = (waitedMs: number): K8sContainerState => ({ waiting: { reason: 'CrashLoopBackOff', message: `back-off ${humanBackoff(waitedMs)} restarting failed container=${c.name} pod=${podRef}` } });
  let state: K8sContainerState;
  switch (l.phase) {
    case 'running':
      state = { running: { startedAt: time(l.startedAt!) } };
      break;
    case 'exited':
      state = term(l.terminated!);
      break;
    case 'crash-backoff':
      state = crashLoop(l.until - l.terminated!.finishedAt);
      break;
    case 'pull-error':
      state = { waiting: { reason: 'ErrImagePull', message: l.pullError } };
      break;
    case 'pull-backoff':
      state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${l.imageRef}": ErrImagePull: ${l.pullError}` } };
      break;
    case 'never-pull':
      state = { waiting: { reason: 'ErrImageNeverPull', message: `Container image "${l.imageRef}" is not present with pull policy of Never` } };
      break;
    case 'creating':
    case 'starting':
      state = { waiting: l.configError ? { reason: 'CreateContainerConfigError', message: l.configError } : { reason: 'ContainerCreating' } };
      break;
    default:
      state = { waiting: { reason: c.init || initDone ? 'ContainerCreating' : 'PodInitializing' } };
  }
  // A restart's pull and creation happen inside one sync of the real kubelet, which publishes the
  // status it found at the start of it: the last exit, or the back-off it was waiting out.
  if ((l.phase === 'pulling' || l.phase === 'creating') && !l.configError && l.last && l.restartCount > 0) {
    const waited = l.crashBackoffMs / 2;
    state = waited >= TIMINGS.backoffInitialMs ? crashLoop(waited) : term(l.last);
  }
  const lastState = l.last && (l.phase === 'exited' || !state.terminated) ? term(l.last) : {};
  const status: ContainerStatus = {
    name: c.name,
    state,
    lastState,
    ready: l.ready,
    restartCount: l.restartCount,
    image: l.image?.ref ?? l.imageRef,
    imageID: l.image && l.startedAt !== undefined ? l.image.id : '',
    ...(l.startedAt !== undefined || l.phase === 'running' ? { containerID: c.id } : {}),
    started: l.phase === 'running' && l.started,
  };
  if (c.init) delete status.started;
  return status;
}

/** Go's time.Duration printing for the back-off: 10s, 20s, 1m20s, 5m0s. */
function humanBackoff(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

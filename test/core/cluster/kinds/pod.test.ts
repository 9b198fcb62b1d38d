// The STATUS, READY and RESTARTS cells of `kubectl get pods`, as kubectl's printer makes them from
// a pod's status: init progress, the app containers' reasons, and Terminating.
import { describe, expect, it } from 'vitest';
import { pod, podStatusCell } from '../../../../src/core/cluster/kinds/pod.js';
import type { KindContext, KObject } from '../../../../src/core/cluster/kinds/types.js';

const NOW = new Date('2026-01-01T00:10:00Z');
type Status = Record<string, unknown>;

const waiting = (name: string, reason: string) => ({ name, state: { waiting: { reason } }, restartCount: 0, ready: false });
const running = (name: string, ready = true) => ({ name, state: { running: { startedAt: '2026-01-01T00:00:00Z' } }, restartCount: 0, ready });
const completed = (name: string) => ({ name, state: { terminated: { exitCode: 0, reason: 'Completed' } }, restartCount: 0, ready: true });

function cell(status: Status, extra: { initContainers?: number; deleting?: boolean } = {}) {
  const pod: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:09:00Z' } : {}) },
    spec: { initContainers: Array.from({ length: extra.initContainers ?? 0 }, (_, i) => ({ name: `init${i}` })), containers: [{ name: 'app' }] },
    status,
  };
  return podStatusCell(pod, NOW);
}

describe('the pod STATUS cell', () => {
  it('counts the init containers done, up to the first one that is not, while they wait or run', () => {
    const initStatus = (...s: object[]) => ({ phase: 'Pending', initContainerStatuses: s, containerStatuses: [waiting('app', 'PodInitializing')] });
    expect(cell(initStatus(waiting('init0', 'PodInitializing'), waiting('init1', 'PodInitializing')), { initContainers: 2 }).status).toBe('Init:0/2');
    expect(cell(initStatus(running('init0', false), waiting('init1', 'PodInitializing')), { initContainers: 2 }).status).toBe('Init:0/2');
    expect(cell(initStatus(completed('init0'), running('init1', false)), { initContainers: 2 }).status).toBe('Init:1/2');
  });

  it('names what holds an init container back: Init:ErrImagePull, Init:CrashLoopBackOff, Init:Error', () => {
    const init = (s: object) => cell({ phase: 'Pending', initContainerStatuses: [completed('init0'), s], containerStatuses: [waiting('app', 'PodInitializing')] }, { initContainers: 2 }).status;
    expect(init(waiting('init1', 'ErrImagePull'))).toBe('Init:ErrImagePull');
    expect(init(waiting('init1', 'CrashLoopBackOff'))).toBe('Init:CrashLoopBackOff');
    expect(init({ name: 'init1', state: { terminated: { exitCode: 1, reason: 'Error' } }, restartCount: 0 })).toBe('Init:Error');
  });

  it('says PodInitializing once the init containers are done and the app container is not started yet', () => {
    const status = { phase: 'Pending', initContainerStatuses: [completed('init0')], containerStatuses: [waiting('app', 'PodInitializing')], conditions: [{ type: 'Initialized', status: 'True' }] };
    expect(cell(status, { initContainers: 1 }).status).toBe('PodInitializing');
  });

  it('counts only the app containers\' restarts once the pod is initialized', () => {
    const init = { ...completed('init0'), restartCount: 3 };
    const app = { ...running('app'), restartCount: 1, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-01-01T00:08:00Z' } } };
    const status = { phase: 'Running', initContainerStatuses: [init], containerStatuses: [app], conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }] };
    expect(cell(status, { initContainers: 1 })).toEqual({ ready: '1/1', status: 'Running', restarts: '1 (2m ago)' });
  });

  it('shows Terminating for a pod being deleted, until it has ended, then how it ended', () => {
    expect(cell({ phase: 'Running', containerStatuses: [running('app')] }, { deleting: true }).status).toBe('Terminating');
    const ended = { name: 'app', state: { terminated: { exitCode: 137, reason: 'Error' } }, restartCount: 0, ready: false };
    expect(cell({ phase: 'Failed', containerStatuses: [ended] }, { deleting: true }).status).toBe('Error');
  });
});

const ctx: KindContext = { now: () => new Date('2026-01-01T00:10:00Z'), get: () => undefined, list: () => [] };

function newPod(spec: Record<string, unknown>): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec };
}

const spec = () => ({ containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }], restartPolicy: 'Always', activeDeadlineSeconds: 60 });

describe('a pod update', () => {
  it('may change images, the deadline, tolerations and the grace period, and leaves both objects as they were', () => {
    const old = newPod(spec());
    const next = newPod({ ...spec(), containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }], activeDeadlineSeconds: 30, tolerations: [{ operator: 'Exists' }], terminationGracePeriodSeconds: 5 });
    const before = JSON.stringify([old, next]);
    expect(pod.validateUpdate!(next, old, ctx)).toEqual([]);
    expect(JSON.stringify([old, next])).toBe(before);
  });

  it('may not change anything else in the spec', () => {
    const old = newPod(spec());
    const next = newPod({ ...spec(), containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 8080 }] }] });
    expect(pod.validateUpdate!(next, old, ctx).map((e) => e.field)).toEqual(['spec']);
  });
});

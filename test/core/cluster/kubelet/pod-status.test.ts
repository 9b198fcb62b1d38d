// The pod's phase from its containers' states, as the kubelet works it out, on its own.
import type { ContainerStatus } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { podPhase } from '../../../../src/core/cluster/kubelet/pod-status.js';

const s = (name: string, state: ContainerStatus['state'], lastState: ContainerStatus['lastState'] = {}): ContainerStatus => ({ name, state, lastState, image: 'x', imageID: '', ready: false, restartCount: 0 });
const waiting = (name: string, reason = 'ContainerCreating') => s(name, { waiting: { reason } });
const running = (name: string) => s(name, { running: {} });
const exited = (name: string, exitCode: number) => s(name, { terminated: { exitCode } });
const crashLooping = (name: string) => s(name, { waiting: { reason: 'CrashLoopBackOff' } }, { terminated: { exitCode: 1 } });

describe('the pod phase', () => {
  it('stays Pending while any container waits to run for the first time, even beside a running one', () => {
    expect(podPhase('Always', [], [running('web'), waiting('side', 'ErrImagePull')], false)).toBe('Pending');
    expect(podPhase('Always', [], [running('web'), running('side')], false)).toBe('Running');
  });

  it('is Running while a container that ended waits to be restarted', () => {
    expect(podPhase('Always', [], [crashLooping('app')], false)).toBe('Running');
    expect(podPhase('Always', [], [exited('app', 0)], false)).toBe('Running');
    expect(podPhase('OnFailure', [], [exited('app', 1)], false)).toBe('Running');
  });

  it('ends Succeeded or Failed once no container will run again', () => {
    expect(podPhase('OnFailure', [], [exited('app', 0)], false)).toBe('Succeeded');
    expect(podPhase('Never', [], [exited('a', 0), exited('b', 3)], false)).toBe('Failed');
  });

  it('stays Pending during init, and fails under Never when an init container fails', () => {
    expect(podPhase('Always', [running('init')], [waiting('app', 'PodInitializing')], false)).toBe('Pending');
    expect(podPhase('Always', [crashLooping('init')], [waiting('app', 'PodInitializing')], false)).toBe('Pending');
    expect(podPhase('Never', [exited('init', 1)], [waiting('app', 'PodInitializing')], false)).toBe('Failed');
  });

  it('ends a deleted pod Succeeded only if all its containers exited 0, Failed otherwise, whatever the policy', () => {
    expect(podPhase('Always', [], [exited('web', 0)], true)).toBe('Succeeded');
    expect(podPhase('Always', [], [exited('web', 0), exited('sleeper', 137)], true)).toBe('Failed');
    expect(podPhase('Always', [], [waiting('web', 'ImagePullBackOff')], true)).toBe('Failed');
  });
});

import { describe, expect, it } from 'vitest';
import { daemonPodTolerations, nodeShouldRun, targetNodeOf } from '../../../../src/core/cluster/controllers/daemonset.js';
import type { KObject } from '../../../../src/core/cluster/kinds/types.js';

const node = (name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}) => ({ metadata: { name, labels }, spec }) as unknown as KObject;
const ds = (podSpec: Record<string, unknown> = {}) => ({ metadata: { name: 'agent', namespace: 'default' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'busybox' }], ...podSpec } } } }) as unknown as KObject;

describe('which nodes a DaemonSet runs on', () => {
  it('every plain node', () => {
    expect(nodeShouldRun(node('w1'), ds())).toEqual({ shouldRun: true, shouldContinueRunning: true });
  });

  it('not the control plane, unless its taint is tolerated', () => {
    const cp = node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    expect(nodeShouldRun(cp, ds()).shouldRun).toBe(false);
    expect(nodeShouldRun(cp, ds({ tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] })).shouldRun).toBe(true);
  });

  it('a cordoned or not-ready node still, thanks to the automatic tolerations', () => {
    expect(nodeShouldRun(node('w1', { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), ds()).shouldRun).toBe(true);
    expect(nodeShouldRun(node('w1', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), ds()).shouldRun).toBe(true);
  });

  it('keeps a pod already there under a new NoSchedule taint, but not under NoExecute', () => {
    expect(nodeShouldRun(node('w1', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }), ds())).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(nodeShouldRun(node('w1', { taints: [{ key: 'gpu', effect: 'NoExecute' }] }), ds())).toEqual({ shouldRun: false, shouldContinueRunning: false });
  });

  it('only nodes with the nodeSelector labels', () => {
    expect(nodeShouldRun(node('w1'), ds({ nodeSelector: { disk: 'ssd' } })).shouldRun).toBe(false);
    expect(nodeShouldRun(node('w1', {}, { disk: 'ssd' }), ds({ nodeSelector: { disk: 'ssd' } })).shouldRun).toBe(true);
  });
});

describe('daemon pods', () => {
  it('get the node-trouble tolerations once, whatever the template had', () => {
    const t = daemonPodTolerations({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] });
    expect(t.filter((x) => x.key === 'node.kubernetes.io/not-ready')).toEqual([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }]);
    expect(t.map((x) => x.key)).toEqual(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/unschedulable']);
  });

  it('are known by the node their affinity pins them to', () => {
    const pod = { metadata: {}, spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w2'] }] }] } } } } } as unknown as KObject;
    expect(targetNodeOf(pod)).toBe('w2');
  });
});

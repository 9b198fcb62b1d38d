import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { preFilterNodeNames, resourcesFit, taintToleration, type NodeInfo } from '../../../../src/core/cluster/scheduler/filters.js';
import { nodeAllocatable, podRequests, zero } from '../../../../src/core/cluster/scheduler/resources.js';
import type { KObject, Stored } from '../../../../src/core/cluster/kinds/types.js';

const pod = (terms: unknown[]): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } } }) as KObject;

describe('the node affinity pre-filter', () => {
  it('narrows a pod pinned by metadata.name to the nodes it names', () => {
    const names = preFilterNodeNames(pod([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker2'] }] }]));
    expect([...names!]).toEqual(['worker', 'worker2']);
  });

  it('leaves every node to the filters when a term selects by labels', () => {
    expect(preFilterNodeNames(pod([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker'] }] }, { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }]))).toBeUndefined();
    expect(preFilterNodeNames({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } as KObject)).toBeUndefined();
  });
});

describe('the taint filter', () => {
  const node: Stored<Node> = { metadata: { name: 'worker' }, spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'soon', effect: 'PreferNoSchedule' }] } };
  const pod = (tolerations: NonNullable<Pod['spec']>['tolerations']): Stored<Pod> => ({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c' }], tolerations } });

  it('names the first NoSchedule taint the pod does not tolerate, and ignores PreferNoSchedule', () => {
    expect(taintToleration(pod(undefined), node)?.reason).toBe('node(s) had untolerated taint {dedicated: gpu}');
  });

  it('lets in a pod that tolerates the taint by key and value, or by key alone with Exists', () => {
    expect(taintToleration(pod([{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]), node)).toBeUndefined();
    expect(taintToleration(pod([{ key: 'dedicated', operator: 'Exists' }]), node)).toBeUndefined();
    expect(taintToleration(pod([{ key: 'dedicated', operator: 'Equal', value: 'tpu' }]), node)?.reason).toBe('node(s) had untolerated taint {dedicated: gpu}');
  });
});

describe('the resources filter', () => {
  it('counts the largest init container when it asks more than the containers together, plus the overhead', () => {
    const pod: Stored<Pod> = {
      metadata: { name: 'p' },
      spec: {
        initContainers: [{ name: 'migrate', resources: { requests: { cpu: '1', memory: '1Gi' } } }],
        containers: [
          { name: 'a', resources: { requests: { cpu: '250m', memory: '100Mi' } } },
          { name: 'b', resources: { requests: { cpu: '250m' } } },
        ],
        overhead: { cpu: '100m' },
      },
    };
    const r = podRequests(pod);
    expect([r.milliCPU, r.memory, r.pods]).toEqual([1100, 1024 ** 3, 1]);
  });

  it('says which resources a node lacks', () => {
    const node: Stored<Node> = { metadata: { name: 'small' }, status: { allocatable: { cpu: '1', memory: '1Gi', pods: '110' } } };
    const info: NodeInfo = { node, requested: zero(), allocatable: nodeAllocatable(node), pods: [] };
    const pod: Stored<Pod> = { metadata: { name: 'big' }, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '2', memory: '512Mi' } } }] } };
    expect(resourcesFit(pod, info, podRequests(pod)).map((x) => x.reason)).toEqual(['Insufficient cpu']);
  });
});

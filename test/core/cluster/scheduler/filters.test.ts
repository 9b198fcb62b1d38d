import { describe, expect, it } from 'vitest';
import { preFilterNodeNames } from '../../../../src/core/cluster/scheduler/filters.js';
import type { KObject } from '../../../../src/core/cluster/kinds/types.js';

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

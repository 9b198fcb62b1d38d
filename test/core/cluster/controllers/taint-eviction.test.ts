import { describe, expect, it } from 'vitest';
import { evictionDelay } from '../../../../src/core/cluster/controllers/taint-eviction.js';

const taint = { key: 'maintenance', value: 'now', effect: 'NoExecute' };
const since = () => 1_000;

describe('when a pod must leave a NoExecute-tainted node', () => {
  it('is at once for a pod that does not tolerate the taint', () => {
    expect(evictionDelay([], [taint], since, 5_000)).toBe(0);
    expect(evictionDelay([{ key: 'other', operator: 'Exists', effect: 'NoExecute' }], [taint], since, 5_000)).toBe(0);
  });

  it('is never for a pod that tolerates it without a time limit', () => {
    expect(evictionDelay([{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute' }], [taint], since, 5_000)).toBeUndefined();
  });

  it('counts tolerationSeconds from when the taint was added, the shortest matching one winning', () => {
    const tolerations = [
      { key: 'maintenance', operator: 'Exists', tolerationSeconds: 60 },
      { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
    ];
    expect(evictionDelay(tolerations, [taint], since, 11_000)).toBe(20_000);
    expect(evictionDelay(tolerations, [taint], since, 40_000)).toBe(0);
  });

  it('ignores NoSchedule taints', () => {
    expect(evictionDelay([], [{ key: 'x', effect: 'NoSchedule' }], since, 0)).toBeUndefined();
  });
});

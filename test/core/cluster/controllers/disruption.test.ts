// A PodDisruptionBudget's status from the pods it selects, and evictions it allows or refuses.
import { describe, expect, it } from 'vitest';
import { budgetStatus } from '../../../../src/core/cluster/controllers/disruption.js';
import type { KObject, Stored } from '../../../../src/core/cluster/kinds/types.js';
import type { PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';

const NOW = new Date('2026-03-01T10:00:00Z');
const pod = (name: string, ready: boolean, terminating = false): KObject => ({
  metadata: { name, ...(terminating ? { deletionTimestamp: '2026-03-01T10:00:30Z' } : {}) },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const budget = (spec: PodDisruptionBudgetSpec, status: Partial<PodDisruptionBudgetStatus> = {}): Stored<PodDisruptionBudget> => ({ metadata: { name: 'b', generation: 1 }, spec, status: status as PodDisruptionBudgetStatus });

describe('a disruption budget\'s status', () => {
  it('allows as many disruptions as healthy pods exceed minAvailable', () => {
    const s = budgetStatus(budget({ minAvailable: 2 }), [pod('a', true), pod('b', true), pod('c', true)], () => 3, NOW);
    expect(s).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, observedGeneration: 1 });
    expect(s.conditions).toEqual([{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1, lastTransitionTime: '2026-03-01T10:00:00Z' }]);
  });

  it('counts neither unready nor terminating pods as healthy', () => {
    const s = budgetStatus(budget({ minAvailable: 2 }), [pod('a', true), pod('b', false), pod('c', true, true)], () => 3, NOW);
    expect(s).toMatchObject({ currentHealthy: 1, disruptionsAllowed: 0 });
    expect(s.conditions[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
  });

  it('reads maxUnavailable and percentages against the controllers\' scale, rounding up', () => {
    const pods = [pod('a', true), pod('b', true)];
    expect(budgetStatus(budget({ maxUnavailable: 1 }), pods, () => 4, NOW)).toMatchObject({ expectedPods: 4, desiredHealthy: 3, disruptionsAllowed: 0 });
    expect(budgetStatus(budget({ minAvailable: '50%' }), pods, () => 3, NOW)).toMatchObject({ expectedPods: 3, desiredHealthy: 2, disruptionsAllowed: 0 });
    expect(budgetStatus(budget({ maxUnavailable: '50%' }), pods, () => 2, NOW)).toMatchObject({ desiredHealthy: 1, disruptionsAllowed: 1 });
  });

  it('does not count a pod an eviction has claimed until it is on its way out', () => {
    const s = budgetStatus(budget({ minAvailable: 1 }, { disruptedPods: { a: '2026-03-01T09:59:50Z' } }), [pod('a', true), pod('b', true)], () => 2, NOW);
    expect(s).toMatchObject({ currentHealthy: 1, disruptionsAllowed: 0, disruptedPods: { a: '2026-03-01T09:59:50Z' } });
  });
});

import type { Stored } from '../../../../src/core/cluster/kinds/types.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { describe, expect, it } from 'vitest';
import { backoffRemaining, formatIndexes, parseIndexes, pastBackoffLimitOnFailure } from '../../../../src/core/cluster/controllers/job.js';
import type { KObject } from '../../../../src/core/cluster/kinds/types.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function pod(phase: string, finishedSecond: number, restarts = 0): KObject {
  return {
    metadata: { name: `p-${finishedSecond}`, creationTimestamp: at(0) },
    status: { phase, containerStatuses: [{ restartCount: restarts, state: phase === 'Running' ? { running: {} } : { terminated: { finishedAt: at(finishedSecond) } } }] },
  } as KObject;
}

describe('the Job back-off', () => {
  it('is nothing before any failure', () => {
    expect(backoffRemaining([pod('Running', 0)], T0)).toBe(0);
  });

  it('waits 10 s after one failure, 20 s after two, counted from the last', () => {
    expect(backoffRemaining([pod('Failed', 5)], T0 + 5_000)).toBe(10_000);
    expect(backoffRemaining([pod('Failed', 5), pod('Failed', 20)], T0 + 25_000)).toBe(15_000);
  });

  it('stops doubling at six minutes', () => {
    const failures = Array.from({ length: 12 }, (_, i) => pod('Failed', i));
    expect(backoffRemaining(failures, T0 + 11_000)).toBe(360_000);
  });

  it('starts again from 10 s after a success', () => {
    expect(backoffRemaining([pod('Failed', 1), pod('Failed', 2), pod('Succeeded', 3), pod('Failed', 4)], T0 + 4_000)).toBe(10_000);
  });
});

describe('restartPolicy OnFailure', () => {
  const job = (limit: number, restartPolicy = 'OnFailure'): Stored<Job> => ({ metadata: { name: 'j' }, spec: { backoffLimit: limit, template: { spec: { restartPolicy, containers: [] } } } });
  it('counts the container restarts of live pods against backoffLimit', () => {
    expect(pastBackoffLimitOnFailure(job(3), [pod('Running', 0, 2)])).toBe(false);
    expect(pastBackoffLimitOnFailure(job(3), [pod('Running', 0, 2), pod('Running', 0, 1)])).toBe(true);
  });
  it('fails at the first restart with backoffLimit 0, and never for restartPolicy Never', () => {
    expect(pastBackoffLimitOnFailure(job(0), [pod('Running', 0, 1)])).toBe(true);
    expect(pastBackoffLimitOnFailure(job(0, 'Never'), [pod('Running', 0, 5)])).toBe(false);
  });
});

describe('completed indexes', () => {
  it('are written as ranges and read back', () => {
    expect(formatIndexes([3, 0, 1, 2, 5, 7, 8])).toBe('0-3,5,7-8');
    expect([...parseIndexes('0-3,5,7-8')]).toEqual([0, 1, 2, 3, 5, 7, 8]);
    expect(formatIndexes([])).toBe('');
  });
});

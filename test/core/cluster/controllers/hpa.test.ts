import { describe, expect, it } from 'vitest';
import { parseQuantity, resourceReplicas, scaleUpLimit, type PodSample } from '../../../../src/core/cluster/controllers/hpa.js';

const pod = (usage: number | undefined, request = 0.1, ready = true): PodSample => ({ name: 'p', ready, usage, request });

describe('the replica count for a CPU utilisation target', () => {
  it('scales by the ratio of use to target, rounding up', () => {
    expect(resourceReplicas(2, 50, [pod(0.1), pod(0.1)], 'cpu')).toEqual({ ok: true, replicas: 4, utilization: 100, averageValue: 0.1 });
    expect(resourceReplicas(4, 50, [pod(0.01), pod(0.01), pod(0.01), pod(0.01)], 'cpu')).toMatchObject({ replicas: 1, utilization: 10 });
  });

  it('stays put within the 10% tolerance', () => {
    expect(resourceReplicas(2, 50, [pod(0.054), pod(0.054)], 'cpu')).toMatchObject({ replicas: 2, utilization: 54 });
  });

  it('does not let pods without metrics push a scale-up further, nor a scale-down', () => {
    // Two busy pods and two starting ones: the starting ones count as idle when scaling up.
    expect(resourceReplicas(4, 50, [pod(0.1), pod(0.1), pod(undefined), pod(undefined)], 'cpu')).toMatchObject({ replicas: 4 });
    // Scaling down, they count as exactly on target: one idle pod of three brings it to 2, not 1.
    expect(resourceReplicas(3, 50, [pod(0), pod(undefined), pod(undefined)], 'cpu')).toMatchObject({ replicas: 2 });
  });

  it('refuses to guess when a container requests no CPU', () => {
    expect(resourceReplicas(1, 50, [{ name: 'web-1', ready: true, usage: 0.1, missingRequestIn: 'web' }], 'cpu')).toEqual({
      ok: false,
      reason: 'FailedGetResourceMetric',
      message: 'failed to get cpu utilization: missing request for cpu in container web of Pod web-1',
    });
  });
});

describe('the scale-up rate', () => {
  it('allows four more pods or double, whichever is more, by default', () => {
    expect(scaleUpLimit(1, undefined)).toBe(5);
    expect(scaleUpLimit(10, undefined)).toBe(20);
  });
  it('follows a behaviour that picks the smaller policy', () => {
    expect(scaleUpLimit(10, { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }] })).toBe(11);
  });
});

describe('quantities', () => {
  it('are read in base units', () => {
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('1500000n')).toBeCloseTo(0.0015);
    expect(parseQuantity('64Mi')).toBe(64 * 1024 * 1024);
    expect(parseQuantity('1k')).toBe(1000);
  });
});

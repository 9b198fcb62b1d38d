// The autoscaling/v1 view of HorizontalPodAutoscalers stored as autoscaling/v2.
import { describe, expect, it } from 'vitest';
import { horizontalPodAutoscaler as hpa } from '../../../../src/core/cluster/kinds/horizontalpodautoscaler.js';
import { horizontalPodAutoscalerV1 as hpaV1, hpaV1ToV2, hpaV2ToV1 } from '../../../../src/core/cluster/kinds/horizontalpodautoscaler-v1.js';
import type { KindContext, KObject } from '../../../../src/core/cluster/kinds/types.js';
import { fieldErrorMessage } from '../../../../src/core/cluster/errors.js';

const ctx: KindContext = { now: () => new Date('2026-01-01T00:10:00Z'), get: () => undefined, list: () => [] };

/** A v2 object as the v2 registry stores it. */
function storedV2(spec: Record<string, unknown>): KObject {
  const obj: KObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', uid: 'h1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10, ...spec },
  };
  hpa.prepareForCreate!(obj, ctx);
  hpa.defaults!(obj, ctx);
  expect(hpa.validate!(obj, ctx)).toEqual([]);
  return obj;
}

const cpu = (utilization: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: utilization } } });

describe('HorizontalPodAutoscaler autoscaling/v1', () => {
  const v1 = (spec: Record<string, unknown>, annotations?: Record<string, string>): KObject => ({
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z', ...(annotations ? { annotations } : {}) },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10, ...spec },
  });

  it('views the same stored objects as v2', () => {
    expect(hpaV1.storedAs?.group).toBe('autoscaling');
    expect(hpaV1.storedAs?.plural).toBe('horizontalpodautoscalers');
    expect(hpaV1.version).toBe('v1');
  });

  it('stores a CPU target as a v2 resource metric and reads it back', () => {
    const stored = hpaV1ToV2(v1({ minReplicas: 1, targetCPUUtilizationPercentage: 50 }));
    expect((stored.spec as any).metrics).toEqual([cpu(50)]);
    expect(stored.apiVersion).toBe('autoscaling/v2');
    const back = hpaV2ToV1(stored);
    expect(back.spec).toEqual({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 });
    expect(back.metadata.annotations).toBeUndefined();
  });

  it('makes the implicit 80% CPU target explicit', () => {
    expect((hpaV1ToV2(v1({})).spec as any).metrics).toEqual([cpu(80)]);
    expect(hpaV2ToV1(hpaV1ToV2(v1({}))).spec).toMatchObject({ targetCPUUtilizationPercentage: 80 });
  });

  it('keeps other metrics and the behavior in annotations', () => {
    const stored = storedV2({
      metrics: [cpu(60), { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    });
    const view = hpaV2ToV1(stored);
    expect((view.spec as any).targetCPUUtilizationPercentage).toBe(60);
    expect(view.metadata.annotations!['autoscaling.alpha.kubernetes.io/metrics']).toBe('[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"500Mi"}}]');
    expect(JSON.parse(view.metadata.annotations!['autoscaling.alpha.kubernetes.io/behavior']!).ScaleDown.StabilizationWindowSeconds).toBe(300);
    const again = hpaV1ToV2(view);
    expect((again.spec as any).metrics).toEqual((stored.spec as any).metrics.slice(1).concat([cpu(60)]));
    expect((again.spec as any).behavior).toEqual((stored.spec as any).behavior);
    expect(again.metadata.annotations).toBeUndefined();
  });

  it('validates through the v2 rules, with the internal field paths', () => {
    const o = v1({ targetCPUUtilizationPercentage: 0 });
    hpaV1.defaults!(o, ctx);
    expect(hpaV1.validate!(o, ctx).map(fieldErrorMessage)).toEqual([
      'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    ]);
  });

  it('prints like v2', () => {
    const o = v1({ minReplicas: 1, targetCPUUtilizationPercentage: 50 });
    o.status = { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 12 };
    expect(hpaV1.row!(o, ctx)).toEqual(['Deployment/web', 'cpu: 12%/50%', '1', 10, 2, '10m']);
  });
});

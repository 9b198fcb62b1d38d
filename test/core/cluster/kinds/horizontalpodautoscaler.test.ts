import { describe, expect, it } from 'vitest';
import { formatHPAMetrics, horizontalPodAutoscaler as hpa } from '../../../../src/core/cluster/kinds/horizontalpodautoscaler.js';
import type { KindContext, KObject } from '../../../../src/core/cluster/kinds/types.js';
import { fieldErrorMessage } from '../../../../src/core/cluster/errors.js';
import { expectGolden } from '../../../helpers/golden.js';

const ctx: KindContext = { now: () => new Date('2026-01-01T00:10:00Z'), get: () => undefined, list: () => [] };

function newHPA(spec: Record<string, unknown> = {}, name = 'web'): KObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'default', uid: 'h1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, maxReplicas: 10, ...spec },
  };
}

function create(obj: KObject): { obj: KObject; errors: string[] } {
  hpa.prepareForCreate!(obj, ctx);
  hpa.defaults!(obj, ctx);
  return { obj, errors: hpa.validate!(obj, ctx).map(fieldErrorMessage) };
}

const cpu = (utilization: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: utilization } } });

describe('HorizontalPodAutoscaler', () => {
  it('is served as autoscaling/v2, short name hpa, in category all', () => {
    expect([hpa.group, hpa.version, hpa.plural, hpa.singular]).toEqual(['autoscaling', 'v2', 'horizontalpodautoscalers', 'horizontalpodautoscaler']);
    expect(hpa.shortNames).toEqual(['hpa']);
    expect(hpa.categories).toEqual(['all']);
    expect(hpa.subresources).toEqual(['status']);
    expect(hpa.columns!.map((c) => c.name)).toEqual(['Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
  });

  it('defaults minReplicas to 1 and the metrics to 80% CPU, and leaves behavior out', () => {
    const { obj, errors } = create(newHPA());
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 10,
      minReplicas: 1,
      metrics: [cpu(80)],
    });
    expect(obj.status).toEqual({ desiredReplicas: 0 });
  });

  it('fills in a partial behavior with the default scaling rules', () => {
    const spec = create(newHPA({ behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } })).obj.spec as any;
    expect(spec.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
      },
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });

  it('refuses maxReplicas below 1 or below minReplicas, and minReplicas below 1', () => {
    expect(create(newHPA({ minReplicas: 5, maxReplicas: 2 })).errors).toEqual([
      'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
    ]);
    expect(create(newHPA({ minReplicas: 0, maxReplicas: 0 })).errors).toEqual([
      'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
      'spec.maxReplicas: Invalid value: 0: must be greater than 0',
      'spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas',
    ]);
  });

  it('requires the scale target kind and name', () => {
    expect(create(newHPA({ scaleTargetRef: { apiVersion: 'apps/v1' } })).errors).toEqual([
      'spec.scaleTargetRef.kind: Required value',
      'spec.scaleTargetRef.name: Required value',
    ]);
  });

  it('validates metrics', () => {
    expect(create(newHPA({ metrics: [cpu(0)] })).errors).toEqual([
      'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    ]);
    expect(create(newHPA({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }] })).errors).toEqual([
      'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
    ]);
    expect(create(newHPA({ metrics: [{ type: 'Pods' }] })).errors).toEqual([
      'spec.metrics[0].pods: Required value: must populate information for the given metric source',
    ]);
    expect(create(newHPA({ metrics: [{ type: 'Magic' }] })).errors).toEqual([
      'spec.metrics[0].type: Unsupported value: "Magic": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
    ]);
  });

  it('validates scaling policies', () => {
    expect(create(newHPA({ behavior: { scaleUp: { policies: [{ type: 'Nodes', value: 0, periodSeconds: 4000 }] } } })).errors).toEqual([
      'spec.behavior.scaleUp.policies[0].type: Unsupported value: "Nodes": supported values: "Percent", "Pods"',
      'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
      'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 4000: must be less than or equal to 1800',
    ]);
  });

  it('prints TARGETS as current over target, two metrics at most', () => {
    expect(formatHPAMetrics([], [])).toBe('<none>');
    expect(formatHPAMetrics([cpu(80)] as any, [])).toBe('cpu: <unknown>/80%');
    expect(formatHPAMetrics([cpu(80)] as any, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 37, averageValue: '185m' } } }])).toBe('cpu: 37%/80%');
    expect(formatHPAMetrics([{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } }], [])).toBe('memory: <unknown>/500Mi');
    expect(formatHPAMetrics([{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1k' } } }], [])).toBe('<unknown>/1k');
    expect(formatHPAMetrics([{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } }], [])).toBe('<unknown>/30 (avg)');
    expect(formatHPAMetrics([{ type: 'Object', object: { metric: { name: 'hits' }, target: { type: 'Value', value: '10' } } }], [])).toBe('<unknown>/10');
    expect(formatHPAMetrics([cpu(50), cpu(60), cpu(70)] as any, [])).toBe('cpu: <unknown>/50%, cpu: <unknown>/60% + 1 more...');
  });

  it('prints reference, targets, min and max pods and replicas', () => {
    const fresh = create(newHPA()).obj;
    const busy = create(newHPA({ minReplicas: 2, maxReplicas: 8, metrics: [cpu(50), { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } }] }, 'api')).obj;
    busy.status = {
      currentReplicas: 3, desiredReplicas: 3,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 62, averageValue: '310m' } } },
        { type: 'Resource', resource: { name: 'memory', current: { averageUtilization: 41, averageValue: '210Mi' } } },
      ],
    };
    const unsetMin = newHPA({}, 'raw');
    const rows = [fresh, busy, unsetMin].map((o) => [o.metadata.name, ...hpa.row!(o, ctx)].join(' | '));
    expectGolden('kinds/horizontalpodautoscaler', rows.join('\n'));
  });
});

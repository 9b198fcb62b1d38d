import { describe, expect, it } from 'vitest';
import { podDisruptionBudget as pdb } from '../../../../src/core/cluster/kinds/poddisruptionbudget.js';
import type { KindContext, KObject } from '../../../../src/core/cluster/kinds/types.js';
import { fieldErrorMessage } from '../../../../src/core/cluster/errors.js';
import { expectGolden } from '../../../helpers/golden.js';

const ctx: KindContext = { now: () => new Date('2026-01-01T00:10:00Z'), get: () => undefined, list: () => [] };

function newPDB(spec: Record<string, unknown>, name = 'web'): KObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default', uid: 'p1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { selector: { matchLabels: { app: name } }, ...spec },
  };
}

const errors = (o: KObject) => pdb.validate!(o, ctx).map(fieldErrorMessage);

describe('PodDisruptionBudget', () => {
  it('is served as policy/v1 poddisruptionbudgets, short name pdb, with a status subresource', () => {
    expect([pdb.group, pdb.version, pdb.plural, pdb.singular, pdb.namespaced]).toEqual(['policy', 'v1', 'poddisruptionbudgets', 'poddisruptionbudget', true]);
    expect(pdb.shortNames).toEqual(['pdb']);
    expect(pdb.categories).toBeUndefined();
    expect(pdb.subresources).toEqual(['status']);
    expect(pdb.columns!.map((c) => [c.name, c.type])).toEqual([
      ['Min Available', 'string'], ['Max Unavailable', 'string'], ['Allowed Disruptions', 'integer'], ['Age', 'string'],
    ]);
  });

  it('starts with an empty status', () => {
    const o = newPDB({ minAvailable: 1 });
    pdb.prepareForCreate!(o, ctx);
    expect(o.status).toEqual({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  });

  it('accepts minAvailable or maxUnavailable, as a number or a percentage', () => {
    expect(errors(newPDB({ minAvailable: 2 }))).toEqual([]);
    expect(errors(newPDB({ maxUnavailable: '25%' }))).toEqual([]);
  });

  it('refuses minAvailable and maxUnavailable together', () => {
    const msgs = errors(newPDB({ minAvailable: 1, maxUnavailable: 1 }));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatch(/^spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set$/);
  });

  it('refuses negative numbers, bad percentages and more than 100%', () => {
    expect(errors(newPDB({ minAvailable: -1 }))).toEqual(['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
    expect(errors(newPDB({ maxUnavailable: '120%' }))).toEqual(['spec.maxUnavailable: Invalid value: "120%": must not be greater than 100%']);
    expect(errors(newPDB({ maxUnavailable: 'two' }))).toEqual([
      "spec.maxUnavailable: Invalid value: \"two\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ]);
  });

  it('validates the selector and the unhealthy pod eviction policy', () => {
    expect(errors(newPDB({ minAvailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'In' }] }, unhealthyPodEvictionPolicy: 'Never' }))).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
    ]);
  });

  it('prints N/A for the bound that is not set', () => {
    const a = newPDB({ minAvailable: 2 });
    a.status = { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 };
    const b = newPDB({ maxUnavailable: '25%' }, 'api');
    const c = newPDB({}, 'none');
    const rows = [a, b, c].map((o) => [o.metadata.name, ...pdb.row!(o, ctx)].join(' | '));
    expectGolden('kinds/poddisruptionbudget', rows.join('\n'));
  });
});

import { describe, expect, it } from 'vitest';
import { daemonSet, TEMPLATE_GENERATION_ANNOTATION } from '../../../../src/core/cluster/kinds/daemonset.js';
import type { KindContext, KObject } from '../../../../src/core/cluster/kinds/types.js';
import { fieldErrorMessage } from '../../../../src/core/cluster/errors.js';
import { expectGolden } from '../../../helpers/golden.js';

const ctx: KindContext = { now: () => new Date('2026-01-01T00:10:00Z'), get: () => undefined, list: () => [] };

function newDaemonSet(spec: Record<string, unknown> = {}, name = 'fluentd'): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'kube-system', uid: 'd1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { restartPolicy: 'Always', containers: [{ name, image: `${name}:1.0` }] } },
      ...spec,
    },
  };
}

function create(obj: KObject): { obj: KObject; errors: string[] } {
  daemonSet.prepareForCreate!(obj, ctx);
  daemonSet.defaults!(obj, ctx);
  return { obj, errors: daemonSet.validate!(obj, ctx).map(fieldErrorMessage) };
}

function update(next: KObject, old: KObject): string[] {
  daemonSet.prepareForUpdate!(next, old, ctx);
  daemonSet.defaults!(next, ctx);
  return [...daemonSet.validate!(next, ctx), ...daemonSet.validateUpdate!(next, old, ctx)].map(fieldErrorMessage);
}

describe('DaemonSet', () => {
  it('is served as apps/v1 daemonsets, short name ds, in category all', () => {
    expect([daemonSet.group, daemonSet.version, daemonSet.plural, daemonSet.singular]).toEqual(['apps', 'v1', 'daemonsets', 'daemonset']);
    expect(daemonSet.shortNames).toEqual(['ds']);
    expect(daemonSet.categories).toEqual(['all']);
    expect(daemonSet.subresources).toEqual(['status']);
    expect(daemonSet.columns!.map((c) => [c.name, c.priority ?? 0])).toEqual([
      ['Desired', 0], ['Current', 0], ['Ready', 0], ['Up-to-date', 0], ['Available', 0], ['Node Selector', 0], ['Age', 0],
      ['Containers', 1], ['Images', 1], ['Selector', 1],
    ]);
  });

  it('defaults to a rolling update of one node at a time and ten revisions', () => {
    const { obj, errors } = create(newDaemonSet());
    expect(errors).toEqual([]);
    const spec = obj.spec as any;
    expect(spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(spec.revisionHistoryLimit).toBe(10);
  });

  it('fills in what a partial rolling update leaves out, and nothing for OnDelete', () => {
    const partial = create(newDaemonSet({ updateStrategy: { rollingUpdate: { maxUnavailable: '25%' } } })).obj.spec as any;
    expect(partial.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 0 } });
    const onDelete = create(newDaemonSet({ updateStrategy: { type: 'OnDelete' } })).obj.spec as any;
    expect(onDelete.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  it('starts with an empty status and template generation 1', () => {
    const { obj } = create(newDaemonSet());
    expect(obj.status).toEqual({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
    expect(obj.metadata.annotations).toEqual({ [TEMPLATE_GENERATION_ANNOTATION]: '1' });
  });

  it('counts template changes in the template generation annotation', () => {
    const old = create(newDaemonSet()).obj;
    const same = structuredClone(old);
    (same.spec as any).minReadySeconds = 5;
    delete same.metadata.annotations;
    expect(update(same, old)).toEqual([]);
    expect(same.metadata.annotations![TEMPLATE_GENERATION_ANNOTATION]).toBe('1');
    const changed = structuredClone(old);
    (changed.spec as any).template.spec.containers[0].image = 'fluentd:2.0';
    expect(update(changed, old)).toEqual([]);
    expect(changed.metadata.annotations![TEMPLATE_GENERATION_ANNOTATION]).toBe('2');
  });

  it('refuses a selector that does not match the template labels', () => {
    const o = newDaemonSet({ selector: { matchLabels: { app: 'other' } } });
    expect(create(o).errors).toEqual(['spec.template.metadata.labels: Invalid value: {"app":"fluentd"}: `selector` does not match template `labels`']);
  });

  it('refuses a missing selector, which selects nothing', () => {
    const o = newDaemonSet();
    delete (o.spec as any).selector;
    expect(create(o).errors).toEqual(['spec.template.metadata.labels: Invalid value: {"app":"fluentd"}: `selector` does not match template `labels`']);
  });

  it('refuses an empty selector', () => {
    expect(create(newDaemonSet({ selector: {} })).errors).toEqual(['spec.selector: Invalid value: {}: empty selector is invalid for daemonset']);
  });

  it('refuses a template that does not restart Always', () => {
    const o = newDaemonSet();
    (o.spec as any).template.spec.restartPolicy = 'OnFailure';
    expect(create(o).errors).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"']);
  });

  it('refuses a rolling update that both surges and takes nodes down, or does neither', () => {
    expect(create(newDaemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } } })).errors).toEqual([
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "10%": may not be set when maxUnavailable is non-zero',
    ]);
    expect(create(newDaemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } })).errors).toEqual([
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
    ]);
  });

  it('refuses percentages above 100% and malformed ones', () => {
    expect(create(newDaemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%' } } })).errors).toEqual([
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
    ]);
    expect(create(newDaemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 'half' } } })).errors).toEqual([
      "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"half\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      // A string that is no percentage counts as 0, as intstr's IntValue reads it.
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
    ]);
  });

  it('refuses an unknown update strategy', () => {
    expect(create(newDaemonSet({ updateStrategy: { type: 'Recreate' } })).errors).toEqual([
      'spec.updateStrategy: Unsupported value: {"type":"Recreate"}: supported values: "RollingUpdate", "OnDelete"',
    ]);
  });

  it('refuses invalid label keys in the selector', () => {
    const o = newDaemonSet({ selector: { matchLabels: { 'bad key': 'x' } } });
    expect(create(o).errors[0]).toBe(
      "spec.selector.matchLabels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  });

  it('makes the selector immutable', () => {
    const old = create(newDaemonSet()).obj;
    const next = structuredClone(old);
    (next.spec as any).selector = { matchLabels: { app: 'fluentd', tier: 'logs' } };
    (next.spec as any).template.metadata.labels.tier = 'logs';
    expect(update(next, old)).toEqual(['spec.selector: Invalid value: {"matchLabels":{"app":"fluentd","tier":"logs"}}: field is immutable']);
  });

  it('prints counts, node selector, containers and selector', () => {
    const fresh = create(newDaemonSet()).obj;
    const running = create(newDaemonSet({}, 'node-exporter')).obj;
    (running.spec as any).template.spec.nodeSelector = { 'kubernetes.io/os': 'linux', disk: 'ssd' };
    running.status = { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2, numberMisscheduled: 0 };
    const exprs = create(newDaemonSet({
      selector: { matchLabels: { app: 'proxy' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }, { key: 'canary', operator: 'DoesNotExist' }] },
    }, 'proxy')).obj;
    (exprs.spec as any).template.spec.containers.push({ name: 'sidecar', image: 'envoy:1.30' });
    const rows = [fresh, running, exprs].map((o) => [o.metadata.name, ...daemonSet.row!(o, ctx)].join(' | '));
    expectGolden('kinds/daemonset', rows.join('\n'));
  });
});

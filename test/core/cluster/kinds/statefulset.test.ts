import { describe, expect, it } from 'vitest';
import { statefulSet } from '../../../../src/core/cluster/kinds/statefulset.js';
import type { KindContext, KObject } from '../../../../src/core/cluster/kinds/types.js';
import { fieldErrorMessage } from '../../../../src/core/cluster/errors.js';
import { expectGolden } from '../../../helpers/golden.js';

const ctx: KindContext = { now: () => new Date('2026-01-01T00:10:00Z'), get: () => undefined, list: () => [] };

function newStatefulSet(spec: Record<string, unknown> = {}, name = 'web'): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default', uid: 's1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      serviceName: 'nginx',
      replicas: 3,
      selector: { matchLabels: { app: 'nginx' } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { restartPolicy: 'Always', containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

function create(obj: KObject): { obj: KObject; errors: string[] } {
  statefulSet.prepareForCreate!(obj, ctx);
  statefulSet.defaults!(obj, ctx);
  return { obj, errors: statefulSet.validate!(obj, ctx).map(fieldErrorMessage) };
}

function update(next: KObject, old: KObject): string[] {
  statefulSet.defaults!(next, ctx);
  return [...statefulSet.validate!(next, ctx), ...statefulSet.validateUpdate!(next, old, ctx)].map(fieldErrorMessage);
}

const FORBIDDEN =
  "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

describe('StatefulSet', () => {
  it('is served as apps/v1 statefulsets, short name sts, with scale and status', () => {
    expect([statefulSet.group, statefulSet.version, statefulSet.plural, statefulSet.singular]).toEqual(['apps', 'v1', 'statefulsets', 'statefulset']);
    expect(statefulSet.shortNames).toEqual(['sts']);
    expect(statefulSet.categories).toEqual(['all']);
    expect(statefulSet.subresources).toEqual(['scale', 'status']);
    expect(statefulSet.scale).toEqual({ specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' });
    expect(statefulSet.columns!.map((c) => [c.name, c.priority ?? 0])).toEqual([['Ready', 0], ['Age', 0], ['Containers', 1], ['Images', 1]]);
  });

  it('defaults the pod management, update strategy, retention policy and history', () => {
    const o = newStatefulSet();
    delete (o.spec as any).replicas;
    const { obj, errors } = create(o);
    expect(errors).toEqual([]);
    const spec = obj.spec as any;
    expect(spec.replicas).toBe(1);
    expect(spec.podManagementPolicy).toBe('OrderedReady');
    expect(spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    expect(spec.revisionHistoryLimit).toBe(10);
    expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(obj.status).toEqual({ replicas: 0, availableReplicas: 0 });
  });

  it('leaves an explicit RollingUpdate without rollingUpdate as it is', () => {
    const spec = create(newStatefulSet({ updateStrategy: { type: 'RollingUpdate' } })).obj.spec as any;
    expect(spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
  });

  it('defaults volume claim templates as claims, with apiVersion and kind', () => {
    const spec = create(newStatefulSet({
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    })).obj.spec as any;
    expect(spec.volumeClaimTemplates).toEqual([{
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'www' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    }]);
  });

  it('requires a selector that selects the template', () => {
    const o = newStatefulSet();
    delete (o.spec as any).selector;
    expect(create(o).errors).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: {"app":"nginx"}: `selector` does not match template `labels`',
    ]);
    expect(create(newStatefulSet({ selector: { matchLabels: { app: 'other' } } })).errors).toEqual([
      'spec.template.metadata.labels: Invalid value: {"app":"nginx"}: `selector` does not match template `labels`',
    ]);
  });

  it('refuses an empty selector', () => {
    expect(create(newStatefulSet({ selector: {} })).errors).toEqual(['spec.selector: Invalid value: {}: empty selector is invalid for statefulset']);
  });

  it('refuses negative replicas and unknown policies', () => {
    expect(create(newStatefulSet({ replicas: -1, podManagementPolicy: 'Random', persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' } })).errors).toEqual([
      "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
      'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('refuses rollingUpdate with OnDelete and an unknown strategy', () => {
    expect(create(newStatefulSet({ updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } })).errors).toEqual([
      'spec.updateStrategy.rollingUpdate: Invalid value: {"partition":1}: only allowed for updateStrategy \'RollingUpdate\'',
    ]);
    expect(create(newStatefulSet({ updateStrategy: { type: 'Recreate' } })).errors).toEqual([
      'spec.updateStrategy: Invalid value: {"type":"Recreate"}: must be \'RollingUpdate\' or \'OnDelete\'',
    ]);
  });

  it('refuses a template that does not restart Always', () => {
    const o = newStatefulSet();
    (o.spec as any).template.spec.restartPolicy = 'Never';
    expect(create(o).errors).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']);
  });

  it('refuses names that are subdomains but not DNS labels', () => {
    expect(create(newStatefulSet({}, 'web.v1')).errors).toEqual([
      "metadata.name: Invalid value: \"web.v1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('lets replicas, template, update strategy, retention policy and minReadySeconds change', () => {
    const old = create(newStatefulSet()).obj;
    const next = structuredClone(old);
    const spec = next.spec as any;
    spec.replicas = 5;
    spec.template.spec.containers[0].image = 'nginx:1.28';
    spec.updateStrategy = { type: 'OnDelete' };
    spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' };
    spec.minReadySeconds = 10;
    spec.ordinals = { start: 1 };
    expect(update(next, old)).toEqual([]);
  });

  it('forbids any other change to the spec with the real message', () => {
    for (const change of [
      (s: any) => (s.serviceName = 'other'),
      (s: any) => (s.podManagementPolicy = 'Parallel'),
      (s: any) => (s.revisionHistoryLimit = 3),
      (s: any) => (s.volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }]),
    ]) {
      const old = create(newStatefulSet()).obj;
      const next = structuredClone(old);
      change(next.spec);
      expect(update(next, old)).toEqual([FORBIDDEN]);
    }
  });

  it('prints READY as ready over desired replicas', () => {
    const fresh = create(newStatefulSet()).obj;
    const ready = create(newStatefulSet({ replicas: 2 }, 'db')).obj;
    ready.status = { replicas: 2, readyReplicas: 2, availableReplicas: 2 };
    (ready.spec as any).template.spec.containers.push({ name: 'exporter', image: 'prom/mysqld-exporter' });
    const scaledDown = create(newStatefulSet({ replicas: 0 }, 'idle')).obj;
    const rows = [fresh, ready, scaledDown].map((o) => [o.metadata.name, ...statefulSet.row!(o, ctx)].join(' | '));
    expectGolden('kinds/statefulset', rows.join('\n'));
  });
});

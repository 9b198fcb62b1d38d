import { describe, expect, it } from 'vitest';
import { applyConfiguration, recordUpdate } from '../../../../src/core/cluster/patch/server-side-apply.js';
import type { KObject } from '../../../../src/core/cluster/kinds/types.js';
import { rejection } from '../../../helpers/errors.js';

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    Object.values(v as object).forEach(deepFreeze);
    Object.freeze(v);
  }
  return v;
}

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const T2 = '2026-01-01T00:02:00Z';
const T3 = '2026-01-01T00:03:00Z';

interface Container {
  name: string;
  image?: string;
  [k: string]: unknown;
}

interface Spec {
  replicas?: number;
  strategy?: unknown;
  template: { spec: { containers: Container[] } };
  [k: string]: unknown;
}

/** A manifest as `kubectl apply --server-side` sends it. */
function manifest(over: { replicas?: number | null; labels?: Record<string, string>; containers?: Container[]; strategy?: unknown } = {}): KObject {
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: over.containers ?? [{ name: 'nginx', image: 'nginx:1.24', ports: [{ containerPort: 80 }] }] },
    },
  };
  if (over.replicas !== undefined) spec.replicas = over.replicas;
  if (over.strategy !== undefined) spec.strategy = over.strategy;
  return deepFreeze({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: over.labels ?? { app: 'web' } },
    spec,
  });
}

function apply(live: KObject | undefined, config: KObject, manager: string, now: string, force = false): KObject {
  return deepFreeze(applyConfiguration(live, config, manager, force, now, 'apps/v1', 'Deployment'));
}

/** What the store would hold after a create or update by an ordinary client. */
function update(old: KObject | undefined, next: KObject, manager: string, now: string): KObject {
  return deepFreeze(recordUpdate(old, next, manager, 'Update', now, 'apps/v1'));
}

function spec(o: KObject): Spec {
  return o.spec as Spec;
}

function entries(o: KObject): Array<Record<string, unknown>> {
  return (o.metadata.managedFields ?? []) as Array<Record<string, unknown>>;
}

function fieldsOf(o: KObject, manager: string): Record<string, unknown> | undefined {
  return entries(o).find((e) => e.manager === manager)?.fieldsV1 as Record<string, unknown> | undefined;
}

function edit(o: KObject, change: (copy: KObject & { spec: Spec }) => void): KObject {
  const copy = JSON.parse(JSON.stringify(o)) as KObject & { spec: Spec };
  change(copy);
  return copy;
}

describe('applyConfiguration', () => {
  it('creates the object on a first apply and records one Apply entry with the real FieldsV1 encoding', () => {
    const out = apply(undefined, manifest({ replicas: 2 }), 'kubectl', T0);
    expect(spec(out).replicas).toBe(2);
    expect(out.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('removes a field the same manager applied before and omits now, when no other manager owns it', () => {
    const first = apply(undefined, manifest({ replicas: 2, labels: { app: 'web', tier: 'frontend' } }), 'kubectl', T0);
    const second = apply(first, manifest({ labels: { app: 'web' } }), 'kubectl', T1);
    expect(spec(second)).not.toHaveProperty('replicas');
    expect(second.metadata.labels).toEqual({ app: 'web' });
    expect(fieldsOf(second, 'kubectl')!['f:spec']).not.toHaveProperty('f:replicas');
    expect(entries(second)[0].time).toBe(T1);
  });

  it('removes a whole container the manager no longer applies and keeps the others', () => {
    const both = [
      { name: 'nginx', image: 'nginx:1.24' },
      { name: 'sidecar', image: 'busybox' },
    ];
    const first = apply(undefined, manifest({ containers: both }), 'kubectl', T0);
    const second = apply(first, manifest({ containers: [both[0]] }), 'kubectl', T1);
    expect(spec(second).template.spec.containers).toEqual([{ name: 'nginx', image: 'nginx:1.24' }]);
  });

  it('keeps values the apiserver defaulted: only fields the applier owned are pruned', () => {
    const first = apply(undefined, manifest({ replicas: 2 }), 'kubectl', T0);
    const defaulted = edit(first, (o) => {
      o.spec.revisionHistoryLimit = 10;
      o.spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent';
    });
    const second = apply(defaulted, manifest({}), 'kubectl', T1);
    expect(spec(second).revisionHistoryLimit).toBe(10);
    expect(spec(second).template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(spec(second)).not.toHaveProperty('replicas');
  });

  it('keeps a dropped field another manager also owns, leaving it to that manager alone', () => {
    const first = apply(undefined, manifest({ replicas: 2 }), 'alice', T0);
    const shared = apply(first, manifest({ replicas: 2 }), 'bob', T1);
    expect(fieldsOf(shared, 'alice')!['f:spec']).toHaveProperty('f:replicas');
    expect(fieldsOf(shared, 'bob')!['f:spec']).toHaveProperty('f:replicas');
    const dropped = apply(shared, manifest({}), 'alice', T2);
    expect(spec(dropped).replicas).toBe(2);
    expect(fieldsOf(dropped, 'alice')!['f:spec']).not.toHaveProperty('f:replicas');
    expect(fieldsOf(dropped, 'bob')!['f:spec']).toHaveProperty('f:replicas');
  });

  it('refuses with 409 to change a field another manager owns, worded as the apiserver words it', () => {
    // Created by client-side `kubectl apply`, which records an Update by kubectl-client-side-apply.
    const live = update(undefined, manifest({ replicas: 3 }), 'kubectl-client-side-apply', T0);
    const err = rejection(() => apply(live, manifest({ replicas: 5 }), 'ci', T1));
    expect(err.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      reason: 'Conflict',
      details: {
        causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }],
      },
      code: 409,
    });
  });

  it('lists every conflict, per manager, with keyed paths', () => {
    const live = update(undefined, manifest({ replicas: 3 }), 'kubectl-client-side-apply', T0);
    const err = rejection(() => apply(live, manifest({ replicas: 5, containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] }), 'ci', T1));
    expect(err.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    );
    expect(err.status.details?.causes?.map((c) => c.field)).toEqual(['.spec.replicas', '.spec.template.spec.containers[name="nginx"].image']);
  });

  it('shares ownership without conflict when the applied value equals the live one', () => {
    const live = update(undefined, manifest({ replicas: 3 }), 'kubectl-client-side-apply', T0);
    const out = apply(live, manifest({ replicas: 3 }), 'ci', T1);
    expect(fieldsOf(out, 'ci')!['f:spec']).toHaveProperty('f:replicas');
    expect(fieldsOf(out, 'kubectl-client-side-apply')!['f:spec']).toHaveProperty('f:replicas');
  });

  it('takes the field over with force, removing it from the other manager', () => {
    const live = update(undefined, manifest({ replicas: 3 }), 'kubectl-client-side-apply', T0);
    const out = apply(live, manifest({ replicas: 5 }), 'ci', T1, true);
    expect(spec(out).replicas).toBe(5);
    expect(fieldsOf(out, 'ci')!['f:spec']).toHaveProperty('f:replicas');
    expect(fieldsOf(out, 'kubectl-client-side-apply')!['f:spec']).not.toHaveProperty('f:replicas');
    // Apply entries come first, as the apiserver sorts them.
    expect(entries(out).map((e) => [e.manager, e.operation])).toEqual([
      ['ci', 'Apply'],
      ['kubectl-client-side-apply', 'Update'],
    ]);
  });

  it('lets kubectl take over what it last applied client-side, and refreshes the last-applied annotation', () => {
    const lastApplied = JSON.stringify(manifest({ replicas: 3 }));
    const created = edit(manifest({ replicas: 3 }), (o) => {
      o.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied };
    });
    const live = update(undefined, created, 'kubectl-client-side-apply', T0);
    const out = apply(live, manifest({ replicas: 5 }), 'kubectl', T1);
    expect(spec(out).replicas).toBe(5);
    const annotation = JSON.parse(out.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']);
    expect(annotation.spec.replicas).toBe(5);
    // Another field manager gets no such pass.
    expect(rejection(() => apply(live, manifest({ replicas: 5 }), 'ci', T1)).code).toBe(409);
  });

  it('conflicts with an ordinary update that changed a field the applier owned (ownership across apply and update)', () => {
    const applied = apply(undefined, manifest({ replicas: 2 }), 'kubectl', T0);
    const scaled = update(applied, edit(applied, (o) => (o.spec.replicas = 4)), 'kubectl-edit', T1);
    expect(fieldsOf(scaled, 'kubectl')!['f:spec']).not.toHaveProperty('f:replicas');
    expect(fieldsOf(scaled, 'kubectl-edit')).toEqual({ 'f:spec': { 'f:replicas': {} } });
    const err = rejection(() => apply(scaled, manifest({ replicas: 2 }), 'kubectl', T2));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas');
  });

  it('attributes the fields of an object nobody manages yet to before-first-apply', () => {
    const unmanaged = manifest({ replicas: 3 });
    const err = rejection(() => apply(unmanaged, manifest({ replicas: 5 }), 'ci', T1));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
    const out = apply(unmanaged, manifest({ replicas: 3 }), 'ci', T1);
    expect(entries(out).map((e) => [e.manager, e.operation])).toEqual([
      ['ci', 'Apply'],
      ['before-first-apply', 'Update'],
    ]);
  });

  it('clears a field set to null in the configuration and keeps owning it', () => {
    const live = update(
      undefined,
      edit(manifest({}), (o) => (o.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } })),
      'kube-apiserver',
      T0,
    );
    const out = apply(live, manifest({ strategy: { type: 'Recreate', rollingUpdate: null } }), 'kubectl', T1, true);
    expect(spec(out).strategy).toEqual({ type: 'Recreate' });
    expect(fieldsOf(out, 'kubectl')!['f:spec']).toMatchObject({ 'f:strategy': { 'f:rollingUpdate': {}, 'f:type': {} } });
  });

  it('leaves a no-op re-apply unchanged, managedFields time included', () => {
    const first = apply(undefined, manifest({ replicas: 2 }), 'kubectl', T0);
    expect(apply(first, manifest({ replicas: 2 }), 'kubectl', T1)).toEqual(first);
  });

  it('does not own status on the main resource', () => {
    const config = edit(manifest({ replicas: 1 }), (o) => (o.status = { replicas: 1 }));
    expect(fieldsOf(apply(undefined, config, 'kubectl', T0), 'kubectl')).not.toHaveProperty('f:status');
  });

  it('treats lists of a custom resource as atomic and its maps as granular', () => {
    const cr = (items: string[]) => deepFreeze({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c' }, spec: { items, cron: '* * * * *' } }) as KObject;
    const out = applyConfiguration(undefined, cr(['a']), 'kubectl', false, T0, 'stable.example.com/v1', 'CronTab');
    expect((out.metadata.managedFields as Array<{ fieldsV1: unknown }>)[0].fieldsV1).toEqual({ 'f:spec': { 'f:cron': {}, 'f:items': {} } });
  });

  it('never modifies the live object or the configuration', () => {
    const live = apply(undefined, manifest({ replicas: 2 }), 'kubectl', T0);
    const config = manifest({ replicas: 3 });
    expect(() => applyConfiguration(live, config, 'kubectl', false, T1, 'apps/v1', 'Deployment')).not.toThrow();
    expect(spec(live).replicas).toBe(2);
  });

  it('rejects managedFields in the configuration and a mismatched apiVersion with 400', () => {
    const withFields = edit(manifest({}), (o) => (o.metadata.managedFields = [{}]));
    expect([rejection(() => apply(undefined, withFields, 'kubectl', T0)).code, rejection(() => apply(undefined, withFields, 'kubectl', T0)).message]).toEqual([
      400,
      'metadata.managedFields must be nil',
    ]);
    const wrongVersion = edit(manifest({}), (o) => (o.apiVersion = 'apps/v1beta1'));
    expect(rejection(() => apply(undefined, wrongVersion, 'kubectl', T0)).message).toBe(
      'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1',
    );
  });

  it('reports duplicate keyed items as the apiserver does when it cannot type the configuration', () => {
    const dup = manifest({ containers: [{ name: 'nginx', image: 'a' }, { name: 'nginx', image: 'b' }] });
    const err = rejection(() => apply(undefined, dup, 'kubectl', T0));
    expect([err.code, err.reason, err.message]).toEqual([
      500,
      undefined,
      'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name="nginx"]',
    ]);
  });
});

describe('recordUpdate', () => {
  it('records a create as one Update entry, with . on the maps and items it added', () => {
    const created = update(
      undefined,
      edit(manifest({ replicas: 1 }), (o) => {
        o.metadata.uid = 'u-1';
        o.metadata.creationTimestamp = T0;
        o.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } };
        o.status = { replicas: 1 };
      }),
      'kubectl-create',
      T0,
    );
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {} }, 'f:type': {} },
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('merges successive updates by one manager and version into one entry stamped with the latest time', () => {
    const created = update(undefined, manifest({ replicas: 1 }), 'kubectl-create', T0);
    const a = update(created, edit(created, (o) => (o.spec.replicas = 2)), 'kubectl-edit', T1);
    const b = update(a, edit(a, (o) => (o.spec.template.spec.containers[0].image = 'nginx:1.25')), 'kubectl-edit', T2);
    const edits = entries(b).filter((e) => e.manager === 'kubectl-edit');
    expect(edits).toHaveLength(1);
    expect(edits[0].time).toBe(T2);
    expect(edits[0].fieldsV1).toEqual({
      'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { 'f:image': {} } } } } },
    });
    expect(entries(b).map((e) => e.manager)).toEqual(['kubectl-create', 'kubectl-edit']);
  });

  it('moves only the changed fields away from other managers', () => {
    const created = update(undefined, manifest({ replicas: 1 }), 'kubectl-create', T0);
    const scaled = update(created, edit(created, (o) => (o.spec.replicas = 3)), 'kube-controller-manager', T1);
    expect(fieldsOf(scaled, 'kubectl-create')!['f:spec']).not.toHaveProperty('f:replicas');
    expect(fieldsOf(scaled, 'kubectl-create')!['f:spec']).toHaveProperty('f:template');
    expect(fieldsOf(scaled, 'kube-controller-manager')).toEqual({ 'f:spec': { 'f:replicas': {} } });
  });

  it('leaves managedFields alone when an update changes nothing', () => {
    const created = update(undefined, manifest({ replicas: 1 }), 'kubectl-create', T0);
    expect(update(created, JSON.parse(JSON.stringify(created)), 'other', T3)).toEqual(created);
  });

  it('drops a manager whose last field another update removed', () => {
    const created = update(undefined, manifest({ replicas: 1 }), 'kubectl-create', T0);
    const labelled = update(created, edit(created, (o) => (o.metadata.labels = { app: 'web', team: 'a' })), 'kubectl-label', T1);
    const unlabelled = update(labelled, edit(labelled, (o) => (o.metadata.labels = { app: 'web' })), 'kubectl-label-2', T2);
    expect(entries(unlabelled).map((e) => e.manager)).toEqual(['kubectl-create']);
  });

  it('records a status write under its subresource, owning only status', () => {
    const created = update(undefined, manifest({ replicas: 1 }), 'kubectl-create', T0);
    const next = edit(created, (o) => (o.status = { replicas: 1, readyReplicas: 1 }));
    const out = recordUpdate(created, next, 'kube-controller-manager', 'Update', T1, 'apps/v1', 'status');
    const entry = entries(out).find((e) => e.manager === 'kube-controller-manager');
    expect(entry).toMatchObject({ operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': { 'f:readyReplicas': {}, 'f:replicas': {} } } });
  });

  it('writes back a client\'s managedFields in FieldsV1\'s own form: members sorted, `.` only beside children', () => {
    const created = update(undefined, manifest({ replicas: 1 }), 'kubectl-create', T0);
    const sent = { manager: 'mine', operation: 'Update', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': { '.': {} }, '.': {}, 'f:minReadySeconds': {} } } };
    const next = edit(created, (o) => (o.metadata.managedFields = [sent]));
    const out = update(created, edit(next, (o) => (o.metadata.labels = { app: 'web', tier: 'front' })), 'kubectl-label', T1);
    const mine = entries(out).find((e) => e.manager === 'mine')!;
    expect(JSON.stringify(mine.fieldsV1)).toBe('{"f:spec":{".":{},"f:minReadySeconds":{},"f:replicas":{}}}');
  });

  it('uses the managedFields a client sends with an update, so [{}] resets them', () => {
    const created = update(undefined, manifest({ replicas: 1 }), 'kubectl-create', T0);
    const reset = edit(created, (o) => (o.metadata.managedFields = [{}]));
    expect(update(created, reset, 'kubectl-edit', T1).metadata).not.toHaveProperty('managedFields');
  });
});

import { describe, expect, it } from 'vitest';
import { controllerRevision } from '../../../../src/core/cluster/kinds/controllerrevision.js';
import type { KindContext, KObject } from '../../../../src/core/cluster/kinds/types.js';
import { fieldErrorMessage } from '../../../../src/core/cluster/errors.js';
import { expectGolden } from '../../../helpers/golden.js';

const ctx: KindContext = { now: () => new Date('2026-01-01T00:10:00Z'), get: () => undefined, list: () => [] };

function newRevision(name: string, revision: number | undefined, owner?: { apiVersion: string; kind: string; name: string; controller?: boolean }): KObject {
  const o: KObject = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name, namespace: 'default', uid: 'r1', creationTimestamp: '2026-01-01T00:00:00Z' },
    data: { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } } },
  };
  if (revision !== undefined) o.revision = revision;
  if (owner) o.metadata.ownerReferences = [{ uid: 'o1', blockOwnerDeletion: true, ...owner }];
  return o;
}

describe('ControllerRevision', () => {
  it('is served as apps/v1 controllerrevisions without short names or categories', () => {
    expect([controllerRevision.group, controllerRevision.version, controllerRevision.plural, controllerRevision.singular]).toEqual([
      'apps', 'v1', 'controllerrevisions', 'controllerrevision',
    ]);
    expect(controllerRevision.shortNames).toBeUndefined();
    expect(controllerRevision.categories).toBeUndefined();
    expect(controllerRevision.subresources).toBeUndefined();
    expect(controllerRevision.columns!.map((c) => c.name)).toEqual(['Controller', 'Revision', 'Age']);
  });

  it('requires data and a non-negative revision', () => {
    const o = newRevision('web-abc', -1);
    delete o.data;
    expect(controllerRevision.validate!(o, ctx).map(fieldErrorMessage)).toEqual([
      'data: Required value: data is mandatory',
      'revision: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('defaults the revision to 0', () => {
    const o = newRevision('web-abc', undefined);
    controllerRevision.defaults!(o, ctx);
    expect(o.revision).toBe(0);
  });

  it('makes data immutable but lets the revision change', () => {
    const old = newRevision('web-abc', 1);
    const bumped = structuredClone(old);
    bumped.revision = 3;
    expect(controllerRevision.validateUpdate!(bumped, old, ctx)).toEqual([]);
    const edited = structuredClone(old);
    (edited.data as any).spec.template.spec.containers[0].image = 'nginx:2';
    expect(controllerRevision.validateUpdate!(edited, old, ctx).map((e) => `${e.field}: ${e.detail}`)).toEqual(['data: field is immutable']);
  });

  it('prints the controlling owner as kind.group/name', () => {
    const rows = [
      newRevision('fluentd-7d9c8b5f4', 1, { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', controller: true }),
      newRevision('web-6b7f9d8c5d', 2, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', controller: true }),
      newRevision('legacy-1', 3, { apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy', controller: true }),
      newRevision('orphan-1', 4, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' }),
      newRevision('bare-1', 5),
    ].map((o) => [o.metadata.name, ...controllerRevision.row!(o, ctx)].join(' | '));
    expectGolden('kinds/controllerrevision', rows.join('\n'));
  });
});

// The control plane's own writes: built from stored objects, they are not checked against the
// schema again (a snapshot from a newer version may hold fields this one does not declare).
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/core/cluster/clock.js';
import { newCluster } from '../../../../src/core/cluster/factory.js';
import { mutate, writeStatus } from '../../../../src/core/cluster/controllers/util.js';

function setup() {
  const cluster = newCluster({ clock: new ManualClock('2026-03-01T10:00:00Z'), empty: true, controlPlane: false });
  cluster.create(cluster.kinds.byGroupResource('', 'namespaces')!, undefined, { metadata: { name: 'default' } });
  const podDef = cluster.kinds.byGroupResource('', 'pods')!;
  cluster.create(podDef, 'default', { metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
  // As restored from a snapshot written by a newer version: a spec field this schema lacks.
  const live = cluster.store.get('/pods', 'default', 'web')!;
  const stored = cluster.store.put('/pods', { ...live, spec: { ...(live.spec as object), fieldFromANewerVersion: true } });
  return { cluster, podDef, stored };
}

describe("the control plane's writes of stored objects", () => {
  it('writes status without refusing a field the schema does not declare, and keeps it', () => {
    const { cluster, podDef, stored } = setup();
    const written = writeStatus(cluster, podDef, stored, { phase: 'Pending' });
    expect(written.status).toEqual({ phase: 'Pending' });
    expect((written.spec as Record<string, unknown>).fieldFromANewerVersion).toBe(true);
  });

  it('updates an object the same way', () => {
    const { cluster, podDef, stored } = setup();
    const written = mutate(cluster, podDef, stored, (p) => {
      p.metadata.labels = { tier: 'front' };
    });
    expect(written.metadata.labels).toEqual({ tier: 'front' });
  });

  it('stores what a change left undefined as absent, as JSON would, and leaves the stored object as it was', () => {
    const { cluster, podDef, stored } = setup();
    const before = JSON.stringify(stored);
    const written = mutate(cluster, podDef, stored, (p) => {
      p.metadata.labels = { tier: 'front', gone: undefined as unknown as string };
      p.metadata.annotations = undefined;
    });
    expect(Object.keys(written.metadata.labels ?? {})).toEqual(['tier']);
    expect(Object.keys(written.metadata)).not.toContain('annotations');
    expect(JSON.stringify(stored)).toBe(before);
    expect(written.metadata.managedFields?.length).toBeGreaterThan(0);
  });

  it('keeps the other managers\' fields when a status write changes only status', () => {
    const { cluster, podDef, stored } = setup();
    const written = writeStatus(cluster, podDef, stored, { ...(stored.status as object), phase: 'Running' });
    const managers = (written.metadata.managedFields as Array<{ manager: string; subresource?: string; fieldsV1: object }>).map((m) => [m.manager, m.subresource ?? '']);
    expect(managers).toContainEqual(['kube-controller-manager', 'status']);
    const creator = (stored.metadata.managedFields as Array<{ manager: string; fieldsV1: object }>)[0];
    const kept = (written.metadata.managedFields as Array<{ manager: string; fieldsV1: object }>).find((m) => m.manager === creator.manager);
    expect(kept?.fieldsV1).toEqual(creator.fieldsV1);
  });
});

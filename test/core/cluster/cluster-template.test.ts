// The default state the build writes (dist/content/cluster-SHAPE.json) and a cluster made from
// it: the same objects a cluster bootstrapped through the API holds, each cluster with its own CA,
// its own uids and its own start time.
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { clusterTemplateText, fromClusterTemplate, newCluster } from '../../../src/core/cluster/factory.js';
import { ManualClock } from '../../../src/core/cluster/clock.js';
import { snapshotOf, type Snapshot } from '../../../src/core/cluster/snapshot.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKHHIG\n-----END CERTIFICATE-----\n';
const NOW = new Date('2026-12-06T10:11:12.345Z');

/**
 * The objects' uids, each named by where it first appears, so two clusters compare as shapes; and
 * the random suffix of a pod's service account token volume, which differs between any two pods.
 */
function uidsNamed(s: Snapshot): unknown {
  const text = JSON.stringify(s).replace(/kube-api-access-[a-z0-9]{5}/g, 'kube-api-access-xxxxx');
  const names = new Map<string, string>();
  for (const m of text.matchAll(/"uid":"([0-9a-f-]{36})"/g)) if (!names.has(m[1])) names.set(m[1], `uid-${names.size}`);
  return JSON.parse(text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (u) => names.get(u) ?? u));
}

const uidsOf = (s: Snapshot) => new Set(Object.values(s.objects).flatMap((list) => list.flatMap((o) => (o.metadata.uid ? [o.metadata.uid] : []))));

describe('the cluster template the build writes', () => {
  for (const shape of ['kind', 'killercoda'] as const) {
    it(`makes a ${shape} cluster holding what one bootstrapped through the API at the same time holds`, () => {
      const made = fromClusterTemplate(clusterTemplateText(shape), CA, NOW);
      const bootstrapped = snapshotOf(newCluster({ clock: new ManualClock(NOW), caCert: CA, controlPlane: false, shape, fromTemplate: false }));
      expect(uidsNamed(made)).toEqual(uidsNamed(bootstrapped));
    });
  }

  it('gives each cluster its own CA in kube-root-ca.crt, its start time, and uids no other cluster has', () => {
    const text = clusterTemplateText('kind');
    const first = fromClusterTemplate(text, CA, NOW);
    const second = fromClusterTemplate(text, 'another CA', new Date('2027-01-02T03:04:05Z'));
    const roots = (s: Snapshot) => s.objects['/configmaps'].filter((c) => c.metadata.name === 'kube-root-ca.crt').map((c) => (c as { data?: Record<string, string> }).data?.['ca.crt']);
    expect(new Set(roots(first))).toEqual(new Set([CA]));
    expect(new Set(roots(second))).toEqual(new Set(['another CA']));
    const node = (s: Snapshot) => s.objects['/nodes'][0].metadata.creationTimestamp;
    expect(node(first)).toBe('2026-12-06T10:11:12Z');
    expect(node(second)).toBe('2027-01-02T03:04:05Z');
    const template = uidsOf(JSON.parse(text) as Snapshot);
    const a = uidsOf(first);
    const b = uidsOf(second);
    expect(a.size).toBe(template.size);
    for (const uid of a) expect(template.has(uid) || b.has(uid)).toBe(false);
  });

  it('gives each pod of a cluster made from it a token volume name of its own, used alike by its volume and its mounts', () => {
    const text = clusterTemplateText('kind');
    const volumesOf = (s: Snapshot) =>
      s.objects['/pods'].map((p) => {
        const spec = (p as Pod).spec!;
        const name = spec.volumes?.map((v) => v.name).find((n) => n.startsWith('kube-api-access-'));
        if (name) for (const c of spec.containers) expect(c.volumeMounts?.map((m) => m.name)).toContain(name);
        return name;
      }).filter((n): n is string => n !== undefined);
    const template = new Set(volumesOf(JSON.parse(text) as Snapshot));
    const first = volumesOf(fromClusterTemplate(text, CA, NOW));
    const second = volumesOf(fromClusterTemplate(text, CA, NOW));
    expect(first.length).toBeGreaterThan(0);
    for (const name of first) expect(template.has(name) || second.includes(name)).toBe(false);
  });
});

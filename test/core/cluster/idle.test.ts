// An idle cluster does nothing: once the bootstrap pods and a small workload have settled, ten
// simulated minutes pass without a single write or a growing pile of timers.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/cluster/clock.js';
import { newCluster } from '../../../src/core/cluster/factory.js';

describe('an idle cluster', () => {
  it('writes nothing and keeps no more timers while nothing changes', () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const cluster = newCluster({ clock });
    const deployments = cluster.kinds.byGroupResource('apps', 'deployments')!;
    cluster.create(deployments, 'default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    });
    for (let s = 0; s < 120; s++) clock.advance(1000);
    const running = cluster.store.list('/pods', 'default').filter((p) => (p.status as { phase?: string }).phase === 'Running');
    expect(running).toHaveLength(2);

    const rv = cluster.store.resourceVersion;
    const timers = clock.pendingTimers;
    for (let s = 0; s < 600; s++) clock.advance(1000);
    expect(cluster.store.resourceVersion).toBe(rv);
    expect(clock.pendingTimers).toBeLessThanOrEqual(timers);
    cluster.controlPlane?.stop();
  });
});

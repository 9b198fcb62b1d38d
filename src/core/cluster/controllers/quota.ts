// The resource quota controller: each ResourceQuota's status carries its hard limits and what the
// namespace uses of them now, recounted whenever something it counts changes (kubectl describe
// quota and kubectl get quota read it from there).
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { Cluster } from '../cluster.js';
import type { Stored } from '../kinds/types.js';
import { storageKey } from '../cluster.js';
import { formatUsed, resourcesCounted, usedIn } from '../admission/quota.js';
import type { StoreEvent } from '../store.js';
import type { Controller, ControllerContext, Watch } from './manager.js';
import { keyOf, splitKey } from './manager.js';
import { kind, writeStatus } from './util.js';

function quotasCounting(e: StoreEvent, ctx: ControllerContext): string[] {
  const ns = e.object.metadata.namespace;
  if (!ns) return [];
  return ctx.cluster.store
    .list('/resourcequotas', ns)
    .filter((q: Stored<ResourceQuota>) => resourcesCounted(q.spec?.hard ?? {}).has(e.resource))
    .map(keyOf);
}

function watches(cluster: Cluster): Watch[] {
  const resources = new Set(cluster.kinds.all().filter((d) => d.namespaced && !d.storedAs && d.plural !== 'resourcequotas').map(storageKey));
  return [
    { resource: '/resourcequotas', keys: (e) => (e.type === 'DELETED' ? [] : [keyOf(e.object)]) },
    ...[...resources].map((resource) => ({ resource, keys: quotasCounting })),
  ];
}

export function resourceQuotaController(cluster: Cluster): Controller {
  return {
    name: 'resourcequota-controller',
    watches: [
      ...watches(cluster),
      // A quota counting quotas hears about its siblings.
      { resource: '/resourcequotas', keys: (e: StoreEvent, ctx: ControllerContext) => (e.type === 'MODIFIED' ? [] : quotasCounting(e, ctx)) },
    ],
    initialKeys: (ctx) => ctx.cluster.store.list('/resourcequotas').map(keyOf),
    reconcile(key, ctx) {
      const [ns, name] = splitKey(key);
      const q: Stored<ResourceQuota> | undefined = ctx.cluster.store.get('/resourcequotas', ns, name);
      if (!q || q.metadata.deletionTimestamp) return;
      const hard = q.spec?.hard ?? {};
      writeStatus(ctx.cluster, kind(ctx.cluster, '', 'resourcequotas'), q, { hard: { ...hard }, used: formatUsed(usedIn(ctx.cluster, ns!, hard), hard) });
    },
  };
}

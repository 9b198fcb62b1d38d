// The taint eviction controller: a pod bound to a node with a NoExecute taint it does not
// tolerate is deleted; one that tolerates it for tolerationSeconds is deleted when that time is up.
import { rfc3339 } from '../clock.js';
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { Stored } from '../kinds/types.js';
import { tolerates } from '../scheduler/filters.js';
import type { StoreEvent } from '../store.js';
import type { Controller, ControllerContext } from './manager.js';
import { deleteIfPresent, isPodActive, kind, setCondition, writeStatus } from './util.js';

const SOURCE = { component: 'taint-eviction-controller' };

/** When a pod must go from a node with these taints: now (0), later (ms), or never (undefined). */
export function evictionDelay(tolerations: readonly Toleration[] | undefined, taints: readonly Taint[], taintedSince: (taint: Taint) => number, now: number): number | undefined {
  let delay: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const matching = (tolerations ?? []).filter((t) => tolerates([t], taint));
    if (!matching.length) return 0;
    // The shortest tolerationSeconds among the tolerations that match; none set means forever.
    const limits = matching.map((t) => t.tolerationSeconds).filter((s): s is number => typeof s === 'number');
    if (!limits.length) continue;
    const due = taintedSince(taint) + Math.max(0, Math.min(...limits)) * 1000 - now;
    delay = delay === undefined ? Math.max(0, due) : Math.min(delay, Math.max(0, due));
  }
  return delay;
}

function noExecute(node: Stored<Node> | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

export const taintEvictionController: Controller = {
  name: 'taint-eviction',
  watches: [
    {
      resource: '/nodes',
      keys: (e: StoreEvent, ctx: ControllerContext) => {
        const before = JSON.stringify(noExecute(e.previous));
        const after = e.type === 'DELETED' ? '[]' : JSON.stringify(noExecute(e.object));
        if (before === after || after === '[]') return [];
        return ctx.pods.onNode(e.object.metadata.name!).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
      },
    },
    {
      resource: '/pods',
      keys: (e: StoreEvent, ctx: ControllerContext) => {
        const pod: Stored<Pod> = e.object;
        const node = pod.spec?.nodeName;
        if (e.type === 'DELETED' || !node) return [];
        const tainted = noExecute(ctx.cluster.store.get('/nodes', undefined, node)).length > 0;
        return tainted ? [`${e.object.metadata.namespace}/${e.object.metadata.name}`] : [];
      },
    },
  ],
  reconcile(key, ctx) {
    const [ns, name] = key.split('/');
    const pod: Stored<Pod> | undefined = ctx.cluster.store.get('/pods', ns, name);
    if (!pod || pod.metadata.deletionTimestamp || !isPodActive(pod) || !pod.spec?.nodeName) return;
    const node = ctx.cluster.store.get('/nodes', undefined, pod.spec.nodeName);
    const taints = noExecute(node);
    if (!taints.length) return;
    const now = ctx.now().getTime();
    const since = (t: Taint) => Date.parse(t.timeAdded ?? '') || now;
    const delay = evictionDelay(pod.spec.tolerations, taints, since, now);
    if (delay === undefined) return;
    if (delay > 0) return ctx.requeueAfter(key, delay);
    const podDef = kind(ctx.cluster, '', 'pods');
    ctx.events.record(SOURCE, { kind: 'Pod', apiVersion: 'v1', object: pod }, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${name}`);
    const conditions = setCondition(pod.status?.conditions, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }, rfc3339(ctx.now()));
    writeStatus(ctx.cluster, podDef, pod, { ...pod.status, conditions });
    deleteIfPresent(ctx.cluster, podDef, ns, name);
  },
};

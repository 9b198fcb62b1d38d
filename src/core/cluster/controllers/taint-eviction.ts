// The taint eviction controller: a pod bound to a node with a NoExecute taint it does not
// tolerate is deleted; one that tolerates it for tolerationSeconds is deleted when that time is up.
import { rfc3339 } from '../clock.js';
import type { KObject } from '../kinds/types.js';
import { tolerates } from '../scheduler/filters.js';
import type { StoreEvent } from '../store.js';
import type { Controller, ControllerContext } from './manager.js';
import { deleteIfPresent, isPodActive, kind, setCondition, writeStatus } from './util.js';

type Obj = Record<string, any>;

const SOURCE = { component: 'taint-eviction-controller' };

/** When a pod must go from a node with these taints: now (0), later (ms), or never (undefined). */
export function evictionDelay(tolerations: Obj[] | undefined, taints: Obj[], taintedSince: (taint: Obj) => number, now: number): number | undefined {
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

function noExecute(node: Obj | undefined): Obj[] {
  return ((node?.spec?.taints ?? []) as Obj[]).filter((t) => t.effect === 'NoExecute');
}

export const taintEvictionController: Controller = {
  name: 'taint-eviction',
  watches: [
    {
      resource: '/nodes',
      keys: (e: StoreEvent, ctx: ControllerContext) => {
        const before = JSON.stringify(noExecute(e.previous as Obj | undefined));
        const after = e.type === 'DELETED' ? '[]' : JSON.stringify(noExecute(e.object as Obj));
        if (before === after || after === '[]') return [];
        return ctx.pods.onNode(e.object.metadata.name!).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
      },
    },
    {
      resource: '/pods',
      keys: (e: StoreEvent, ctx: ControllerContext) => {
        const node = (e.object as Obj).spec?.nodeName;
        if (e.type === 'DELETED' || !node) return [];
        const tainted = noExecute(ctx.cluster.store.get('/nodes', undefined, node) as Obj | undefined).length > 0;
        return tainted ? [`${e.object.metadata.namespace}/${e.object.metadata.name}`] : [];
      },
    },
  ],
  reconcile(key, ctx) {
    const [ns, name] = key.split('/');
    const pod = ctx.cluster.store.get('/pods', ns, name) as Obj | undefined;
    if (!pod || pod.metadata.deletionTimestamp || !isPodActive(pod as KObject) || !pod.spec?.nodeName) return;
    const node = ctx.cluster.store.get('/nodes', undefined, pod.spec.nodeName) as Obj | undefined;
    const taints = noExecute(node);
    if (!taints.length) return;
    const now = ctx.now().getTime();
    const since = (t: Obj) => Date.parse(t.timeAdded ?? '') || now;
    const delay = evictionDelay(pod.spec.tolerations, taints, since, now);
    if (delay === undefined) return;
    if (delay > 0) return ctx.requeueAfter(key, delay);
    const podDef = kind(ctx.cluster, '', 'pods');
    ctx.events.record(SOURCE, { kind: 'Pod', apiVersion: 'v1', object: pod as KObject }, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${name}`);
    const conditions = setCondition(pod.status?.conditions, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }, rfc3339(ctx.now()));
    writeStatus(ctx.cluster, podDef, pod as KObject, { ...pod.status, conditions });
    deleteIfPresent(ctx.cluster, podDef, ns, name);
  },
};

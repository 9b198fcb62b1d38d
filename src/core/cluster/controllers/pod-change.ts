// Whether a pod's change can matter to the controller that owns it. The kubelet rewrites pod
// status often (probe times, container states); a workload controller only looks at the pod's
// identity, placement, phase, readiness and restarts, so other writes need not wake it.
import type { StoreEvent } from '../store.js';
import type { KObject } from '../kinds/types.js';
import { isPodReady, sameJson } from './util.js';

type Obj = Record<string, any>;

function signature(p: KObject): unknown[] {
  const o = p as Obj;
  const restarts = ((o.status?.containerStatuses ?? []) as Obj[]).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  return [p.metadata.labels, p.metadata.ownerReferences, p.metadata.deletionTimestamp, p.metadata.finalizers, o.spec?.nodeName, o.status?.phase, isPodReady(p), restarts];
}

export function podChangeMatters(e: StoreEvent): boolean {
  if (e.type !== 'MODIFIED' || !e.previous) return true;
  return !sameJson(signature(e.previous), signature(e.object));
}

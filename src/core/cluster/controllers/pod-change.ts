// Whether a pod's change can matter to the controller that owns it. The kubelet rewrites pod
// status often (probe times, container states); a workload controller only looks at the pod's
// identity, placement, phase, readiness and restarts, so other writes need not wake it.
import type { StoreEvent } from '../store.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Stored } from '../kinds/types.js';
import { isPodReady, sameJson } from './util.js';

function signature(p: Stored<Pod>): unknown[] {
  const restarts = (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  return [p.metadata.labels, p.metadata.ownerReferences, p.metadata.deletionTimestamp, p.metadata.finalizers, p.spec?.nodeName, p.status?.phase, isPodReady(p), restarts];
}

export function podChangeMatters(e: StoreEvent): boolean {
  if (e.type !== 'MODIFIED' || !e.previous) return true;
  return !sameJson(signature(e.previous), signature(e.object));
}

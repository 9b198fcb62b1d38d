// What the cluster picture draws: the nodes with the pods each runs, the pods not yet placed, and
// each Service with the pods its selector picks. Read through the API, so it draws any cluster.
import type { KubeClient, KubeObject } from './client.js';
import { own } from '../own.js';

export interface PicturePod {
  name: string;
  /** As kubectl prints it: Running, Pending, CrashLoopBackOff… */
  status: string;
}

export interface PictureNode {
  name: string;
  ready: boolean;
  pods: PicturePod[];
}

export interface PictureService {
  name: string;
  type: string;
  /** The pods its selector picks, by name; none for a Service without a selector. */
  pods: string[];
}

export interface ClusterPicture {
  namespace: string;
  nodes: PictureNode[];
  /** Pods no node has been chosen for yet. */
  unscheduled: PicturePod[];
  services: PictureService[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const nameOf = (o: KubeObject) => str(own(rec(o.metadata), 'name'));

/** Whether every key and value of a Service's selector is among the pod's labels. */
export function selects(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => own(labels, k) === selector[k]);
}

export async function readPicture(client: KubeClient, namespace: string): Promise<ClusterPicture> {
  const [nodes, podTable, services] = await Promise.all([
    client.list('nodes').catch(() => [] as KubeObject[]),
    client.table('pods', namespace, { objects: true }),
    client.list('services', { namespace }),
  ]);
  const statusCol = podTable.columns.findIndex((c) => c.toLowerCase() === 'status');
  const pods = (podTable.objects ?? []).map((o, i) => ({ obj: o, pod: { name: nameOf(o), status: podTable.rows[i]?.[statusCol] ?? '' } }));
  const nodeOf = (o: KubeObject) => str(own(rec(o.spec), 'nodeName'));
  const ready = (n: KubeObject) => {
    const conds = own(rec(n.status), 'conditions');
    return Array.isArray(conds) && conds.some((c) => own(rec(c), 'type') === 'Ready' && own(rec(c), 'status') === 'True');
  };
  return {
    namespace,
    nodes: nodes.map((n) => ({ name: nameOf(n), ready: ready(n), pods: pods.filter((p) => nodeOf(p.obj) === nameOf(n)).map((p) => p.pod) })),
    unscheduled: pods.filter((p) => !nodeOf(p.obj) || !nodes.some((n) => nameOf(n) === nodeOf(p.obj))).map((p) => p.pod),
    services: services.map((s) => {
      const selector = rec(own(rec(s.spec), 'selector'));
      return { name: nameOf(s), type: str(own(rec(s.spec), 'type')) || 'ClusterIP', pods: pods.filter((p) => selects(selector, rec(own(rec(p.obj.metadata), 'labels')))).map((p) => p.pod.name) };
    }),
  };
}

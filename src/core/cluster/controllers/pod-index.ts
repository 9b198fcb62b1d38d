// Indexes over pods that controllers, the scheduler and the kubelet ask for on every reconcile:
// pods by node, and pods that no controller owns, by namespace. A cluster may hold 150,000 pods,
// so nothing here scans them all after the first build.
import type { Store, StoreEvent } from '../store.js';
import type { KObject } from '../kinds/types.js';

const PODS = '/pods';

function add(map: Map<string, Set<string>>, k: string, v: string): void {
  let set = map.get(k);
  if (!set) map.set(k, (set = new Set()));
  set.add(v);
}

function drop(map: Map<string, Set<string>>, k: string, v: string): void {
  const set = map.get(k);
  if (!set) return;
  set.delete(v);
  if (!set.size) map.delete(k);
}

const nodeOf = (p: KObject) => (p as { spec?: { nodeName?: string } }).spec?.nodeName;
const isOrphan = (p: KObject) => !p.metadata.ownerReferences?.some((r) => r.controller);

export class PodIndex {
  private readonly byNode = new Map<string, Set<string>>();
  private readonly orphans = new Map<string, Set<string>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly store: Store) {
    this.unsubscribe = store.subscribe(PODS, (e) => this.onEvent(e));
    this.rebuild();
  }

  rebuild(): void {
    this.byNode.clear();
    this.orphans.clear();
    for (const p of this.store.list(PODS)) this.index(p);
  }

  stop(): void {
    this.unsubscribe();
  }

  /** Pods bound to a node (running, pending or terminating there). */
  onNode(node: string): KObject[] {
    return this.read(this.byNode.get(node));
  }

  nodesWithPods(): string[] {
    return [...this.byNode.keys()];
  }

  /** Pods in a namespace with no controlling owner: candidates for adoption by a selector. */
  orphansIn(namespace: string): KObject[] {
    const names = this.orphans.get(namespace);
    if (!names) return [];
    const out: KObject[] = [];
    for (const name of names) {
      const p = this.store.get(PODS, namespace, name);
      if (p) out.push(p);
    }
    return out;
  }

  private read(keys: Set<string> | undefined): KObject[] {
    const out: KObject[] = [];
    for (const key of keys ?? []) {
      const i = key.indexOf('/');
      const p = this.store.get(PODS, key.slice(0, i), key.slice(i + 1));
      if (p) out.push(p);
    }
    return out;
  }

  private index(p: KObject): void {
    const key = `${p.metadata.namespace}/${p.metadata.name}`;
    const node = nodeOf(p);
    if (node) add(this.byNode, node, key);
    if (isOrphan(p)) add(this.orphans, p.metadata.namespace!, p.metadata.name!);
  }

  private unindex(p: KObject): void {
    const key = `${p.metadata.namespace}/${p.metadata.name}`;
    const node = nodeOf(p);
    if (node) drop(this.byNode, node, key);
    drop(this.orphans, p.metadata.namespace!, p.metadata.name!);
  }

  private onEvent(e: StoreEvent): void {
    if (e.previous) this.unindex(e.previous);
    if (e.type === 'DELETED') this.unindex(e.object);
    else this.index(e.object);
  }
}

// Pods by namespace, for the controllers that select pods by a Service's labels. Listing a
// namespace from the store copies and re-sorts every pod of the cluster after each pod write,
// which a cluster of 150,000 pods cannot afford on every endpoints sync.
import type { KObject } from '../kinds/types.js';
import type { Store } from '../store.js';

const PODS = '/pods';
const indexes = new WeakMap<Store, PodsByNamespace>();

class PodsByNamespace {
  private readonly names = new Map<string, Set<string>>();

  constructor(private readonly store: Store) {
    store.subscribe(PODS, (e) => {
      const { namespace, name } = e.object.metadata;
      if (e.type === 'DELETED') this.names.get(namespace!)?.delete(name!);
      else this.set(namespace!).add(name!);
    });
    this.rebuild();
  }

  private set(ns: string): Set<string> {
    let s = this.names.get(ns);
    if (!s) this.names.set(ns, (s = new Set()));
    return s;
  }

  rebuild(): void {
    this.names.clear();
    for (const p of this.store.list(PODS)) this.set(p.metadata.namespace!).add(p.metadata.name!);
  }

  list(ns: string): KObject[] {
    const out: KObject[] = [];
    for (const name of this.names.get(ns) ?? []) {
      const p = this.store.get(PODS, ns, name);
      if (p) out.push(p);
    }
    return out;
  }
}

/** The pods of a namespace, from an index kept beside the store. */
export function podsInNamespace(store: Store, ns: string): KObject[] {
  let index = indexes.get(store);
  if (!index) indexes.set(store, (index = new PodsByNamespace(store)));
  return index.list(ns);
}

/** After the store was replaced wholesale (a restore), the index starts again from it. */
export function reindexPods(store: Store): void {
  indexes.get(store)?.rebuild();
}

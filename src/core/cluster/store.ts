// The object store: what etcd is to a real cluster. Objects are kept per resource, keyed by
// namespace/name, each write takes the next cluster-wide resourceVersion, and a bounded log of
// recent changes lets a watch resume from a resourceVersion (or learn with 410 that it is too old).
import type { KObject } from './kinds/types.js';
import { copyJson, freezeJson } from './own.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  /** The group-qualified resource key, e.g. `apps/deployments` or `/pods`. */
  resource: string;
  object: KObject;
  /** For MODIFIED: the object before the change (lets a watch notice an object leaving a selector). */
  previous?: KObject;
  rv: number;
}

export type StoreListener = (event: StoreEvent) => void;

/**
 * What keeps a store on disk (cluster/journal.ts). It hears of each change before any watcher
 * does, so that the order on disk is the order of resourceVersions even when a watcher writes in
 * turn.
 */
export interface StoreJournal {
  /** An object stored (`object`, with its resourceVersion) or removed (`object` undefined). */
  committed(resource: string, key: string, object: KObject | undefined, rv: number): void;
  /** Everything was replaced at once (a snapshot restored). */
  replaced(): void;
}

/** How many changes a watch can resume across; older resourceVersions get 410 Gone. */
const DEFAULT_HISTORY = 2000;

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class Store {
  private rv: number;
  private readonly resources = new Map<string, Map<string, KObject>>();
  private readonly history: StoreEvent[] = [];
  private historyStart = 0;
  private readonly listeners = new Map<string, Set<StoreListener>>();
  private readonly anyListeners = new Set<StoreListener>();
  /** Each resource's objects in key order, rebuilt on the first list after a write. */
  private readonly sorted = new Map<string, KObject[]>();
  /** Where changes are written ahead of being answered; none for a cluster kept in memory only. */
  journal?: StoreJournal;

  constructor(
    startRV = 1,
    private readonly historySize = DEFAULT_HISTORY,
  ) {
    this.rv = startRV;
    this.historyStart = startRV;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch may start from. */
  get oldestWatchable(): number {
    return this.historyStart;
  }

  get(resource: string, namespace: string | undefined, name: string): KObject | undefined {
    return this.resources.get(resource)?.get(objectKey(namespace, name));
  }

  /** Objects of a resource in key order (namespace, then name), as etcd returns them. */
  list(resource: string, namespace?: string): KObject[] {
    const { items, from, to } = this.sortedRange(resource, namespace);
    return items.slice(from, to);
  }

  /**
   * The objects of a resource in key order without copying them: the shared sorted array and the
   * bounds of the namespace's run in it (keys of one namespace share the prefix `ns/`).
   * Callers must not modify the array, and must not hold it across writes.
   */
  sortedRange(resource: string, namespace?: string): { items: readonly KObject[]; from: number; to: number } {
    const all = this.resources.get(resource);
    if (!all) return { items: [], from: 0, to: 0 };
    let ordered = this.sorted.get(resource);
    if (!ordered) {
      ordered = [...all.values()].sort(compareByKey);
      this.sorted.set(resource, ordered);
    }
    if (namespace === undefined) return { items: ordered, from: 0, to: ordered.length };
    return { items: ordered, from: lowerBound(ordered, `${namespace}/`), to: lowerBound(ordered, `${namespace}0`) };
  }

  count(resource: string): number {
    return this.resources.get(resource)?.size ?? 0;
  }

  resourcesStored(): string[] {
    return [...this.resources.keys()].filter((r) => (this.resources.get(r)?.size ?? 0) > 0);
  }

  /** Stores the object with the next resourceVersion and returns the stored (frozen) copy. */
  put(resource: string, obj: KObject): KObject {
    let bucket = this.resources.get(resource);
    if (!bucket) {
      bucket = new Map();
      this.resources.set(resource, bucket);
    }
    const key = objectKey(obj.metadata.namespace, obj.metadata.name!);
    const previous = bucket.get(key);
    this.sorted.delete(resource);
    const rv = ++this.rv;
    const stored = freezeJson({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } });
    bucket.set(key, stored);
    this.journal?.committed(resource, key, stored, rv);
    this.emit({ type: previous ? 'MODIFIED' : 'ADDED', resource, object: stored, previous, rv });
    return stored;
  }

  /** Removes the object; the DELETED event carries it with a fresh resourceVersion, as etcd's does. */
  remove(resource: string, namespace: string | undefined, name: string): KObject | undefined {
    const bucket = this.resources.get(resource);
    const key = objectKey(namespace, name);
    const previous = bucket?.get(key);
    if (!bucket || !previous) return undefined;
    bucket.delete(key);
    this.sorted.delete(resource);
    const rv = ++this.rv;
    const gone = freezeJson({ ...previous, metadata: { ...previous.metadata, resourceVersion: String(rv) } });
    this.journal?.committed(resource, key, undefined, rv);
    this.emit({ type: 'DELETED', resource, object: gone, rv });
    return gone;
  }

  /** Events after `rv` for one resource, or undefined when `rv` is older than the log keeps. */
  eventsSince(resource: string, rv: number): StoreEvent[] | undefined {
    if (rv < this.historyStart) return undefined;
    const out: StoreEvent[] = [];
    for (const e of this.history) if (e.rv > rv && e.resource === resource) out.push(e);
    return out;
  }

  subscribe(resource: string | undefined, listener: StoreListener): () => void {
    if (resource === undefined) {
      this.anyListeners.add(listener);
      return () => this.anyListeners.delete(listener);
    }
    let set = this.listeners.get(resource);
    if (!set) {
      set = new Set();
      this.listeners.set(resource, set);
    }
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (set!.size === 0) this.listeners.delete(resource);
    };
  }

  /** Every object, for saving a snapshot. */
  dump(): { resourceVersion: number; objects: Record<string, KObject[]> } {
    const objects: Record<string, KObject[]> = {};
    for (const [resource, bucket] of this.resources) if (bucket.size) objects[resource] = [...bucket.values()].sort(compareByKey);
    return { resourceVersion: this.rv, objects };
  }

  /**
   * Every object by reference, in no particular order: a view of this instant that stays true
   * while the store moves on (stored objects are frozen and replaced, never changed), so it can
   * be written out a piece at a time.
   */
  capture(): { resourceVersion: number; objects: Array<[string, KObject[]]> } {
    const objects: Array<[string, KObject[]]> = [];
    for (const [resource, bucket] of this.resources) if (bucket.size) objects.push([resource, [...bucket.values()]]);
    return { resourceVersion: this.rv, objects };
  }

  /**
   * Replaces everything with a snapshot; watchers see nothing (a restore is a new cluster).
   * With `share`, frozen objects are kept by reference: many clusters made from one template
   * then cost little more than their own maps.
   */
  load(snapshot: { resourceVersion: number; objects: Record<string, KObject[]> }, share = false): void {
    this.resources.clear();
    this.sorted.clear();
    this.history.length = 0;
    for (const [resource, list] of Object.entries(snapshot.objects)) {
      const bucket = new Map<string, KObject>();
      for (const obj of list) bucket.set(objectKey(obj.metadata.namespace, obj.metadata.name!), share && Object.isFrozen(obj) ? obj : freezeJson(copyJson(obj)));
      this.resources.set(resource, bucket);
    }
    this.rv = Math.max(this.rv, snapshot.resourceVersion) + 1;
    this.historyStart = this.rv;
    this.journal?.replaced();
  }

  /**
   * A change read back from the journal, applied as it was first made: the same resourceVersion,
   * and no watch event (like `load`, this happens before anyone watches).
   */
  replay(resource: string, key: string, object: KObject | undefined, rv: number): void {
    let bucket = this.resources.get(resource);
    if (!bucket) {
      bucket = new Map();
      this.resources.set(resource, bucket);
    }
    if (object) bucket.set(key, freezeJson(object));
    else bucket.delete(key);
    this.sorted.delete(resource);
    this.rv = Math.max(this.rv, rv);
    this.historyStart = this.rv;
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historySize) {
      const dropped = this.history.splice(0, this.history.length - this.historySize);
      this.historyStart = dropped[dropped.length - 1].rv;
    }
    const set = this.listeners.get(event.resource);
    if (set) for (const l of [...set]) l(event);
    for (const l of [...this.anyListeners]) l(event);
  }
}

/** The first index whose key is not below `key` ('/' + 1 is '0', which ends a namespace's run). */
export function lowerBound(items: readonly KObject[], key: string, from = 0, to = items.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = objectKey(items[mid].metadata.namespace, items[mid].metadata.name!);
    if (k < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compareByKey(a: KObject, b: KObject): number {
  const ak = objectKey(a.metadata.namespace, a.metadata.name!);
  const bk = objectKey(b.metadata.namespace, b.metadata.name!);
  return ak < bk ? -1 : ak > bk ? 1 : 0;
}


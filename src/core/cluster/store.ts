// The object store: what etcd is to a real cluster. Objects are kept per resource, keyed by
// namespace/name, each write takes the next cluster-wide resourceVersion, and a bounded log of
// recent changes lets a watch resume from a resourceVersion (or learn with 410 that it is too old).
import type { KObject } from './kinds/types.js';
import { copyJson, freezeJson } from './own.js';
import { flat, RecentMap, RecentStrings } from './recent.js';

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

/**
 * Past this many writes since a resource was last listed, its key order is sorted afresh rather
 * than mended one key at a time (each mend moves part of the array).
 */
const MEND_LIMIT = 1024;

/** How many lines of siblings (objects of one resource and generateName) lend their parts to new ones. */
const MAX_SIBLINGS = 1024;

/**
 * Below this depth a written object's parts are frozen as they come, unshared: deep nesting is a
 * learner's custom resource, not the pods of a big cluster, and sharing walks recursively.
 */
const SHARE_DEPTH = 64;

/**
 * A resource's objects in key order, with their keys beside them (so that a binary search builds
 * no strings), and the writes made since, applied on the next read.
 */
interface KeyOrder {
  keys: string[];
  items: KObject[];
  pending: Map<string, KObject | undefined>;
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class Store {
  private rv: number;
  private readonly resources = new Map<string, Map<string, KObject>>();
  private readonly history: Array<StoreEvent | undefined> = [];
  /** Beside each event of `history`, the object as it was stored before it (undefined: absent). */
  private readonly before: Array<KObject | undefined> = [];
  /**
   * Where the log begins in `history` and `before`: the entries ahead of it have fallen out.
   * They are cut off in one splice now and then: cutting one per write moved the whole log each time.
   */
  private head = 0;
  private historyStart = 0;
  private readonly listeners = new Map<string, Set<StoreListener>>();
  private readonly anyListeners = new Set<StoreListener>();
  /** Each resource's objects in key order, mended on the first list after writes. */
  private readonly sorted = new Map<string, KeyOrder>();
  /**
   * The last object written of each resource and generateName: a new pod of a ReplicaSet takes
   * from its sibling the parts they have in common (the template's spec, the tolerations, the
   * managed fields' shape). Bounded; emptied when full.
   */
  private readonly siblings = new RecentMap<string, KObject>(MAX_SIBLINGS);
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
   * The objects of a resource in key order without copying them: the shared sorted arrays of
   * objects and of their keys, and the bounds of the namespace's run in them (keys of one
   * namespace share the prefix `ns/`). Callers must not modify the arrays, and must not hold them
   * across writes. A page of a big list costs its own length: the order is kept between lists and
   * only the keys written since are moved, found by binary search.
   */
  sortedRange(resource: string, namespace?: string): { keys: readonly string[]; items: readonly KObject[]; from: number; to: number } {
    const all = this.resources.get(resource);
    if (!all) return { keys: [], items: [], from: 0, to: 0 };
    let order = this.sorted.get(resource);
    if (!order) {
      const keys = [...all.keys()].sort(compareStrings);
      order = { keys, items: keys.map((k) => all.get(k)!), pending: new Map() };
      this.sorted.set(resource, order);
    } else if (order.pending.size) mend(order);
    const { keys, items } = order;
    if (namespace === undefined) return { keys, items, from: 0, to: keys.length };
    return { keys, items, from: searchKeys(keys, `${namespace}/`), to: searchKeys(keys, `${namespace}0`) };
  }

  /**
   * How the objects of a resource that changed after `rv` stood at `rv`, by key (undefined: not
   * there then): with the objects as they are now, a view of the resource at `rv`, as etcd reads
   * at an older revision. Undefined when the log no longer reaches back to `rv` (compacted).
   */
  statesAt(resource: string, rv: number): Map<string, KObject | undefined> | undefined {
    if (rv < this.historyStart) return undefined;
    const states = new Map<string, KObject | undefined>();
    // Newest first, so the state kept for a key written twice is the one before its first write.
    for (let i = this.history.length - 1; i >= this.head && this.history[i]!.rv > rv; i--) {
      const e = this.history[i]!;
      if (e.resource === resource) states.set(objectKey(e.object.metadata.namespace, e.object.metadata.name!), this.before[i]);
    }
    return states;
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
    const rv = ++this.rv;
    const stored = this.shared(resource, { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } }, previous);
    bucket.set(key, stored);
    this.reorder(resource, key, stored);
    this.journal?.committed(resource, key, stored, rv);
    this.emit({ type: previous ? 'MODIFIED' : 'ADDED', resource, object: stored, previous, rv }, previous);
    return stored;
  }

  /** Removes the object; the DELETED event carries it with a fresh resourceVersion, as etcd's does. */
  remove(resource: string, namespace: string | undefined, name: string): KObject | undefined {
    const bucket = this.resources.get(resource);
    const key = objectKey(namespace, name);
    const previous = bucket?.get(key);
    if (!bucket || !previous) return undefined;
    bucket.delete(key);
    this.reorder(resource, key, undefined);
    const rv = ++this.rv;
    const gone = freezeJson({ ...previous, metadata: { ...previous.metadata, resourceVersion: String(rv) } });
    this.journal?.committed(resource, key, undefined, rv);
    this.emit({ type: 'DELETED', resource, object: gone, rv }, previous);
    return gone;
  }

  /** Events after `rv` for one resource, or undefined when `rv` is older than the log keeps. */
  eventsSince(resource: string, rv: number): StoreEvent[] | undefined {
    if (rv < this.historyStart) return undefined;
    const out: StoreEvent[] = [];
    for (let i = this.head; i < this.history.length; i++) {
      const e = this.history[i]!;
      if (e.rv > rv && e.resource === resource) out.push(e);
    }
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
    this.before.length = 0;
    this.head = 0;
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
    this.reorder(resource, key, object && bucket.get(key));
    this.rv = Math.max(this.rv, rv);
    this.historyStart = this.rv;
  }

  /**
   * The object to store, frozen: each part equal to the same part of the version before, or of
   * its sibling, is that part itself (stored objects are frozen, so they can be shared), which
   * costs a write its changes rather than a whole copy.
   */
  private shared(resource: string, obj: KObject, previous: KObject | undefined): KObject {
    const line = `${resource} ${obj.metadata.namespace ?? ''} ${obj.metadata.generateName ?? ''}`;
    const sibling = this.siblings.get(line);
    const stored = share(obj, previous, sibling, 0) as KObject;
    this.siblings.set(line, stored);
    return stored;
  }

  /** Notes a write for the resource's key order, or lets the order go when mending would cost more. */
  private reorder(resource: string, key: string, object: KObject | undefined): void {
    const order = this.sorted.get(resource);
    if (!order) return;
    order.pending.set(key, object);
    if (order.pending.size > MEND_LIMIT) this.sorted.delete(resource);
  }

  private emit(event: StoreEvent, before: KObject | undefined): void {
    this.history.push(event);
    this.before.push(before);
    if (this.history.length - this.head > this.historySize) {
      const head = this.history.length - this.historySize;
      this.historyStart = this.history[head - 1]!.rv;
      // What fell out is let go of now, as the splice did, so the log holds no more than before.
      for (; this.head < head; this.head++) {
        this.history[this.head] = undefined;
        this.before[this.head] = undefined;
      }
      if (this.head >= this.historySize) {
        this.history.splice(0, this.head);
        this.before.splice(0, this.head);
        this.head = 0;
      }
    }
    const set = this.listeners.get(event.resource);
    if (set) for (const l of [...set]) l(event);
    for (const l of [...this.anyListeners]) l(event);
  }
}

function isPlain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * `value` frozen, with each part equal to the part at the same place in `a` or `b` (frozen stored
 * objects) replaced by that part. Equal means the same members in the same order, as the order
 * shows in the JSON written out. `value` is the writer's, handed over to the store: its members
 * are replaced in place by equal ones.
 */
function share(value: unknown, a: unknown, b: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    // An equal string is the stored one; a new one may be a rope of the pieces it was joined from
    // (a uid, a name from generateName): reading a character flattens it to one piece.
    if (value === a || value === b) return value === a ? a : b;
    return recentString(value);
  }
  if (value === a || value === b || typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (depth > SHARE_DEPTH) return freezeJson(value);
  if (Array.isArray(value)) {
    const aa = Array.isArray(a) && a.length === value.length ? a : undefined;
    const ba = Array.isArray(b) && b.length === value.length ? b : undefined;
    let sameA = aa !== undefined;
    let sameB = ba !== undefined;
    for (let i = 0; i < value.length; i++) {
      const v = share(value[i], aa?.[i], ba?.[i], depth + 1);
      if (v !== value[i]) value[i] = v;
      sameA &&= v === aa![i];
      sameB &&= v === ba![i];
    }
    if (sameA) return aa;
    if (sameB) return ba;
    // A copy holds no spare room: an array grown by push keeps slots for a dozen more items.
    return Object.freeze(value.slice());
  }
  if (!isPlain(value)) return freezeJson(value);
  const keys = Object.keys(value);
  const ao = isPlain(a) ? a : undefined;
  const bo = isPlain(b) ? b : undefined;
  let sameA = ao !== undefined && sameKeys(keys, ao);
  let sameB = bo !== undefined && sameKeys(keys, bo);
  for (const k of keys) {
    const v = share(value[k], ao && hasOwnProperty.call(ao, k) ? ao[k] : undefined, bo && hasOwnProperty.call(bo, k) ? bo[k] : undefined, depth + 1);
    if (v !== value[k]) value[k] = v;
    sameA &&= v === ao![k];
    sameB &&= v === bo![k];
  }
  if (sameA) return ao;
  if (sameB) return bo;
  return Object.freeze(value);
}

const hasOwnProperty = Object.prototype.hasOwnProperty;

/**
 * Short strings written lately (times, IPs, names), so that the many copies a write brings (each
 * condition's lastTransitionTime, each pod's startTime made in the same second) are held once.
 */
const recentStrings = new RecentStrings();
const SHORT_STRING = 64;

function recentString(s: string): string {
  return s.length <= SHORT_STRING ? recentStrings.get(s) : flat(s);
}

function sameKeys(keys: string[], o: Record<string, unknown>): boolean {
  const other = Object.keys(o);
  if (other.length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== other[i]) return false;
  return true;
}

/**
 * The first index whose key is not below `key`, in a sorted array of keys ('/' + 1 is '0', which
 * ends a namespace's run).
 */
export function searchKeys(keys: readonly string[], key: string, from = 0, to = keys.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Applies the writes made since a key order was last read, each where a binary search puts it. */
function mend(order: KeyOrder): void {
  const { keys, items, pending } = order;
  for (const [key, object] of pending) {
    const i = searchKeys(keys, key);
    const there = keys[i] === key;
    if (object && there) items[i] = object;
    else if (object) {
      keys.splice(i, 0, key);
      items.splice(i, 0, object);
    } else if (there) {
      keys.splice(i, 1);
      items.splice(i, 1);
    }
  }
  pending.clear();
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareByKey(a: KObject, b: KObject): number {
  const ak = objectKey(a.metadata.namespace, a.metadata.name!);
  const bk = objectKey(b.metadata.namespace, b.metadata.name!);
  return ak < bk ? -1 : ak > bk ? 1 : 0;
}


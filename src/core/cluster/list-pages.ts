// Lists in pages, as the apiserver serves them from etcd: a first page is read at the latest
// resourceVersion, and its continue token carries that version and the last key, so every later
// page reads the same instant, whatever was written in between. That instant is kept as the
// list's key order then (a copy of references, the objects being frozen), or failing that
// rebuilt from the store's log; when neither reaches back to it (etcd has compacted that
// revision), the page is refused with 410 Expired and a token that goes on from the latest state
// instead, for a client that accepts that.
import { ApiError, badRequest } from './errors.js';
import type { KObject } from './kinds/types.js';
import { searchKeys } from './store.js';

export interface ContinueToken {
  /** The key of the last object already sent. */
  key: string;
  /** The resourceVersion every page of the list is read at; -1: the latest, whatever it is. */
  rv: number;
}

export interface Page {
  items: KObject[];
  /** The resourceVersion the page was read at. */
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** What a page is read from: the store's key order, and how keys changed since stood then. */
export interface PageSource {
  keys: readonly string[];
  items: readonly KObject[];
  /** The bounds of the list's run in `keys` (a namespace's, or all). */
  from: number;
  to: number;
  /** What every key of the run starts with (`ns/` for a namespace's); undefined for all keys. */
  prefix?: string;
  /** Keys written after the page's resourceVersion, with their objects then (undefined: absent). */
  then: ReadonlyMap<string, KObject | undefined>;
  resourceVersion: number;
}

export interface PageRequest {
  after?: string;
  limit: number;
  view: (o: KObject) => KObject;
  matches: (o: KObject) => boolean;
  /** Whether the page says how many objects are left (only an unselective list knows). */
  countRemaining: boolean;
}

/**
 * The key orders that paged lists were first read at, the newest few: a list of 160,000 pods
 * read by kubectl in 321 pages takes a while, and a busy cluster writes more in that time than
 * the store's log keeps. A later page finds its list's instant here.
 */
export class ListSnapshots {
  private readonly kept = new Map<string, { keys: readonly string[]; items: readonly KObject[] }>();
  constructor(private readonly limit = 8) {}

  get(run: string, rv: number): { keys: readonly string[]; items: readonly KObject[] } | undefined {
    return this.kept.get(`${rv} ${run}`);
  }

  /** Keeps the run [from, to) of a key order as it is at `rv`, unless it is kept already. */
  keep(run: string, rv: number, keys: readonly string[], items: readonly KObject[], from: number, to: number): void {
    const id = `${rv} ${run}`;
    if (this.kept.has(id)) return;
    this.kept.set(id, { keys: keys.slice(from, to), items: items.slice(from, to) });
    if (this.kept.size > this.limit) this.kept.delete(this.kept.keys().next().value!);
  }

  clear(): void {
    this.kept.clear();
  }
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.key })).toString('base64url');
}

export function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof t.start !== 'string') throw new Error('no start');
    return { key: t.start, rv: Number(t.rv) };
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

/**
 * The apiserver's answer to a continue token whose resourceVersion has been compacted: 410
 * Expired, and in its metadata a token for the rest of the list read at the latest version.
 */
export function expiredContinue(key: string): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: { continue: encodeContinue({ key, rv: -1 }) },
    status: 'Failure',
    message:
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    reason: 'Expired',
    code: 410,
  });
}

/**
 * Up to `limit` matching objects after the key `after`, as the list stood at the source's
 * resourceVersion: the store's order now, with the keys written since put back as they were.
 * Costs the page's length (and the few keys written since), not the list's.
 */
export function readPage(src: PageSource, req: PageRequest): Page {
  const { keys, items, then } = src;
  const start = req.after === undefined ? src.from : Math.max(src.from, searchKeys(keys, `${req.after}\u0000`, src.from, src.to));
  // The keys written since, within the run and after the start, in key order.
  const first = req.after === undefined ? undefined : `${req.after}\u0000`;
  const changed = [...then.keys()].filter((k) => (src.prefix === undefined || k.startsWith(src.prefix)) && (first === undefined || k >= first)).sort(compareStrings);
  const out: KObject[] = [];
  let i = start;
  let j = 0;
  let lastKey: string | undefined;
  while (out.length < req.limit && (i < src.to || j < changed.length)) {
    let key: string;
    let obj: KObject | undefined;
    if (j < changed.length && (i >= src.to || changed[j] <= keys[i])) {
      key = changed[j];
      obj = then.get(key);
      if (i < src.to && keys[i] === key) i++;
      j++;
    } else {
      key = keys[i];
      obj = items[i];
      i++;
    }
    if (!obj) continue;
    const o = req.view(obj);
    if (req.matches(o)) {
      out.push(o);
      lastKey = key;
    }
  }
  const resourceVersion = String(src.resourceVersion);
  const left = remaining(src, i, changed.slice(j));
  if (out.length < req.limit || left === 0) return { items: out, resourceVersion };
  return {
    items: out,
    resourceVersion,
    continue: encodeContinue({ key: lastKey!, rv: src.resourceVersion }),
    ...(req.countRemaining ? { remainingItemCount: left } : {}),
  };
}

/** How many objects the list held at its resourceVersion after index `i` of the order now. */
function remaining(src: PageSource, i: number, changedAfter: string[]): number {
  let left = Math.max(0, src.to - i);
  for (const key of changedAfter) {
    const k = searchKeys(src.keys, key, i, src.to);
    if (k < src.to && src.keys[k] === key) left--;
    if (src.then.get(key)) left++;
  }
  return left;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// A watch stream: newline-delimited JSON events over a chunked response, from a resourceVersion
// (with 410 Expired as an ERROR event when it is too old, as the watch cache answers), with
// bookmarks when asked and a server-side timeout so clients re-list now and then.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from '../cluster/cluster.js';
import { storageKey } from '../cluster/cluster.js';
import { gone, tooLargeResourceVersion } from '../cluster/errors.js';
import type { KindDef, KObject } from '../cluster/kinds/types.js';
import type { StoreEvent } from '../cluster/store.js';
import { serializedJson } from './json-body.js';

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Parsed already (see query.ts); undefined when the request gave none. */
  resourceVersion?: bigint;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  /** Bookmark period; a real apiserver sends one about every minute. */
  bookmarkEveryMs?: number;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** Turns an object into what the client asked for (the object itself, or a one-row Table). */
export type Encoder = (type: EventType, obj: KObject, first: boolean) => unknown;

const MAX_TIMEOUT_SECONDS = 1800;

export function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  cluster: Cluster,
  def: KindDef,
  opts: WatchOptions,
  encode: Encoder,
  contentType: string,
): void {
  // Selector errors surface before the stream starts, as a plain error response.
  const matches = cluster.matcher(def, opts);
  const inScope = (o: KObject) => !def.namespaced || !opts.namespace || o.metadata.namespace === opts.namespace;
  const present = (o: KObject) => (def.storedAs ? def.storedAs.fromStored(o) : o);

  res.writeHead(200, {
    'Content-Type': contentType,
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.socket?.setNoDelay(true);
  // Send the headers now: a watch on an empty collection writes nothing else for a while, and
  // clients wait for the headers before they call the watch established.
  res.flushHeaders();
  let first = true;
  let closed = false;
  let lastRV = String(cluster.store.resourceVersion);
  const send = (type: EventType, obj: KObject): void => {
    if (closed) return;
    // Each event as the JSON serializer writes one: Go's escaping, then its newline.
    res.write(serializedJson({ type, object: encode(type, obj, first) }, false));
    first = false;
  };

  // A negative timeout has already passed: the apiserver's timer fires at once and the stream ends.
  if (opts.timeoutSeconds !== undefined && opts.timeoutSeconds < 0) {
    res.end();
    return;
  }
  const requested = opts.resourceVersion ?? 0n;
  const current = cluster.store.resourceVersion;
  const initial = requested === 0n || opts.sendInitialEvents;
  const fail = (status: unknown): void => {
    res.write(serializedJson({ type: 'ERROR', object: status }, false));
    res.end();
  };
  // A watch that must start with the state at a resourceVersion the store has not reached waits
  // for it in the watch cache, then fails as an ERROR event of the established stream. (The
  // cache waits three seconds for etcd; this store is never behind, so there is nothing to wait for.)
  if (opts.sendInitialEvents && requested > BigInt(current)) return fail(tooLargeResourceVersion(requested, current).status);
  let backlog: StoreEvent[] = [];
  if (!initial) {
    // Past the store's latest version the log has nothing yet: the watch waits, silent, for it.
    const events = requested > BigInt(current) ? [] : cluster.store.eventsSince(storageKey(def), Number(requested));
    if (!events) return fail(gone(`too old resource version: ${requested} (${cluster.store.oldestWatchable})`).status);
    backlog = events;
  }

  // Only changes after the requested resourceVersion are news to this watcher.
  const after = initial ? 0 : requested > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(requested);
  const onEvent = (e: StoreEvent): void => {
    if (e.rv <= after) return;
    const obj = present(e.object);
    lastRV = obj.metadata.resourceVersion ?? lastRV;
    if (!inScope(obj)) return;
    const now = matches(obj);
    const before = e.previous ? matches(present(e.previous)) : false;
    if (e.type === 'ADDED') {
      if (now) send('ADDED', obj);
    } else if (e.type === 'DELETED') {
      if (now) send('DELETED', obj);
    } else if (now && before) send('MODIFIED', obj);
    else if (now) send('ADDED', obj);
    else if (before) send('DELETED', obj);
  };

  if (initial) {
    for (const o of cluster.list(def, opts.namespace).items) if (matches(o)) send('ADDED', o);
    if (opts.sendInitialEvents && opts.allowWatchBookmarks) {
      send('BOOKMARK', bookmark(def, lastRV, true));
    }
  }
  for (const e of backlog) onEvent(e);
  const unsubscribe = cluster.store.subscribe(storageKey(def), onEvent);

  const timers: NodeJS.Timeout[] = [];
  if (opts.allowWatchBookmarks) {
    // A bookmark only ever says something new: never at or before the version the watch asked for.
    const t = setInterval(() => Number(lastRV) > after && send('BOOKMARK', bookmark(def, lastRV, false)), opts.bookmarkEveryMs ?? 60_000);
    t.unref();
    timers.push(t);
  }
  const timeout = Math.min(opts.timeoutSeconds && opts.timeoutSeconds > 0 ? opts.timeoutSeconds : MAX_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS);
  const end = setTimeout(() => finish(), timeout * 1000);
  end.unref();
  timers.push(end);

  function finish(): void {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    res.end();
  }
  req.on('close', finish);
  res.on('close', finish);
}

function bookmark(def: KindDef, rv: string, initialEventsEnd: boolean): KObject {
  return {
    apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
    kind: def.kind,
    metadata: {
      resourceVersion: rv,
      ...(initialEventsEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
    },
  };
}

// The controller manager: every controller watches some resources, and a change only queues the
// keys it concerns; reconcile(key) then re-reads the current state and converges it. Nothing is
// polled: work runs when something changed or when a controller asked to be woken at a simulated
// time, so an idle cluster costs no CPU.
import type { Cancel } from '../clock.js';
import type { Cluster } from '../cluster.js';
import { ApiError, isNamespaceTerminating } from '../errors.js';
import type { StoreEvent } from '../store.js';
import { EventRecorder } from './events.js';
import { PodIndex } from './pod-index.js';

export interface Watch {
  /** The store key of the resource, e.g. `/pods` or `apps/replicasets`. */
  resource: string;
  /** The keys of this controller that a change concerns (often the object's own, or its owner's). */
  keys(e: StoreEvent, ctx: ControllerContext): Iterable<string>;
}

export interface ControllerContext {
  readonly cluster: Cluster;
  readonly events: EventRecorder;
  readonly pods: PodIndex;
  now(): Date;
  /** Reconcile this controller's `key` again after `ms` of simulated time. */
  requeueAfter(key: string, ms: number): void;
  /** Queue a key of another controller (a scheduler wakes the kubelet of a node, say). */
  enqueue(controller: string, key: string): void;
}

export interface Controller {
  readonly name: string;
  readonly watches: readonly Watch[];
  reconcile(key: string, ctx: ControllerContext): void;
  /** Keys to reconcile when the manager starts (after a restore, everything is looked at once). */
  initialKeys?(ctx: ControllerContext): Iterable<string>;
}

/** Back-off after a failed reconcile, as client-go's default rate limiter: 5 ms doubling to 1000 s. */
const BASE_RETRY_MS = 5;
const MAX_RETRY_MS = 1000 * 1000;

export class ControllerManager {
  private readonly controllers = new Map<string, Controller>();
  /**
   * Keys waiting, in the order first queued, each once: a list read from `head` and the set of
   * what is in it. (A Map read from its first entry costs, on each read, every entry deleted
   * before it since the table was last rebuilt: with tens of thousands queued, most of the time.)
   */
  private queue: Array<[Controller, string, string] | undefined> = [];
  private head = 0;
  private readonly queued = new Set<string>();
  private readonly timers = new Map<string, { at: number; cancel: Cancel }>();
  private readonly failures = new Map<string, number>();
  private readonly unsubscribe: Array<() => void> = [];
  private draining = false;
  private scheduled = false;
  private stopped = false;
  readonly events: EventRecorder;
  readonly pods: PodIndex;
  readonly ctx: (c: Controller) => ControllerContext;

  constructor(readonly cluster: Cluster) {
    this.events = new EventRecorder(cluster);
    this.pods = new PodIndex(cluster.store);
    const contexts = new Map<Controller, ControllerContext>();
    this.ctx = (c) => {
      let ctx = contexts.get(c);
      if (!ctx) {
        ctx = {
          cluster,
          events: this.events,
          pods: this.pods,
          now: () => cluster.clock.now(),
          requeueAfter: (key, ms) => this.requeueAfter(c, key, ms),
          enqueue: (name, key) => {
            const other = this.controllers.get(name);
            if (other) this.add(other, key);
          },
        };
        contexts.set(c, ctx);
      }
      return ctx;
    };
  }

  register(...controllers: Controller[]): this {
    for (const c of controllers) {
      this.controllers.set(c.name, c);
      for (const w of c.watches) {
        this.unsubscribe.push(
          this.cluster.store.subscribe(w.resource, (e) => {
            for (const key of w.keys(e, this.ctx(c))) this.add(c, key);
          }),
        );
      }
    }
    return this;
  }

  /** Looks at everything once: on start, and after the state was replaced by a restore. */
  resync(): void {
    this.pods.rebuild();
    for (const c of this.controllers.values()) for (const key of c.initialKeys?.(this.ctx(c)) ?? []) this.add(c, key);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe.forEach((u) => u());
    this.pods.stop();
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.queue = [];
    this.head = 0;
    this.queued.clear();
  }

  private add(c: Controller, key: string): void {
    if (this.stopped) return;
    const id = `${c.name}\u0000${key}`;
    if (!this.queued.has(id)) {
      this.queued.add(id);
      this.queue.push([c, key, id]);
    }
    if (!this.scheduled && !this.draining) {
      this.scheduled = true;
      this.cluster.clock.soon(() => this.drain());
    }
  }

  private requeueAfter(c: Controller, key: string, ms: number): void {
    if (this.stopped) return;
    const id = `${c.name}\u0000${key}`;
    const at = this.cluster.clock.now().getTime() + ms;
    const existing = this.timers.get(id);
    // One wake-up per key is enough: the earliest, since reconcile looks at everything anyway.
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const cancel = this.cluster.clock.after(ms, () => {
      this.timers.delete(id);
      this.add(c, key);
    });
    this.timers.set(id, { at, cancel });
  }

  /** Runs queued reconciles until the queue is empty (their writes may queue more). */
  drain(): void {
    this.scheduled = false;
    if (this.draining) return;
    this.draining = true;
    try {
      for (let n = 0; this.head < this.queue.length; n++) {
        const [c, key, id] = this.queue[this.head]!;
        this.queue[this.head++] = undefined;
        if (this.head >= 4096 && this.head * 2 >= this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        this.queued.delete(id);
        try {
          c.reconcile(key, this.ctx(c));
          this.failures.delete(id);
        } catch (err) {
          this.retry(c, key, id, err);
        }
        if (n > 5_000_000) throw new Error('controllers did not settle');
      }
    } finally {
      this.draining = false;
    }
  }

  private retry(c: Controller, key: string, id: string, err: unknown): void {
    const n = (this.failures.get(id) ?? 0) + 1;
    this.failures.set(id, n);
    // A conflict, a missing object or a namespace on its way out is normal between controllers:
    // try again soon, quietly (the namespace controller is emptying that namespace meanwhile).
    if (!isNamespaceTerminating(err) && (!(err instanceof ApiError) || ![404, 409].includes(err.code))) {
      if (n === 1) process.emitWarning(`${c.name} could not reconcile ${key}: ${(err as Error).stack ?? err}`);
    }
    this.requeueAfter(c, key, Math.min(MAX_RETRY_MS, BASE_RETRY_MS * 2 ** (n - 1)));
  }
}

/** `namespace/name` for a namespaced object, `name` for a cluster-scoped one. */
export function keyOf(o: { metadata: { namespace?: string; name?: string } }): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!;
}

export function splitKey(key: string): [string | undefined, string] {
  const i = key.indexOf('/');
  return i < 0 ? [undefined, key] : [key.slice(0, i), key.slice(i + 1)];
}

/** The key of the controlling owner of `kind`, if the object has one. */
export function ownerKey(o: { metadata: { namespace?: string; ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> } }, kind: string): string[] {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller && r.kind === kind);
  return ref ? [o.metadata.namespace ? `${o.metadata.namespace}/${ref.name}` : ref.name] : [];
}

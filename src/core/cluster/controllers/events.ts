// Events: what controllers, the scheduler and the kubelet tell about objects. Repeats of the same
// event on the same object are folded into one with a count (kubectl describe shows "x3 over 2m"),
// as client-go's EventCorrelator does, and events expire after an hour, as the apiserver's TTL has them.
import { randomUUID } from 'node:crypto';
import { rfc3339, rfc3339Micro, type Cancel } from '../clock.js';
import type { Cluster } from '../cluster.js';
import type { EventType } from '../kinds/event.js';
import type { Event } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored } from '../kinds/types.js';
import { copyJson } from '../own.js';

const EVENTS = '/events';
const TTL_MS = 60 * 60 * 1000;

export type { EventType };

export interface EventSource {
  /** e.g. `kubelet`, `deployment-controller`, `default-scheduler`. */
  component: string;
  /** The node, for the kubelet. */
  host?: string;
  /** Written through events.k8s.io/v1 (the scheduler does): eventTime and action instead of counts. */
  action?: string;
}

export interface Involved {
  kind: string;
  apiVersion: string;
  object: KObject;
  /** e.g. `spec.containers{nginx}` for a container's events. */
  fieldPath?: string;
}

export class EventRecorder {
  private readonly seen = new Map<string, { namespace: string; name: string }>();
  private expiring: Array<{ at: number; namespace: string; name: string; key: string }> = [];
  /** The first entry of `expiring` not yet handled: shifting a long array costs its length each time. */
  private expiringHead = 0;
  private expiryTimer?: Cancel;
  private seq = 0;

  constructor(private readonly cluster: Cluster) {}

  record(source: EventSource, on: Involved, type: EventType, reason: string, message: string): void {
    const meta = on.object.metadata;
    const namespace = meta.namespace ?? 'default';
    const now = this.cluster.clock.now();
    const key = [meta.uid, on.fieldPath ?? '', source.component, source.host ?? '', type, reason, message].join('\u0000');
    const known = this.seen.get(key);
    const existing = known && this.cluster.store.get(EVENTS, known.namespace, known.name);
    if (existing) {
      const next: Stored<Event> = copyJson(existing);
      if (source.action) {
        // events.k8s.io keeps repeats as a series.
        next.series = { count: (next.series?.count ?? 1) + 1, lastObservedTime: rfc3339Micro(now) };
      } else {
        next.count = (next.count ?? 1) + 1;
        next.lastTimestamp = rfc3339(now);
      }
      this.cluster.store.put(EVENTS, next);
      this.expire(namespace, known!.name, now.getTime(), key);
      return;
    }
    const name = `${meta.name}.${this.uniqueSuffix(now)}`;
    const involvedObject = {
      kind: on.kind,
      namespace: meta.namespace,
      name: meta.name,
      uid: meta.uid,
      apiVersion: on.apiVersion,
      resourceVersion: meta.resourceVersion,
      ...(on.fieldPath ? { fieldPath: on.fieldPath } : {}),
    };
    if (!meta.namespace) delete involvedObject.namespace;
    const event: Stored<Event> = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace, uid: randomUUID(), creationTimestamp: rfc3339(now) },
      involvedObject,
      reason,
      message,
      type,
    };
    // Object.assign, not the typed fields: the timestamps a kind of event lacks are written as
    // null, as the API server stores them, which kubernetes-types' Event does not declare.
    if (source.action) {
      Object.assign(event, {
        source: {},
        firstTimestamp: null,
        lastTimestamp: null,
        eventTime: rfc3339Micro(now),
        action: source.action,
        reportingComponent: source.component,
        reportingInstance: `${source.component}-${source.host ?? ''}`.replace(/-$/, ''),
      });
    } else {
      Object.assign(event, {
        source: source.host ? { component: source.component, host: source.host } : { component: source.component },
        firstTimestamp: rfc3339(now),
        lastTimestamp: rfc3339(now),
        count: 1,
        eventTime: null,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      });
    }
    this.cluster.store.put(EVENTS, event);
    this.seen.set(key, { namespace, name });
    this.expire(namespace, name, now.getTime(), key);
  }

  /** A hex suffix that grows with time, like the nanosecond timestamp client-go uses. */
  private uniqueSuffix(now: Date): string {
    const nanos = BigInt(now.getTime()) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    return nanos.toString(16).padStart(16, '0');
  }

  private expire(namespace: string, name: string, from: number, key: string): void {
    this.expiring.push({ at: from + TTL_MS, namespace, name, key });
    if (!this.expiryTimer) this.armExpiry();
  }

  private armExpiry(): void {
    if (this.expiringHead > 1024 && this.expiringHead * 2 > this.expiring.length) {
      this.expiring = this.expiring.slice(this.expiringHead);
      this.expiringHead = 0;
    }
    const first = this.expiring[this.expiringHead];
    if (!first) return;
    const wait = Math.max(0, first.at - this.cluster.clock.now().getTime());
    this.expiryTimer = this.cluster.clock.after(wait, () => {
      this.expiryTimer = undefined;
      const now = this.cluster.clock.now().getTime();
      while (this.expiringHead < this.expiring.length && this.expiring[this.expiringHead].at <= now) {
        const { namespace, name, key } = this.expiring[this.expiringHead++];
        const e: Stored<Event> | undefined = this.cluster.store.get(EVENTS, namespace, name);
        const last = e && Date.parse(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '');
        if (e && last !== undefined && last + TTL_MS <= now) {
          this.cluster.store.remove(EVENTS, namespace, name);
          if (this.seen.get(key)?.name === name) this.seen.delete(key);
        }
      }
      this.armExpiry();
    });
  }
}

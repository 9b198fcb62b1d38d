// A live view of one namespace (pods, deployments, services, recent events) as the server's own
// tables, refreshed when a watch reports a change: what a k9s-like pane shows.
import { EventEmitter } from 'node:events';
import type { KubeClient, Table } from './client.js';

export const VIEW_KINDS = ['pods', 'deployments', 'services', 'events'] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];
export type NamespaceSnapshot = Record<ViewKind, Table | undefined> & { namespace: string; error?: string };

export class NamespaceView extends EventEmitter<{ change: [NamespaceSnapshot] }> {
  private readonly abort = new AbortController();
  private timer?: NodeJS.Timeout;
  private refreshing = false;
  private again = false;
  snapshot: NamespaceSnapshot;

  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
    /** How long changes are gathered before the tables are read again. */
    private readonly settleMs = 200,
  ) {
    super();
    this.snapshot = { namespace, pods: undefined, deployments: undefined, services: undefined, events: undefined };
  }

  start(): this {
    for (const kind of VIEW_KINDS) this.client.watch(kind, this.namespace, () => this.changed(), this.abort.signal);
    void this.refresh();
    return this;
  }

  private changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, this.settleMs);
  }

  async refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = true;
    try {
      const tables = await Promise.all(VIEW_KINDS.map((k) => this.client.table(k, this.namespace).catch(() => undefined)));
      const next = { ...this.snapshot, error: undefined } as NamespaceSnapshot;
      VIEW_KINDS.forEach((k, i) => (next[k] = tables[i]));
      if (next.events) next.events = { columns: next.events.columns, rows: next.events.rows.slice(-20) };
      this.snapshot = next;
    } catch (err) {
      this.snapshot = { ...this.snapshot, error: (err as Error).message };
    } finally {
      this.refreshing = false;
    }
    if (!this.abort.signal.aborted) this.emit('change', this.snapshot);
    if (this.again) {
      this.again = false;
      void this.refresh();
    }
  }

  stop(): void {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
  }
}

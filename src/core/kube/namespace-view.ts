// A live view of one namespace as the server's own tables, refreshed when a watch reports a
// change: pods, deployments, services and recent events always, and whatever else the current step
// is graded on (ConfigMaps, Roles, Endpoints, Jobs…). What a k9s-like pane shows.
import { EventEmitter } from 'node:events';
import type { KubeClient, KubeObject, Table } from './client.js';
import { ageSince } from './age.js';
import { readPicture, type ClusterPicture } from './cluster-picture.js';
import type { Check, Step } from '../lessons/types.js';

/** Always shown, in this order. */
export const VIEW_KINDS = ['pods', 'deployments', 'services', 'events'] as const;
/** The most recent events kept: enough to fill a tall pane. */
const EVENTS_KEPT = 60;

/** One kind's table, with what an age is counted from and who each row is. */
export interface ViewTable extends Table {
  /** The plural resource name: `pods`, `configmaps`. */
  kind: string;
  /** Per row, the timestamp its AGE (LAST SEEN for events) counts from. */
  since: (string | undefined)[];
  /** Per row, the object's name (an event's, for events). */
  names: string[];
  /** Per row, the object's resourceVersion: it changes with every write. */
  versions: string[];
}

export interface NamespaceSnapshot {
  namespace: string;
  /** The tables in the order shown: the always-shown kinds, then the step's. */
  tables: ViewTable[];
  error?: string;
}

/** The kinds a step's checks read, as their authors named them (`Pod`, `cm`, `roles`…). */
export function kindsOfStep(step: Step): string[] {
  return kindsOfChecks(step.tasks.flatMap((t) => t.checks));
}

/** The kinds these checks read (an exam task's, a step's). */
export function kindsOfChecks(checks: Check[]): string[] {
  return [...new Set(checks.flatMap(kindOfCheck))];
}

function kindOfCheck(c: Check): string[] {
  if ('exists' in c) return [c.exists.kind];
  if ('absent' in c) return [c.absent.kind];
  if ('field' in c) return [c.field.kind];
  if ('count' in c) return [c.count.kind];
  if ('condition' in c) return [c.condition.kind];
  if ('pod' in c || 'exec' in c) return ['pods'];
  if ('event' in c) return ['events'];
  if ('endpoints' in c) return ['endpoints'];
  // Whether someone may do something is decided by the Roles and their bindings.
  if ('canI' in c) return ['roles', 'rolebindings'];
  return [];
}

const metaOf = (o: KubeObject, key: 'name' | 'resourceVersion'): string => {
  const meta = o.metadata as Record<string, unknown> | undefined;
  const v = meta && Object.hasOwn(meta, key) ? meta[key] : undefined;
  return typeof v === 'string' ? v : '';
};

/** Objects as `kind/name`, sorted into those added, changed and deleted between two snapshots; events left out. */
export function changesSince(before: NamespaceSnapshot, after: NamespaceSnapshot): { added: string[]; changed: string[]; deleted: string[] } {
  const index = (s: NamespaceSnapshot) => {
    const m = new Map<string, string>();
    for (const t of s.tables) if (t.kind !== 'events') t.names.forEach((n, i) => m.set(`${t.kind}/${n}`, t.versions[i] ?? ''));
    return m;
  };
  const was = index(before);
  const now = index(after);
  // A kind only one of the two snapshots shows (a step began to follow it) is neither added nor deleted.
  const shared = (key: string) => before.tables.some((t) => t.kind === key.split('/')[0]) && after.tables.some((t) => t.kind === key.split('/')[0]);
  return {
    added: [...now.keys()].filter((k) => !was.has(k) && shared(k)),
    changed: [...now.keys()].filter((k) => was.has(k) && was.get(k) !== now.get(k)),
    deleted: [...was.keys()].filter((k) => !now.has(k) && shared(k)),
  };
}

export class NamespaceView extends EventEmitter<{ change: [NamespaceSnapshot] }> {
  private readonly abort = new AbortController();
  private timer?: NodeJS.Timeout;
  private refreshing = false;
  private again = false;
  /** Plural names of the kinds beyond the always-shown ones, each with its own watch. */
  private extra: { kind: string; stop: AbortController }[] = [];
  snapshot: NamespaceSnapshot;

  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
    /** How long changes are gathered before the tables are read again. */
    private readonly settleMs = 200,
  ) {
    super();
    this.snapshot = { namespace, tables: [] };
  }

  start(): this {
    for (const kind of VIEW_KINDS) this.client.watch(kind, this.namespace, () => this.changed(), this.abort.signal);
    void this.refresh();
    return this;
  }

  /**
   * Shows these kinds too (names as kubectl takes them), in place of those followed before.
   * Kinds the server does not know, and cluster-wide ones, are left out.
   */
  async follow(kinds: string[]): Promise<void> {
    const wanted: string[] = [];
    for (const k of kinds) {
      const r = await this.client.resolve(k).catch(() => undefined);
      if (r && r.namespaced && !(VIEW_KINDS as readonly string[]).includes(r.name) && !wanted.includes(r.name)) wanted.push(r.name);
    }
    if (this.abort.signal.aborted) return;
    for (const e of this.extra) if (!wanted.includes(e.kind)) e.stop.abort();
    this.extra = wanted.map((kind) => {
      const kept = this.extra.find((e) => e.kind === kind);
      if (kept) return kept;
      const stop = new AbortController();
      this.abort.signal.addEventListener('abort', () => stop.abort());
      this.client.watch(kind, this.namespace, () => this.changed(), stop.signal);
      return { kind, stop };
    });
    await this.refresh();
  }

  private changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, this.settleMs);
  }

  private async read(kind: string): Promise<ViewTable | undefined> {
    const t = await this.client.table(kind, this.namespace, { objects: true }).catch(() => undefined);
    if (!t) return undefined;
    const objects = t.objects ?? [];
    let rows = t.rows.map((cells, i) => ({ cells, obj: objects[i] ?? {} }));
    if (kind === 'events') {
      // Oldest first, so the newest sit at the bottom as `kubectl get events` sorts them by time.
      const at = (o: KubeObject) => Date.parse(ageSince(o) ?? '') || 0;
      rows = rows.sort((a, b) => at(a.obj) - at(b.obj)).slice(-EVENTS_KEPT);
    }
    return {
      kind,
      columns: t.columns,
      rows: rows.map((r) => r.cells),
      since: rows.map((r) => ageSince(r.obj)),
      names: rows.map((r) => metaOf(r.obj, 'name')),
      versions: rows.map((r) => metaOf(r.obj, 'resourceVersion')),
    };
  }

  async refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = true;
    try {
      const kinds = [...VIEW_KINDS, ...this.extra.map((e) => e.kind)];
      const tables = await Promise.all(kinds.map((k) => this.read(k)));
      this.snapshot = { namespace: this.namespace, tables: tables.filter((t): t is ViewTable => t !== undefined) };
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

  /** The namespace drawn as nodes holding pods, and Services with the pods they route to. */
  picture(): Promise<ClusterPicture> {
    return readPicture(this.client, this.namespace);
  }

  stop(): void {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
  }
}

// Ages as kubectl prints them (apimachinery's HumanDuration): exact seconds for the first two
// minutes, then minutes with seconds, then coarser units the older a thing gets. A view keeps the
// timestamps and recomputes these each second, so an AGE column ticks as `kubectl get` would show.
import type { KubeObject, Table } from './client.js';
import { own } from '../own.js';

const S = 1, M = 60 * S, H = 60 * M, D = 24 * H, Y = 365 * D;

/** A unit and the remainder in the next unit down, the remainder left out when it is zero. */
const two = (n: number, big: number, bigUnit: string, small: number, smallUnit: string) => {
  const rest = Math.floor((n % big) / small);
  return `${Math.floor(n / big)}${bigUnit}${rest ? `${rest}${smallUnit}` : ''}`;
};

export function humanAge(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 2 * M) return `${s}s`;
  if (s < 10 * M) return two(s, M, 'm', S, 's');
  if (s < 3 * H) return `${Math.floor(s / M)}m`;
  if (s < 8 * H) return two(s, H, 'h', M, 'm');
  if (s < 2 * D) return `${Math.floor(s / H)}h`;
  if (s < 8 * D) return two(s, D, 'd', H, 'h');
  if (s < 2 * Y) return `${Math.floor(s / D)}d`;
  if (s < 8 * Y) return two(s, Y, 'y', D, 'd');
  return `${Math.floor(s / Y)}y`;
}

/** The column an age is printed in: AGE for most kinds, LAST SEEN for events. */
export function ageColumn(columns: string[]): number {
  return columns.findIndex((c) => /^(age|last seen)$/i.test(c));
}

/** When a row's age counts from: an event's last sighting, anything else's creation. */
export function ageSince(obj: KubeObject): string | undefined {
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const meta = own(obj, 'metadata');
  const created = meta && typeof meta === 'object' ? str(own(meta, 'creationTimestamp')) : undefined;
  if (obj.kind === 'Event' || own(obj, 'involvedObject') !== undefined) {
    const series = own(obj, 'series');
    const seriesLast = series && typeof series === 'object' ? str(own(series, 'lastObservedTime')) : undefined;
    return seriesLast ?? str(own(obj, 'lastTimestamp')) ?? str(own(obj, 'eventTime')) ?? str(own(obj, 'firstTimestamp')) ?? created;
  }
  return created;
}

/** The table with its age cells recomputed for `now` from each row's timestamp. */
export function agedAt<T extends Table & { since?: (string | undefined)[] }>(table: T, now: number): T {
  const col = ageColumn(table.columns);
  const since = table.since;
  if (col < 0 || !since) return table;
  const rows = table.rows.map((r, i) => {
    const t = since[i] ? Date.parse(since[i]!) : NaN;
    if (Number.isNaN(t)) return r;
    const copy = [...r];
    copy[col] = humanAge(now - t);
    return copy;
  });
  return { ...table, rows };
}

// The lesson namespace at a glance, k9s-style: pods, deployments, services, recent events and the
// kinds the current step is graded on, with statuses in colour (running green, waiting yellow,
// failing red, finished grey). Every row of the pane is used: each section gets rows as it has
// them, in turns, so nothing says "… N more" while rows stand empty; event messages wrap whole.
import { memo } from 'react';
import { Box, Text } from 'ink';
import { agedAt, changesSince, type NamespaceSnapshot, type ViewTable } from '../../core/index.js';
import { useTheme, type Theme } from './theme.js';

/** The columns kept per kind where the pane is narrow; other kinds keep the server's. */
const SHOWN: Record<string, string[]> = {
  pods: ['Name', 'Ready', 'Status', 'Restarts', 'Age'],
  deployments: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'],
  services: ['Name', 'Type', 'Cluster-IP', 'Port(s)', 'Age'],
  events: ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
};

export function statusColour(status: string, theme: Theme): string | undefined {
  if (!theme.colour) return undefined;
  if (/^(Running|Active|Bound|True)$/.test(status)) return theme.ok;
  if (/^(Completed|Succeeded|Terminating)$/.test(status)) return theme.dim;
  if (/(Err|BackOff|Fail|Crash|OOM|Invalid|Evicted|Unknown|Warning)/.test(status)) return theme.bad;
  if (/^(Pending|ContainerCreating|PodInitializing|Init:)/.test(status)) return theme.warn;
  return undefined;
}

/** A run of text on a line, and how it is drawn. */
export interface Seg {
  text: string;
  tone?: 'heading' | 'dim' | 'status' | 'bad' | 'selected';
}
export type Line = Seg[];

/** One kind's lines: its title and column header, then each row (an event may take several lines). */
interface Block {
  title: string;
  head: Line[];
  rows: Line[][];
  /** Events keep their newest rows when cut, other kinds their first. */
  newestLast: boolean;
  /** The selected row's index, when it is in this kind. */
  selectedAt?: number;
}

/** Plain text of a line, for tests and widths. */
export const lineText = (l: Line): string => l.map((s) => s.text).join('');

function pick(t: ViewTable): { columns: string[]; rows: string[][] } {
  const wanted = SHOWN[t.kind];
  if (!wanted) return t;
  const idx = wanted.map((w) => t.columns.findIndex((c) => c.toLowerCase() === w.toLowerCase())).filter((i) => i >= 0);
  return { columns: idx.map((i) => t.columns[i]), rows: t.rows.map((r) => idx.map((i) => r[i] ?? '')) };
}

/** Cuts a line's segments to `width` cells. */
function cut(line: Line, width: number): Line {
  const out: Line = [];
  let left = width;
  for (const s of line) {
    if (left <= 0) break;
    out.push({ ...s, text: s.text.slice(0, left) });
    left -= s.text.length;
  }
  return out;
}

/** Words laid into lines of at most `width` cells; a word longer than that is broken. */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > w) {
      if (cur) lines.push(cur), (cur = '');
      lines.push(rest.slice(0, w));
      rest = rest.slice(w);
    }
    if (!rest) continue;
    if (!cur) cur = rest;
    else if (cur.length + 1 + rest.length <= w) cur += ` ${rest}`;
    else lines.push(cur), (cur = rest);
  }
  if (cur || lines.length === 0) lines.push(cur);
  return lines;
}

function block(t: ViewTable, width: number, selected?: { kind: string; name: string }): Block {
  const { columns, rows } = pick(t);
  const title = `${t.kind.toUpperCase()} (${rows.length})`;
  if (rows.length === 0) return { title: t.kind, head: [[{ text: title, tone: 'heading' }, { text: ' none', tone: 'dim' }]], rows: [], newestLast: false };
  const mark = (i: number) => selected !== undefined && selected.kind === t.kind && t.names[i] === selected.name;
  const statusCol = columns.findIndex((c) => c === 'Status' || c === 'Type');
  const last = columns.length - 1;
  // The kind's title stands where the NAME header would, k9s-like: one line of heading per kind.
  const named = /^name$/i.test(columns[0]);
  const widths = columns.map((c, i) => Math.max(i === 0 && named ? title.length : c.length, ...rows.map((r) => r[i].length)));
  const cells = (r: string[], upto: number): Line => r.slice(0, upto).map((c, i) => ({ text: `${c.padEnd(widths[i])}  `, tone: i === statusCol ? ('status' as const) : undefined }));
  const rest = columns.map((c, i) => (i === last ? c : c.padEnd(widths[i] + 2))).slice(1).join('').toUpperCase();
  const head: Line[] = named ? [cut([{ text: title.padEnd(widths[0] + 2), tone: 'heading' }, { text: rest, tone: 'dim' }], width)] : [[{ text: title, tone: 'heading' }]];
  const wrapLast = t.kind === 'events';
  const lines = rows.map((r, n): Line[] => {
    if (mark(n)) return [[{ text: lineText(cut([...cells(r, last), { text: r[last] }], width)).padEnd(width), tone: 'selected' }]];
    if (!wrapLast) return [cut([...cells(r, last), { text: r[last], tone: last === statusCol ? 'status' : undefined }], width)];
    // A message wraps beside the other columns, or under them, indented, where they leave too little.
    const prefix = cells(r, last);
    const used = lineText(prefix).length;
    const beside = width - used >= 24;
    const msg = wrapWords(r[last], beside ? width - used : width - 2);
    if (beside) return msg.map((m, i) => cut([...(i === 0 ? prefix : [{ text: ' '.repeat(used) }]), { text: m }], width));
    return [cut(prefix, width), ...msg.map((m) => [{ text: `  ${m}` }])];
  });
  const at = rows.findIndex((_, n) => mark(n));
  return { title: t.kind, head, rows: lines, newestLast: t.kind === 'events', selectedAt: at >= 0 ? at : undefined };
}

/**
 * The pane's lines for `height` rows. The objects' sections take rows in turns, one row each per
 * round, until every row shows or the next does not fit; events then fill what is left, newest
 * first. A section cut short says how many it leaves out, and rows still spare go between sections.
 */
export function paneLines(tables: ViewTable[], width: number, height: number, selected?: { kind: string; name: string }): Line[] {
  const blocks = tables.map((t) => block(t, width, selected));
  const shown = blocks.map(() => 0);
  const rowAt = (i: number, n: number) => (blocks[i].newestLast ? blocks[i].rows[blocks[i].rows.length - 1 - n] : blocks[i].rows[n]);
  /** Lines used: headings, rows shown, and a "… N more" line per section cut short. */
  const cost = () =>
    blocks.reduce((sum, b, i) => {
      let lines = b.head.length + (shown[i] < b.rows.length ? 1 : 0);
      for (let n = 0; n < shown[i]; n++) lines += rowAt(i, n).length;
      return sum + lines;
    }, 0);
  // Headings first; where even those do not fit, the later kinds go.
  while (blocks.length && cost() > height) blocks.pop(), shown.pop();
  const fill = (which: (b: Block) => boolean) => {
    for (let grew = true; grew; ) {
      grew = false;
      blocks.forEach((b, i) => {
        if (!which(b) || shown[i] >= b.rows.length) return;
        shown[i]++;
        if (cost() > height) shown[i]--;
        else grew = true;
      });
    }
  };
  fill((b) => !b.newestLast);
  fill((b) => b.newestLast);
  let gaps = Math.max(0, Math.min(blocks.length - 1, height - cost()));
  const out: Line[] = [];
  blocks.forEach((b, i) => {
    if (i > 0 && gaps > 0) out.push([]), gaps--;
    out.push(...b.head);
    // The window of rows moves down to keep the selected one in sight (rows are one line each here).
    const from = b.selectedAt !== undefined && b.selectedAt >= shown[i] ? b.selectedAt - shown[i] + 1 : 0;
    const rows = b.newestLast ? b.rows.slice(b.rows.length - shown[i]) : b.rows.slice(from, from + shown[i]);
    const more = b.rows.length - shown[i];
    if (more > 0 && b.newestLast) out.push([{ text: ` … ${more} older`, tone: 'dim' }]);
    for (const r of rows) out.push(...r);
    if (more > 0 && !b.newestLast) out.push([{ text: ` … ${more} more`, tone: 'dim' }]);
  });
  return out.slice(0, height);
}

/** One line: what was added (+), changed (~) and deleted (-) since the shell's last command finished. */
export function changeLine(before: NamespaceSnapshot | undefined, after: NamespaceSnapshot, width: number): Line | undefined {
  if (!before || before.namespace !== after.namespace) return undefined;
  const c = changesSince(before, after);
  const items = [...c.added.map((k) => `+${k}`), ...c.changed.map((k) => `~${k}`), ...c.deleted.map((k) => `-${k}`)];
  const label = 'since your last command: ';
  if (items.length === 0) return [{ text: `${label}no change`, tone: 'dim' }];
  // As many as fit, then how many more.
  let text = '';
  let n = 0;
  for (; n < items.length; n++) {
    const more = items.length - n - 1 > 0 ? ` +${items.length - n - 1} more` : '';
    const next = `${text}${text ? ' ' : ''}${items[n]}`;
    if (label.length + next.length + more.length > width) break;
    text = next;
  }
  const rest = items.length - n;
  return cut([{ text: label, tone: 'dim' }, { text }, { text: rest > 0 ? `${text ? ' ' : ''}+${rest} more` : '', tone: 'dim' }], width);
}

// Drawn again when the namespace, the clock's second or the selection changes, not with each shell frame.
export const ClusterPane = memo(function ClusterPane({ snapshot, width, height, now, selected, baseline }: { snapshot: NamespaceSnapshot | undefined; width: number; height: number; now: number; selected?: { kind: string; name: string }; baseline?: NamespaceSnapshot }) {
  const theme = useTheme();
  if (!snapshot) return <Text color={theme.dim}>Reading the cluster…</Text>;
  // The namespace is in the pane's title.
  const top: Line[] = [];
  if (snapshot.error) top.push([{ text: snapshot.error, tone: 'bad' }]);
  const changes = changeLine(baseline, snapshot, width);
  if (changes) top.push(changes);
  const lines = [...top, ...paneLines(snapshot.tables.map((t) => agedAt(t, now)), width, height - top.length, selected)];
  const colourOf = (s: Seg) => (s.tone === 'heading' ? theme.heading : s.tone === 'dim' ? theme.dim : s.tone === 'status' ? statusColour(s.text.trim(), theme) : s.tone === 'bad' ? theme.bad : undefined);
  return (
    <Box flexDirection="column" flexShrink={0}>
      {lines.map((l, n) => (
        <Text key={n} wrap="truncate-end">
          {l.length === 0
            ? ' '
            : l.map((s, i) => (
                <Text key={i} bold={s.tone === 'heading'} inverse={s.tone === 'selected'} color={colourOf(s)}>
                  {s.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
});

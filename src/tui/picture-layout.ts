// The cluster picture laid out for a terminal: nodes as boxes holding their pods, wrapped into
// rows of boxes, and under them each Service with the pods it routes to. Pure: a picture and a
// size in, lines of coloured runs out, never more than the size holds; what does not fit is counted.
import type { ClusterPicture, PicturePod } from '../core/index.js';

export interface Run {
  text: string;
  tone?: 'heading' | 'dim' | 'bad';
  /** A pod status: its colour comes from the status. */
  status?: string;
}
export type PictureLine = Run[];

export const lineOf = (l: PictureLine): string => l.map((r) => r.text).join('');

const fit = (s: string, w: number) => (s.length > w ? `${s.slice(0, Math.max(0, w - 1))}…` : s.padEnd(w));

interface Box {
  title: string;
  bad: boolean;
  pods: PicturePod[];
}

/** A box's lines at width `w` and height `h` (borders included), with "+N more" where pods do not fit. */
function drawBox(b: Box, w: number, h: number): PictureLine[] {
  const inner = w - 2;
  const title = fit(` ${b.title} `, Math.min(inner, b.title.length + 2)).trimEnd() + ' ';
  const top: PictureLine = [{ text: '┌', tone: 'dim' }, { text: title, tone: b.bad ? 'bad' : 'heading' }, { text: `${'─'.repeat(Math.max(0, inner - title.length))}┐`, tone: 'dim' }];
  const room = h - 2;
  const showAll = b.pods.length <= room;
  const shown = showAll ? b.pods : b.pods.slice(0, Math.max(0, room - 1));
  const body: PictureLine[] = shown.map((p) => {
    const name = fit(p.name, Math.max(1, inner - 4 - Math.min(p.status.length, 17)));
    const status = fit(p.status, Math.max(0, inner - 4 - name.length));
    return [{ text: '│', tone: 'dim' }, { text: ' ● ', status: p.status }, { text: name }, { text: `${status} `, status: p.status }, { text: '│', tone: 'dim' }];
  });
  if (!showAll) body.push([{ text: '│', tone: 'dim' }, { text: fit(` +${b.pods.length - shown.length} more`, inner), tone: 'dim' }, { text: '│', tone: 'dim' }]);
  if (b.pods.length === 0 && room > 0) body.push([{ text: '│', tone: 'dim' }, { text: fit(' no pods', inner), tone: 'dim' }, { text: '│', tone: 'dim' }]);
  while (body.length < room) body.push([{ text: `│${' '.repeat(inner)}│`, tone: 'dim' }]);
  return [top, ...body, [{ text: `└${'─'.repeat(inner)}┘`, tone: 'dim' }]];
}

/** The picture's lines for `cols`×`rows`. */
export function pictureLines(p: ClusterPicture, cols: number, rows: number): PictureLine[] {
  const podCount = p.nodes.reduce((n, x) => n + x.pods.length, 0) + p.unscheduled.length;
  const out: PictureLine[] = [[{ text: fit(`namespace ${p.namespace} · ${p.nodes.length} node${p.nodes.length === 1 ? '' : 's'} · ${podCount} pod${podCount === 1 ? '' : 's'} · Esc closes`, cols), tone: 'dim' }]];
  const boxes: Box[] = p.nodes.map((n) => ({ title: n.ready ? n.name : `${n.name} NotReady`, bad: !n.ready, pods: n.pods }));
  if (p.unscheduled.length) boxes.push({ title: 'not scheduled', bad: true, pods: p.unscheduled });

  // Services take up to a third of the rows; the boxes the rest.
  const svcWanted = p.services.length ? p.services.length + 1 : 0;
  const svcRows = Math.min(svcWanted, Math.max(p.services.length ? 2 : 0, Math.floor(rows / 3)));
  const boxRoom = rows - out.length - svcRows;

  const widest = Math.max(18, ...boxes.flatMap((b) => [b.title.length + 4, ...b.pods.map((x) => x.name.length + x.status.length + 6)]));
  let perRow = Math.max(1, Math.min(boxes.length, Math.floor((cols + 1) / (Math.min(widest, cols) + 1))));
  const boxW = Math.max(8, Math.min(Math.floor((cols - (perRow - 1)) / perRow), Math.max(widest, 24)));
  perRow = Math.max(1, Math.min(boxes.length, Math.floor((cols + 1) / (boxW + 1))));
  const boxRows = Math.ceil(boxes.length / perRow);
  // Each row of boxes as tall as its fullest box needs, shared out when they do not all fit.
  const need = Array.from({ length: boxRows }, (_, r) => 2 + Math.max(1, ...boxes.slice(r * perRow, (r + 1) * perRow).map((b) => b.pods.length)));
  const fitsRows = (n: number) => n * 3 + (n < boxRows ? 1 : 0) <= boxRoom;
  let rowsShown = boxRows;
  while (rowsShown > 0 && !fitsRows(rowsShown)) rowsShown--;
  const spare = boxRoom - (rowsShown < boxRows ? 1 : 0);
  const heights = need.slice(0, rowsShown).map(() => 3);
  for (let grew = true; grew; ) {
    grew = false;
    for (let r = 0; r < rowsShown; r++) {
      if (heights[r] < need[r] && heights.reduce((a, b) => a + b, 0) < spare) heights[r]++, (grew = true);
    }
  }
  for (let r = 0; r < rowsShown; r++) {
    const drawn = boxes.slice(r * perRow, (r + 1) * perRow).map((b) => drawBox(b, boxW, heights[r]));
    for (let i = 0; i < heights[r]; i++) out.push(drawn.flatMap((d, n) => (n > 0 ? [{ text: ' ' }, ...d[i]] : d[i])));
  }
  if (rowsShown < boxRows) out.push([{ text: fit(` … ${boxes.length - rowsShown * perRow} more node${boxes.length - rowsShown * perRow === 1 ? '' : 's'}`, cols), tone: 'dim' }]);

  if (svcRows > 0) {
    out.push([{ text: 'SERVICES → the pods they route to', tone: 'heading' }]);
    const lines = svcRows - 1;
    const shown = p.services.length <= lines ? p.services : p.services.slice(0, Math.max(0, lines - 1));
    for (const s of shown) {
      const head = `${s.name} (${s.type}) → `;
      const targets = s.pods.length ? s.pods.join(', ') : 'no pods';
      out.push([{ text: head }, { text: fit(targets, Math.max(0, cols - head.length)).trimEnd(), tone: s.pods.length ? undefined : 'bad' }]);
    }
    if (shown.length < p.services.length) out.push([{ text: ` … ${p.services.length - shown.length} more`, tone: 'dim' }]);
  }
  return out.slice(0, rows).map((l) => cutLine(l, cols));
}

function cutLine(l: PictureLine, cols: number): PictureLine {
  const out: PictureLine = [];
  let left = cols;
  for (const r of l) {
    if (left <= 0) break;
    out.push({ ...r, text: r.text.slice(0, left) });
    left -= r.text.length;
  }
  return out;
}

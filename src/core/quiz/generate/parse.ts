// Reading a notes file into lines that know what they are (prose, code, table, heading) and which
// heading they sit under. Notes come in every shape: Markdown with front matter, fenced or indented
// code, and plain text scraped from a web page whose headings are bare short lines.

export type LineKind = 'blank' | 'front' | 'heading' | 'fence' | 'code' | 'table' | 'prose';

export interface NoteLine {
  /** 1-based. */
  n: number;
  text: string;
  kind: LineKind;
  /** The nearest heading at or above this line ('' before the first one). */
  heading: string;
  /** Code lines of one block share an id. */
  block?: number;
}

export const LIST_ITEM = /^\s*(?:[-*+•]|\d{1,3}[.)])\s+/;
const MD_HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;
export const TEMPLATING = /\{\{.*\}\}|\{%.*%\}/;

export function parseNotes(text: string): NoteLine[] {
  const raw = text.replace(/\r\n?/g, '\n').split('\n');
  const lines: NoteLine[] = raw.map((t, i) => ({ n: i + 1, text: t, kind: 'prose', heading: '' }));

  let i = 0;
  // Jekyll/Hugo front matter: not part of the notes.
  if (raw[0]?.trim() === '---') {
    const end = raw.findIndex((t, j) => j > 0 && t.trim() === '---');
    if (end > 0) for (; i <= end; i++) lines[i].kind = 'front';
  }

  let inFence = false;
  let block = 0;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const t = line.text;
    if (FENCE.test(t)) {
      line.kind = 'fence';
      if (!inFence) block++;
      inFence = !inFence;
      continue;
    }
    // A fence left open by a typo (`` instead of ```) would swallow the rest of the notes: a
    // Markdown section heading after a blank line ends it, as the author meant.
    if (inFence && /^#{2,6}\s+[A-Z]/.test(t) && i > 0 && !raw[i - 1].trim()) inFence = false;
    if (inFence) {
      line.kind = 'code';
      line.block = block;
      continue;
    }
    if (!t.trim()) {
      line.kind = 'blank';
      continue;
    }
    const prev = previousNonBlank(lines, i);
    const afterBlank = i === 0 || lines[i - 1].kind === 'blank' || lines[i - 1].kind === 'front' || lines[i - 1].kind === 'heading';
    if (/^( {4,}|\t)/.test(t) && (afterBlank || lines[i - 1].kind === 'code')) {
      line.kind = 'code';
      // Blank lines inside an indented block do not end it.
      if (!(prev && prev.kind === 'code' && prev.block !== undefined && onlyBlanksBetween(lines, prev.n, i))) block++;
      line.block = block;
      continue;
    }
    if (MD_HEADING.test(t)) {
      line.kind = 'heading';
      continue;
    }
    if (/^\s*\|/.test(t)) {
      line.kind = 'table';
      continue;
    }
    line.kind = 'prose';
  }

  // Markdown headings; and when they are rare (text scraped from a web page keeps a few), bare
  // short lines standing alone between blank lines too.
  const markdown = lines.filter((l) => l.kind === 'heading').length;
  if (markdown * 60 < lines.length) {
    for (let j = 0; j < lines.length; j++) {
      const l = lines[j];
      if (l.kind !== 'prose') continue;
      const before = j === 0 || lines[j - 1].kind === 'blank';
      const after = j === lines.length - 1 || lines[j + 1].kind === 'blank';
      if (before && after && looksLikePlainHeading(l.text)) l.kind = 'heading';
    }
  }

  let current = '';
  for (const l of lines) {
    if (l.kind === 'heading') {
      const name = headingText(l.text);
      if (name && !TEMPLATING.test(name)) current = name;
    }
    l.heading = current;
  }
  return lines;
}

function previousNonBlank(lines: NoteLine[], i: number): NoteLine | undefined {
  for (let j = i - 1; j >= 0; j--) if (lines[j].kind !== 'blank') return lines[j];
  return undefined;
}

function onlyBlanksBetween(lines: NoteLine[], fromN: number, toIndex: number): boolean {
  for (let j = fromN; j < toIndex; j++) if (lines[j].kind !== 'blank') return false;
  return true;
}

/** The heading's own words: the line without its leading #s (a citation names it so). */
export function headingText(line: string): string {
  const m = MD_HEADING.exec(line);
  return (m ? m[2] : line).trim();
}

function looksLikePlainHeading(t: string): boolean {
  if (/^\s/.test(t) || LIST_ITEM.test(t)) return false;
  const s = t.trim();
  if (s.length < 3 || s.length > 50) return false;
  if (!/^[A-Z0-9]/.test(s) || /[.:,;!?]$/.test(s) || /[`<>{}=]/.test(s) || /https?:/.test(s)) return false;
  const words = s.split(/\s+/);
  return words.length <= 6;
}

/** Consecutive prose lines, broken at list items and definition-list lines. */
export interface Paragraph {
  lines: NoteLine[];
}

export function paragraphs(lines: NoteLine[]): Paragraph[] {
  const out: Paragraph[] = [];
  let cur: NoteLine[] = [];
  const flush = () => {
    if (cur.length) out.push({ lines: cur });
    cur = [];
  };
  for (const l of lines) {
    if (l.kind !== 'prose') {
      flush();
      continue;
    }
    const quoted = /^\s*>/.test(l.text);
    if (LIST_ITEM.test(l.text) || /^\s*:\s/.test(l.text) || (cur.length && quoted !== /^\s*>/.test(cur[0].text))) flush();
    cur.push(l);
  }
  flush();
  return out;
}

/** A paragraph's text as one string, with a way back from a character offset to its line. */
export function joinParagraph(p: Paragraph): { text: string; lineAt(offset: number): NoteLine } {
  const starts: number[] = [];
  let text = '';
  let prev = '';
  for (const l of p.lines) {
    // Notes often drop the full stop at a line's end; a capital on the next line starts anew.
    if (text) text += /[.,;:!?(\-]$/.test(prev) || !/^[A-Z]/.test(l.text.trim()) ? ' ' : '\n';
    prev = l.text.trim();
    starts.push(text.length);
    text += l.text.trim();
  }
  return {
    text,
    lineAt(offset: number) {
      let k = 0;
      while (k + 1 < starts.length && starts[k + 1] <= offset) k++;
      return p.lines[k];
    },
  };
}

export interface CodeBlock {
  id: number;
  lines: NoteLine[];
}

export function codeBlocks(lines: NoteLine[]): CodeBlock[] {
  const byId = new Map<number, NoteLine[]>();
  for (const l of lines) if (l.kind === 'code' && l.block !== undefined) (byId.get(l.block) ?? byId.set(l.block, []).get(l.block)!).push(l);
  return [...byId.entries()].map(([id, ls]) => ({ id, lines: ls }));
}

export interface Table {
  header: string[];
  /** Each row's cells and its line. */
  rows: { cells: string[]; line: NoteLine }[];
}

/** Markdown pipe tables: a header row, a |---| row, then rows. */
export function pipeTables(lines: NoteLine[]): Table[] {
  const out: Table[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].kind !== 'table' || (i > 0 && lines[i - 1].kind === 'table')) continue;
    const run: NoteLine[] = [];
    for (let j = i; j < lines.length && lines[j].kind === 'table'; j++) run.push(lines[j]);
    if (run.length < 3 || !/^\s*\|?\s*:?-{2,}/.test(run[1].text)) continue;
    const header = splitRow(run[0].text);
    const rows = run.slice(2).map((line) => ({ cells: splitRow(line.text), line }));
    out.push({ header, rows });
  }
  return out;
}

function splitRow(t: string): string[] {
  const cells = t.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/);
  return cells.map((c) => c.trim());
}

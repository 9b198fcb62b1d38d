// Markdown as the lesson pane draws it: headings, paragraphs, lists, code blocks and inline
// emphasis. Parsing is pure and separate from drawing, so it is tested without a terminal.

export interface Inline {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
}

export type Block =
  | { kind: 'heading'; level: number; inlines: Inline[] }
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'code'; lang: string; lines: string[] }
  | { kind: 'rule' };

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const re = /(`[^`]+`)|(\*\*[^*]+\*\*|__[^_]+__)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|\[([^\]]+)\]\(([^)]+)\)/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    if (m[1]) out.push({ text: m[1].slice(1, -1), code: true });
    else if (m[2]) out.push({ text: m[2].slice(2, -2), bold: true });
    else if (m[3]) out.push({ text: m[3].slice(1, -1), italic: true });
    else if (m[4]) out.push({ text: `${m[4]} (${m[5]})` });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

export function parseMarkdown(md: string): Block[] {
  const blocks: Block[] = [];
  // Raw text of each list item, parsed once complete so emphasis may span its lines.
  const raw = new Map<Inline[], string>();
  const lines = md.replace(/\r/g, '').split('\n');
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ kind: 'paragraph', inlines: parseInline(para.join(' ')) });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s*(```|~~~)\s*(\S*)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith(fence[1]); i++) code.push(lines[i]);
      blocks.push({ kind: 'code', lang: fence[2], lines: code });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1].length, inlines: parseInline(heading[2].trim()) });
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      blocks.push({ kind: 'rule' });
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      flush();
      const ordered = /\d/.test(item[1]);
      const prev = blocks[blocks.length - 1];
      const inlines: Inline[] = [];
      raw.set(inlines, item[2]);
      if (prev?.kind === 'list' && prev.ordered === ordered && lines[i - 1]?.trim() !== '') prev.items.push(inlines);
      else blocks.push({ kind: 'list', ordered, items: [inlines] });
      continue;
    }
    // A list item's continuation line joins the item.
    const prev = blocks[blocks.length - 1];
    if (!para.length && prev?.kind === 'list' && /^\s{2,}\S/.test(line) && lines[i - 1]?.trim() !== '') {
      const last = prev.items[prev.items.length - 1];
      raw.set(last, `${raw.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    if (!line.trim()) flush();
    else para.push(line.trim());
  }
  flush();
  for (const [inlines, text] of raw) inlines.push(...parseInline(text));
  return blocks;
}

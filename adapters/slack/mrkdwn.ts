// Slack's mrkdwn from lesson Markdown: the same blocks the terminal tutor draws
// (src/tui/markdown.ts reads them with marked), written the way Slack shows them. mrkdwn has no
// tables, so a table is a code block with its columns aligned. & < > in the text are escaped
// (`<pod>` in a lesson is text, never a link or a mention).
import { plain, readMarkdown, type Block, type Span } from '../../src/tui/markdown.js';
import { escapeText } from './text.js';

const INDENT = '    ';

function span(s: Span): string {
  if (s.text === '\n') return '\n';
  // Inside a code span nothing is formatted, and a backtick would end it early.
  let out = s.code ? `\`${escapeText(s.text).replace(/`/g, "'")}\`` : escapeText(s.text);
  if (s.strike) out = `~${out}~`;
  if (s.italic) out = `_${out}_`;
  if (s.bold) out = `*${out}*`;
  return out;
}

/** Inline spans as mrkdwn; a link's spans become one `<address|text>`. */
export function inline(spans: Span[]): string {
  let out = '';
  for (let i = 0; i < spans.length; i++) {
    const href = spans[i].href;
    if (!href) {
      out += span(spans[i]);
      continue;
    }
    let j = i;
    while (j + 1 < spans.length && spans[j + 1].href === href) j++;
    const text = plain(spans.slice(i, j + 1)).replace(/\|/g, '¦');
    out += `<${escapeText(href)}|${escapeText(text)}>`;
    i = j;
  }
  return out;
}

const fence = (text: string): string => `\`\`\`${escapeText(text).replace(/```/g, '`\u200b``') || ' '}\`\`\``;
const width = (s: string): number => [...s].length;

/** A table as aligned columns of plain text: header, a rule, then the rows. */
export function tableText(b: Extract<Block, { kind: 'table' }>): string {
  const rows = [b.header, ...b.rows].map((r) => b.header.map((_, c) => plain(r[c] ?? []).trim()));
  const widths = b.header.map((_, c) => Math.max(...rows.map((r) => width(r[c]))));
  const line = (r: string[]) =>
    r
      .map((cell, c) => {
        const gap = widths[c] - width(cell);
        return b.align[c] === 'right' ? ' '.repeat(gap) + cell : c === r.length - 1 ? cell : cell + ' '.repeat(gap);
      })
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `*${inline(b.spans.map((s) => ({ ...s, bold: false })))}*`;
    case 'paragraph':
      return inline(b.spans);
    case 'list':
      return b.items
        .map((item, i) => {
          const marker = b.ordered ? `${b.start + i}. ` : '• ';
          const text = item.map(block).join('\n');
          return marker + text.replace(/\n/g, `\n${INDENT}`);
        })
        .join('\n');
    case 'code':
      return fence(b.text);
    case 'table':
      return fence(tableText(b));
    case 'quote':
      return b.blocks
        .map(block)
        .join('\n\n')
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    case 'rule':
      return '───';
  }
}

/** Lesson Markdown as Slack mrkdwn. */
export function mrkdwn(md: string): string {
  return readMarkdown(md).map(block).join('\n\n');
}

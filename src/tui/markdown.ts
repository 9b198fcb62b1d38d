// Lesson text read once by marked's lexer into blocks of styled spans. Both doors draw these
// blocks: the terminal tutor (components/Markdown.tsx) and Slack (adapters/slack/mrkdwn.ts), so a
// lesson reads the same in each and neither parses Markdown on its own.
import { Lexer, type Token, type Tokens } from 'marked';

export interface Span {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  strike?: boolean;
  /** The link's address; `text` is what the link says. */
  href?: string;
}

export type Align = 'left' | 'right' | 'center' | null;

export type Block =
  | { kind: 'heading'; level: number; spans: Span[] }
  | { kind: 'paragraph'; spans: Span[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'table'; align: Align[]; header: Span[][]; rows: Span[][][] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'rule' };

type Style = Omit<Span, 'text'>;

// Lesson files write a few entities by hand; the lexer leaves them as typed.
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
const decode = (s: string): string => s.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e]);

function inline(tokens: Token[] | undefined, style: Style, out: Span[]): Span[] {
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong':
        inline((t as Tokens.Strong).tokens, { ...style, bold: true }, out);
        break;
      case 'em':
        inline((t as Tokens.Em).tokens, { ...style, italic: true }, out);
        break;
      case 'del':
        inline((t as Tokens.Del).tokens, { ...style, strike: true }, out);
        break;
      case 'codespan':
        out.push({ ...style, text: decode((t as Tokens.Codespan).text), code: true });
        break;
      case 'link':
        inline((t as Tokens.Link).tokens, { ...style, href: (t as Tokens.Link).href }, out);
        break;
      case 'image':
        out.push({ ...style, text: (t as Tokens.Image).text || 'image', href: (t as Tokens.Image).href });
        break;
      case 'br':
        out.push({ ...style, text: '\n' });
        break;
      case 'text': {
        const tt = t as Tokens.Text;
        if (tt.tokens?.length) inline(tt.tokens, style, out);
        else out.push({ ...style, text: decode(tt.text) });
        break;
      }
      default:
        // escape, inline html (`<pod>` in a lesson is text) and anything newer: its text as written.
        out.push({ ...style, text: decode('text' in t && typeof t.text === 'string' ? t.text : t.raw) });
    }
  }
  // A soft line break inside a paragraph is a space: the renderer wraps to its own width.
  return out.map((s) => (s.text === '\n' ? s : { ...s, text: s.text.replace(/[ \t]*\n[ \t]*/g, ' ') }));
}

const spans = (tokens: Token[] | undefined): Span[] => merge(inline(tokens, {}, []));

/** Neighbouring spans of one style are one span, so tests and renderers see whole runs. */
function merge(list: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of list) {
    const prev = out[out.length - 1];
    if (prev && prev.text !== '\n' && s.text !== '\n' && same(prev, s)) prev.text += s.text;
    else if (s.text) out.push({ ...s });
  }
  return out;
}

const same = (a: Span, b: Span): boolean => a.bold === b.bold && a.italic === b.italic && a.code === b.code && a.strike === b.strike && a.href === b.href;

function blocks(tokens: Token[]): Block[] {
  const out: Block[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'heading':
        out.push({ kind: 'heading', level: (t as Tokens.Heading).depth, spans: spans((t as Tokens.Heading).tokens) });
        break;
      case 'paragraph':
        out.push({ kind: 'paragraph', spans: spans((t as Tokens.Paragraph).tokens) });
        break;
      case 'text': {
        // A tight list item's text, which may run on into the next text token.
        const s = spans((t as Tokens.Text).tokens ?? [{ type: 'text', raw: t.raw, text: (t as Tokens.Text).text }]);
        const prev = out[out.length - 1];
        if (prev?.kind === 'paragraph') prev.spans = merge([...prev.spans, { text: ' ' }, ...s]);
        else out.push({ kind: 'paragraph', spans: s });
        break;
      }
      case 'list': {
        const l = t as Tokens.List;
        out.push({ kind: 'list', ordered: l.ordered, start: typeof l.start === 'number' ? l.start : 1, items: l.items.map((i) => blocks(i.tokens)) });
        break;
      }
      case 'code':
        out.push({ kind: 'code', lang: (t as Tokens.Code).lang ?? '', text: (t as Tokens.Code).text });
        break;
      case 'table': {
        const tb = t as Tokens.Table;
        out.push({ kind: 'table', align: tb.align, header: tb.header.map((c) => spans(c.tokens)), rows: tb.rows.map((r) => r.map((c) => spans(c.tokens))) });
        break;
      }
      case 'blockquote':
        out.push({ kind: 'quote', blocks: blocks((t as Tokens.Blockquote).tokens) });
        break;
      case 'hr':
        out.push({ kind: 'rule' });
        break;
      case 'space':
        break;
      default:
        // Block HTML and anything newer: shown as the text it is.
        if (t.raw.trim()) out.push({ kind: 'paragraph', spans: [{ text: decode(t.raw.trim()) }] });
    }
  }
  return out;
}

/** Lesson Markdown as blocks. */
export function readMarkdown(md: string): Block[] {
  return blocks(Lexer.lex(md.replace(/\r\n?/g, '\n')));
}

/** The words of spans, unstyled: what a link or a table cell says. */
export const plain = (list: Span[]): string => list.map((s) => s.text).join('');

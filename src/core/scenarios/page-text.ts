// A scenario page as the player shows it. Killercoda marks a code block the learner can click
// (`{{exec}}` runs it, `{{copy}}` copies it) and hides hints and solutions in `<details>`. Here
// the markers go, each block gets a number that a key puts into the shell, and the `<details>`
// blocks are taken out of the page, to be revealed one by one as a lesson's hints are.
export interface PageHint {
  /** The `<summary>`, or "Hint" when there is none. */
  title: string;
  /** Markdown, its code blocks numbered after the page's. */
  text: string;
  /** Says "solution" or "answer": shown by solve (F3), not by hint (F2). */
  solution: boolean;
  /** The numbers of the blocks it holds. */
  blocks: number[];
}

export interface PreparedPage {
  /** Markdown without markers or hidden parts, each copyable block led by its number. */
  markdown: string;
  /** The copyable commands, block N at index N-1: the page's first, then its hints'. */
  blocks: string[];
  /** How many of the blocks are the page's own (the rest are in its hints). */
  pageBlocks: number;
  hints: PageHint[];
}

// {{exec}}, {{execute}}, {{copy}}, and their options ({{exec interrupt}}, {{execute T2}}).
const MARKER = /\{\{\s*(?:exec|execute|copy)\b[^}]*\}\}/gi;
const DETAILS = /<details\b[^>]*>([\s\S]*?)<\/details\s*>/gi;
const SUMMARY = /<summary\b[^>]*>([\s\S]*?)<\/summary\s*>/i;
const FENCE = /^( {0,3})(`{3,}|~{3,})([^\n]*)\n([\s\S]*?)^ {0,3}\2[`~]*[ \t]*(\{\{[^}\n]*\}\})?[ \t]*$/gm;
// Inline code a learner can click: `kubectl get pods`{{exec}}.
const INLINE = /`([^`\n]+)`[ \t]*\{\{\s*(?:exec|execute|copy)\b[^}]*\}\}/gi;

/** The label put before block `n`: what it is and the key that types it. */
export function blockLabel(n: number): string {
  return n <= 9 ? `[${n}] Alt+${n} types this into the shell` : `[${n}]`;
}

/** Numbers every code block of `markdown` from `first`, removing Killercoda's markers. */
function numberBlocks(markdown: string, first: number): { markdown: string; blocks: string[] } {
  const blocks: string[] = [];
  let text = markdown.replace(FENCE, (_all, indent: string, fence: string, info: string, body: string) => {
    const n = first + blocks.length;
    blocks.push(body.replace(/\n$/, ''));
    return `${indent}*${blockLabel(n)}*\n\n${indent}${fence}${info}\n${body}${indent}${fence}`;
  });
  text = text.replace(INLINE, (_all, code: string) => {
    const n = first + blocks.length;
    blocks.push(code);
    return `\`${code}\` *[${n}]*`;
  });
  return { markdown: text.replace(MARKER, ''), blocks };
}

const stripTags = (s: string) => s.replace(/<[^>]+>/g, '').trim();

/** A page's Markdown made ready to show: markers gone, blocks numbered, hints set apart. */
export function preparePage(source: string): PreparedPage {
  const raw: { title: string; body: string }[] = [];
  const visible = source.replace(DETAILS, (_all, inner: string) => {
    const summary = SUMMARY.exec(inner);
    const title = summary ? stripTags(summary[1]) || 'Hint' : 'Hint';
    raw.push({ title, body: (summary ? inner.replace(SUMMARY, '') : inner).trim() });
    return '';
  });
  const page = numberBlocks(visible.replace(/\n{3,}/g, '\n\n').trim(), 1);
  const blocks = [...page.blocks];
  const hints = raw.map(({ title, body }) => {
    const first = blocks.length + 1;
    const numbered = numberBlocks(body, first);
    blocks.push(...numbered.blocks);
    return { title, text: numbered.markdown, solution: /solution|answer/i.test(title), blocks: numbered.blocks.map((_, i) => first + i) };
  });
  return { markdown: page.markdown, blocks, pageBlocks: page.blocks.length, hints };
}

/** The text a copy key puts into the shell: the block, in one bracketed paste so no line runs before the learner presses Enter. */
export function pasteOf(block: string): string {
  // A paste-end mark inside the block would end the paste early and run what follows.
  const safe = block.replace(/\u001b\[20[01]~/g, '').replace(/\r\n?/g, '\n');
  return `\u001b[200~${safe}\u001b[201~`;
}

// Slack's text rules, both ways. Coming in: Slack escapes & < > as entities and wraps what it
// recognises (links, mentions, channels) in <…|…> sequences, and phones and Macs swap in curly
// quotes, long dashes and ellipses as people type; a command must be read as it was meant, and the
// learner told when a dash or quote was changed. Going out: & < > in anything we did not write
// (kubectl output, lesson text, the learner's own words) must be escaped, or Slack reads them as
// links and mentions, and long text must be cut where Slack allows it. All pure.

/** Text read from Slack as the learner meant it, and a short line to show when we changed a dash or quote. */
export interface ReadText {
  text: string;
  note?: string;
}

/**
 * Slack's text as typed: its control sequences read back (a link as the text that was typed, a
 * mention as @name, a channel as #name) and &amp; &lt; &gt; unescaped. A literal < or > the
 * learner typed arrives escaped, so every raw <…> is one of Slack's sequences.
 */
export function fromSlack(text: string): string {
  const read = text.replace(/<([^<>]*)>/g, (_, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar < 0 ? inner : inner.slice(0, bar);
    const label = bar < 0 ? undefined : inner.slice(bar + 1);
    if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
    if (target.startsWith('#')) return label ? `#${label.replace(/^#/, '')}` : target;
    if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`;
    // A link: Slack puts the full URL first and what was typed after the bar.
    return label ?? target;
  });
  return unescapeEntities(read);
}

/** &amp; &lt; &gt; back to & < >, in one pass (so `&amp;lt;` stays the `&lt;` that was typed). */
export function unescapeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

/** Text for Slack: & < > escaped, so it shows as it is and never links, mentions or pings. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts escaped mrkdwn to at most `max` characters, never inside an entity or a <…> sequence,
 * at a line end when one is near, and says that something was left out.
 */
export function cut(text: string, max: number, tail = '…'): string {
  if (text.length <= max) return text;
  let end = max - tail.length;
  const amp = text.lastIndexOf('&', end);
  if (amp >= 0 && amp > end - 5 && !text.slice(amp, end).includes(';')) end = amp;
  const open = text.lastIndexOf('<', end);
  if (open >= 0 && text.indexOf('>', open) >= end) end = open;
  const line = text.lastIndexOf('\n', end);
  if (line > end - 200 && line > 0) end = line;
  return `${text.slice(0, end)}${tail}`;
}

const DASHES = '\u2010\u2011\u2012\u2013\u2014\u2015\u2212';
const DOUBLE_QUOTES = '\u201c\u201d\u201e\u201f';
const SPACES = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;
/** Short-flag clusters kubectl tutorials use, which a dash must not turn into a long flag. */
const SHORT_CLUSTERS = new Set(['it', 'ti']);

interface Changes {
  dashes: Array<{ typed: string; read: string; word: string }>;
  quotes: Set<string>;
}

/**
 * One command line as kubectl means it. A run of dashes that a keyboard made typographic at the
 * start of a word becomes `-` before a one-letter flag (and `-it`), `--` before a long one, and
 * `--` on its own (`exec POD — sh`); curly quotes become straight ones.
 */
function straightenLine(line: string, changes: Changes, opts: { alone: boolean }): string {
  const words = straightenQuotes(line, changes).split(/(\s+)/);
  return words
    .map((word) => {
      const m = new RegExp(`^([-${DASHES}]+)(.*)$`).exec(word);
      if (!m || ![...m[1]].some((c) => DASHES.includes(c))) return word;
      if (!m[2] && !opts.alone) return word;
      const name = m[2].split('=')[0];
      const read = name.length === 1 || SHORT_CLUSTERS.has(name) ? '-' : '--';
      changes.dashes.push({ typed: m[1], read, word: `${read}${name}` });
      return `${read}${m[2]}`;
    })
    .join('');
}

/**
 * Curly quotes to straight ones. A right single quote inside a word is an apostrophe (`it’s`) and
 * stays, so a word that never meant to quote anything does not open a quote.
 */
function straightenQuotes(text: string, changes: Changes): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (DOUBLE_QUOTES.includes(c)) {
      changes.quotes.add(c);
      out += '"';
    } else if (c === '\u2018' || c === '\u201a' || c === '\u201b') {
      changes.quotes.add(c);
      out += "'";
    } else if (c === '\u2019') {
      const before = text[i - 1];
      const after = text[i + 1];
      const apostrophe = before !== undefined && /[\p{L}\p{N}]/u.test(before) && after !== undefined && /[\p{L}\p{N}]/u.test(after);
      if (apostrophe) out += c;
      else {
        changes.quotes.add(c);
        out += "'";
      }
    } else out += c;
  }
  return out;
}

/** Spaces that look like spaces, invisible characters and ellipses, as plain text. */
function plain(text: string): string {
  return text.replace(SPACES, ' ').replace(INVISIBLE, '').replace(/\u2026/g, '...');
}

/** What the learner should be told about the dashes and quotes we changed, in one short line. */
function noteFor(changes: Changes): string | undefined {
  const parts: string[] = [];
  if (changes.dashes.length) {
    const typed = [...new Set(changes.dashes.map((d) => d.typed))];
    const read = [...new Set(changes.dashes.map((d) => d.read))];
    const words = [...new Set(changes.dashes.map((d) => d.word))].slice(0, 4).map((w) => `\`${escapeText(w.slice(0, 40))}\``);
    const what = typed.length === 1 && read.length === 1 ? `changed \`${read[0]}\` to \`${typed[0]}\`` : `changed dashes (${typed.map((t) => `\`${t}\``).join(', ')})`;
    parts.push(`Your keyboard ${what}; I read ${words.length === 1 ? 'it' : 'them'} as ${words.join(', ')}.`);
  }
  if (changes.quotes.size) parts.push(`Your keyboard curled the quotes (${[...changes.quotes].map((q) => `\`${q}\``).join(' ')}); I read them as straight ones.`);
  return parts.length ? parts.join(' ') : undefined;
}

/**
 * Manifest lines: quotes straightened, and a list item's or a document separator's dash made
 * plain again (YAML has no flags, so no dash there means `--`).
 */
function straightenManifest(lines: string[], changes: Changes): string[] {
  return lines.map((l) => {
    const straight = straightenQuotes(l, changes);
    if (new RegExp(`^\\s*[-${DASHES}]+\\s*$`).test(straight) && /[^-\s]/.test(straight)) return '---';
    return straight.replace(new RegExp(`^(\\s*)[${DASHES}](?=\\s)`), '$1-');
  });
}

/**
 * A /kubectl or /kubedojo text: the command line as kubectl means it (dashes and quotes
 * straightened word by word), and any manifest lines after it.
 */
export function readCommand(raw: string): ReadText {
  const changes: Changes = { dashes: [], quotes: new Set() };
  const [line, ...rest] = plain(fromSlack(raw)).trim().split('\n');
  const text = [straightenLine(line, changes, { alone: true }), ...straightenManifest(rest, changes)].join('\n');
  return { text, note: noteFor(changes) };
}

/**
 * A typed quiz answer: a command read as /kubectl reads one, a manifest as its lines, a short
 * answer with a flag's dashes straightened (`—previous`) but a dash standing alone in a sentence
 * left be. A modal's value arrives as typed, but reading it as Slack's text is harmless: only
 * Slack's own <…> forms and the three entities are read back.
 */
export function readAnswer(raw: string, kind: 'command' | 'manifest' | 'text'): ReadText {
  if (kind === 'command') return readCommand(raw);
  const changes: Changes = { dashes: [], quotes: new Set() };
  const lines = plain(fromSlack(raw)).trim().split('\n');
  const text = (kind === 'manifest' ? straightenManifest(lines, changes) : lines.map((l) => straightenLine(l, changes, { alone: false }))).join('\n');
  return { text, note: noteFor(changes) };
}

// Finding what notes define. Each rule turns a shape of text into a fact (a term and what defines
// it, a short name, a table row, a described command); facts that cannot make a fair question are
// reported as skipped with the reason.
import { LIST_ITEM, TEMPLATING, codeBlocks, joinParagraph, paragraphs, pipeTables, type NoteLine } from './parse.js';
import { plain, wordCount } from './text.js';

export type Rule = 'term-colon' | 'term-dash' | 'definition-list' | 'bold' | 'quoted' | 'table' | 'short-names' | 'command-comment' | 'command-lead-in';

interface FactBase {
  rule: Rule;
  line: NoteLine;
}

/** A term and the text that defines it; `text` may name the term (it is masked in questions). */
export interface DefinitionFact extends FactBase {
  rule: 'term-colon' | 'term-dash' | 'definition-list' | 'bold' | 'quoted';
  term: string;
  accept: string[];
  text: string;
}

export interface ShortNameFact extends FactBase {
  rule: 'short-names';
  name: string;
  shortNames: string[];
  table: string;
}

export interface TableFact extends FactBase {
  rule: 'table';
  /** The row's first cell, what the question asks for. */
  key: string;
  accept: string[];
  keyHeader: string;
  column: string;
  cell: string;
  table: string;
}

export interface CommandFact extends FactBase {
  rule: 'command-comment' | 'command-lead-in';
  description: string;
  command: string;
}

export type Fact = DefinitionFact | ShortNameFact | TableFact | CommandFact;

export interface Skip {
  line: number;
  why: string;
}

const MAX_TERM_WORDS = 4;
const MIN_DEF_WORDS = 3;
const MAX_DEF_WORDS = 60;
// Labels that look like terms but only introduce a remark.
const NOT_TERMS = /^(?:note|notes|protip|tip|tips|caution|warning|important|example|examples|e\.g|i\.e|see|source|author|code|twitter|link|links|response|output|result|results|usage|update|todo|total|step|answer|question|also|then|or|and|but|so|yes|no)$/i;
// Words that make a "term" a clause ("Run with", "CRI implements two services").
const CLAUSE_WORDS = /\b(?:is|are|was|were|be|can|will|would|should|must|may|do|does|did|has|have|had|with|to|for|from|into|by|on|in|at|of|the|you|we|i|it|this|that|these|those|there|here|use|uses|run|runs|see|get|set|make|implement|implements|need|needs|when|if|how|what|why|which|via)\b/i;
const KEY_VALUE = /^\s*[A-Za-z][\w .-]{0,40}:\s/;
export const URL = /\b(?:https?:\/\/|www\.)\S+/g;

export function extractFacts(lines: NoteLine[]): { facts: Fact[]; skips: Skip[] } {
  const facts: Fact[] = [];
  const skips: Skip[] = [];
  definitionLists(lines, facts, skips);
  termLines(lines, facts, skips);
  boldTerms(lines, facts, skips);
  tables(lines, facts, skips);
  commands(lines, facts, skips);
  facts.sort((a, b) => a.line.n - b.line.n);
  return { facts, skips };
}

/** The term as asked for, and the other spellings that count: "Container Network Interface (CNI)". */
function termAndAliases(raw: string): { term: string; accept: string[] } {
  const t = plain(raw).replace(/[:.]+$/, '').trim();
  const paren = /^(.*?)\s*\(([^)]+)\)$/.exec(t);
  if (paren) {
    const inner = paren[2].replace(/^(?:aka|a\.k\.a\.?|formerly|or)\s+/i, '').trim();
    if (wordCount(inner) <= 3 && !/\s(?:only|by|from)$/i.test(inner)) return { term: paren[1], accept: [inner, t] };
    return { term: paren[1], accept: [t] };
  }
  return { term: t, accept: [] };
}

/** Why a term/definition pair cannot make a question, or undefined. */
function definitionProblem(term: string, def: string): string | undefined {
  if (TEMPLATING.test(term) || TEMPLATING.test(def)) return 'templating, not text';
  if (!term || term.length < 2) return 'term too short';
  if (wordCount(term) > MAX_TERM_WORDS || term.length > 40) return 'term too long to be a name';
  if (NOT_TERMS.test(term)) return `"${term}" introduces a remark, it is not a term`;
  if (CLAUSE_WORDS.test(term)) return `"${term}" is a clause, not a term`;
  const withoutUrls = def.replace(URL, '').trim();
  if (def !== withoutUrls && wordCount(withoutUrls) < 2) return 'only a URL';
  if (wordCount(withoutUrls) < MIN_DEF_WORDS) return 'definition too short';
  if (wordCount(def) > MAX_DEF_WORDS) return 'definition too long';
  if (/:\s*$/.test(def)) return 'definition only introduces what follows';
  if (/\b[A-Za-z][\w-]*:\s/.test(def.replace(URL, ''))) return 'looks like program output (several "key: value" pairs), not a definition';
  return undefined;
}

function addDefinition(facts: Fact[], skips: Skip[], rule: DefinitionFact['rule'], line: NoteLine, rawTerm: string, def: string): void {
  const { term, accept } = termAndAliases(rawTerm);
  const text = def.trim();
  const problem = definitionProblem(term, plain(text));
  if (problem) {
    skips.push({ line: line.n, why: `${rule}: ${problem}` });
    return;
  }
  facts.push({ rule, line, term, accept, text });
}

/** `Term` on its own line, then `: definition` (Markdown definition lists). */
function definitionLists(lines: NoteLine[], facts: Fact[], skips: Skip[]): void {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.kind !== 'prose' || LIST_ITEM.test(l.text) || /^\s*:/.test(l.text)) continue;
    let j = i + 1;
    if (lines[j]?.kind === 'blank') j++;
    const d = lines[j];
    if (!d || d.kind !== 'prose' || !/^\s*:\s+\S/.test(d.text)) continue;
    let def = d.text.replace(/^\s*:\s+/, '');
    for (let k = j + 1; k < lines.length && lines[k].kind === 'prose' && !/^\s*:/.test(lines[k].text) && !LIST_ITEM.test(lines[k].text); k++) def += ' ' + lines[k].text.trim();
    addDefinition(facts, skips, 'definition-list', l, l.text.trim(), def);
  }
}

/** `Term: definition` and `- Term - definition` lines. */
function termLines(lines: NoteLine[], facts: Fact[], skips: Skip[]): void {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.kind !== 'prose' || /^\s*:/.test(l.text) || /^\s*>/.test(l.text)) continue;
    const isItem = LIST_ITEM.test(l.text);
    const body = l.text.replace(LIST_ITEM, '').trim();
    // Bold subjects are the bold rule's.
    if (/^(?:\*\*|__)[^*_]+(?:\*\*|__)\s+(?!-|–|—|:)/.test(body)) continue;
    const dash = isItem ? /^((?:\*\*|__|`)?[^\s:][^:]*?(?:\*\*|__|`)?)\s+[-–—]{1,2}\s+(\S.*)$/.exec(body) : null;
    if (dash && wordCount(dash[1]) <= MAX_TERM_WORDS + 2) {
      addDefinition(facts, skips, 'term-dash', l, dash[1], continuation(lines, i, dash[2]));
      continue;
    }
    const colon = /^((?:\*\*|__|`)?[A-Za-z][^:]*?(?:\*\*|__|`)?)\s*:\s+(\S.*)$/.exec(body);
    if (colon && wordCount(colon[1]) <= MAX_TERM_WORDS + 2 && !/`[^`]*$/.test(colon[1])) {
      addDefinition(facts, skips, 'term-colon', l, colon[1], continuation(lines, i, colon[2]));
    }
  }
}

/** A list item's or paragraph line's wrapped continuation lines. */
function continuation(lines: NoteLine[], i: number, first: string): string {
  let text = first;
  for (let k = i + 1; k < lines.length && lines[k].kind === 'prose' && !LIST_ITEM.test(lines[k].text) && !/^\s*:/.test(lines[k].text) && !KEY_VALUE.test(lines[k].text); k++) text += ' ' + lines[k].text.trim();
  return text;
}

const BOLD = /(\*\*|__)([^*_\n]+?)\1/g;
const QUOTED = /(“)([^”\n]{2,40})”|(")([^"\n]{2,40})"/g;

/** `**Services** are …`, `The __scheduler__ schedules …`, `… a construct called a __Service__ …`. */
function boldTerms(lines: NoteLine[], facts: Fact[], skips: Skip[]): void {
  for (const p of paragraphs(lines)) {
    const { text, lineAt } = joinParagraph(p);
    const body = text.replace(LIST_ITEM, '');
    const offset = text.length - body.length;
    for (const s of sentences(body)) {
      const marked = [...[...s.text.matchAll(BOLD)].map((m) => ({ m, rule: 'bold' as const, term: m[2] })), ...[...s.text.matchAll(QUOTED)].map((m) => ({ m, rule: 'quoted' as const, term: m[2] ?? m[4] }))];
      for (const { m, rule, term: raw } of marked) {
        const before = s.text.slice(0, m.index);
        const after = s.text.slice(m.index! + m[0].length);
        const subject = /^\s*(?:(?:a|an|the)\s+)?$/i.test(before) && /^\s*(?:\([^)]*\)\s*,?\s*)?(?:is|are|was|were|stands|means|refers|consists|manages|schedules|runs|holds|stores|enables|allows|provides|represents|controls|groups|defines|implements|handles|creates|contains|has)\b/i.test(after);
        const called = /\b(?:called|named|known as)\s+(?:a|an|the)?\s*$/i.test(before);
        if (!subject && !called) continue;
        const line = lineAt(offset + s.start + m.index!);
        const term = raw.trim();
        if (/[.!?]$/.test(term) || wordCount(term) > MAX_TERM_WORDS) {
          skips.push({ line: line.n, why: `${rule}: the marked text is a sentence, not a term` });
          continue;
        }
        // A quoted name in a command's description ("hello-kiamol-2") is an object's name, not a term.
        if (rule === 'quoted' && /\d/.test(term) && /-/.test(term)) continue;
        addDefinition(facts, skips, rule, line, term, s.text);
      }
    }
  }
}

/** Sentences with their offsets; "e.g. a" and "etc." do not end one. */
function sentences(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  const re = /(?<=[.!?])\s+(?=[A-Z*_`"“])|\n/g;
  let start = 0;
  for (const m of text.matchAll(re)) {
    const piece = text.slice(start, m.index);
    if (m[0] !== '\n' && /\b(?:e\.g|i\.e|etc|vs|aka)\.$/i.test(piece)) continue;
    out.push({ text: piece, start });
    start = m.index! + m[0].length;
  }
  out.push({ text: text.slice(start), start });
  return out;
}

function tables(lines: NoteLine[], facts: Fact[], skips: Skip[]): void {
  for (const t of pipeTables(lines)) {
    if (t.header.length < 2 || t.rows.length < 2) continue;
    const name = t.header.join('|');
    for (let c = 1; c < t.header.length; c++) {
      const cells = t.rows.map((r) => plain(r.cells[c] ?? ''));
      for (const [ri, r] of t.rows.entries()) {
        const cell = cells[ri];
        const raw = r.cells[0] ?? '';
        if (!raw || !cell) continue;
        const { term: key, accept } = termAndAliases(raw);
        if (TEMPLATING.test(cell) || TEMPLATING.test(key)) skips.push({ line: r.line.n, why: 'table: templating, not text' });
        else if (cells.filter((x) => x.toLowerCase() === cell.toLowerCase()).length > 1) skips.push({ line: r.line.n, why: `table: "${cell}" is shared by several rows, so it names none of them` });
        else if (wordCount(cell) < 2) skips.push({ line: r.line.n, why: 'table: cell too short to describe a row' });
        else if (wordCount(cell) > MAX_DEF_WORDS) skips.push({ line: r.line.n, why: 'table: cell too long' });
        else if (/^[\w.-]+\.(?:txt|md|markdown|ya?ml|json|sh)$/i.test(key)) skips.push({ line: r.line.n, why: 'table: the row names a file, not a concept' });
        else if (wordCount(key) > MAX_TERM_WORDS + 2) skips.push({ line: r.line.n, why: 'table: first cell too long to be a name' });
        else facts.push({ rule: 'table', line: r.line, key, accept, keyHeader: plain(t.header[0]), column: plain(t.header[c]), cell, table: name });
      }
    }
  }
  // `kubectl api-resources` output kept in a code block.
  for (const b of codeBlocks(lines)) {
    const hi = b.lines.findIndex((l) => /^\s*NAME\s+SHORTNAMES\b/.test(l.text));
    if (hi < 0) continue;
    const header = b.lines[hi].text;
    const start = header.indexOf('SHORTNAMES');
    const after = /SHORTNAMES\s+\S/.exec(header);
    const end = after ? after.index + after[0].length - 1 : header.length;
    for (const l of b.lines.slice(hi + 1)) {
      const name = l.text.trim().split(/\s+/)[0];
      if (!name) continue;
      const shortNames = l.text.slice(start, end).trim().split(',').map((s) => s.trim()).filter((s) => s && !/\s/.test(s));
      if (!shortNames.length) continue;
      facts.push({ rule: 'short-names', line: l, name, shortNames, table: `${b.id}` });
    }
  }
}

const DEICTIC = /\b(?:this|that|these|those|it|above|below|following|them|same|again)\b/i;
const SHELLY = /\$\(|`|\||;|&&|\\$|>|<(?![a-z-]+>)/;

function commands(lines: NoteLine[], facts: Fact[], skips: Skip[]): void {
  for (const b of codeBlocks(lines)) {
    let comment: NoteLine[] = [];
    for (const l of b.lines) {
      const t = l.text.trim().replace(/^\$\s+/, '');
      if (/^#(?!!)/.test(t)) {
        comment.push(l);
        continue;
      }
      if (/^kubectl\s/.test(t) && comment.length) {
        const description = comment.map((c) => c.text.trim().replace(/^#+\s*/, '')).join(' ').replace(/[;:,.\s]+$/, '');
        addCommand(facts, skips, 'command-comment', l, description, t);
      }
      comment = [];
    }
    // The prose line just above a block whose first line is a command, ending with a colon.
    const first = b.lines.find((l) => l.text.trim());
    if (!first) continue;
    const cmd = first.text.trim().replace(/^\$\s+/, '');
    if (!/^kubectl\s/.test(cmd)) continue;
    let k = first.n - 2;
    while (k >= 0 && (lines[k].kind === 'blank' || lines[k].kind === 'fence')) k--;
    const lead = lines[k];
    if (!lead || lead.kind !== 'prose' || !/:\s*$/.test(lead.text)) continue;
    const description = plain(lead.text.replace(LIST_ITEM, '')).replace(/[:\s]+$/, '');
    if (DEICTIC.test(description)) {
      skips.push({ line: lead.n, why: 'command-lead-in: the lead-in points elsewhere ("this", "it"…), so it cannot stand alone' });
      continue;
    }
    if (/^(?:or|and|also|then|but)\b/i.test(description)) {
      skips.push({ line: lead.n, why: 'command-lead-in: the lead-in continues an earlier sentence, so it cannot stand alone' });
      continue;
    }
    if (wordCount(description) < 2) {
      skips.push({ line: lead.n, why: 'command-lead-in: lead-in too short' });
      continue;
    }
    addCommand(facts, skips, 'command-lead-in', first, description, cmd);
  }
}

function addCommand(facts: Fact[], skips: Skip[], rule: CommandFact['rule'], line: NoteLine, description: string, raw: string): void {
  const command = raw.replace(/\s+#.*$/, '').replace(/\s+/g, ' ').trim();
  if (SHELLY.test(command)) skips.push({ line: line.n, why: `${rule}: the command uses shell features (pipes, substitution), not just kubectl` });
  else if (rule === 'command-comment' && DEICTIC.test(description)) skips.push({ line: line.n, why: `${rule}: the comment points elsewhere ("this", "again"…), so it cannot stand alone` });
  else if (/\[options\]|\*[^*\s][^*]*\*/.test(command)) skips.push({ line: line.n, why: `${rule}: the command is a template with placeholders, not one to type` });
  else if (TEMPLATING.test(description)) skips.push({ line: line.n, why: `${rule}: templating, not text` });
  else if (wordCount(description) < 2) skips.push({ line: line.n, why: `${rule}: description too short` });
  else if (wordCount(description) > 40) skips.push({ line: line.n, why: `${rule}: description too long` });
  else if (command.split(' ').length < 2) skips.push({ line: line.n, why: `${rule}: command too short` });
  else facts.push({ rule, line, description, command });
}

// Quiz items made at run time from any folder of notes (`kubedojo quiz --from DIR`): what the notes
// define becomes a question that cites its line. Pure: the caller reads the files.
import path from 'node:path';
import { URL, extractFacts, type CommandFact, type DefinitionFact, type Fact, type Rule, type ShortNameFact, type TableFact } from './generate/extract.js';
import { parseNotes } from './generate/parse.js';
import { containsWords, guessTopic, hash, mask, plain } from './generate/text.js';
import type { ChoiceItem, Item, ShortItem } from './types.js';

export type { Rule } from './generate/extract.js';

export interface NotesFile {
  path: string;
  text: string;
}

export interface Skipped {
  path: string;
  line: number;
  why: string;
}

export interface Generated {
  items: Item[];
  skipped: Skipped[];
  /** Which rule made each item (by id), for reporting. */
  rules: Record<string, Rule>;
}

interface Located {
  file: NotesFile;
  base: string;
  stem: string;
  fact: Fact;
}

const DISTRACTORS = 3;
const DEFINING = new Set<Rule>(['bold', 'quoted', 'term-colon', 'term-dash', 'definition-list']);

export function generateItems(files: NotesFile[]): Generated {
  const located: Located[] = [];
  const skipped: Skipped[] = [];
  const stems = new Map<string, number>();
  for (const file of files) {
    const base = path.basename(file.path);
    let stem = base.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_-]+/g, '-');
    // Two folders may each hold an intro.md: the later one (in the caller's order) gets a suffix.
    const seenStem = (stems.get(stem) ?? 0) + 1;
    stems.set(stem, seenStem);
    if (seenStem > 1) stem = `${stem}-${seenStem}`;
    const { facts, skips } = extractFacts(parseNotes(file.text));
    for (const s of skips) skipped.push({ path: file.path, line: s.line, why: s.why });
    for (const fact of facts) located.push({ file, base, stem, fact });
  }

  const items: Item[] = [];
  const rules: Record<string, Rule> = {};
  const seen = new Set<string>();
  const perLine = new Map<string, number>();
  const skip = (l: Located, why: string) => skipped.push({ path: l.file.path, line: l.fact.line.n, why: `${l.fact.rule}: ${why}` });

  for (const l of located) {
    for (const draft of drafts(l, located)) {
      if ('why' in draft) {
        skip(l, draft.why);
        continue;
      }
      const key = `${draft.kind}|${draft.question.toLowerCase().replace(/\W+/g, ' ').trim()}`;
      if (seen.has(key)) {
        skip(l, 'duplicate of an earlier question');
        continue;
      }
      const leak = answerLeak(draft);
      if (leak) {
        skip(l, leak);
        continue;
      }
      seen.add(key);
      const lineKey = `${l.stem}:${l.fact.line.n}`;
      const n = perLine.get(lineKey) ?? 0;
      perLine.set(lineKey, n + 1);
      const id = `gen-${l.stem}-${l.fact.line.n}-${n}`;
      const item = { ...draft, id, difficulty: 1, source: { file: l.base, heading: l.fact.line.heading, line: l.fact.line.n } } as Item;
      items.push(item);
      rules[id] = l.fact.rule;
    }
  }
  return { items, skipped, rules };
}

type Draft = Omit<ShortItem, 'id' | 'difficulty' | 'source'> | Omit<ChoiceItem, 'id' | 'difficulty' | 'source'>;

function drafts(l: Located, all: Located[]): (Draft | { why: string })[] {
  const f = l.fact;
  switch (f.rule) {
    case 'term-colon':
    case 'term-dash':
    case 'definition-list':
    case 'bold':
    case 'quoted':
      return definitionDrafts(l, f, all);
    case 'table':
      return tableDrafts(l, f, all);
    case 'short-names':
      return shortNameDrafts(l, f, all);
    case 'command-comment':
    case 'command-lead-in':
      return [commandDraft(f)];
  }
}

function definitionDrafts(l: Located, f: DefinitionFact, all: Located[]): (Draft | { why: string })[] {
  let shown = plain(f.text).replace(URL, '').replace(/^[\s:;,–—-]+/, '').replace(/\(\s*\)/g, '').replace(/\s+/g, ' ').trim();
  for (const t of [f.term, ...f.accept]) shown = mask(shown, t);
  const blank = shown.includes('___');
  const topic = guessTopic(f.term, l.fact.line.heading, f.text);
  const explanation = f.rule === 'bold' || f.rule === 'quoted' ? plain(f.text) : `${f.term}: ${plain(f.text)}`;
  const short: Draft = {
    kind: 'short',
    topic,
    question: blank ? `What is the name that fills the blank (___)? “${shown}”` : `What is the name for this? “${shown}”`,
    answer: f.term,
    ...(f.accept.length ? { accept: f.accept } : {}),
    explanation,
  };
  const pool = all
    .filter((o) => DEFINING.has(o.fact.rule))
    .map((o) => ({ name: (o.fact as DefinitionFact).term, same: o.file === l.file }));
  const choice = choiceDraft(`Which of these is described here? “${shown}”`, f.term, pool, `${l.stem}:${f.line.n}`, topic, explanation);
  return [short, choice];
}

function tableDrafts(l: Located, f: TableFact, all: Located[]): (Draft | { why: string })[] {
  const question = `Which ${f.keyHeader.toLowerCase()} has “${f.cell}” in the column “${f.column}”?`;
  const topic = guessTopic(f.key, f.cell, l.fact.line.heading);
  const explanation = `${f.key}: ${f.cell}`;
  const short: Draft = { kind: 'short', topic, question, answer: f.key, ...(f.accept.length ? { accept: f.accept } : {}), explanation };
  const pool = all.filter((o) => o.fact.rule === 'table' && o.file === l.file && (o.fact as TableFact).table === f.table).map((o) => ({ name: (o.fact as TableFact).key, same: true }));
  return [short, choiceDraft(question, f.key, pool, `${l.stem}:${f.line.n}:${f.column}`, topic, explanation)];
}

function shortNameDrafts(l: Located, f: ShortNameFact, all: Located[]): (Draft | { why: string })[] {
  const topic = guessTopic(f.name);
  const names = f.shortNames.map((s) => `\`${s}\``).join(', ');
  const explanation = `\`kubectl api-resources\` lists ${names} as the short name${f.shortNames.length > 1 ? 's' : ''} of \`${f.name}\`, so \`kubectl get ${f.shortNames[0]}\` is \`kubectl get ${f.name}\`.`;
  const short: Draft = {
    kind: 'short',
    topic,
    question: `What short name does kubectl accept for the resource \`${f.name}\`?`,
    answer: f.shortNames[0],
    ...(f.shortNames.length > 1 ? { accept: f.shortNames.slice(1) } : {}),
    explanation,
  };
  const pool = all.filter((o) => o.fact.rule === 'short-names' && o.file === l.file && (o.fact as ShortNameFact).table === f.table).map((o) => ({ name: (o.fact as ShortNameFact).name, same: true }));
  const choice = choiceDraft(`Which resource has the short name \`${f.shortNames[0]}\`?`, f.name, pool, `${l.stem}:${f.line.n}`, topic, explanation);
  return [short, choice];
}

function commandDraft(f: CommandFact): Draft {
  const what = f.description.charAt(0).toLowerCase() + f.description.slice(1);
  return {
    kind: 'short',
    topic: 'kubectl',
    question: `Which kubectl command does this: ${what}?`,
    answer: f.command,
    accept: [f.command],
    explanation: `\`${f.command}\`: ${f.description}.`,
  };
}

/** A choice item whose wrong choices are other names of the same kind, picked in a stable order. */
function choiceDraft(question: string, right: string, pool: { name: string; same: boolean }[], seed: string, topic: string, explanation: string): Draft | { why: string } {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');
  const taken = new Set([norm(right)]);
  const candidates = pool
    .filter((p) => !containsWords(question, p.name) && !containsWords(p.name, right) && !containsWords(right, p.name))
    .sort((a, b) => Number(b.same) - Number(a.same) || hash(seed + a.name) - hash(seed + b.name) || a.name.localeCompare(b.name));
  const wrong: string[] = [];
  for (const c of candidates) {
    if (wrong.length === DISTRACTORS) break;
    if (taken.has(norm(c.name))) continue;
    taken.add(norm(c.name));
    wrong.push(c.name);
  }
  if (!wrong.length) return { why: 'no other name of the same kind to offer as a wrong choice' };
  const at = hash(`${seed}|position`) % (wrong.length + 1);
  const choices = [...wrong.slice(0, at), right, ...wrong.slice(at)];
  return { kind: 'choice', topic, question, choices, answer: at, explanation };
}

/** Why the question gives its answer away, or undefined. */
function answerLeak(d: Draft): string | undefined {
  if (d.kind === 'choice') {
    const right = d.choices[d.answer as number];
    return containsWords(d.question, right) ? 'the question names its own answer' : undefined;
  }
  if (containsWords(d.question, d.answer)) return 'the question names its own answer';
  // A command's accept is the command itself; an alias that is a common word may well appear.
  if (d.topic !== 'kubectl') for (const a of d.accept ?? []) if (containsWords(d.question, a)) return `the question names an accepted answer ("${a}")`;
  return undefined;
}

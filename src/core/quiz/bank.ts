// The quiz bank: lessons/quiz/*.yaml, each a list of items. Items are checked when loaded, so an
// author's slip (an answer index out of range, a missing explanation) is reported with its id. The
// build compiles the bank to dist/content/quiz.json; the YAML is read when newer than that.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { lessonsDir } from '../lessons/loader.js';
import { parseYaml } from '../yaml-on-demand.js';
import { readCompiled } from '../lessons/compiled-content.js';
import { LearnerError } from '../problems.js';
import type { Item } from './types.js';

export function quizDir(): string {
  return path.join(lessonsDir(), 'quiz');
}

/** Why an item is malformed, or undefined. Pure. */
export function itemProblem(item: Item): string | undefined {
  if (!item || typeof item !== 'object') return 'is not a map';
  for (const k of ['id', 'kind', 'topic', 'question', 'explanation'] as const) if (typeof item[k] !== 'string' || !item[k]) return `has no ${k}`;
  if (![1, 2, 3].includes(item.difficulty)) return 'has no difficulty 1, 2 or 3';
  if (!item.source || typeof item.source.file !== 'string' || typeof item.source.heading !== 'string') return 'has no source {file, heading}';
  switch (item.kind) {
    case 'choice': {
      if (!Array.isArray(item.choices) || item.choices.length < 2) return 'needs at least two choices';
      const answers = Array.isArray(item.answer) ? item.answer : [item.answer];
      if (!answers.length || answers.some((a) => !Number.isInteger(a) || a < 0 || a >= item.choices.length)) return 'has an answer index outside its choices';
      return undefined;
    }
    case 'short':
      return typeof item.answer === 'string' && item.answer.trim() ? undefined : 'has no answer';
    case 'command':
      return typeof item.answer === 'string' && /^kubectl\s/.test(item.answer) ? undefined : 'needs an answer that is a kubectl command';
    case 'manifest':
      if (typeof item.answer !== 'string') return 'has no model manifest';
      return Array.isArray(item.checks) && item.checks.length ? undefined : 'has no checks';
    default:
      return `has an unknown kind "${(item as { kind: string }).kind}"`;
  }
}

const cache = new Map<string, Item[]>();

export function loadBank(dir = quizDir()): Item[] {
  const hit = cache.get(dir);
  if (hit) return hit;
  const compiled = dir === quizDir() ? readCompiled<Item[]>('quiz.json', { dir }) : undefined;
  const items = compiled ?? readBankSources(dir);
  cache.set(dir, items);
  return items;
}

/** Every item of a folder's YAML files, checked: what the build compiles. */
export function readBankSources(dir: string): Item[] {
  if (!existsSync(dir)) return [];
  const items: Item[] = [];
  const seen = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => /\.ya?ml$/.test(x)).sort()) {
    let list: unknown;
    try {
      list = parseYaml(readFileSync(path.join(dir, f), 'utf8'));
    } catch (err) {
      throw new LearnerError(`quiz file ${f} is not valid YAML: ${(err as Error).message}`, 'Fix the YAML in lessons/quiz.');
    }
    if (!Array.isArray(list)) throw new LearnerError(`quiz file ${f} is not a list of items`, 'Each file in lessons/quiz is a YAML list.');
    for (const item of list as Item[]) {
      const problem = itemProblem(item);
      if (problem) throw new LearnerError(`quiz item ${item?.id ?? '(no id)'} in ${f} ${problem}`, 'See src/core/quiz/types.ts for the item format.');
      if (seen.has(item.id)) throw new LearnerError(`quiz item id ${item.id} appears twice (in ${f})`, 'Give every item its own id.');
      seen.add(item.id);
      items.push(item);
    }
  }
  return items;
}

// A quiz round: which items to ask (cards that are due first, then new ones), and what an answer
// does to the learner's record (graded, remembered, rescheduled).
import type { Card } from 'ts-fsrs';
import { LearnerError } from '../problems.js';
import { gradeAnswer, type Grade, type GradeOptions } from './grade.js';
import { dueFirst, review } from './schedule.js';
import type { Item } from './types.js';

export interface PickOptions {
  topic?: string;
  count?: number;
  cards: Record<string, Card>;
  now: Date;
  /** Topics of the lessons the learner has finished: new items on them come first. */
  learned?: readonly string[];
  /** Topics of the lesson they take next: new items on them come after. */
  upcoming?: readonly string[];
}

/**
 * Items to ask, in the order that serves the learner: cards due for review, then new items on what
 * they have learned, then on what they learn next, then the rest, then cards not due yet. New items
 * take turns by topic, so a round is not ten questions on one subject. A topic asked for narrows
 * the pool and keeps the same order.
 */
export function pickItems(items: Item[], opts: PickOptions): Item[] {
  let pool = items;
  if (opts.topic) {
    const t = opts.topic.toLowerCase();
    pool = items.filter((i) => i.topic === t || i.topic.startsWith(t));
    if (!pool.length) {
      const topics = [...new Set(items.map((i) => i.topic))].sort();
      throw new LearnerError(`there are no questions on "${opts.topic}"`, `Topics: ${topics.join(', ')}.`);
    }
  }
  const byId = new Map(pool.map((i) => [i.id, i]));
  const learned = new Set(opts.learned ?? []);
  const upcoming = new Set(opts.upcoming ?? []);
  const group = (i: Item) => (learned.has(i.topic) ? 0 : upcoming.has(i.topic) ? 1 : 2);
  const fresh = [0, 1, 2].flatMap((g) => byTurns(pool.filter((i) => !Object.hasOwn(opts.cards, i.id) && group(i) === g)));
  const ordered = [...fresh.map((i) => i.id), ...pool.filter((i) => Object.hasOwn(opts.cards, i.id)).map((i) => i.id)];
  return dueFirst(ordered, opts.cards, opts.now)
    .slice(0, opts.count ?? 5)
    .map((id) => byId.get(id)!);
}

/** Items taking turns by topic (the first of each topic, then the second…), each topic in its own order. */
function byTurns(items: Item[]): Item[] {
  const topics = new Map<string, Item[]>();
  for (const i of items) (topics.get(i.topic) ?? topics.set(i.topic, []).get(i.topic)!).push(i);
  const out: Item[] = [];
  for (let turn = 0; out.length < items.length; turn++) for (const list of topics.values()) if (list[turn]) out.push(list[turn]);
  return out;
}

export function findItem(items: Item[], id: string): Item {
  const item = items.find((i) => i.id === id);
  if (!item) throw new LearnerError(`there is no question "${id}"`, 'Run `kubedojo quiz` to get questions with their ids (with --from DIR for questions made from your notes).');
  return item;
}

export interface Answered {
  item: Item;
  grade: Grade;
  card: Card;
}

/** Grades an answer and gives the item's card its next review. */
export async function answerItem(item: Item, answer: string, opts: GradeOptions & { card?: Card; now: Date }): Promise<Answered> {
  const grade = await gradeAnswer(item, answer, { host: opts.host, env: opts.env, runner: opts.runner, owner: opts.owner });
  return { item, grade, card: review(opts.card, grade.verdict, opts.now) };
}

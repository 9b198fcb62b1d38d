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
}

/** Items of the topic, due cards first, then new ones, then those not due yet. */
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
  return dueFirst([...byId.keys()], opts.cards, opts.now)
    .slice(0, opts.count ?? 5)
    .map((id) => byId.get(id)!);
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

// Spaced repetition with FSRS: every answer reschedules its item's card, and a quiz asks what is
// due first. A wrong answer brings the item back within minutes; right answers push it out.
import { createEmptyCard, fsrs, Rating, type Card, type Grade } from 'ts-fsrs';
import type { Verdict } from './grade.js';

// No fuzz: the same answers at the same times give the same schedule (tests, and two doors
// showing one learner the same quiz).
const scheduler = fsrs({ enable_fuzz: false });

const RATING: Record<Verdict, Grade> = {
  wrong: Rating.Again,
  close: Rating.Hard,
  correct: Rating.Good,
};

/** The card after answering an item (a new card when the item was never answered). */
export function review(card: Card | undefined, verdict: Verdict, now: Date): Card {
  const rating = RATING[verdict];
  if (rating === undefined) throw new TypeError(`unknown verdict ${String(verdict)}`);
  return scheduler.next(card ?? createEmptyCard(now), now, rating).card;
}

export function isDue(card: Card, now: Date): boolean {
  return card.due.getTime() <= now.getTime();
}

/**
 * The order to ask items in: cards that are due (the most overdue first), then items never
 * answered (in the order given), then cards not due yet (the soonest first). Ties keep the order
 * given.
 */
export function dueFirst(itemIds: readonly string[], cards: Readonly<Record<string, Card | undefined>>, now: Date): string[] {
  const t = now.getTime();
  const due: { id: string; at: number; i: number }[] = [];
  const fresh: string[] = [];
  const later: { id: string; at: number; i: number }[] = [];
  itemIds.forEach((id, i) => {
    const card = Object.prototype.hasOwnProperty.call(cards, id) ? cards[id] : undefined;
    if (!card) fresh.push(id);
    else if (card.due.getTime() <= t) due.push({ id, at: card.due.getTime(), i });
    else later.push({ id, at: card.due.getTime(), i });
  });
  const soonest = (a: { at: number; i: number }, b: { at: number; i: number }) => a.at - b.at || a.i - b.i;
  return [...due.sort(soonest).map((x) => x.id), ...fresh, ...later.sort(soonest).map((x) => x.id)];
}

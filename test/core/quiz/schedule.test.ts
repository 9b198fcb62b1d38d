// FSRS scheduling: what a learner gets wrong comes back sooner than what they get right, right
// answers in a row push an item further out, and a quiz asks what is due first. No real clock:
// every date is passed in.
import { describe, expect, it } from 'vitest';
import { State, type Card } from 'ts-fsrs';
import { dueFirst, isDue, review } from '../../../src/core/quiz/schedule.js';

const T0 = new Date('2026-03-01T09:00:00Z');
const minutes = (n: number) => n * 60_000;
const days = (n: number) => n * 86_400_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

/** Answers with the same verdict each time the card falls due; returns every card along the way. */
function drill(verdict: 'correct' | 'close' | 'wrong', times: number, start = T0): Card[] {
  const out: Card[] = [];
  let card: Card | undefined;
  let now = start;
  for (let i = 0; i < times; i++) {
    card = review(card, verdict, now);
    out.push(card);
    now = card.due;
  }
  return out;
}

describe('review', () => {
  it('makes a card for an item never answered, reviewed at the time given', () => {
    const card = review(undefined, 'correct', T0);
    expect(card.reps).toBe(1);
    expect(card.last_review?.toISOString()).toBe(T0.toISOString());
    expect(card.due.getTime()).toBeGreaterThan(T0.getTime());
  });

  it('brings a wrong answer back sooner than a close one, and a close one no later than a right one', () => {
    const wrong = review(undefined, 'wrong', T0).due.getTime();
    const close = review(undefined, 'close', T0).due.getTime();
    const right = review(undefined, 'correct', T0).due.getTime();
    expect(wrong).toBeLessThan(right);
    expect(wrong).toBeLessThanOrEqual(close);
    expect(close).toBeLessThanOrEqual(right);
  });

  it('brings a learned item back within minutes when it is then answered wrong (a lapse)', () => {
    const learned = drill('correct', 4);
    const last = learned.at(-1)!;
    expect(last.state).toBe(State.Review);
    const now = last.due;
    const lapsed = review(last, 'wrong', now);
    const kept = review(last, 'correct', now);
    expect(lapsed.lapses).toBe(last.lapses + 1);
    expect(lapsed.due.getTime() - now.getTime()).toBeLessThanOrEqual(minutes(30));
    expect(kept.due.getTime() - now.getTime()).toBeGreaterThanOrEqual(days(1));
  });

  it('pushes the interval out with every right answer in a row', () => {
    const cards = drill('correct', 6);
    const intervals = cards.map((c) => c.due.getTime() - c.last_review!.getTime());
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]).toBeGreaterThan(intervals[i - 1]);
    expect(intervals.at(-1)!).toBeGreaterThan(days(30));
  });

  it('keeps an item that is always answered wrong on a short leash', () => {
    const cards = drill('wrong', 6);
    for (const c of cards) expect(c.due.getTime() - c.last_review!.getTime()).toBeLessThanOrEqual(minutes(10));
    expect(drill('correct', 6).at(-1)!.stability).toBeGreaterThan(cards.at(-1)!.stability);
  });

  it('gives the same schedule for the same answers at the same times (no fuzz)', () => {
    expect(drill('correct', 5)).toEqual(drill('correct', 5));
  });

  it('does not change the card it is given', () => {
    const card = review(undefined, 'correct', T0);
    const copy = structuredClone(card);
    review(card, 'wrong', card.due);
    expect(card).toEqual(copy);
  });
});

describe('dueFirst', () => {
  const cardDue = (due: Date): Card => ({ ...review(undefined, 'correct', T0), due });

  it('puts due cards first (most overdue first), then new items, then the rest soonest first', () => {
    const now = at(days(10));
    const cards: Record<string, Card> = {
      'due-yesterday': cardDue(at(days(9))),
      'due-last-week': cardDue(at(days(3))),
      'due-now': cardDue(now),
      'in-a-month': cardDue(at(days(40))),
      'tomorrow': cardDue(at(days(11))),
    };
    const ids = ['in-a-month', 'new-a', 'due-yesterday', 'tomorrow', 'due-now', 'new-b', 'due-last-week'];
    expect(dueFirst(ids, cards, now)).toEqual(['due-last-week', 'due-yesterday', 'due-now', 'new-a', 'new-b', 'tomorrow', 'in-a-month']);
  });

  it('asks what was answered wrong before what was answered right, once both are due', () => {
    const cards = { right: review(undefined, 'correct', T0), wrong: review(undefined, 'wrong', T0) };
    const later = at(days(2));
    expect(isDue(cards.right, later) && isDue(cards.wrong, later)).toBe(true);
    expect(dueFirst(['right', 'wrong'], cards, later)).toEqual(['wrong', 'right']);
    // Right after answering, the wrong one is due again before the right one.
    const soon = at(minutes(5));
    expect(isDue(cards.wrong, soon)).toBe(true);
    expect(isDue(cards.right, soon)).toBe(false);
    expect(dueFirst(['right', 'new', 'wrong'], cards, soon)).toEqual(['wrong', 'new', 'right']);
  });

  it('keeps the given order among items due at the same moment and among new items', () => {
    const due = at(days(1));
    const cards = { a: cardDue(due), b: cardDue(due) };
    expect(dueFirst(['x', 'b', 'y', 'a'], cards, at(days(2)))).toEqual(['b', 'a', 'x', 'y']);
  });

  it('returns every id exactly once, and nothing for no ids', () => {
    expect(dueFirst([], {}, T0)).toEqual([]);
    const ids = ['q', 'w', 'e'];
    expect(dueFirst(ids, { w: cardDue(at(days(5))) }, T0).sort()).toEqual([...ids].sort());
  });
});

// The order a quiz round asks in: reviews due first, then what the learner has learned, then what
// they learn next, then the rest; new items take turns by topic.
import { createEmptyCard } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { pickItems } from '../../../src/core/quiz/practice.js';
import type { Item } from '../../../src/core/quiz/types.js';

const item = (topic: string, n: number): Item => ({ id: `${topic}-${n}`, kind: 'short', topic, difficulty: 1, source: { file: 'x.txt', heading: 'x' }, question: '?', answer: 'a', explanation: '' }) as Item;
const bank = ['annotations', 'pods', 'services', 'volumes'].flatMap((t) => [1, 2, 3].map((n) => item(t, n)));
const now = new Date('2026-12-06T12:00:00Z');
const ids = (items: Item[]) => items.map((i) => i.id);

describe('picking a quiz round', () => {
  it('asks about lessons done first, then the next lesson, then the rest', () => {
    const round = pickItems(bank, { cards: {}, now, count: 12, learned: ['pods'], upcoming: ['services'] });
    expect(ids(round).slice(0, 6)).toEqual(['pods-1', 'pods-2', 'pods-3', 'services-1', 'services-2', 'services-3']);
    expect(ids(round).slice(6, 8)).toEqual(['annotations-1', 'volumes-1']);
  });

  it('lets topics take turns, so a round is not all one subject', () => {
    const round = pickItems(bank, { cards: {}, now, count: 4, learned: ['pods', 'volumes'] });
    expect(ids(round)).toEqual(['pods-1', 'volumes-1', 'pods-2', 'volumes-2']);
  });

  it('puts a review that is due before anything new, and one not due after everything new', () => {
    const due = { ...createEmptyCard(new Date('2026-12-01')), due: new Date('2026-12-05') };
    const later = { ...createEmptyCard(new Date('2026-12-01')), due: new Date('2026-12-20') };
    const round = pickItems(bank, { cards: { 'annotations-2': due, 'pods-1': later }, now, count: 12, learned: ['pods'] });
    expect(ids(round)[0]).toBe('annotations-2');
    expect(ids(round)[1]).toBe('pods-2');
    expect(ids(round).at(-1)).toBe('pods-1');
  });

  it('keeps to a topic asked for', () => {
    const round = pickItems(bank, { cards: {}, now, count: 5, topic: 'vol', learned: ['pods'] });
    expect(ids(round)).toEqual(['volumes-1', 'volumes-2', 'volumes-3']);
  });
});

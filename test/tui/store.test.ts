// The store behind the tutor app: what makes keys typed faster than the screen redraws each see
// the state the one before left.
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/tui/store.js';

/** Counts up, and asks for a cheer on reaching three. */
const counter = (n: number, by: number) => ({ state: n + by, effects: n + by === 3 ? ['cheer'] : [] });

describe('the store', () => {
  it('applies each action at once, so the next is decided on its result, and hands back the effects asked for', () => {
    const store = createStore(counter, 0);
    expect(store.dispatch(1)).toEqual([]);
    expect(store.dispatch(2)).toEqual(['cheer']);
    expect(store.getState()).toBe(3);
  });

  it('tells its subscribers of changes only, until they leave', () => {
    const store = createStore(counter, 0);
    let told = 0;
    const leave = store.subscribe(() => told++);
    store.dispatch(0);
    store.dispatch(1);
    leave();
    store.dispatch(1);
    expect(told).toBe(1);
  });
});

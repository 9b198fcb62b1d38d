// The own-property primitives every walk over learners' objects goes through.
import { afterEach, describe, expect, it } from 'vitest';
import { copyJson, dict, freezeJson, hasOwn, jsonDepth, jsonEqual, own, setOwn } from '../../../src/core/cluster/own.js';

/** An object nested `depth` levels deep: {a: {a: … 'x' …}}. */
function nested(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

const PROTOTYPE_MEMBERS = Object.getOwnPropertyNames(Object.prototype).sort();

afterEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_MEMBERS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('own-property access', () => {
  it('reads only what an object holds itself, never what it inherits', () => {
    const o = JSON.parse('{"name":"x","__proto__":{"polluted":1}}');
    expect(own(o, 'name')).toBe('x');
    expect(own(o, 'constructor')).toBeUndefined();
    expect(own(o, 'toString')).toBeUndefined();
    expect(own(o, '__proto__')).toEqual({ polluted: 1 });
    expect(hasOwn(o, 'hasOwnProperty')).toBe(false);
    expect(hasOwn(o, '__proto__')).toBe(true);
    expect(own(undefined, 'a')).toBeUndefined();
    expect(own('text', 'length')).toBeUndefined();
  });

  it('sets `__proto__` as a member, leaving the prototype alone', () => {
    const o: Record<string, unknown> = {};
    setOwn(o, '__proto__', { polluted: 'yes' });
    setOwn(o, 'constructor', 'mine');
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.keys(o)).toEqual(['__proto__', 'constructor']);
    expect(JSON.stringify(o)).toBe('{"__proto__":{"polluted":"yes"},"constructor":"mine"}');
  });

  it('keys a dict by any name without inheriting one', () => {
    const d = dict<number>();
    expect(d.constructor).toBeUndefined();
    d.__proto__ = 1;
    expect(Object.keys(d)).toEqual(['__proto__']);
  });
});

describe('copying, freezing and comparing JSON', () => {
  it('copies `__proto__`, `constructor` and `prototype` as the plain members they are', () => {
    const src = JSON.parse('{"spec":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}}');
    const copy = copyJson(src);
    expect(copy).not.toBe(src);
    expect(Object.keys(copy.spec)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(copy.spec)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(src));
  });

  it('drops undefined members only when asked to, as JSON would', () => {
    expect(Object.keys(copyJson({ a: 1, b: undefined }))).toEqual(['a', 'b']);
    expect(Object.keys(copyJson({ a: 1, b: undefined }, true))).toEqual(['a']);
  });

  it('copies, freezes, compares and measures values nested far deeper than the call stack goes', () => {
    const deep = nested(100_000);
    const copy = copyJson(deep);
    expect(jsonEqual(copy, deep)).toBe(true);
    expect(jsonDepth(copy)).toBe(100_000);
    freezeJson(copy);
    let v = copy as { a: unknown };
    for (let i = 0; i < 99_999; i++) v = v.a as { a: unknown };
    expect(Object.isFrozen(v)).toBe(true);
  });

  it('compares members by own presence: an inherited name is not a member', () => {
    expect(jsonEqual({ a: 1 }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ constructor: 1 }, { other: 1 })).toBe(false);
    expect(jsonEqual([1, { a: [2] }], [1, { a: [2] }])).toBe(true);
    expect(jsonEqual([1], [1, 2])).toBe(false);
  });
});

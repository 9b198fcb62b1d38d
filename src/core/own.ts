// Plain JSON from learners, handled by its own properties only. A learner's object may carry any
// key, `__proto__`, `constructor` and `prototype` included: to Kubernetes these are field names
// like any other (unknown ones, mostly), but to JavaScript `o[key]` on a plain object reads
// inherited members and `o[key] = v` with `__proto__` replaces a prototype. One API server hosts
// many learners, so a walk that trips on this hurts them all. Every walk over learner-supplied
// objects reads, tests and writes keys through these helpers, and copies, freezes and compares
// with the iterative versions below, which neither consult prototypes nor run out of stack on
// deeply nested input.

export type JsonObject = Record<string, unknown>;

const hasOwnProperty = Object.prototype.hasOwnProperty;

/** A plain JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when `o` has `key` as its own property (inherited members never count). */
export function hasOwn(o: unknown, key: PropertyKey): boolean {
  return typeof o === 'object' && o !== null && hasOwnProperty.call(o, key);
}

/** `o[key]` when `o` holds it as its own property; undefined otherwise (never an inherited member). */
export function own<T = unknown>(o: unknown, key: PropertyKey): T | undefined {
  return hasOwn(o, key) ? ((o as Record<PropertyKey, unknown>)[key] as T) : undefined;
}

/**
 * Sets `o[key] = value` as an own, enumerable data property. `__proto__` is defined rather than
 * assigned, so it stays a member and never becomes the object's prototype.
 */
export function setOwn(o: object, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (o as JsonObject)[key] = value;
  }
}

/** An object with no prototype, for maps keyed by what learners wrote (names, keys, hosts). */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function isContainer(v: unknown): v is JsonObject | unknown[] {
  if (Array.isArray(v)) return true;
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A deep, unfrozen copy of a JSON value: own enumerable members only, objects created with the
 * usual prototype, `__proto__` kept as a member. With `dropUndefined`, members whose value is
 * undefined are left out, as JSON would. Iterative, so nesting depth costs heap, not stack.
 * Anything that is not a plain object or array (a Date, a Buffer) is shared, not copied.
 */
export function copyJson<T>(value: T, dropUndefined = false): T {
  if (!isContainer(value)) return value;
  const root: JsonObject | unknown[] = Array.isArray(value) ? [] : {};
  const stack: Array<[JsonObject | unknown[], JsonObject | unknown[]]> = [[value, root]];
  while (stack.length) {
    const [src, dst] = stack.pop()!;
    if (Array.isArray(src)) {
      const out = dst as unknown[];
      for (const v of src) {
        if (isContainer(v)) {
          const c: JsonObject | unknown[] = Array.isArray(v) ? [] : {};
          out.push(c);
          stack.push([v, c]);
        } else out.push(v);
      }
      continue;
    }
    for (const k of Object.keys(src)) {
      const v = src[k];
      if (v === undefined && dropUndefined) continue;
      if (isContainer(v)) {
        const c: JsonObject | unknown[] = Array.isArray(v) ? [] : {};
        setOwn(dst, k, c);
        stack.push([v, c]);
      } else setOwn(dst, k, v);
    }
  }
  return root as T;
}

/** Freezes a JSON value and everything in it; already-frozen parts (shared templates) are skipped. */
export function freezeJson<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== 'object' || Object.isFrozen(v)) continue;
    Object.freeze(v);
    for (const x of Object.values(v)) if (x && typeof x === 'object') stack.push(x);
  }
  return value;
}

/**
 * Structural equality of JSON values: member order does not matter, members holding undefined
 * count as absent, only own members are compared. Iterative.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  // Two stacks side by side rather than a pair per step: every status write compares two statuses.
  const xs: unknown[] = [a];
  const ys: unknown[] = [b];
  while (xs.length) {
    const x = xs.pop();
    const y = ys.pop();
    if (x === y) continue;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) {
        xs.push(x[i]);
        ys.push(y[i]);
      }
      continue;
    }
    if (!isJsonObject(x) || !isJsonObject(y)) return false;
    let defined = 0;
    for (const k of Object.keys(x)) {
      const v = x[k];
      if (v === undefined) continue;
      if (!hasOwnProperty.call(y, k)) return false;
      defined++;
      xs.push(v);
      ys.push(y[k]);
    }
    for (const k of Object.keys(y)) if (y[k] !== undefined) defined--;
    if (defined !== 0) return false;
  }
  return true;
}

/** How deeply a JSON value nests (a scalar is 0, `{}` and `[]` are 1). Iterative. */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    for (const x of Object.values(v)) if (x && typeof x === 'object') stack.push([x, depth]);
  }
  return max;
}

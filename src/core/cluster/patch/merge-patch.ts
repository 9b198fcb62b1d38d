// RFC 7386 JSON merge patch (application/merge-patch+json), as the apiserver applies it with
// evanphx/json-patch's MergePatch: what `kubectl label`, `kubectl annotate` and `kubectl scale`
// send. Also the small JSON-value helpers the other patch engines share, since every patch works
// on plain JSON and must never touch its inputs (stored objects are frozen).
import { ApiError } from '../errors.js';
import { copyJson, isJsonObject, jsonEqual, own, setOwn, type JsonObject } from '../own.js';

export type { JsonObject };

export const isObject = isJsonObject;

/** Structural equality of JSON values; member order of objects does not matter. */
export const deepEqual = jsonEqual;

function badRequest(message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
}

/**
 * Applies a JSON merge patch to a copy of `doc`. A `null` member deletes the key; objects merge
 * recursively; anything else (arrays included) replaces. As in evanphx/json-patch, a patch that
 * is `null` or a scalar is rejected with 400 "Invalid JSON Patch", while an array patch replaces
 * the whole document (the caller then fails to decode it as an object, as the apiserver does).
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) return pruneArrayNulls(copyJson(patch, true));
  if (!isObject(patch)) throw badRequest('Invalid JSON Patch');
  if (!isObject(doc)) return pruneNulls(copyJson(patch, true));
  const out = copyJson(doc, true);
  mergeInto(out, copyJson(patch, true));
  return out;
}

function mergeInto(doc: JsonObject, patch: JsonObject): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = own(doc, k);
    if (cur === undefined || cur === null) {
      setOwn(doc, k, pruneNulls(v));
    } else if (!isObject(cur)) {
      setOwn(doc, k, pruneNulls(v));
    } else if (!isObject(v)) {
      // evanphx keeps nulls inside a non-object that replaces an object: arrays may carry them.
      setOwn(doc, k, v);
    } else {
      mergeInto(cur, v);
    }
  }
}

/** Nulls mean "delete" only relative to a target; in a value added whole they just vanish. */
function pruneNulls(v: unknown): unknown {
  if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else pruneNulls(x);
    }
    return v;
  }
  if (Array.isArray(v)) return pruneArrayNulls(v);
  return v;
}

function pruneArrayNulls(a: unknown[]): unknown[] {
  // Null elements stay (they are values, not deletions); objects inside lose their null members.
  for (const x of a) if (x !== null) pruneNulls(x);
  return a;
}

/**
 * The merge patch that turns `original` into `modified` (evanphx CreateMergePatch): changed and
 * added members, `null` for removed ones, arrays replaced whole. Non-object documents have no
 * merge-patch diff: the patch is then `modified` itself, which RFC 7386 applies as a replacement.
 */
export function createMergePatch(original: unknown, modified: unknown): unknown {
  if (!isObject(original) || !isObject(modified)) return copyJson(modified, true);
  return diff(original, modified);
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function diff(a: JsonObject, b: JsonObject): JsonObject {
  const into: JsonObject = {};
  for (const [key, bv] of Object.entries(b)) {
    if (bv === undefined) continue;
    const av = own(a, key);
    if (av === undefined) {
      setOwn(into, key, copyJson(bv, true));
      continue;
    }
    if (jsonKind(av) !== jsonKind(bv)) {
      setOwn(into, key, copyJson(bv, true));
      continue;
    }
    if (isObject(av) && isObject(bv)) {
      const d = diff(av, bv);
      if (Object.keys(d).length > 0) setOwn(into, key, d);
    } else if (!deepEqual(av, bv)) {
      setOwn(into, key, copyJson(bv, true));
    }
  }
  for (const key of Object.keys(a)) {
    if (a[key] !== undefined && own(b, key) === undefined) setOwn(into, key, null);
  }
  return into;
}

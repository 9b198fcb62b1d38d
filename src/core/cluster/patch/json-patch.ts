// RFC 6902 JSON patch (application/json-patch+json), as the apiserver applies it: with
// gopkg.in/evanphx/json-patch.v4, whose quirks a learner can observe (a `replace` of a missing
// object member adds it; negative array indices count from the end), and with its error texts.
//
// How the apiserver answers (k8s.io/apiserver endpoints/handlers/patch.go, jsonPatcher):
//  - a body that is not a list of operations: 400 BadRequest with the JSON decoding error;
//  - more than 10000 operations: 413 RequestEntityTooLarge;
//  - an operation that cannot apply (failed `test`, missing path, bad index): 422 Invalid with the
//    generic message "the server rejected our request due to an error in our request" and the
//    json-patch error as the single cause (NewGenericServerResponse), which kubectl prints as
//    `The request is invalid: testing value /spec/replicas failed: test failed`.
import { ApiError } from '../errors.js';
import { deepEqual, isObject, type JsonObject } from './merge-patch.js';
import { copyJson, hasOwn, own, setOwn } from '../own.js';

const MAX_OPERATIONS = 10000;

/** An operation failed; `message` is evanphx's wrapped error text. */
class PatchOpError extends Error {}

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

function goJsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v; // string, number, bool
}

function status(code: number, reason: string, message: string, details?: ApiError['status']['details']): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(details ? { details } : {}) });
}

/** Applies a JSON patch to a deep copy of `doc`; `doc` itself is never modified. */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) {
    throw status(400, 'BadRequest', `json: cannot unmarshal ${goJsonType(patch).replace('boolean', 'bool')} into Go value of type jsonpatch.Patch`);
  }
  for (const op of patch) {
    if (!isObject(op) && op !== null) {
      throw status(400, 'BadRequest', `json: cannot unmarshal ${goJsonType(op).replace('boolean', 'bool')} into Go value of type jsonpatch.Operation`);
    }
  }
  if (patch.length > MAX_OPERATIONS) {
    throw status(413, 'RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_OPERATIONS}, got ${patch.length}`);
  }
  const box = { doc: copyJson(doc, true) };
  try {
    for (const op of patch as Array<JsonObject | null>) applyOperation(box, op ?? {});
  } catch (err) {
    if (!(err instanceof PatchOpError)) throw err;
    throw status(422, 'Invalid', 'the server rejected our request due to an error in our request', { causes: [{ message: err.message }] });
  }
  return box.doc;
}

type Container = JsonObject | unknown[];

function opString(op: JsonObject, field: 'op' | 'path' | 'from'): string | undefined {
  const v = own(op, field);
  return typeof v === 'string' ? v : undefined;
}

function decodeKey(part: string): string {
  return part.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Go's strconv.Atoi, with its error text. */
function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new PatchOpError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return parseInt(key, 10);
}

/** The container holding the last path segment, or undefined where evanphx's findObject fails. */
function findObject(doc: unknown, path: string): { con: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let cur: unknown = doc;
  for (const raw of split.slice(1, -1)) {
    if (!isObject(cur) && !Array.isArray(cur)) return undefined;
    let next: unknown;
    try {
      next = get(cur, decodeKey(raw));
    } catch {
      return undefined;
    }
    if (next === undefined || next === null || (!isObject(next) && !Array.isArray(next))) return undefined;
    cur = next;
  }
  if (!isObject(cur) && !Array.isArray(cur)) return undefined;
  return { con: cur, key: decodeKey(split[split.length - 1]) };
}

/**
 * Reads a member; an absent object member is undefined (no error), a bad array index throws.
 * Only own members exist: `/__proto__/x` or `/constructor/prototype` find nothing to walk into.
 */
function get(con: Container, key: string): unknown {
  if (!Array.isArray(con)) return own(con, key);
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -con.length) throw new PatchOpError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
    idx += con.length;
  }
  if (idx >= con.length) throw new PatchOpError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  return con[idx];
}

function add(con: Container, key: string, value: unknown): void {
  if (!Array.isArray(con)) {
    setOwn(con, key, value);
    return;
  }
  if (key === '-') {
    con.push(value);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (err) {
    throw new PatchOpError(`value was not a proper array index: '${key}': ${(err as Error).message}`);
  }
  const size = con.length + 1;
  if (idx >= size) throw new PatchOpError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  if (idx < 0) {
    if (idx < -size) throw new PatchOpError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
    idx += size;
  }
  con.splice(idx, 0, value);
}

function remove(con: Container, key: string): void {
  if (!Array.isArray(con)) {
    if (!hasOwn(con, key)) {
      throw new PatchOpError(`Unable to remove nonexistent key: ${key}: ${MISSING}`);
    }
    delete con[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= con.length) throw new PatchOpError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  if (idx < 0) {
    if (idx < -con.length) throw new PatchOpError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
    idx += con.length;
  }
  con.splice(idx, 1);
}

function set(con: Container, key: string, value: unknown): void {
  if (!Array.isArray(con)) {
    setOwn(con, key, value);
    return;
  }
  let idx = atoi(key);
  if (idx < 0) idx += con.length;
  con[idx] = value;
}

/** Wraps a container error the way pkg/errors.Wrapf does: "context: cause". */
function wrap(context: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof PatchOpError) throw new PatchOpError(`${context}: ${err.message}`);
    throw err;
  }
}

function pathOf(op: JsonObject, kind: string, missingIsPlain: boolean): string {
  const path = opString(op, 'path');
  if (path !== undefined) return path;
  // evanphx words the missing-path error differently per operation; these are its exact texts.
  throw new PatchOpError(
    missingIsPlain
      ? `${kind} operation failed to decode path: ${MISSING}`
      : `${kind} operation failed to decode path: operation missing path field: ${MISSING}`,
  );
}

function fromOf(op: JsonObject, kind: string): string {
  const from = opString(op, 'from');
  if (from !== undefined) return from;
  throw new PatchOpError(`${kind} operation failed to decode from: operation, missing from field: ${MISSING}`);
}

function applyOperation(box: { doc: unknown }, op: JsonObject): void {
  const kind = opString(op, 'op') ?? 'unknown';
  // A missing "value" adds JSON null, as evanphx does.
  const value = own(op, 'value') === undefined ? null : own(op, 'value');
  switch (kind) {
    case 'add': {
      const path = pathOf(op, 'add', true);
      const found = findObject(box.doc, path);
      if (!found) throw new PatchOpError(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      wrap(`error in add for path: '${path}'`, () => add(found.con, found.key, copyJson(value, true)));
      return;
    }
    case 'remove': {
      const path = pathOf(op, 'remove', false);
      const found = findObject(box.doc, path);
      if (!found) throw new PatchOpError(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      wrap(`error in remove for path: '${path}'`, () => remove(found.con, found.key));
      return;
    }
    case 'replace': {
      const path = pathOf(op, 'replace', false);
      if (path === '') {
        // Only an object or array may replace the root; evanphx silently ignores anything else.
        if (isObject(value) || Array.isArray(value)) box.doc = copyJson(value, true);
        return;
      }
      const found = findObject(box.doc, path);
      if (!found) throw new PatchOpError(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
      if (Array.isArray(found.con)) {
        try {
          get(found.con, found.key);
        } catch {
          throw new PatchOpError(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
        }
      }
      // An absent object member is not an error in json-patch v4: replace then adds it.
      wrap(`error in remove for path: '${path}'`, () => set(found.con, found.key, copyJson(value, true)));
      return;
    }
    case 'move': {
      const from = fromOf(op, 'move');
      const src = findObject(box.doc, from);
      if (!src) throw new PatchOpError(`move operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      let val: unknown;
      wrap(`error in move for path: '${src.key}'`, () => {
        val = get(src.con, src.key);
      });
      wrap(`error in move for path: '${src.key}'`, () => remove(src.con, src.key));
      const path = pathOf(op, 'move', false);
      const dst = findObject(box.doc, path);
      if (!dst) throw new PatchOpError(`move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      wrap(`error in move for path: '${path}'`, () => add(dst.con, dst.key, val === undefined ? null : val));
      return;
    }
    case 'copy': {
      const from = fromOf(op, 'copy');
      const src = findObject(box.doc, from);
      if (!src) throw new PatchOpError(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      let val: unknown;
      wrap(`error in copy for from: '${from}'`, () => {
        val = get(src.con, src.key);
      });
      const path = pathOf(op, 'copy', true);
      const dst = findObject(box.doc, path);
      if (!dst) throw new PatchOpError(`copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      wrap('error while adding value during copy', () => add(dst.con, dst.key, val === undefined ? null : copyJson(val, true)));
      return;
    }
    case 'test': {
      const path = pathOf(op, 'test', false);
      if (path === '') {
        if (deepEqual(box.doc, value)) return;
        throw new PatchOpError(`testing value ${path} failed: test failed`);
      }
      const found = findObject(box.doc, path);
      if (!found) throw new PatchOpError(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
      let val: unknown;
      wrap(`error in test for path: '${path}'`, () => {
        val = get(found.con, found.key);
      });
      // An absent member and an explicit null both match a null (or missing) value.
      const have = val === undefined ? null : val;
      if (deepEqual(have, value)) return;
      throw new PatchOpError(`testing value ${path} failed: test failed`);
    }
    default:
      throw new PatchOpError(`Unexpected kind: ${kind}`);
  }
}

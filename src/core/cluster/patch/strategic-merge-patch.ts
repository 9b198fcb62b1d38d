// Strategic merge patch (application/strategic-merge-patch+json), ported from
// k8s.io/apimachinery/pkg/util/strategicpatch as the apiserver runs it (StrategicMergeMapPatch:
// MergeParallelList and IgnoreUnmatchedNulls on). It is what kubectl sends for `set image`,
// `set env`, `rollout restart`, `patch` without --type and client-side `apply`. Lists with a patch
// merge key merge item by item, other lists are replaced; the directives `$patch`,
// `$retainKeys`, `$deleteFromPrimitiveList/<list>` and `$setElementOrder/<list>` behave as in Go,
// down to the order in which merged list items come out and the error texts.
//
// Errors are answered as the apiserver's interpretStrategicMergePatchError does: malformed
// directives are 400 BadRequest, lists of lists and retainKeys mismatches 422, and everything
// else (a list item without its merge key, `$patch: merge` in a list...) is a plain Go error that
// reaches the client as a 500 with no reason, which kubectl prints as "Error from server: ...".
import { ApiError, type Status } from '../errors.js';
import type { KObject } from '../kinds/types.js';
import { deepEqual, isObject, type JsonObject } from './merge-patch.js';
import { copyJson, hasOwn, own, setOwn } from '../own.js';
import { childDefinition, fieldPatchMeta, isBuiltIn, rootDefinition, type FieldPatchMeta } from './patch-schema.js';

type Def = string | undefined;

const DIRECTIVE = '$patch';
const DELETE = 'delete';
const REPLACE = 'replace';
const MERGE = 'merge';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

// mergepatch's sentinel errors, by the status the apiserver gives each.
const ERR_BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const ERR_BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
const ERR_NO_LIST_OF_LISTS = 'lists of lists are not supported';

type ErrorClass = 'badRequest' | 'invalid' | 'plain';

class SmpError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorClass = 'plain',
  ) {
    super(message);
  }
}

function failure(code: number, reason: string | undefined, message: string, details?: Status['details']): ApiError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
  if (reason) status.reason = reason;
  if (details) status.details = details;
  return new ApiError(status);
}

function toApiError(err: SmpError): ApiError {
  switch (err.kind) {
    case 'badRequest':
      return failure(400, 'BadRequest', err.message);
    case 'invalid':
      return failure(422, 'Invalid', 'the server rejected our request due to an error in our request', { causes: [{ message: err.message }] });
    default:
      // Not an API status in Go: ErrorToAPIStatus makes it a 500 whose reason is empty.
      return failure(500, undefined, err.message);
  }
}

/** What the apiserver answers a strategic merge patch on a custom resource. */
export function smpUnsupported(): ApiError {
  return failure(
    415,
    'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  );
}

// ---- Go formatting, for error texts that match the apiserver's ----

/** fmt's %v of a decoded JSON value: `map[a:1 b:x]`, `[a b]`, `<nil>`. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isObject(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goValue(v[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** The Go type a decoded JSON value has (integers decode as int64 with PreserveInts). */
function goType(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return '[]interface {}';
  if (isObject(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

/** Containers compare by kind; any two scalars of one JSON type are "the same type" here. */
function sameKind(a: unknown, b: unknown): boolean {
  const k = (v: unknown) => (Array.isArray(v) ? 'slice' : isObject(v) ? 'map' : v === null ? 'nil' : typeof v);
  return k(a) === k(b);
}

function errBadArgType(expected: string, actual: unknown): SmpError {
  return new SmpError(`expected a ${expected}, but received a ${actual === null || actual === undefined ? '%!s(<nil>)' : goType(actual)}`);
}

function errNoMergeKey(m: unknown, key: string): SmpError {
  return new SmpError(`map: ${goValue(m)} does not contain declared merge key: ${key}`);
}

function errBadPatchType(t: unknown, m: unknown): SmpError {
  return new SmpError(`unknown patch type: ${goValue(t)} in map: ${goValue(m)}`);
}

const MAP_TYPE = 'map[string]interface {}';
const SLICE_TYPE = '[]interface {}';

// ---- applying a patch ----

/**
 * Applies a strategic merge patch to a copy of `doc` (never modified) for the given kind. Custom
 * resources have no Go struct to read strategies from, so the apiserver refuses: 415.
 */
export function applyStrategicMergePatch(doc: KObject, patch: unknown, apiVersion: string, kind: string): KObject {
  if (!isBuiltIn(apiVersion)) throw smpUnsupported();
  // Unmarshalling `null` into a Go map leaves it nil: the object comes back unchanged.
  if (patch === null) return copyJson(doc, true);
  if (!isObject(patch)) {
    const t = Array.isArray(patch) ? 'array' : typeof patch === 'boolean' ? 'bool' : typeof patch;
    throw failure(400, 'BadRequest', `json: cannot unmarshal ${t} into Go value of type map[string]interface {}`);
  }
  try {
    return mergeMap(copyJson(doc, true) as JsonObject, copyJson(patch, true), rootDefinition(apiVersion, kind)) as KObject;
  } catch (err) {
    if (err instanceof SmpError) throw toApiError(err);
    throw err;
  }
}

function handleDirectiveInMergeMap(directive: unknown, patch: JsonObject): JsonObject {
  if (directive === REPLACE) {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === DELETE) return {};
  // `$patch: merge` is the default for maps and Go rejects it spelled out.
  throw errBadPatchType(directive, patch);
}

/** Merges `patch` into `original` (both owned by the caller, and modified). */
function mergeMap(original: JsonObject, patch: JsonObject, def: Def): JsonObject {
  if (hasOwn(patch, DIRECTIVE)) return handleDirectiveInMergeMap(own(patch, DIRECTIVE), patch);
  applyRetainKeysDirective(original, patch);
  mergePatchIntoOriginal(original, patch, def);

  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey];
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      key = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete original[key];
      continue;
    }
    const meta = fieldPatchMeta(def, key);
    const child = childDefinition(def, key);
    const originalV = own(original, key);
    if (originalV === undefined) {
      if (!isDeleteList) setFresh(original, key, patchV, child, meta);
      continue;
    }
    if (!sameKind(originalV, patchV)) {
      if (!isDeleteList) setFresh(original, key, patchV, child, meta);
      continue;
    }
    if (isObject(originalV)) {
      setOwn(original, key, meta.strategy === REPLACE ? patchV : mergeMap(originalV, patchV as JsonObject, child));
    } else if (Array.isArray(originalV)) {
      setOwn(original, key, mergeSliceHandler(originalV, patchV as unknown[], child, meta, isDeleteList));
    } else {
      setOwn(original, key, patchV);
    }
  }
  return original;
}

/**
 * A value the original lacks is taken from the patch, but as the result of patching "nothing":
 * nulls and directives inside it must not end up stored (Go relies on the typed decode that
 * follows to drop them; plain JSON has no such step).
 */
function setFresh(original: JsonObject, key: string, patchV: unknown, child: Def, meta: FieldPatchMeta): void {
  if (isObject(patchV)) {
    if (own(patchV, DIRECTIVE) === DELETE) {
      delete original[key];
      return;
    }
    setOwn(original, key, mergeMap({}, patchV, child));
  } else if (Array.isArray(patchV)) {
    setOwn(original, key, mergeSliceHandler([], patchV, child, meta, false));
  } else {
    setOwn(original, key, patchV);
  }
}

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST) throw new SmpError(ERR_BAD_PRIMITIVE_LIST, 'badRequest');
    if (prefix === SET_ELEMENT_ORDER) throw new SmpError(ERR_BAD_SET_ELEMENT_ORDER, 'badRequest');
    throw new SmpError(`fail to find unknown prefix ${JSON.stringify(prefix)} in ${s}\n`);
  }
  return s.slice(slash + 1);
}

/**
 * `$retainKeys: [a, b]` clears every other key of the original map (how `kubectl apply` drops
 * `rollingUpdate` when a Deployment's strategy becomes Recreate). Every non-null key the patch
 * sets must be listed.
 */
function applyRetainKeysDirective(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const list = own(patch, RETAIN_KEYS);
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw new SmpError(ERR_BAD_RETAIN_KEYS, 'badRequest');
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw new SmpError(ERR_BAD_RETAIN_KEYS, 'badRequest');
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/**
 * `$setElementOrder/<list>` gives the order of the items the client knows about; the list is
 * merged here, then ordered: listed items as listed, server-only items slotted in by their
 * position in the live list.
 */
function mergePatchIntoOriginal(original: JsonObject, patch: JsonObject, def: Def): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType(SLICE_TYPE, order);
    const listKey = extractKey(key, SET_ELEMENT_ORDER);
    const inOriginal = own(original, listKey);
    const inPatch = own(patch, listKey);
    const foundOriginal = inOriginal !== undefined;
    const foundPatch = inPatch !== undefined;
    let originalList: unknown[] = [];
    let patchList: unknown[] = [];
    if (foundOriginal) {
      if (!Array.isArray(inOriginal)) throw errBadArgType(SLICE_TYPE, inOriginal);
      originalList = inOriginal;
    }
    if (foundPatch) {
      if (!Array.isArray(inPatch)) throw errBadArgType(SLICE_TYPE, inPatch);
      patchList = inPatch;
    }
    const meta = fieldPatchMeta(def, listKey);
    const child = childDefinition(def, listKey);
    const mergeKey = meta.key ?? '';
    validatePatchWithSetOrderList(patchList, order, mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = mergeSliceHandler([], patchList, child, meta, false);
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalList, patchList, child, meta, false);
    else continue;

    const [patchItems, serverOnly] = mergeKey
      ? partitionMapsByPresentInList(merged, order, mergeKey)
      : partitionPrimitivesByPresentInList(merged, order);
    const kind = sliceElementType([originalList, patchList]);
    setOwn(original, listKey, normalizeElementOrder(patchItems, serverOnly, order, originalList, mergeKey, kind));
    delete patch[listKey];
  }
}

function containsDirectiveMarker(item: unknown): boolean {
  return isObject(item) && hasOwn(item, DIRECTIVE);
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return scalarEqual(left, right);
  if (!isObject(left)) throw errBadArgType(MAP_TYPE, left);
  if (!isObject(right)) throw errBadArgType(MAP_TYPE, right);
  if (!hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return scalarEqual(left[mergeKey], right[mergeKey]);
}

/** Go's `==` on decoded JSON scalars; containers are compared structurally instead of panicking. */
function scalarEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object') return deepEqual(a, b);
  return false;
}

/** The patch list's items must appear in the `$setElementOrder` list, in the same order. */
function validatePatchWithSetOrderList(patchList: unknown[], setOrderList: unknown[], mergeKey: string): void {
  if (setOrderList.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let patchIndex = 0;
  let setOrderIndex = 0;
  while (patchIndex < nonDelete.length && setOrderIndex < setOrderList.length) {
    if (containsDirectiveMarker(nonDelete[patchIndex])) {
      patchIndex++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[patchIndex], setOrderList[setOrderIndex], mergeKey)) patchIndex++;
    setOrderIndex++;
  }
  if (patchIndex < nonDelete.length && setOrderIndex >= setOrderList.length) {
    throw new SmpError(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goValue(setOrderList)}\n`);
  }
}

function extractToDeleteItems(list: unknown[]): [unknown[], unknown[]] {
  const nonDelete: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const v of list) {
    if (!isObject(v)) throw errBadArgType(MAP_TYPE, v);
    if (own(v, DIRECTIVE) === DELETE) toDelete.push(v);
    else nonDelete.push(v);
  }
  return [nonDelete, toDelete];
}

function partitionPrimitivesByPresentInList(list: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) (by.some((b) => scalarEqual(b, v)) ? inPatch : serverOnly).push(v);
  return [inPatch, serverOnly];
}

function partitionMapsByPresentInList(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) {
    if (!isObject(v)) throw errBadArgType(MAP_TYPE, v);
    if (!hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    (findMapInSlice(by, mergeKey, v[mergeKey]) >= 0 ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

/** Index of the first map whose merge key equals `value`, or -1. */
function findMapInSlice(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isObject(item)) throw new SmpError(`value for key ${i} is not a map.`);
    if (hasOwn(item, mergeKey) && scalarEqual(item[mergeKey], value)) return i;
  }
  return -1;
}

function mergeSliceHandler(original: unknown[], patch: unknown[], elemDef: Def, meta: FieldPatchMeta, isDeleteList: boolean): unknown[] {
  // Without a merge strategy a list is replaced, and so is one a delete list targets: Go does the same.
  if (meta.strategy !== MERGE) return patch;
  return mergeSlice(original, patch, elemDef, meta.key ?? '', isDeleteList);
}

type ElemKind = string;

/** The one Go type all elements share; lists of lists and mixed lists are errors. */
function sliceElementType(slices: unknown[][]): ElemKind {
  let prev: string | undefined;
  for (const s of slices) {
    for (const v of s) {
      const t = goType(v);
      if (prev === undefined) {
        prev = t;
        if (t === SLICE_TYPE) throw new SmpError(ERR_NO_LIST_OF_LISTS, 'invalid');
      } else if (prev !== t) {
        throw new SmpError(`list element types are not identical: ${goValue(slices)}`);
      }
    }
  }
  if (prev === undefined) throw new SmpError('no elements in any of the given slices');
  return prev;
}

function mergeSlice(original: unknown[], patch: unknown[], elemDef: Def, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementType([original, patch]);
  let merged: unknown[];
  let orig = original;
  let pat = patch;
  if (kind !== MAP_TYPE) {
    if (isDeleteList) return original.filter((v) => !patch.some((d) => scalarEqual(d, v)));
    merged = dedupeScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw new SmpError('cannot merge lists without merge key for type struct');
    [orig, pat] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    merged = mergeSliceWithoutSpecialElements(orig, pat, mergeKey, elemDef);
  }
  const [patchItems, serverOnly] = mergeKey ? partitionMapsByPresentInList(merged, pat, mergeKey) : partitionPrimitivesByPresentInList(merged, pat);
  return normalizeElementOrder(patchItems, serverOnly, pat, orig, mergeKey, kind);
}

function dedupeScalars(list: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of list) if (!out.some((o) => scalarEqual(o, v))) out.push(v);
  return out;
}

/**
 * `{name: x, $patch: delete}` removes every item keyed x; `{$patch: replace}` makes the rest of the
 * patch list the whole list; `$patch: merge` is refused, as Go has never implemented it.
 */
function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const without: unknown[] = [];
  let replace = false;
  let orig = original;
  for (const v of patch) {
    const item = v as JsonObject;
    if (!hasOwn(item, DIRECTIVE)) {
      without.push(v);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === DELETE) {
      if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      for (;;) {
        const i = findMapInSlice(orig, mergeKey, item[mergeKey]);
        if (i < 0) break;
        orig = [...orig.slice(0, i), ...orig.slice(i + 1)];
      }
    } else if (directive === REPLACE) {
      replace = true;
    } else if (directive === MERGE) {
      throw new SmpError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, item);
    }
  }
  return replace ? [without, []] : [orig, without];
}

function mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, elemDef: Def): unknown[] {
  const out = [...original];
  for (const v of patch) {
    const item = v as JsonObject;
    if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    const i = findMapInSlice(out, mergeKey, item[mergeKey]);
    if (i >= 0) out[i] = mergeMap(out[i] as JsonObject, item, elemDef);
    else out.push(mergeMap({}, item, elemDef));
  }
  return out;
}

function indexIn(list: unknown[], val: unknown, mergeKey: string, kind: ElemKind): number {
  const key = (item: unknown) => (kind === MAP_TYPE ? own(item, mergeKey) : item);
  const want = key(val);
  for (let i = 0; i < list.length; i++) if (scalarEqual(key(list[i]), want)) return i;
  return -1;
}

function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  let items = toSort;
  let toDelete: unknown[] = [];
  if (kind === MAP_TYPE) {
    for (const list of [toSort, order]) {
      for (const item of list) {
        if (!isObject(item)) throw errBadArgType(MAP_TYPE, item);
        if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      }
    }
    [items, toDelete] = extractToDeleteItems(toSort);
  }
  // Go's comparator sends items missing from `order` to the front; a stable sort on the index
  // (missing = -1) does the same without depending on a non-transitive comparison.
  const sorted = items
    .map((item, i) => ({ item, i, at: indexIn(order, item, mergeKey, kind) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((x) => x.item);
  return [...sorted, ...toDelete];
}

/**
 * Interleaves server-only items (`left`) into patch items (`right`): a server-only item comes
 * before a patch item only when both are in the live list and it was before it there. So a new
 * item a patch adds lands ahead of the server-only items that follow it, as in Kubernetes.
 */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElemKind,
): unknown[] {
  const p = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

// ---- creating a patch ----

interface DiffOptions {
  setElementOrder: boolean;
  ignoreChangesAndAdditions: boolean;
  ignoreDeletions: boolean;
  buildRetainKeys: boolean;
}

/**
 * The strategic merge patch that turns `original` into `modified` for a built-in kind, exactly as
 * kubectl computes it (CreateTwoWayMergePatch): merge-keyed lists yield changed items,
 * `$patch: delete` items and a `$setElementOrder/<list>`; retainKeys fields carry `$retainKeys`;
 * primitive merge lists get `$deleteFromPrimitiveList/<list>`. Object keys come out sorted, as
 * Go's JSON encoding of a map writes them.
 */
export function createTwoWayMergePatch(original: unknown, modified: unknown, apiVersion: string, kind: string): JsonObject {
  if (!isBuiltIn(apiVersion)) throw smpUnsupported();
  try {
    const patch = diffMaps(isObject(original) ? original : {}, isObject(modified) ? modified : {}, rootDefinition(apiVersion, kind), {
      setElementOrder: true,
      ignoreChangesAndAdditions: false,
      ignoreDeletions: false,
      buildRetainKeys: false,
    });
    return sortKeys(patch) as JsonObject;
  } catch (err) {
    if (err instanceof SmpError) throw toApiError(err);
    throw err;
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort()) setOwn(out, k, sortKeys(v[k]));
    return out;
  }
  return v;
}

function goString(v: unknown): string {
  return goValue(v);
}

function sortScalars(list: unknown[]): unknown[] {
  return [...list].sort((a, b) => (goString(a) < goString(b) ? -1 : goString(a) > goString(b) ? 1 : 0));
}

function diffMaps(original: JsonObject, modified: JsonObject, def: Def, opts: DiffOptions): JsonObject {
  const patch: JsonObject = {};
  const retainKeysList: string[] = [];
  for (const [key, modifiedValue] of Object.entries(modified)) {
    if (modifiedValue === undefined) continue;
    if (opts.buildRetainKeys && modifiedValue !== null) retainKeysList.push(key);
    const originalValue = own(original, key);
    if (originalValue === undefined) {
      if (!opts.ignoreChangesAndAdditions) setOwn(patch, key, copyJson(modifiedValue, true));
      continue;
    }
    if (key === DIRECTIVE) {
      if (typeof originalValue !== 'string' || typeof modifiedValue !== 'string') throw new SmpError(`invalid value for special key: ${DIRECTIVE}`);
      if (originalValue !== modifiedValue) patch[DIRECTIVE] = modifiedValue;
      continue;
    }
    if (goType(originalValue) !== goType(modifiedValue)) {
      if (!opts.ignoreChangesAndAdditions) setOwn(patch, key, copyJson(modifiedValue, true));
      continue;
    }
    if (isObject(originalValue)) handleMapDiff(key, originalValue, modifiedValue as JsonObject, patch, def, opts);
    else if (Array.isArray(originalValue)) handleSliceDiff(key, originalValue, modifiedValue as unknown[], patch, def, opts);
    else replacePatchFieldIfNotEqual(key, originalValue, modifiedValue, patch, opts);
  }
  if (!opts.ignoreDeletions) {
    for (const key of Object.keys(original)) {
      if (original[key] !== undefined && own(modified, key) === undefined) setOwn(patch, key, null);
    }
  }
  if (retainKeysList.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField(original, modified))) {
    patch[RETAIN_KEYS] = sortScalars(retainKeysList);
  }
  return patch;
}

function hasAdditionalNewField(original: JsonObject, modified: JsonObject): boolean {
  return Object.entries(original).some(([k, v]) => v !== null && v !== undefined && !hasOwn(modified, k));
}

function replacePatchFieldIfNotEqual(key: string, original: unknown, modified: unknown, patch: JsonObject, opts: DiffOptions): void {
  if (opts.ignoreChangesAndAdditions || deepEqual(original, modified)) return;
  setOwn(patch, key, copyJson(modified, true));
}

function handleMapDiff(key: string, original: JsonObject, modified: JsonObject, patch: JsonObject, def: Def, opts: DiffOptions): void {
  const meta = fieldPatchMeta(def, key);
  if (meta.strategy === REPLACE) {
    if (!opts.ignoreChangesAndAdditions) setOwn(patch, key, copyJson(modified, true));
    return;
  }
  const value = diffMaps(original, modified, childDefinition(def, key), { ...opts, buildRetainKeys: meta.retainKeys });
  if (Object.keys(value).length > 0) setOwn(patch, key, value);
}

function handleSliceDiff(key: string, original: unknown[], modified: unknown[], patch: JsonObject, def: Def, opts: DiffOptions): void {
  const meta = fieldPatchMeta(def, key);
  if (meta.strategy !== MERGE) {
    replacePatchFieldIfNotEqual(key, original, modified, patch, opts);
    return;
  }
  const [add, del, order] = diffLists(original, modified, childDefinition(def, key), meta.key ?? '', { ...opts, buildRetainKeys: meta.retainKeys });
  if (add.length > 0) setOwn(patch, key, add);
  if (del.length > 0) patch[`${DELETE_FROM_PRIMITIVE_LIST}/${key}`] = del;
  if (order.length > 0) patch[`${SET_ELEMENT_ORDER}/${key}`] = order;
}

function diffLists(original: unknown[], modified: unknown[], elemDef: Def, mergeKey: string, opts: DiffOptions): [unknown[], unknown[], unknown[]] {
  if (original.length === 0) {
    if (modified.length === 0 || opts.ignoreChangesAndAdditions) return [[], [], []];
    return [copyJson(modified, true), [], []];
  }
  const kind = sliceElementType([original, modified]);
  if (kind === MAP_TYPE) {
    const [changes, deletions] = diffListsOfMaps(original, modified, elemDef, mergeKey, opts);
    const patchList = [...normalizeSliceOrder(changes, modified, mergeKey, kind), ...deletions];
    const orderSame = isOrderSame(original, modified, mergeKey);
    let order: unknown[] = [];
    if (
      opts.setElementOrder &&
      ((!opts.ignoreChangesAndAdditions && (patchList.length > 0 || !orderSame)) || (!opts.ignoreDeletions && patchList.length > 0))
    ) {
      order = modified.map((v) => ({ [mergeKey]: (v as JsonObject)[mergeKey] }));
    }
    return [patchList, [], order];
  }
  const [adds, deletions] = diffListsOfScalars(original, modified, opts);
  const patchList = normalizeSliceOrder(adds, modified, mergeKey, kind);
  let order: unknown[] = [];
  if (opts.setElementOrder && ((!opts.ignoreDeletions && deletions.length > 0) || (!opts.ignoreChangesAndAdditions && !deepEqual(original, modified)))) {
    order = copyJson(modified, true);
  }
  return [patchList, deletions, order];
}

function isOrderSame(original: unknown[], modified: unknown[], mergeKey: string): boolean {
  if (original.length !== modified.length) return false;
  return modified.every((m, i) => mergeKeyValueEqual(original[i], m, mergeKey));
}

function diffListsOfScalars(original: unknown[], modified: unknown[], opts: DiffOptions): [unknown[], unknown[]] {
  const o = sortScalars(original);
  const m = sortScalars(modified);
  const add: unknown[] = [];
  const del: unknown[] = [];
  let oi = 0;
  let mi = 0;
  while (oi < o.length || mi < m.length) {
    const oIn = oi < o.length;
    const mIn = mi < m.length;
    const os = oIn ? goString(o[oi]) : '';
    const ms = mIn ? goString(m[mi]) : '';
    if (oIn && mIn && os === ms) {
      oi++;
      mi++;
    } else if (!oIn || (mIn && os > ms)) {
      if (!opts.ignoreChangesAndAdditions) add.push(m[mi]);
      mi++;
    } else {
      if (!opts.ignoreDeletions) del.push(o[oi]);
      oi++;
    }
  }
  return [add, dedupeScalars(del)];
}

function diffListsOfMaps(original: unknown[], modified: unknown[], elemDef: Def, mergeKey: string, opts: DiffOptions): [unknown[], unknown[]] {
  const byKey = (list: unknown[]) => {
    sliceElementType([list]);
    return [...list].sort((a, b) => {
      const x = goString((a as JsonObject)[mergeKey]);
      const y = goString((b as JsonObject)[mergeKey]);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  };
  const keyOf = (item: unknown): unknown => {
    if (!isObject(item)) throw errBadArgType(MAP_TYPE, item);
    if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    return item[mergeKey];
  };
  const o = byKey(original);
  const m = byKey(modified);
  const patch: unknown[] = [];
  const deletions: unknown[] = [];
  let oi = 0;
  let mi = 0;
  while (oi < o.length || mi < m.length) {
    const oIn = oi < o.length;
    const mIn = mi < m.length;
    const oKey = oIn ? keyOf(o[oi]) : undefined;
    const mKey = mIn ? keyOf(m[mi]) : undefined;
    const os = oIn ? goString(oKey) : '';
    const ms = mIn ? goString(mKey) : '';
    if (oIn && mIn && os === ms) {
      const value = diffMaps(o[oi] as JsonObject, m[mi] as JsonObject, elemDef, opts);
      if (Object.keys(value).length > 0) {
        value[mergeKey] = mKey;
        patch.push(value);
      }
      oi++;
      mi++;
    } else if (!oIn || (mIn && os > ms)) {
      if (!opts.ignoreChangesAndAdditions) patch.push(copyJson(m[mi], true));
      mi++;
    } else {
      if (!opts.ignoreDeletions) deletions.push({ [mergeKey]: oKey, [DIRECTIVE]: DELETE });
      oi++;
    }
  }
  return [patch, deletions];
}

// Server-side apply and managedFields, after k8s.io/apiserver's fieldmanager and
// sigs.k8s.io/structured-merge-diff (SMD). Every write records which manager owns which fields
// (metadata.managedFields, FieldsV1 encoding); an apply merges the applied configuration into the
// live object, removes what the same applier applied before and dropped since (unless another
// manager owns it), and refuses with 409 to change a field another manager owns unless forced.
//
// On plain JSON the schema comes from patch-schema.ts: lists keyed as their listMapKeys say, sets
// for primitive merge lists, everything else atomic; unknown kinds (custom resources) get SMD's
// "deduced" schema (maps granular, lists atomic).
import { ApiError, type Status, type StatusCause } from '../errors.js';
import type { KObject } from '../kinds/types.js';
import { deepEqual, isObject, type JsonObject } from './merge-patch.js';
import { childDefinition, isAtomicMap, listType, resetsStatus, rootDefinition, type ListType } from './patch-schema.js';
import { copyJson, hasOwn, own, setOwn } from '../own.js';
import { madeHere, sharedFieldsNode } from './shared-fields.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// ---------------------------------------------------------------- field sets

/** Path elements as FieldsV1 writes them: `f:name`, `k:{"name":"x"}`, `v:"x"`, `i:0`. */
type PathElement = string;
type Path = PathElement[];

/** `{}`: a member with nothing below it, and the `.` of a member that has children. */
const EMPTY = sharedFieldsNode([]);

const PE_RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

function comparePE(a: PathElement, b: PathElement): number {
  const r = (PE_RANK[a[0]] ?? 9) - (PE_RANK[b[0]] ?? 9);
  if (r !== 0) return r;
  return a < b ? -1 : a > b ? 1 : 0;
}

const NO_CHILDREN: ReadonlyMap<PathElement, FieldSet> = new Map();

function firstKey(o: JsonObject): string | undefined {
  for (const k in o) return k;
  return undefined;
}

/**
 * A set of field paths, as a tree: a node is a member when the path ending there is owned. A set
 * holds no subtree without members. Once made, a set is not changed: union and difference give
 * back the parts they leave alone (or the set itself), and each part keeps its FieldsV1 form once
 * written, so a write that adds a field to a manager's set encodes only the path to it.
 */
class FieldSet {
  member = false;
  private kids?: Map<PathElement, FieldSet>;
  private encoded?: JsonObject;
  /** Read from a tree made here: its children are read from `encoded` when first asked for. */
  private lazy = false;

  /** Read only: a node without children shares one empty map rather than making its own. */
  get children(): ReadonlyMap<PathElement, FieldSet> {
    return this.kids ?? (this.lazy ? this.writable() : NO_CHILDREN);
  }

  /** The children, to add to while the set is being made. */
  private writable(): Map<PathElement, FieldSet> {
    if (!this.kids) {
      this.kids = new Map();
      if (this.lazy) {
        // A tree made here holds no empty part and no `.` without children.
        for (const k of Object.keys(this.encoded!)) {
          if (k === '.') continue;
          const child = this.encoded![k] as JsonObject;
          const c = FieldSet.lazyFrom(child);
          const first = firstKey(child);
          c.member = first === undefined || first === '.';
          this.kids.set(k, c);
        }
      }
    }
    return this.kids;
  }

  static of(paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Only while a set is being made. */
  insert(path: Path): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (const pe of path) {
      let next = node.children.get(pe);
      if (!next) {
        next = new FieldSet();
        node.writable().set(pe, next);
      }
      node = next;
    }
    node.member = true;
  }

  has(path: Path): boolean {
    let node: FieldSet | undefined = this;
    for (const pe of path) {
      node = node.children.get(pe);
      if (!node) return false;
    }
    return node.member;
  }

  /** No member anywhere below (or at) this node: with no empty subtrees, no member and no child. */
  isEmpty(): boolean {
    if (this.member) return false;
    if (this.kids) return this.kids.size === 0;
    return !this.lazy || firstKey(this.encoded!) === undefined;
  }

  union(other: FieldSet | undefined): FieldSet {
    if (!other || other === this || other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    // Starts from the larger of the two and adds what the smaller has.
    const [base, more] = this.children.size >= other.children.size ? [this, other] : [other, this];
    const member = this.member || other.member;
    let out: FieldSet | undefined;
    if (member !== base.member) out = base.copy(member);
    for (const [k, b] of more.children) {
      const a = base.children.get(k);
      const c = a ? a.union(b) : b;
      if (c === a) continue;
      out ??= base.copy(member);
      out.writable().set(k, c);
    }
    return out ?? base;
  }

  difference(other: FieldSet | undefined): FieldSet {
    if (!other || other.isEmpty() || this.isEmpty()) return this;
    if (other === this) return new FieldSet();
    const member = this.member && !other.member;
    let out: FieldSet | undefined;
    if (member !== this.member) out = this.copy(member);
    // Looks up the children of whichever has fewer in the other.
    const few = this.children.size <= other.children.size;
    for (const [k, x] of few ? this.children : other.children) {
      const a = few ? x : this.children.get(k);
      const b = few ? other.children.get(k) : x;
      if (!a || !b) continue;
      const c = a.difference(b);
      if (c === a) continue;
      out ??= this.copy(member);
      if (c.isEmpty()) out.writable().delete(k);
      else out.writable().set(k, c);
    }
    return out ?? this;
  }

  /** A new node with this one's children (shared) and the given member flag. */
  private copy(member: boolean): FieldSet {
    const out = new FieldSet();
    out.member = member;
    for (const [k, c] of this.children) out.writable().set(k, c);
    return out;
  }

  /** Whether a member of this set is a member of `other` too (what `difference` would take away). */
  meets(other: FieldSet | undefined): boolean {
    if (!other) return false;
    if (this.member && other.member) return true;
    const [few, many] = this.children.size <= other.children.size ? [this.children, other.children] : [other.children, this.children];
    for (const [k, a] of few) {
      const b = many.get(k);
      if (b && a.meets(b)) return true;
    }
    return false;
  }

  intersection(other: FieldSet | undefined): FieldSet {
    const out = new FieldSet();
    if (!other) return out;
    out.member = this.member && other.member;
    for (const [k, a] of this.children) {
      const b = other.children.get(k);
      if (!b) continue;
      const c = a.intersection(b);
      if (!c.isEmpty()) out.writable().set(k, c);
    }
    return out;
  }

  /** Member paths in FieldsV1 order. */
  members(prefix: Path = []): Path[] {
    const out: Path[] = [];
    if (this.member && prefix.length) out.push(prefix);
    for (const k of [...this.children.keys()].sort(comparePE)) out.push(...this.children.get(k)!.members([...prefix, k]));
    return out;
  }

  /**
   * Makes every field node a member (SMD's EnsureNamedFieldsAreMembers): owning `a.b.c` then
   * also means owning the fields `a` and `a.b` on the way, so pruning works on whole fields.
   */
  withNamedFieldsAsMembers(isField = false): FieldSet {
    const out = new FieldSet();
    out.member = this.member || isField;
    for (const [k, c] of this.children) out.writable().set(k, c.withNamedFieldsAsMembers(k.startsWith('f:')));
    return out;
  }

  /** The set without the subtrees under these paths (a reset-fields filter). */
  excluding(prefixes: Path[]): FieldSet {
    let out: FieldSet = this;
    for (const p of prefixes) if (p.length) out = out.without(p, 0);
    return out;
  }

  private without(path: Path, i: number): FieldSet {
    const k = path[i];
    const c = this.children.get(k);
    if (!c) return this;
    const next = i === path.length - 1 ? undefined : c.without(path, i + 1);
    if (next === c) return this;
    const out = this.copy(this.member);
    if (next && !next.isEmpty()) out.writable().set(k, next);
    else out.writable().delete(k);
    return out;
  }

  /** The FieldsV1 form, frozen and shared with every other object whose set has this shape. */
  toFieldsV1(): JsonObject {
    if (this.encoded) return this.encoded;
    const members: Array<[string, JsonObject]> = [];
    if (this.member && this.children.size > 0) members.push(['.', EMPTY]);
    for (const k of [...this.children.keys()].sort(comparePE)) members.push([k, this.children.get(k)!.toFieldsV1()]);
    return (this.encoded = sharedFieldsNode(members));
  }

  /** A set whose children are read from a tree made here when first asked for. */
  private static lazyFrom(tree: JsonObject): FieldSet {
    const s = new FieldSet();
    s.encoded = tree;
    s.lazy = true;
    return s;
  }

  static fromFieldsV1(v: JsonObject): FieldSet {
    // Read part by part as asked: a write reads only the parts it touches.
    if (madeHere(v)) return FieldSet.lazyFrom(v);
    const s = new FieldSet();
    for (const [k, child] of Object.entries(v)) {
      if (k === '.' || !isObject(child)) continue;
      const c = FieldSet.fromFieldsV1(child);
      if (hasOwn(child, '.') || Object.keys(child).length === 0) c.member = true;
      // A client's tree may hold a member with nothing owned below it: a set keeps no such part.
      if (!c.isEmpty()) s.writable().set(k, c);
    }
    return s;
  }
}

/** The path as the apiserver prints it in a conflict: `.spec.containers[name="nginx"].image`. */
export function pathString(path: Path): string {
  const scalar = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : String(v));
  return path
    .map((pe) => {
      const body = pe.slice(2);
      switch (pe[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const key = JSON.parse(body) as JsonObject;
          return `[${Object.entries(key)
            .map(([k, v]) => `${k}=${scalar(v)}`)
            .join(',')}]`;
        }
        case 'v':
          return `[=${scalar(JSON.parse(body))}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}

// ---------------------------------------------------------------- schema-aware walks

type Def = string | undefined;

/** What a value is, for SMD: its definition, the list type of its field, atomic or not. */
interface Ty {
  def: Def;
  list: ListType;
  atomic: boolean;
}

const ATOMIC_LIST: ListType = { type: 'atomic' };

function rootTy(def: Def): Ty {
  return { def, list: ATOMIC_LIST, atomic: false };
}

/** A value the schema does not describe (a map's entries, an unknown kind's fields). */
const UNTYPED: Ty = Object.freeze({ def: undefined, list: ATOMIC_LIST, atomic: false });

/**
 * Each field's type, once per definition and field name: every write walks every field of its
 * object through here. Read-only, so shared. A definition holding maps keyed by the writer (none
 * the walks reach typed) would not grow this past a few hundred names each.
 */
const fieldTys = new Map<string, Map<string, Ty>>();
const FIELDS_PER_DEFINITION = 512;

function fieldTy(parent: Def, field: string): Ty {
  if (parent === undefined) return UNTYPED;
  let fields = fieldTys.get(parent);
  if (!fields) fieldTys.set(parent, (fields = new Map()));
  let ty = fields.get(field);
  if (!ty) {
    ty = Object.freeze({ def: childDefinition(parent, field), list: listType(parent, field), atomic: isAtomicMap(parent, field) });
    if (fields.size < FIELDS_PER_DEFINITION) fields.set(field, ty);
  }
  return ty;
}

/** The type of a list's items: the list's definition, and no list type of their own. */
const itemTys = new Map<Def, Ty>();

function itemTy(ty: Ty): Ty {
  let item = itemTys.get(ty.def);
  if (!item) itemTys.set(ty.def, (item = Object.freeze({ def: ty.def, list: ATOMIC_LIST, atomic: false })));
  return item;
}

/** Thrown where SMD cannot type a value; the caller words it as the apiserver does. */
class TypeError_ extends Error {}

function itemPE(list: ListType, item: unknown, index: number): PathElement {
  if (list.type === 'set') return `v:${JSON.stringify(item)}`;
  if (list.type !== 'map') return `i:${index}`;
  if (!isObject(item)) throw new TypeError_(`element ${index}: expected map, got ${JSON.stringify(item)}`);
  const key: JsonObject = {};
  for (const k of list.keys) {
    const v = own(item, k) ?? list.defaults[k];
    if (v === undefined || v === null) {
      throw new TypeError_(`element ${index}: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`);
    }
    key[k] = v;
  }
  return `k:${JSON.stringify(key)}`;
}

function listPEs(list: ListType, items: unknown[], path: Path, allowDuplicates: boolean): PathElement[] {
  const seen = new Set<string>();
  return items.map((item, i) => {
    let pe: PathElement;
    try {
      pe = itemPE(list, item, i);
    } catch (err) {
      if (err instanceof TypeError_) throw new TypeError_(`${pathString(path)}: ${err.message}`);
      throw err;
    }
    if (seen.has(pe) && !allowDuplicates) throw new TypeError_(`${pathString(path)}: duplicate entries for key ${pathString([pe])}`);
    seen.add(pe);
    return pe;
  });
}

function isEmptyish(v: unknown): boolean {
  return v === undefined || v === null || (isObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);
}

/** The fields a value sets (SMD ToFieldSet): leaves, list items, and empty maps as leaves. */
function toFieldSet(value: JsonObject, def: Def, allowDuplicates: boolean): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, ty: Ty, path: Path): void => {
    if (isObject(v)) {
      if (ty.atomic || Object.keys(v).length === 0) {
        set.insert(path);
        return;
      }
      for (const [k, x] of Object.entries(v)) if (x !== undefined) walk(x, fieldTy(ty.def, k), [...path, `f:${k}`]);
    } else if (Array.isArray(v)) {
      if (ty.list.type === 'atomic') {
        set.insert(path);
        return;
      }
      const pes = listPEs(ty.list, v, path, allowDuplicates);
      v.forEach((item, i) => {
        walk(item, itemTy(ty), [...path, pes[i]]);
        set.insert([...path, pes[i]]);
      });
    } else {
      set.insert(path);
    }
  };
  walk(value, rootTy(def), []);
  return set;
}

/**
 * Fields a typed Go object always has, even when empty: structs embedded by value, and slices
 * without `omitempty` (PodSpec.containers, PolicyRule lists). Appearing in a write does not make
 * them "added", only their contents. Without this, creating a Deployment would own `.` of spec,
 * template, strategy and containers, which a real cluster never shows.
 */
const ALWAYS_PRESENT: Record<string, () => unknown> = {
  metadata: () => ({}),
  spec: () => ({}),
  status: () => ({}),
  template: () => ({}),
  strategy: () => ({}),
  updateStrategy: () => ({}),
  jobTemplate: () => ({}),
  resources: () => ({}),
  containers: () => [],
  rules: () => [],
};

interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

const mapLike = (v: unknown) => v === undefined || v === null || isObject(v);
const listLike = (v: unknown) => v === undefined || v === null || Array.isArray(v);

/**
 * What changed from `lhs` to `rhs` (SMD Compare), field by field. Runs on every write of every
 * object: the path is one array, grown and shrunk as the walk goes (a set copies what it keeps).
 */
function compare(lhs: JsonObject, rhs: JsonObject, def: Def): Comparison {
  const cmp: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const path: Path = [];
  const leaf = (l: unknown, r: unknown) => {
    if (l === undefined) cmp.added.insert(path);
    else if (r === undefined) cmp.removed.insert(path);
    else if (!deepEqual(l, r)) cmp.modified.insert(path);
  };
  const member = (l: unknown, r: unknown, ty: Ty, lo: JsonObject, ro: JsonObject, k: string) => {
    let lc = own(lo, k);
    const rc = own(ro, k);
    if (lc === undefined && isObject(l)) {
      const zero = own<() => unknown>(ALWAYS_PRESENT, k)?.();
      if (zero !== undefined && (Array.isArray(zero) ? Array.isArray(rc) : isObject(rc))) lc = zero;
    }
    path.push(`f:${k}`);
    walk(lc, rc, fieldTy(ty.def, k));
    path.pop();
  };
  const walk = (l: unknown, r: unknown, ty: Ty): void => {
    // The same part on both sides (a write that keeps a stored part as it is) has no changes.
    if (l === r && (l === undefined || typeof l === 'object')) return;
    if (mapLike(l) && mapLike(r) && (isObject(l) || isObject(r)) && !ty.atomic && !(isEmptyish(l) && isEmptyish(r))) {
      const lo = isObject(l) ? l : {};
      const ro = isObject(r) ? r : {};
      // Members of the left, then those only the right has (the order a set of both gave).
      for (const k of Object.keys(lo)) member(l, r, ty, lo, ro, k);
      for (const k of Object.keys(ro)) if (!hasOwn(lo, k)) member(l, r, ty, lo, ro, k);
    } else if (listLike(l) && listLike(r) && (Array.isArray(l) || Array.isArray(r)) && ty.list.type !== 'atomic' && !(isEmptyish(l) && isEmptyish(r))) {
      const la = Array.isArray(l) ? l : [];
      const ra = Array.isArray(r) ? r : [];
      const lp = listPEs(ty.list, la, path, true);
      const rp = listPEs(ty.list, ra, path, true);
      if (sameItems(lp, rp)) {
        // The same items in the same order (most writes): compared pairwise, without maps.
        for (let i = 0; i < lp.length; i++) {
          path.push(lp[i]);
          walk(la[i], ra[i], itemTy(ty));
          path.pop();
        }
      } else {
        const lm = new Map<string, unknown>();
        const rm = new Map<string, unknown>();
        lp.forEach((pe, i) => lm.has(pe) || lm.set(pe, la[i]));
        rp.forEach((pe, i) => rm.has(pe) || rm.set(pe, ra[i]));
        for (const pe of new Set([...lp, ...rp])) {
          path.push(pe);
          walk(lm.get(pe), rm.get(pe), itemTy(ty));
          path.pop();
        }
      }
    } else {
      leaf(l, r);
      return;
    }
    if (path.length === 0) return;
    if (l === undefined) cmp.added.insert(path);
    else if (r === undefined) cmp.removed.insert(path);
  };
  walk(lhs, rhs, rootTy(def));
  return cmp;
}

/** The same path elements in the same order, none twice. */
function sameItems(lp: readonly PathElement[], rp: readonly PathElement[]): boolean {
  if (lp.length !== rp.length) return false;
  for (let i = 0; i < lp.length; i++) if (lp[i] !== rp[i]) return false;
  if (lp.length > 16) return new Set(lp).size === lp.length;
  for (let i = 1; i < lp.length; i++) for (let j = 0; j < i; j++) if (lp[i] === lp[j]) return false;
  return true;
}

function comparisonIsSame(c: Comparison): boolean {
  return c.added.isEmpty() && c.modified.isEmpty() && c.removed.isEmpty();
}

/**
 * Merges the applied configuration into the live object (SMD Merge): the configuration wins on
 * leaves, maps merge, keyed lists and sets merge by item. `undefined` means "drop this field": a
 * `null` in the configuration clears the field (the applier still owns it).
 */
function mergeValue(l: unknown, r: unknown, ty: Ty, path: Path): unknown {
  if (r === undefined) return l;
  if (r === null) return undefined;
  if (l === undefined || l === null) return withoutNulls(r);
  if (isObject(l) && isObject(r) && !ty.atomic) {
    const out: JsonObject = { ...l };
    for (const [k, rv] of Object.entries(r)) {
      const v = mergeValue(own(l, k), rv, fieldTy(ty.def, k), [...path, `f:${k}`]);
      if (v === undefined) delete out[k];
      else setOwn(out, k, v);
    }
    return out;
  }
  if (Array.isArray(l) && Array.isArray(r) && ty.list.type !== 'atomic') return mergeList(l, r, ty, path);
  return withoutNulls(r);
}

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) setOwn(out, k, withoutNulls(x));
    return out;
  }
  return v;
}

/**
 * Merges two granular lists, keeping live-only items where they are and the applied items in
 * the applied order (SMD's visitListItems with its shared-order walk).
 */
function mergeList(lhs: unknown[], rhs: unknown[], ty: Ty, path: Path): unknown[] {
  const rhsPEs = listPEs(ty.list, rhs, path, false);
  const lhsPEs = listPEs(ty.list, lhs, path, true);
  const observedLHS = new Map<string, unknown>();
  lhsPEs.forEach((pe, i) => observedLHS.has(pe) || observedLHS.set(pe, lhs[i]));
  const observedRHS = new Map<string, unknown>();
  rhsPEs.forEach((pe, i) => observedRHS.set(pe, rhs[i]));
  const sharedOrder = rhsPEs.filter((pe) => observedLHS.has(pe));
  let nextShared = sharedOrder.shift();
  const mergedRHS = new Set<string>();
  const out: unknown[] = [];
  const emit = (l: unknown, r: unknown, pe: string) => {
    const v = r === undefined ? l : mergeValue(l, r, itemTy(ty), [...path, pe]);
    if (v !== undefined) out.push(v);
  };
  let lI = 0;
  let rI = 0;
  while (lI < lhsPEs.length || rI < rhsPEs.length) {
    if (lI < lhsPEs.length && rI < rhsPEs.length) {
      const pe = lhsPEs[lI];
      if (pe === rhsPEs[rI]) {
        mergedRHS.add(pe);
        emit(observedLHS.get(pe), observedRHS.get(pe), pe);
        lI++;
        rI++;
        nextShared = sharedOrder.shift();
        continue;
      }
      if (observedRHS.has(pe) && nextShared !== undefined && nextShared !== pe) {
        lI++;
        continue;
      }
    }
    if (lI < lhsPEs.length) {
      const pe = lhsPEs[lI];
      if (!observedRHS.has(pe)) {
        emit(lhs[lI], undefined, pe);
        lI++;
        continue;
      }
      if (mergedRHS.has(pe)) {
        lI++;
        continue;
      }
    }
    if (rI < rhsPEs.length) {
      const pe = rhsPEs[rI];
      mergedRHS.add(pe);
      emit(observedLHS.get(pe), observedRHS.get(pe), pe);
      rI++;
      if (nextShared !== undefined && nextShared === pe) nextShared = sharedOrder.shift();
    }
  }
  return out;
}

/**
 * Removes the members of `set` from a value (SMD RemoveItems): a member goes whole; a map or
 * list emptied by the removal goes too, as the typed object would drop it.
 */
function removeItems(value: JsonObject, set: FieldSet, def: Def): JsonObject {
  const walk = (v: unknown, s: FieldSet, ty: Ty, path: Path): unknown => {
    if (isObject(v)) {
      if (ty.atomic || Object.keys(v).length === 0) return v;
      const out: JsonObject = {};
      for (const [k, x] of Object.entries(v)) {
        const c = s.children.get(`f:${k}`);
        if (c?.member) continue;
        const kept = c && !c.isEmpty() ? walk(x, c, fieldTy(ty.def, k), [...path, `f:${k}`]) : x;
        if (kept !== undefined) setOwn(out, k, kept);
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    if (Array.isArray(v)) {
      if (ty.list.type === 'atomic' || v.length === 0) return v;
      const pes = listPEs(ty.list, v, path, true);
      const out: unknown[] = [];
      v.forEach((item, i) => {
        const c = s.children.get(pes[i]);
        if (c?.member) return;
        const kept = c && !c.isEmpty() ? walk(item, c, itemTy(ty), [...path, pes[i]]) : item;
        if (kept !== undefined) out.push(kept);
      });
      return out.length > 0 ? out : undefined;
    }
    return v;
  };
  return (walk(value, set, rootTy(def), []) as JsonObject | undefined) ?? {};
}

// ---------------------------------------------------------------- managers

interface ManagerEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

/** SMD's manager key: Apply entries ignore apiVersion, so re-applying in another version is one entry. */
function identifier(e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify({
    manager: e.manager,
    operation: e.operation,
    ...(e.operation === 'Apply' ? {} : { apiVersion: e.apiVersion }),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  });
}

/**
 * The last FieldsV1 trees this module wrote, with the set each was written from, and for any set
 * written, its tree. A manager's entry that a write leaves alone is then neither decoded nor
 * encoded again: every write of a pod used to rebuild all its entries, the controller's whole
 * template among them. Sets are never changed once written, and the trees are frozen
 * (shared-fields.ts). Only a few trees are remembered: a set holds far more than its tree, and
 * most trees (a pod's status, with its IP) belong to one object.
 */
const RECENT_TREES = 64;
const setOfWritten = new Map<JsonObject, FieldSet>();
const writtenOfSet = new WeakMap<FieldSet, JsonObject>();

function encodeFieldSet(set: FieldSet): JsonObject {
  let v = writtenOfSet.get(set);
  if (!v) {
    v = set.toFieldsV1();
    writtenOfSet.set(set, v);
    remember(v, set);
  }
  return v;
}

function decodeFieldSet(v: JsonObject): FieldSet {
  const known = setOfWritten.get(v);
  if (!known) return FieldSet.fromFieldsV1(v);
  remember(v, known);
  return known;
}

/** Keeps the tree among the most recently used ones. */
function remember(v: JsonObject, set: FieldSet): void {
  setOfWritten.delete(v);
  setOfWritten.set(v, set);
  if (setOfWritten.size > RECENT_TREES) setOfWritten.delete(setOfWritten.keys().next().value!);
}

function decodeManagedFields(list: unknown): Map<string, ManagerEntry> {
  const managers = new Map<string, ManagerEntry>();
  if (!Array.isArray(list)) return managers;
  for (const raw of list) {
    if (!isObject(raw)) continue;
    const e: ManagerEntry = {
      manager: typeof raw.manager === 'string' ? raw.manager : '',
      operation: typeof raw.operation === 'string' ? raw.operation : '',
      apiVersion: typeof raw.apiVersion === 'string' ? raw.apiVersion : '',
      set: isObject(raw.fieldsV1) ? decodeFieldSet(raw.fieldsV1) : new FieldSet(),
    };
    if (typeof raw.time === 'string') e.time = raw.time;
    if (typeof raw.subresource === 'string' && raw.subresource) e.subresource = raw.subresource;
    managers.set(identifier(e), e);
  }
  return managers;
}

function seconds(time: string | undefined): number {
  const t = time ? Date.parse(time) : NaN;
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}

/** Entries as the apiserver encodes them: sorted by operation, time, manager, version, subresource. */
function encodeManagedFields(managers: Map<string, ManagerEntry>): JsonObject[] {
  const entries = [...managers.values()].filter((e) => !e.set.isEmpty());
  const cmp = (a: string | undefined, b: string | undefined) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  entries.sort(
    (a, b) =>
      cmp(a.operation, b.operation) ||
      seconds(a.time) - seconds(b.time) ||
      cmp(a.manager, b.manager) ||
      cmp(a.apiVersion, b.apiVersion) ||
      cmp(a.subresource, b.subresource),
  );
  return entries.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    ...(e.time ? { time: e.time } : {}),
    fieldsType: 'FieldsV1',
    fieldsV1: encodeFieldSet(e.set),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}

/** Writes the entries onto a copy's metadata; an object nobody manages has no managedFields. */
function withManagedFields(obj: JsonObject, managers: Map<string, ManagerEntry>): KObject {
  const out = obj as KObject;
  out.metadata = isObject(out.metadata) ? out.metadata : {};
  const encoded = encodeManagedFields(managers);
  if (encoded.length > 0) out.metadata.managedFields = encoded;
  else delete out.metadata.managedFields;
  return out;
}

/**
 * The object without managedFields, sharing everything else with it (for reading only). Members
 * holding undefined stay, which the comparison treats as absent, as a copy would drop them.
 */
function viewWithoutManagedFields(obj: KObject): JsonObject {
  if (!isObject(obj.metadata) || !hasOwn(obj.metadata, 'managedFields')) return obj as JsonObject;
  const { managedFields: _mf, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/**
 * What withoutManagedFields makes of an object the caller has handed over, made of it in place:
 * members holding undefined dropped, managedFields taken off. Frozen parts (shared with stored
 * objects, which were written this way) are left as they are.
 */
function stripInPlace(obj: KObject): JsonObject {
  const stack: unknown[] = [obj];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      if (!Object.isFrozen(v)) for (const x of v) if (x !== null && typeof x === 'object') stack.push(x);
      continue;
    }
    if (!isObject(v) || Object.isFrozen(v)) continue;
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (x === undefined) delete v[k];
      else if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
  if (isObject(obj.metadata) && !Object.isFrozen(obj.metadata)) delete obj.metadata.managedFields;
  return obj as JsonObject;
}

function withoutManagedFields(obj: KObject | JsonObject | undefined): JsonObject {
  if (!obj) return {};
  const out = copyJson(obj, true) as JsonObject;
  if (isObject(out.metadata)) delete out.metadata.managedFields;
  return out;
}

/** Fields no manager ever owns (fieldmanager's stripMetaManager). */
const STRIPPED = FieldSet.of([
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => [
    'f:metadata',
    `f:${f}`,
  ]),
]);

/** Drops what a write cannot own: server-set metadata, and the part another endpoint resets. */
function ownable(set: FieldSet, apiVersion: string, kind: string, subresource: string | undefined): FieldSet {
  let s = set.difference(STRIPPED);
  if (resetsStatus(apiVersion, kind)) s = s.excluding(subresource === 'status' ? [['f:spec']] : [['f:status']]);
  return s;
}

function ownableComparison(c: Comparison, apiVersion: string, kind: string, subresource?: string): Comparison {
  return {
    added: ownable(c.added, apiVersion, kind, subresource),
    modified: ownable(c.modified, apiVersion, kind, subresource),
    removed: ownable(c.removed, apiVersion, kind, subresource),
  };
}

function failure(code: number, reason: string | undefined, message: string, details?: Status['details']): ApiError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
  if (reason) status.reason = reason;
  if (details) status.details = details;
  return new ApiError(status);
}

/** How a conflict names a manager: Apply managers by name, updaters with the version they wrote. */
function printManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

interface Conflict {
  id: string;
  entry: ManagerEntry;
  path: Path;
}

function conflictError(conflicts: Conflict[]): ApiError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.entry)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].entry)}: ${pathString(conflicts[0].path)}`;
  } else {
    const lines: string[] = [];
    for (const id of [...new Set(conflicts.map((c) => c.id))].sort()) {
      const mine = conflicts.filter((c) => c.id === id);
      lines.push(`conflicts with ${printManager(mine[0].entry)}:`);
      for (const c of mine) lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return failure(409, 'Conflict', message, { causes });
}

function typeError(config: KObject, apiVersion: string, kind: string, err: TypeError_): ApiError {
  return typedPatchError(config, apiVersion, kind, err.message);
}

/**
 * An applied configuration the schema cannot type (a field it does not declare, a list item
 * without its key). A Go error, not a Status: the apiserver answers 500 without a reason, which
 * kubectl prints as "Error from server: failed to create typed patch object ...".
 */
export function typedPatchError(config: KObject, apiVersion: string, kind: string, message: string): ApiError {
  const gvk = `${apiVersion.includes('/') ? apiVersion : `/${apiVersion}`}, Kind=${kind}`;
  const ns = config.metadata?.namespace ?? '';
  const name = config.metadata?.name ?? '';
  return failure(500, undefined, `failed to create typed patch object (${ns}/${name}; ${gvk}): ${message}`);
}

// ---------------------------------------------------------------- apply

/**
 * Server-side apply of `config` by `manager` onto `live` (undefined on create). Returns the new
 * object with its managedFields; inputs are not modified. Throws 409 Conflict when another manager
 * owns a field this apply would change and `force` is false.
 */
export function applyConfiguration(
  live: KObject | undefined,
  config: KObject,
  manager: string,
  force: boolean,
  now: string,
  apiVersion: string,
  kind: string,
): KObject {
  if (config.apiVersion !== undefined && config.apiVersion !== apiVersion) {
    throw failure(400, 'BadRequest', `Incorrect version specified in apply patch. Specified patch version: ${config.apiVersion}, expected: ${apiVersion}`);
  }
  if (config.metadata?.managedFields !== undefined && config.metadata.managedFields !== null) {
    throw failure(400, 'BadRequest', 'metadata.managedFields must be nil');
  }
  try {
    return apply(live, config, manager, force, now, apiVersion, kind);
  } catch (err) {
    if (err instanceof TypeError_) throw typeError(config, apiVersion, kind, err);
    throw err;
  }
}

function apply(live: KObject | undefined, config: KObject, manager: string, force: boolean, now: string, apiVersion: string, kind: string): KObject {
  const def = rootDefinition(apiVersion, kind);
  const applied = copyJson(config, true) as JsonObject;
  const appliedSet = toFieldSet(applied, def, false);
  const liveObj = withoutManagedFields(live);
  const managers = decodeManagedFields(live?.metadata?.managedFields);
  if (live && managers.size === 0) {
    // An object nobody manages yet (written before tracking): the apiserver first attributes what
    // it holds to "before-first-apply", so an apply that changes those values conflicts.
    const cmp = ownableComparison(compare({}, liveObj, def), apiVersion, kind);
    const set = cmp.added.union(cmp.modified);
    const entry = { manager: 'before-first-apply', operation: 'Update', apiVersion, time: now, set };
    if (!set.isEmpty()) managers.set(identifier(entry), entry);
  }
  const applierId = identifier({ manager, operation: 'Apply', apiVersion });
  const previous = managers.get(applierId);
  managers.set(applierId, { manager, operation: 'Apply', apiVersion, ...(previous?.time ? { time: previous.time } : {}), set: ownable(appliedSet, apiVersion, kind, undefined) });

  let merged = mergeValue(liveObj, applied, rootTy(def), []) as JsonObject;
  merged = prune(merged, managers, previous?.set, def);

  const cmp = ownableComparison(compare(liveObj, merged, def), apiVersion, kind);
  const changed = cmp.modified.union(cmp.added);
  const conflicts: Conflict[] = [];
  const ids = [...managers.keys()].filter((id) => id !== applierId).sort();
  for (const id of ids) {
    const entry = managers.get(id)!;
    for (const path of entry.set.intersection(changed).members()) conflicts.push({ id, entry, path });
  }
  if (conflicts.length > 0 && !force) {
    // kubectl's own upgrade path from client-side apply: fields it last applied client-side and
    // that still hold those values may be taken over without --force-conflicts.
    const allowed = manager === 'kubectl' && live ? allowedFromLastApplied(live, apiVersion, def) : undefined;
    const remaining = allowed ? conflicts.filter((c) => !allowed.has(c.path)) : conflicts;
    if (remaining.length > 0) throw conflictError(remaining);
  }
  const taken = FieldSet.of(conflicts.map((c) => c.path));
  for (const id of ids) {
    const entry = managers.get(id)!;
    entry.set = entry.set.difference(taken).difference(cmp.removed);
  }
  for (const [id, entry] of managers) if (entry.set.isEmpty()) managers.delete(id);
  const mine = managers.get(applierId);
  if (mine && (!comparisonIsSame(cmp) || !mine.time)) mine.time = now;

  if (manager === 'kubectl' && live?.metadata?.annotations?.[LAST_APPLIED] !== undefined) {
    // Keeps a later client-side `kubectl apply` consistent with what was applied server-side.
    const metadata = (isObject(merged.metadata) ? merged.metadata : {}) as JsonObject;
    const annotations = { ...((metadata.annotations as JsonObject | undefined) ?? {}), [LAST_APPLIED]: lastAppliedValue(config) };
    merged = { ...merged, metadata: { ...metadata, annotations } };
  }
  return withManagedFields(merged, managers);
}

/**
 * Drops what the applier applied last time but not now, unless another manager owns it (SMD's
 * prune, with its add-back of owned and dangling items): only fields the applier used to own go.
 */
function prune(merged: JsonObject, managers: Map<string, ManagerEntry>, last: FieldSet | undefined, def: Def): JsonObject {
  if (!last || last.isEmpty()) return merged;
  const named = (s: FieldSet) => s.withNamedFieldsAsMembers();
  const lastNamed = named(last);
  const pruned = removeItems(merged, lastNamed, def);
  let owned = new FieldSet();
  for (const e of managers.values()) owned = owned.union(e.set);
  const mergedSet = named(toFieldSet(merged, def, true));
  const ownedBack = removeItems(merged, mergedSet.difference(named(toFieldSet(pruned, def, true)).union(named(owned))), def);
  const dangling = mergedSet.difference(named(toFieldSet(ownedBack, def, true))).intersection(lastNamed);
  return removeItems(merged, dangling, def);
}

function allowedFromLastApplied(live: KObject, apiVersion: string, def: Def): FieldSet | undefined {
  const raw = live.metadata?.annotations?.[LAST_APPLIED];
  if (!raw) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last.apiVersion !== apiVersion) return undefined;
  try {
    const set = toFieldSet(last, def, true);
    const cmp = compare(last, withoutManagedFields(live), def);
    // Only fields whose live value still is what was last applied count as kubectl's.
    return set.difference(cmp.modified).difference(cmp.added).difference(cmp.removed);
  } catch {
    return undefined;
  }
}

/** The annotation kubectl writes: the applied object as sorted JSON, without the annotation itself. */
function lastAppliedValue(config: KObject): string {
  const copy = copyJson(config, true) as JsonObject;
  const metadata = copy.metadata as JsonObject | undefined;
  const annotations = metadata?.annotations as JsonObject | undefined;
  if (annotations) {
    delete annotations[LAST_APPLIED];
    if (Object.keys(annotations).length === 0) delete metadata!.annotations;
  }
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v;
  return `${JSON.stringify(sorted(copy))}\n`;
}

// ---------------------------------------------------------------- update

/**
 * Records an ordinary create/update/patch by `manager` in `next`'s managedFields: the fields this
 * write changed become the manager's (one Update entry per manager, version and subresource) and
 * leave every other manager's set. `next.metadata.managedFields`, when a client sent a non-empty
 * list, replaces the old ones, as the apiserver allows; otherwise `old`'s are kept. Returns a copy,
 * or with `handedOver` (the caller's own object, which it will not use again), `next` itself.
 */
export function recordUpdate(
  old: KObject | undefined,
  next: KObject,
  manager: string,
  operation: 'Update',
  now: string,
  apiVersion: string,
  subresource?: string,
  handedOver = false,
): KObject {
  const kind = next.kind ?? old?.kind ?? '';
  const def = rootDefinition(apiVersion, kind);
  const sent = next.metadata?.managedFields;
  const managers = decodeManagedFields(Array.isArray(sent) && sent.length > 0 && !subresource ? sent : old?.metadata?.managedFields);
  // The old object is only compared, never kept: a view without its managedFields will do.
  const oldObj = old ? viewWithoutManagedFields(old) : {};
  const nextObj = handedOver ? stripInPlace(next) : withoutManagedFields(next);
  let cmp: Comparison;
  try {
    cmp = ownableComparison(compare(oldObj, nextObj, def), apiVersion, kind, subresource);
  } catch (err) {
    if (!(err instanceof TypeError_)) throw err;
    // An object the schema cannot key (e.g. a list item without its key) is left unattributed.
    return withManagedFields(nextObj, managers);
  }
  const changed = cmp.modified.union(cmp.added);
  for (const entry of managers.values()) {
    // An entry this write takes nothing from stays the same set, and so keeps its encoding (a set
    // decoded from a client's FieldsV1 goes through difference, which also tidies it).
    const kept = writtenOfSet.has(entry.set) && !entry.set.meets(changed) && !entry.set.meets(cmp.removed);
    if (!kept) entry.set = entry.set.difference(changed).difference(cmp.removed);
  }
  const touched = changed.difference(cmp.removed);
  if (!touched.isEmpty()) {
    const id = identifier({ manager, operation, apiVersion, subresource });
    const prior = managers.get(id);
    managers.set(id, {
      manager,
      operation,
      apiVersion,
      time: now,
      ...(subresource ? { subresource } : {}),
      set: prior ? prior.set.union(touched) : touched,
    });
  }
  for (const [id, entry] of managers) if (entry.set.isEmpty()) managers.delete(id);
  return withManagedFields(nextObj, managers);
}

// FieldsV1 trees shared between objects. Every pod a ReplicaSet stamps out carries the same
// managedFields shape (the template's fields for the controller, the kubelet's status fields), so
// a cluster of 150,000 pods would otherwise hold 150,000 copies of the same few trees. A tree is
// built bottom-up from already-shared children; one with the same members is found by a key made
// of the member names and the children's ids, and reused. Shared trees are frozen (they sit in
// frozen stored objects anyway).
// Only the trees made lately are remembered (recent.ts): most trees never repeat, since a pod's
// own IP or volume name is a member.
import { setOwn, type JsonObject } from '../own.js';
import { RecentMap } from '../recent.js';

const byKey = new RecentMap<string, JsonObject>(8192);
const idOf = new WeakMap<JsonObject, number>();
let lastId = 0;

/**
 * The shared, frozen FieldsV1 node with these members, in this order (the order is part of the
 * key: FieldsV1 is written sorted, and JSON keeps member order). Children must come from here.
 */
export function sharedFieldsNode(members: ReadonlyArray<readonly [string, JsonObject]>): JsonObject {
  let key = '';
  for (const [name, child] of members) key += `${name}\u0000${idOf.get(child) ?? intern(child)}\u0001`;
  const found = byKey.get(key);
  if (found) return found;
  const node: JsonObject = {};
  for (const [name, child] of members) setOwn(node, name, child);
  Object.freeze(node);
  idOf.set(node, ++lastId);
  byKey.set(key, node);
  return node;
}

/** A child made elsewhere (never, from FieldSet): give it an id of its own, unshared (negative: not made here). */
function intern(child: JsonObject): number {
  idOf.set(child, -++lastId);
  return -lastId;
}

/**
 * Whether this tree was made here, so is in FieldsV1's own form (members sorted, `.` only beside
 * children), as a tree a client sent may not be.
 */
export function madeHere(v: JsonObject): boolean {
  return (idOf.get(v) ?? 0) > 0;
}

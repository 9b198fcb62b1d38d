// A cluster's whole state in one JSON file: what a cluster's log (journal.ts) is compacted into,
// and what lessons and quiz items copy to start from a known state. Reading one back checks every
// object, so that one malformed object is left out and reported instead of breaking the cluster
// (or being saved again as if nothing were wrong).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Cluster } from './cluster.js';
import type { KObject } from './kinds/types.js';
import { objectKey } from './store.js';
import { checkFields } from './schema-check.js';
import { privateDir, writeFileDurably } from '../durable-files.js';

export interface Snapshot {
  kind: 'KubedojoClusterSnapshot';
  version: 1;
  resourceVersion: number;
  objects: Record<string, KObject[]>;
}

export function snapshotOf(cluster: Cluster): Snapshot {
  const { resourceVersion, objects } = cluster.store.dump();
  return { kind: 'KubedojoClusterSnapshot', version: 1, resourceVersion, objects };
}

/** Why the text is not a snapshot this kubedojo reads, or the snapshot. */
export function parseSnapshot(text: string): { snapshot: Snapshot } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { problem: `it is not valid JSON (${(err as Error).message})` };
  }
  const s = parsed as Partial<Snapshot> | null;
  if (typeof s !== 'object' || s === null || s.kind !== 'KubedojoClusterSnapshot') return { problem: 'it is not a kubedojo cluster snapshot' };
  if (s.version !== 1) return { problem: `it has format version ${JSON.stringify(s.version)}, and this kubedojo reads version 1` };
  if (!Number.isSafeInteger(s.resourceVersion) || s.resourceVersion! < 0) return { problem: 'its resourceVersion is not a number' };
  if (typeof s.objects !== 'object' || s.objects === null || Array.isArray(s.objects) || Object.values(s.objects).some((l) => !Array.isArray(l))) {
    return { problem: 'its objects are not lists by resource' };
  }
  return { snapshot: s as Snapshot };
}

/**
 * Why a stored object cannot be used in this cluster, or undefined when it can: it must name
 * itself under `key` and, for a built-in kind, have the JSON types its schema gives (a `spec`
 * that is a string would break every controller and printer that reads it).
 */
export function objectProblem(cluster: Cluster, resource: string, key: string | undefined, obj: unknown): string | undefined {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return 'it is not an object';
  const meta = (obj as KObject).metadata as KObject['metadata'] | undefined;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return 'it has no metadata';
  if (typeof meta.name !== 'string' || !meta.name) return 'it has no name';
  if (meta.namespace !== undefined && (typeof meta.namespace !== 'string' || !meta.namespace)) return 'its namespace is not a name';
  if (key !== undefined && objectKey(meta.namespace, meta.name) !== key) return `it is filed as ${key} but names itself ${objectKey(meta.namespace, meta.name)}`;
  const slash = resource.indexOf('/');
  const def = slash < 0 ? undefined : cluster.kinds.byGroupResource(resource.slice(0, slash), resource.slice(slash + 1));
  // Custom resources are judged by their CRD's schema once it is loaded; nothing to go on here.
  if (!def || def.crd) return undefined;
  if (def.namespaced !== (meta.namespace !== undefined)) return def.namespaced ? 'it has no namespace' : 'it has a namespace, and its kind has none';
  const { typeErrors } = checkFields(def, obj);
  return typeErrors.length ? typeErrors.join('; ') : undefined;
}

export interface LeftOut {
  resource: string;
  key: string;
  why: string;
}

/** The snapshot's objects this cluster can use, and the ones left out with why. */
export function usableObjects(cluster: Cluster, snapshot: Snapshot): { snapshot: Snapshot; leftOut: LeftOut[] } {
  const leftOut: LeftOut[] = [];
  const objects: Record<string, KObject[]> = {};
  for (const [resource, list] of Object.entries(snapshot.objects)) {
    const kept: KObject[] = [];
    for (const obj of list) {
      const why = objectProblem(cluster, resource, undefined, obj);
      if (why) leftOut.push({ resource, key: describeKey(obj), why });
      else kept.push(obj);
    }
    if (kept.length) objects[resource] = kept;
  }
  return { snapshot: { ...snapshot, objects }, leftOut };
}

function describeKey(obj: unknown): string {
  const meta = (obj as { metadata?: { namespace?: unknown; name?: unknown } } | null)?.metadata;
  const name = typeof meta?.name === 'string' ? meta.name : '(no name)';
  return typeof meta?.namespace === 'string' ? `${meta.namespace}/${name}` : name;
}

/** `configmaps default/web`, the way a person would name a left-out object. */
export function describeLeftOut(o: LeftOut): string {
  return `${o.resource.replace(/^\//, '')} ${o.key} (${o.why})`;
}

export function restoreSnapshot(cluster: Cluster, snapshot: Snapshot): void {
  if (snapshot?.kind !== 'KubedojoClusterSnapshot' || snapshot.version !== 1 || typeof snapshot.objects !== 'object') {
    throw new Error('not a kubedojo cluster snapshot (expected kind KubedojoClusterSnapshot, version 1)');
  }
  cluster.store.load(snapshot);
  cluster.reloaded();
}

/** Writes the cluster's state to a file, on disk when this returns. */
export function saveClusterFile(cluster: Cluster, file: string): void {
  privateDir(path.dirname(file));
  writeFileDurably(file, JSON.stringify(snapshotOf(cluster)));
}

/** Restores a cluster from a file; throws when the file cannot be read or holds a malformed object. */
export function loadClusterFile(cluster: Cluster, file: string): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the saved cluster in ${file}: ${(err as Error).message}`);
  }
  const parsed = parseSnapshot(text);
  if ('problem' in parsed) throw new Error(`cannot read the saved cluster in ${file}: ${parsed.problem}`);
  const { leftOut } = usableObjects(cluster, parsed.snapshot);
  if (leftOut.length) throw new Error(`cannot read the saved cluster in ${file}: ${leftOut.map(describeLeftOut).join('; ')}`);
  restoreSnapshot(cluster, parsed.snapshot);
}

// A cluster's whole state in one JSON file: lessons reset to a saved state, and the tutor picks
// up where it left off after a restart. Writes go to a temporary file first, so a crash while
// saving never leaves a half-written state behind.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Cluster } from './cluster.js';
import type { KObject } from './kinds/types.js';

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

export function restoreSnapshot(cluster: Cluster, snapshot: Snapshot): void {
  if (snapshot?.kind !== 'KubedojoClusterSnapshot' || snapshot.version !== 1 || typeof snapshot.objects !== 'object') {
    throw new Error('not a kubedojo cluster snapshot (expected kind KubedojoClusterSnapshot, version 1)');
  }
  cluster.store.load(snapshot);
  cluster.reloaded();
}

export function saveClusterFile(cluster: Cluster, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshotOf(cluster)));
  renameSync(tmp, file);
}

export function loadClusterFile(cluster: Cluster, file: string): void {
  let parsed: Snapshot;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  } catch (err) {
    throw new Error(`cannot read the saved cluster in ${file}: ${(err as Error).message}`);
  }
  restoreSnapshot(cluster, parsed);
}

// The journal under kill -9: a writer process creating and deleting objects, its log compacted
// all the time, is killed at varied moments (in a write, a sync, a snapshot, a swap of logs); each
// time, the cluster opened afterwards holds every change the writer had been told was on disk.
// The writer runs the built journal (dist/, which `npm test` builds first).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runAndKill } from '../../helpers/kill-writer.js';
import { openCluster } from '../../../src/core/cluster/journal.js';
import { newCluster } from '../../../src/core/cluster/factory.js';
import { builtinKinds } from '../../../src/core/cluster/kinds/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dist = path.join(root, 'dist');
const writer = path.join(root, 'test/core/cluster/fixtures/journal-writer.mjs');
const CM = builtinKinds().byGroupResource('', 'configmaps')!;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));


describe('a cluster\'s journal under kill -9', () => {
  it('keeps every change reported durable, over 25 kills in writes, syncs and compactions', async () => {
    if (!existsSync(path.join(dist, 'src/core/cluster/journal.js'))) throw new Error('run `npm run build` first (`npm test` does)');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-journal-crash-'));
    dirs.push(dir);
    const file = path.join(dir, 'c.json');
    const present = new Set<string>();
    const absent = new Set<string>();
    for (let run = 0; run < 25; run++) {
      const turns = await runAndKill(writer, [dist, file, String(run)], 1 + (run % 5), (run * 13) % 97);
      for (const turn of turns) {
        if (turn.startsWith('?')) {
          present.delete(turn.slice(1));
          continue;
        }
        for (const change of turn.split(' ')) {
          const name = change.slice(1);
          if (change.startsWith('+')) present.add(name);
          else {
            present.delete(name);
            absent.add(name);
          }
        }
      }
      const { cluster, journal, damage } = openCluster({ file, make: (empty) => newCluster({ empty, controlPlane: false }) });
      const names = new Set(cluster.list(CM, 'default').items.map((c) => c.metadata.name));
      await journal.close();
      expect(damage, `after kill ${run + 1}`).toBeUndefined();
      expect([...present].filter((n) => !names.has(n)), `lost after kill ${run + 1}`).toEqual([]);
      expect([...absent].filter((n) => names.has(n)), `deletes undone after kill ${run + 1}`).toEqual([]);
    }
    expect(present.size).toBeGreaterThan(25);
    expect(readdirSync(dir).filter((f) => f.includes('damaged'))).toEqual([]);
  });
});

// A cluster's journal: every change is on disk before durable() settles, a crash (here: a second
// cluster opened on the same files while the first still runs) finds every one of them, the log
// is compacted into the snapshot, a torn last record is dropped quietly, and anything damaged is
// reported, kept aside and left out without losing what could be read.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { durable, openCluster, recordLine, type OpenedCluster } from '../../../src/core/cluster/journal.js';
import { newCluster } from '../../../src/core/cluster/factory.js';
import { ManualClock } from '../../../src/core/cluster/clock.js';
import { builtinKinds } from '../../../src/core/cluster/kinds/index.js';
import { restoreSnapshot, snapshotOf } from '../../../src/core/cluster/snapshot.js';

const kinds = builtinKinds();
const CM = kinds.byGroupResource('', 'configmaps')!;
const dirs: string[] = [];
const open: OpenedCluster[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.journal.close().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-journal-'));
  dirs.push(d);
  return path.join(d, 'clusters');
}

/** Opens the cluster saved in `dir` (a bare one: no controllers write on their own). */
function openIn(dir: string, opts: { compactBytes?: number; eager?: boolean } = {}): OpenedCluster {
  const clock = new ManualClock(new Date('2026-03-01T00:00:00Z'));
  const o = openCluster({ file: path.join(dir, 'c.json'), eager: opts.eager ?? true, compactBytes: opts.compactBytes, make: (empty) => newCluster({ clock, empty, controlPlane: false }), now: () => new Date('2026-03-01T12:00:00Z') });
  open.push(o);
  return o;
}

const configMaps = (o: OpenedCluster) => o.cluster.list(CM, 'default').items.map((c) => c.metadata.name).filter((n) => n !== 'kube-root-ca.crt');
const make = (o: OpenedCluster, name: string) => o.cluster.create(CM, 'default', { metadata: { name }, data: { k: name } }).object;
const logOf = (dir: string) => path.join(dir, 'c.log');

describe('a cluster kept by its journal', () => {
  it('has a change on disk by the time durable() settles: a crash after that finds it, resourceVersion and all', async () => {
    const dir = folder();
    const first = openIn(dir);
    const made = make(first, 'kept');
    await durable(first.cluster);
    // The first is never closed: what the second finds is what a crash would leave.
    const second = openIn(dir);
    expect(second.damage).toBeUndefined();
    expect(second.cluster.get(CM, 'default', 'kept').metadata.resourceVersion).toBe(made.metadata.resourceVersion);
    expect(second.cluster.get(CM, 'default', 'kept').data).toEqual({ k: 'kept' });
  });

  it('keeps deletes and updates in order, and new writes after a restart take later resourceVersions', async () => {
    const dir = folder();
    const first = openIn(dir);
    for (const n of ['a', 'b', 'c']) make(first, n);
    first.cluster.delete(CM, 'default', 'b');
    first.cluster.update(CM, 'default', 'c', { ...first.cluster.get(CM, 'default', 'c'), data: { k: 'changed' } });
    const last = Number(first.cluster.store.resourceVersion);
    await durable(first.cluster);
    const second = openIn(dir);
    expect(configMaps(second)).toEqual(['a', 'c']);
    expect(second.cluster.get(CM, 'default', 'c').data).toEqual({ k: 'changed' });
    expect(Number(make(second, 'd').metadata.resourceVersion)).toBeGreaterThan(last);
  });

  it('writes nothing while nothing changes', async () => {
    const dir = folder();
    const o = openIn(dir);
    make(o, 'once');
    await durable(o.cluster);
    const before = readdirSync(dir).map((f) => [f, statSync(path.join(dir, f)).mtimeMs, statSync(path.join(dir, f)).size]);
    o.cluster.list(CM, 'default');
    o.cluster.get(CM, 'default', 'once');
    await new Promise((r) => setTimeout(r, 50));
    expect(durable(o.cluster)).toBeUndefined();
    expect(readdirSync(dir).map((f) => [f, statSync(path.join(dir, f)).mtimeMs, statSync(path.join(dir, f)).size])).toEqual(before);
  });

  it('writes a never-saved cluster with its first change when not asked to save it at once', async () => {
    const dir = folder();
    const o = openIn(dir, { eager: false });
    expect(existsSync(dir) && readdirSync(dir)).toEqual([]);
    make(o, 'first');
    await durable(o.cluster);
    expect(configMaps(openIn(dir))).toEqual(['first']);
  });

  it('compacts the log into the snapshot once it outgrows it, losing no change', async () => {
    const dir = folder();
    const o = openIn(dir, { compactBytes: 4096 });
    const snapshotSize = statSync(path.join(dir, 'c.json')).size;
    for (let i = 0; i < 300; i++) {
      o.cluster.create(CM, 'default', { metadata: { name: `cm-${String(i).padStart(3, '0')}` }, data: { k: 'x'.repeat(1000) } });
      if (i % 3 === 0) o.cluster.delete(CM, 'default', `cm-${String(i).padStart(3, '0')}`);
      await durable(o.cluster);
    }
    // Cut back whenever it grew past the snapshot (which grows with the cluster).
    expect(statSync(logOf(dir)).size).toBeLessThanOrEqual(statSync(path.join(dir, 'c.json')).size + 4096);
    expect(statSync(path.join(dir, 'c.json')).size).toBeGreaterThan(snapshotSize);
    const again = openIn(dir);
    expect(configMaps(again)).toEqual(Array.from({ length: 300 }, (_, i) => `cm-${String(i).padStart(3, '0')}`).filter((_, i) => i % 3 !== 0));
  });

  it('writes a restored snapshot whole before it counts as done', async () => {
    const dir = folder();
    const o = openIn(dir);
    make(o, 'before');
    const saved = snapshotOf(o.cluster);
    make(o, 'after');
    await durable(o.cluster);
    restoreSnapshot(o.cluster, saved);
    expect(durable(o.cluster)).toBeDefined();
    await durable(o.cluster);
    expect(configMaps(openIn(dir))).toEqual(['before']);
  });

  it('keeps every file 0600 in a 0700 folder', async () => {
    const dir = folder();
    const o = openIn(dir);
    make(o, 'private');
    await durable(o.cluster);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(dir)) expect([f, statSync(path.join(dir, f)).mode & 0o777]).toEqual([f, 0o600]);
  });
});

describe('a crash in the middle of an append', () => {
  it('leaves a torn last record, which is dropped without a word and cut off the log', async () => {
    const dir = folder();
    const o = openIn(dir);
    make(o, 'a');
    make(o, 'b');
    await durable(o.cluster);
    const good = statSync(logOf(dir)).size;
    appendFileSync(logOf(dir), '1234abcd {"rv":999,"r":"/configmaps","k":"default/half","o":{"meta');
    const again = openIn(dir);
    expect(again.damage).toBeUndefined();
    expect(configMaps(again)).toEqual(['a', 'b']);
    expect(statSync(logOf(dir)).size).toBe(good);
    expect(readdirSync(dir).filter((f) => f.includes('damaged'))).toEqual([]);
  });
});

describe('a crash in the middle of a compaction', () => {
  it('leaves the changes since in the next log, and both logs are replayed', async () => {
    const dir = folder();
    const o = openIn(dir);
    for (const n of ['a', 'b', 'c']) make(o, n);
    await durable(o.cluster);
    // As the files are while a compaction writes its snapshot: older changes in the log, newer in the next.
    const [header, ...lines] = readFileSync(logOf(dir), 'utf8').split(/(?<=\n)/);
    writeFileSync(logOf(dir), header + lines[0]);
    writeFileSync(`${logOf(dir)}.next`, header + lines.slice(1).join(''));
    const again = openIn(dir);
    expect(again.damage).toBeUndefined();
    expect(configMaps(again)).toEqual(['a', 'b', 'c']);
    expect(existsSync(`${logOf(dir)}.next`)).toBe(false);
  });

  it('compacts while changes go on, and loses none of them', async () => {
    const dir = folder();
    const o = openIn(dir, { compactBytes: 1 });
    const big = 'x'.repeat(20_000);
    for (let i = 0; i < 60; i++) {
      o.cluster.create(CM, 'default', { metadata: { name: `cm-${i}` }, data: { k: big } });
      if (i % 2) await durable(o.cluster);
    }
    await durable(o.cluster);
    expect(o.journal.stats.compactions).toBeGreaterThan(0);
    await o.journal.close();
    const again = openIn(dir);
    expect(configMaps(again)).toHaveLength(60);
  });
});

describe('damaged state', () => {
  it('a line of the log that cannot be read between good ones: reported, the log kept aside, every other change applied', async () => {
    const dir = folder();
    const o = openIn(dir);
    for (const n of ['a', 'b', 'c']) make(o, n);
    await durable(o.cluster);
    const text = readFileSync(logOf(dir), 'utf8');
    const damaged = text.replace('"k":"default/b"', '"k":"default/B"');
    writeFileSync(logOf(dir), damaged);
    const again = openIn(dir);
    expect(configMaps(again)).toEqual(['a', 'c']);
    expect(again.damage!.report).toMatch(/1 change in the cluster's log .*c\.log could not be read and was skipped/);
    expect(again.damage!.report).toMatch(/What was on disk is kept, untouched, in .*c\.log\.damaged-2026-03-01T12-00-00-000Z: look there for anything you miss/);
    expect(readFileSync(path.join(dir, 'c.log.damaged-2026-03-01T12-00-00-000Z'), 'utf8')).toBe(damaged);
    // What could be read is in the new snapshot; the next start finds nothing wrong.
    await again.journal.close();
    const third = openIn(dir);
    expect(third.damage).toBeUndefined();
    expect(configMaps(third)).toEqual(['a', 'c']);
  });

  it('a snapshot holding a malformed object: the object left out and named, the file kept aside, never saved over', async () => {
    const dir = folder();
    const o = openIn(dir);
    make(o, 'fine');
    await o.journal.close({ compact: true });
    const file = path.join(dir, 'c.json');
    const snap = JSON.parse(readFileSync(file, 'utf8'));
    snap.objects['apps/deployments'] = [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'broken', namespace: 'default', resourceVersion: '5' }, spec: 'broken' }];
    const text = JSON.stringify(snap);
    writeFileSync(file, text);
    const again = openIn(dir);
    expect(again.damage!.report).toMatch(/1 object in the saved cluster .*c\.json could not be used and was left out: apps\/deployments default\/broken \(.*spec.*\)/);
    expect(again.damage!.report).toContain('Everything else was restored');
    expect(again.damage!.learner).toMatch(/^Part of your cluster's saved state was damaged and left out: apps\/deployments default\/broken/);
    expect(configMaps(again)).toEqual(['fine']);
    expect(readFileSync(path.join(dir, 'c.json.damaged-2026-03-01T12-00-00-000Z'), 'utf8')).toBe(text);
    expect(readFileSync(file, 'utf8')).not.toContain('"spec":"broken"');
  });

  it('a snapshot that is not JSON: a fresh cluster with what the log still held, reported, the file kept aside', async () => {
    const dir = folder();
    const o = openIn(dir);
    make(o, 'in-the-log');
    await durable(o.cluster);
    writeFileSync(path.join(dir, 'c.json'), '{"kind": "KubedojoClusterSnap');
    const again = openIn(dir);
    expect(again.damage!.report).toMatch(/^the saved cluster .*c\.json could not be read: it is not valid JSON .*A fresh cluster took its place, with the 1 change its log still held\./);
    expect(again.damage!.learner).toMatch(/start from a fresh cluster with only your latest changes: make again anything you miss/);
    expect(configMaps(again)).toEqual(['in-the-log']);
    expect(readFileSync(path.join(dir, 'c.json.damaged-2026-03-01T12-00-00-000Z'), 'utf8')).toBe('{"kind": "KubedojoClusterSnap');
  });

  it('a logged change whose object is malformed: skipped and named, the rest applied', async () => {
    const dir = folder();
    const o = openIn(dir);
    make(o, 'good');
    await durable(o.cluster);
    appendFileSync(logOf(dir), recordLine({ rv: 10_000, r: '/pods', k: 'default/p', o: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: 'none' } } as never }));
    const again = openIn(dir);
    expect(again.damage!.report).toMatch(/1 change in the cluster's log .* held a malformed object and was skipped: pods default\/p \(/);
    expect(configMaps(again)).toEqual(['good']);
    expect(again.cluster.store.get('/pods', 'default', 'p')).toBeUndefined();
  });
});

// What keeping clusters on disk costs: single-object create and strategic-merge patch latency
// with every write synced before its answer, against the same server in memory only, in
// alternating runs (so that other load on the machine falls on both alike); how many changes
// each sync of the log carries (group commit); how long a restart takes to replay a full log; and
// what an idle `kubedojo serve` writes (nothing).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { here, startServerChild } from './lib.mjs';
import { openCluster } from '../dist/src/core/cluster/journal.js';
import { newCluster } from '../dist/src/core/cluster/factory.js';
import { builtinKinds } from '../dist/src/core/cluster/kinds/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(durable) {
  const srv = await startServerChild({ POD_COUNT: '100', DURABLE: durable ? '1' : '0' });
  const headers = { authorization: `Bearer ${srv.token}`, 'content-type': 'application/json', accept: 'application/json' };
  let n = 0;
  const scenarios = {
    create: { method: 'POST', path: '/api/v1/namespaces/bench/configmaps', setupRequest: (req) => ({ ...req, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${process.pid}-${n++}` }, data: { k: 'v' } }) }) },
    patch: { method: 'PATCH', path: '/api/v1/namespaces/bench/pods/pod-00007', headers: { ...headers, 'content-type': 'application/strategic-merge-patch+json' }, setupRequest: (req) => ({ ...req, body: JSON.stringify({ metadata: { labels: { round: String(n++) } } }) }) },
  };
  const out = {};
  for (const [name, s] of Object.entries(scenarios)) {
    const r = await autocannon({ url: `https://127.0.0.1:${srv.port}`, connections: CONNECTIONS, duration: DURATION, headers, requests: [{ ...s, path: `/clusters/${srv.id}${s.path}`, headers: s.headers ?? headers }], tlsOptions: { ca: srv.ca } });
    out[name] = { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, errors: r.errors + r.non2xx };
  }
  const summary = srv.child.summary();
  srv.child.kill('SIGTERM');
  out.journal = (await summary)?.journal;
  return out;
}

const runs = { durable: [], memory: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of round % 2 ? ['memory', 'durable'] : ['durable', 'memory']) runs[mode].push(await measure(mode === 'durable'));
}
const rows = [];
for (const op of ['create', 'patch']) {
  for (const mode of ['durable', 'memory']) {
    const rs = runs[mode].map((r) => r[op]);
    rows.push({ op, mode, 'p50 ms': median(rs.map((r) => r.p50)), 'p99 ms': median(rs.map((r) => r.p99)), 'req/s': Math.round(median(rs.map((r) => r.rps))), errors: rs.reduce((a, r) => a + r.errors, 0) });
  }
}
console.log(`Writes with and without durability, ${CONNECTIONS} connections, ${DURATION}s each, median of ${ROUNDS} alternating runs:`);
console.table(rows);
const j = runs.durable.map((r) => r.journal).filter(Boolean);
const changes = j.reduce((a, x) => a + x.changes, 0);
const syncs = j.reduce((a, x) => a + x.syncs, 0);
console.log(`Group commit: ${changes} changes in ${syncs} syncs of the log (${(changes / Math.max(1, syncs)).toFixed(1)} a sync); ${j.reduce((a, x) => a + x.compactions, 0)} compactions, none holding up a write.`);

// A restart replays the log after the snapshot: the longest log is one just short of compaction.
{
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-replay-'));
  const file = path.join(dir, 'c.json');
  const CM = builtinKinds().byGroupResource('', 'configmaps');
  const first = openCluster({ file, eager: true, compactBytes: 64 * 1024 * 1024, make: (empty) => newCluster({ empty, controlPlane: false }) });
  for (let i = 0; i < 4000; i++) first.cluster.create(CM, 'default', { metadata: { name: `cm-${i}` }, data: { k: 'v'.repeat(200) } });
  await first.journal.close();
  const logBytes = statSync(path.join(dir, 'c.log')).size;
  const t = process.hrtime.bigint();
  const again = openCluster({ file, make: (empty) => newCluster({ empty, controlPlane: false }) });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  await again.journal.close();
  console.log(`Restart: a log of 4,000 changes (${(logBytes / 1024 / 1024).toFixed(1)} MiB) is read, checked and replayed in ${Math.round(ms)} ms.`);
  rmSync(dir, { recursive: true, force: true });
}

// An idle `kubedojo serve`: once its start-up settles, its files do not change.
{
  const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-idle-'));
  const child = spawn(process.execPath, [path.join(here, '..', 'bin', 'kubedojo'), 'serve'], { env: { ...process.env, KUBEDOJO_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.on('data', (d) => String(d).includes('export KUBECONFIG') && resolve()));
  const sizes = () => readdirSync(path.join(home, 'clusters')).map((f) => `${f}:${statSync(path.join(home, 'clusters', f)).size}:${statSync(path.join(home, 'clusters', f)).mtimeMs}`).join(',');
  let before = sizes();
  // Settled: nothing changed for three seconds (the control plane's first rounds are over).
  for (let still = 0; still < 3; ) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = sizes();
    still = now === before ? still + 1 : 0;
    before = now;
  }
  await new Promise((r) => setTimeout(r, 10_000));
  const bytes = (s) => s.split(',').reduce((a, e) => a + Number(e.split(':')[1]), 0);
  console.log(`Idle: kubedojo serve wrote ${Math.max(0, bytes(sizes()) - bytes(before))} bytes in 10 s once settled (files ${sizes() === before ? 'unchanged' : 'changed'}).`);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(home, { recursive: true, force: true });
}

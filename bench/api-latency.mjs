// p50/p99 latency of get, list, create and patch under concurrent load from this process
// (autocannon) against the API server running in a second process, its cluster kept on disk as
// `kubedojo serve` keeps it: every write answered only once synced (BENCH_DURABLE=0 turns that off,
// to compare).
import autocannon from 'autocannon';
import { startServerChild } from './lib.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DURABLE = process.env.BENCH_DURABLE !== '0';
const srv = await startServerChild({ POD_COUNT: '100', DURABLE: DURABLE ? '1' : '0' });
const base = `https://127.0.0.1:${srv.port}`;
const prefix = `/clusters/${srv.id}`;
process.env.NODE_EXTRA_CA_CERTS = '';
const headers = { authorization: `Bearer ${srv.token}`, 'content-type': 'application/json', accept: 'application/json' };
let n = 0;
const scenarios = {
  get: { method: 'GET', path: '/api/v1/namespaces/bench/pods/pod-00042' },
  list: { method: 'GET', path: '/api/v1/namespaces/bench/pods' },
  create: {
    method: 'POST',
    path: '/api/v1/namespaces/bench/configmaps',
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${process.pid}-${n++}` }, data: { k: 'v' } }) }),
  },
  patch: {
    method: 'PATCH',
    path: '/api/v1/namespaces/bench/pods/pod-00007',
    headers: { ...headers, 'content-type': 'application/strategic-merge-patch+json' },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ metadata: { labels: { round: String(n++) } } }) }),
  },
};
const rows = [];
for (const [name, s] of Object.entries(scenarios)) {
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION,
    headers,
    requests: [{ ...s, path: prefix + s.path, headers: s.headers ?? headers }],
    tlsOptions: { ca: srv.ca },
  });
  const errors = result.errors + result.non2xx;
  rows.push({ op: name, 'req/s': Math.round(result.requests.average), 'p50 ms': result.latency.p50, 'p99 ms': result.latency.p99, errors });
}
const summary = srv.child.summary();
srv.child.kill('SIGTERM');
const counts = (await summary)?.journal;
console.log(`API latency, ${CONNECTIONS} concurrent connections, ${DURATION}s each (list = 100 pods as JSON), ${DURABLE ? 'durable: each write synced to disk before its answer' : 'in memory only (BENCH_DURABLE=0)'}:`);
console.table(rows);
if (counts) console.log(`The log took ${counts.changes} changes in ${counts.syncs} syncs (${(counts.changes / Math.max(1, counts.syncs)).toFixed(1)} a sync: group commit) and was compacted ${counts.compactions} times.`);

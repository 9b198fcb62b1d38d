// What one pod costs a simulated cluster: heap (after GC) and CPU per pod, for PODS pods stamped
// from Deployments of PER_DEPLOYMENT replicas on NODES nodes, all in this process at the fastest
// clock, until every pod is Running. Beside it, the floor: the same pods' JSON parsed into a
// plain heap (what the objects alone would cost, unshared), and CPU to parse them.
// Run with --expose-gc after `node scripts/build.mjs`.
import { newCluster } from '../dist/src/core/cluster/factory.js';
import { RealClock } from '../dist/src/core/cluster/clock.js';
import { benchNode, countRunning, heapAfterGc } from './lib.mjs';

const NODES = Number(process.env.NODES ?? 100);
const PODS = Number(process.env.PODS ?? 5000);
const PER_DEPLOYMENT = Number(process.env.PER_DEPLOYMENT ?? 100);

const heap = heapAfterGc;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const node = benchNode;

const deployment = (name, replicas) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
});

const cluster = newCluster({ clock: new RealClock(1e9) });
const kind = (group, plural) => cluster.kinds.byGroupResource(group, plural);
const opts = { fieldManager: 'kubectl-create', storageLimit: true };
cluster.create(kind('', 'namespaces'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'scale' } }, opts);
for (let i = 0; i < NODES; i++) cluster.create(kind('', 'nodes'), undefined, node(i), opts);
// Let the DaemonSets' pods on the new nodes settle before measuring.
await new Promise((r) => setTimeout(r, 500));
let done;
const allRunning = new Promise((r) => (done = r));
countRunning(cluster, 'scale', (running) => running === PODS && done());

const before = heap();
const t0 = Date.now();
const c0 = cpuMs();
const deploymentDef = kind('apps', 'deployments');
for (let i = 0; i * PER_DEPLOYMENT < PODS; i++) {
  cluster.create(deploymentDef, 'scale', deployment(`app-${i}`, Math.min(PER_DEPLOYMENT, PODS - i * PER_DEPLOYMENT)), opts);
  // As from an API client: one request at a time lets the control plane run in between.
  if (i % 16 === 15) await new Promise((r) => setImmediate(r));
}
await allRunning;
const wallMs = Date.now() - t0;
const usedMs = cpuMs() - c0;
await new Promise((r) => setTimeout(r, 300));
const after = heap();

// The floor: the same pods as plain, unshared JSON.
const pods = cluster.store.list('/pods', 'scale');
const text = pods.map((p) => JSON.stringify(p));
const f0 = heap();
const c1 = cpuMs();
const parsed = text.map((t) => JSON.parse(t));
const parseMs = cpuMs() - c1;
const f1 = heap();

console.log(`pod cost (${PODS} pods in Deployments of ${PER_DEPLOYMENT}, ${NODES} nodes, fastest clock):`);
console.table([
  { measure: 'heap per pod (after GC), KiB', cluster: +((after - before) / 1024 / PODS).toFixed(2), floor: +((f1 - f0) / 1024 / PODS).toFixed(2) },
  { measure: 'CPU per pod, ms', cluster: +(usedMs / PODS).toFixed(3), floor: +(parseMs / PODS).toFixed(3) },
  { measure: 'wall per pod, ms', cluster: +(wallMs / PODS).toFixed(3), floor: '' },
  { measure: 'a pod as JSON, bytes', cluster: Math.round(text.reduce((n, t) => n + t.length, 0) / PODS), floor: '' },
]);
void parsed;
process.exit(0);

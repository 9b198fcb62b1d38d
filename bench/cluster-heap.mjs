// Heap of one empty default cluster, and of 1,000 clusters in one process. Run with --expose-gc.
import { newCluster } from '../dist/src/core/cluster/factory.js';
import { ManualClock } from '../dist/src/core/cluster/clock.js';
import { heapAfterGc } from './lib.mjs';

const COUNT = Number(process.env.CLUSTER_COUNT ?? 1000);
const heap = heapAfterGc;
newCluster(); // builds the shared default template once
const before = heap();
const one = [newCluster()];
const afterOne = heap();
const many = [];
for (let i = 0; i < COUNT; i++) many.push(newCluster());
const afterMany = heap();
const own = heap();
const solo = [newCluster({ clock: new ManualClock() })]; // built through the API, nothing shared
const afterSolo = heap();
console.log('Heap per cluster (default kind-like objects: 3 nodes, 13 pods, ~90 objects):');
console.table([
  { measure: 'one default cluster (shared template)', KiB: Math.round((afterOne - before) / 1024) },
  { measure: `${COUNT} default clusters, total`, KiB: Math.round((afterMany - afterOne) / 1024) },
  { measure: `${COUNT} default clusters, per cluster`, KiB: Math.round((afterMany - afterOne) / COUNT / 1024) },
  { measure: 'one default cluster built without the template', KiB: Math.round((afterSolo - own) / 1024) },
]);
void one; void many; void solo;

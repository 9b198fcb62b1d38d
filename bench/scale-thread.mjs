// One simulated cluster at the fastest clock, on a worker thread made as the product makes its
// cluster's thread (scale-child.mjs). Posts {port, kubeconfig} when ready; then answers {heap}
// and reports {running, ms} each time the number of Running pods passes a multiple of REPORT_EVERY.
import v8 from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { ApiServer } from '../dist/src/core/apiserver/server.js';
import { generateTls } from '../dist/src/core/apiserver/tls.js';
import { newCluster } from '../dist/src/core/cluster/factory.js';
import { RealClock } from '../dist/src/core/cluster/clock.js';
import { countRunning } from './lib.mjs';

const tls = await generateTls();
const server = new ApiServer({ tls });
await server.listen();
// "The fastest clock": every timer fires as soon as the event loop gets to it.
const cluster = newCluster({ clock: new RealClock(1e9), caCert: tls.caCert });
const hosted = server.host(cluster, 'scale');
const every = Number(process.env.REPORT_EVERY ?? 10000);
const start = Date.now();
countRunning(cluster, 'scale', (running, now) => {
  if (now && running % every === 0) parentPort.postMessage({ running, ms: Date.now() - start });
});
parentPort.on('message', (m) => {
  if (m === 'heap') {
    global.gc?.();
    global.gc?.();
    // This thread's heap alone; the resident size is the whole process's.
    parentPort.postMessage({ heap: v8.getHeapStatistics().used_heap_size, rss: process.memoryUsage().rss, objects: cluster.store.resourcesStored().map((r) => [r, cluster.store.count(r)]) });
  }
  if (m === 'stop') server.close().then(() => parentPort.postMessage('stopped'));
});
parentPort.postMessage({ port: server.port, kubeconfig: server.kubeconfig(hosted.id) });

// One simulated cluster at the fastest clock, in its own process, for the scale benchmark.
// Prints {port, kubeconfig} when ready; then, over IPC, answers {heap} and reports
// {running, ms} each time the number of Running pods passes a multiple of REPORT_EVERY.
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
  if (now && running % every === 0) process.send({ running, ms: Date.now() - start });
});
process.on('message', (m) => {
  if (m === 'heap') {
    global.gc?.();
    global.gc?.();
    process.send({ heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss, objects: cluster.store.resourcesStored().map((r) => [r, cluster.store.count(r)]) });
  }
  if (m === 'stop') server.close().then(() => process.exit(0));
});
process.send({ port: server.port, kubeconfig: server.kubeconfig(hosted.id) });

// The process behind cluster-scale.mjs: it hosts one simulated cluster on a worker thread with
// the limits `kubedojo serve` and the tutor give theirs (CLUSTER_THREAD_LIMITS), plus an old
// generation large enough for the envelope, and passes messages between the bench and the thread.
import { Worker } from 'node:worker_threads';
import { CLUSTER_THREAD_LIMITS } from '../dist/src/core/hosting/serve-in-worker.js';

const thread = new Worker(new URL('./scale-thread.mjs', import.meta.url), { resourceLimits: { ...CLUSTER_THREAD_LIMITS, maxOldGenerationSizeMb: 16384 } });
thread.on('message', (m) => (m === 'stopped' ? process.exit(0) : process.send(m)));
thread.on('error', (err) => {
  console.error(err);
  process.exit(1);
});
process.on('message', (m) => thread.postMessage(m));

// The worker thread behind serveInWorker (serve-in-worker.ts): the learner's cluster, its API server and its
// control plane run here, so the thread that draws the tutor never waits on them.
import { parentPort, workerData } from 'node:worker_threads';
import { serve } from './serve.js';
import type { ServeReply, ServeWorkerData } from './serve-in-worker.js';
import { LearnerError } from '../problems.js';

const port = parentPort;
if (!port) throw new Error('serve-worker runs as a worker thread');

const opts = workerData as ServeWorkerData;
const failed = (err: unknown): ServeReply => {
  const e = err instanceof Error ? err : new Error(String(err));
  return { ok: false, error: { message: e.message, nextStep: err instanceof LearnerError ? err.nextStep : undefined, learner: err instanceof LearnerError } };
};

// Every option as given: one picked out by hand here is one a new option would be missing.
serve(opts).then(
  (serving) => {
    port.once('message', () => {
      serving.stop().then(
        () => port.postMessage({ ok: true, stopped: true } satisfies ServeReply),
        (err: unknown) => port.postMessage(failed(err)),
      );
    });
    port.postMessage({ ok: true, kubeconfigPath: serving.kubeconfigPath, url: serving.url, notices: serving.notices } satisfies ServeReply);
  },
  (err: unknown) => port.postMessage(failed(err)),
);

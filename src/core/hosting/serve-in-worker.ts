// serve, on a thread of its own (serve-worker.ts): what the tutor starts before anything else.
// This module holds no cluster code: the thread that asks for a cluster loads none of it, and the
// worker starts as soon as this is read, not after the simulator's modules are compiled here too.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ServeOptions, Serving } from './serve.js';
import { packageRoot } from '../paths.js';
import { BugError, LearnerError } from '../problems.js';

/** What a program that only talks to the cluster through its API needs of it. */
export type ServingElsewhere = Pick<Serving, 'kubeconfigPath' | 'url' | 'notices' | 'stop'>;

/** serveInWorker's options: those of serve that survive a structured clone. */
export type ServeWorkerData = Omit<ServeOptions, 'clock'>;

export type ServeReply =
  | { ok: true; kubeconfigPath: string; url: string; notices: string[] }
  | { ok: true; stopped: true }
  | { ok: false; error: { message: string; nextStep?: string; learner: boolean } };

/**
 * The cluster's thread gets a young generation of 192 MiB (64 MiB semi-spaces, V8 keeps a third
 * for large objects) instead of V8's 48. Every write makes objects that live for a few
 * milliseconds past several scavenges while the control plane reacts to it (copies, events,
 * ownership sets); with small semi-spaces they are promoted, and marking the old generation, which
 * holds the whole cluster, becomes the cluster's largest cost as it grows. V8 grows the young
 * generation to this size only under such load: a small cluster's thread stays small.
 */
export const CLUSTER_THREAD_LIMITS = { maxYoungGenerationSizeMb: 192 } as const;

/** The worker's code: next to this file once built (or bundled); under the test runner, the built copy. */
function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  const script = here.endsWith('.js') ? path.join(path.dirname(here), 'serve-worker.js') : path.join(packageRoot(), 'dist', 'src', 'core', 'hosting', 'serve-worker.js');
  if (!existsSync(script)) throw new BugError(`the cluster's worker is not built (${path.basename(script)} is missing); run \`npm run build\``);
  return script;
}

/**
 * serve, on a thread of its own: the cluster is made, and its controllers run, beside the caller
 * instead of between its frames. It answers once the server listens with the cluster in place,
 * as serve does; stop() returns once the cluster is saved and the thread has ended.
 */
export function serveInWorker(opts: ServeWorkerData = {}): Promise<ServingElsewhere> {
  const worker = new Worker(workerScript(), { workerData: { ...opts, env: { ...(opts.env ?? process.env) } } satisfies ServeWorkerData, resourceLimits: CLUSTER_THREAD_LIMITS });
  const reply = () =>
    new Promise<ServeReply>((resolve, reject) => {
      const onExit = (code: number) => reject(new BugError(`the simulated cluster's thread ended (exit code ${code})`));
      const onError = (err: Error) => reject(new BugError(`the simulated cluster's thread failed: ${err.message}`, err));
      worker.once('exit', onExit);
      worker.once('error', onError);
      worker.once('message', (r: ServeReply) => {
        worker.off('exit', onExit);
        worker.off('error', onError);
        resolve(r);
      });
    });
  const settle = async (r: ServeReply) => {
    if (!r.ok) {
      await worker.terminate();
      throw r.error.learner ? new LearnerError(r.error.message, r.error.nextStep) : new BugError(r.error.message);
    }
    return r;
  };
  return reply()
    .then(settle)
    .then((r) => {
      if (!('url' in r)) throw new BugError('the simulated cluster\'s thread answered out of turn');
      let stopping: Promise<void> | undefined;
      return {
        kubeconfigPath: r.kubeconfigPath,
        url: r.url,
        notices: r.notices,
        stop: () =>
          (stopping ??= (async () => {
            const done = reply();
            worker.postMessage('stop');
            await settle(await done);
            await worker.terminate();
          })()),
      };
    });
}

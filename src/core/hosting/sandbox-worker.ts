// The worker thread behind WorkerSandboxes: the sandboxes and their API server live here and
// answer the bot's thread by message.
import { parentPort, workerData } from 'node:worker_threads';
import v8 from 'node:v8';
import { Sandboxes } from './sandboxes.js';
import { LearnerError } from '../problems.js';
import type { SandboxReply, SandboxRequest, SandboxValue, WorkerSandboxesOptions } from './worker-sandboxes.js';

const port = parentPort;
if (!port) throw new Error('sandbox-worker runs as a worker thread');

const opts = workerData as WorkerSandboxesOptions;
const ready = Sandboxes.start(opts);

async function answer(req: SandboxRequest): Promise<SandboxValue> {
  const sandboxes = await ready;
  switch (req.op) {
    case 'get': {
      const sb = await sandboxes.get(req.key);
      return { id: sb.id, kubeconfig: sb.kubeconfig, socket: sb.socket, ...(sb.notice ? { notice: sb.notice } : {}) };
    }
    case 'rollout':
      return sandboxes.awaitRollout(req.key, req.namespace, req.name, req.timeoutMs);
    case 'hurry':
      return sandboxes.hurry(req.key, req.ms);
    case 'remove':
      await sandboxes.remove(req.key);
      return undefined;
    case 'heap':
      (globalThis as { gc?: () => void }).gc?.();
      return v8.getHeapStatistics().used_heap_size;
    case 'close':
      await sandboxes.close();
      return undefined;
  }
}

port.on('message', (req: SandboxRequest) => {
  answer(req).then(
    (value) => port.postMessage({ id: req.id, ok: true, value } satisfies SandboxReply),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      port.postMessage({ id: req.id, ok: false, error: { message: e.message, nextStep: err instanceof LearnerError ? err.nextStep : undefined, learner: err instanceof LearnerError } } satisfies SandboxReply);
    },
  );
});

// The learners' sandboxes in a worker thread of their own. Their control planes (controllers,
// scheduler, kubelets), their API server and their garbage are all there, so the thread that
// answers Slack only parses requests, runs kubectl and reads the API over loopback: a burst of
// new learners cannot hold up anyone's acknowledgement.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ClusterHost } from './cluster-host.js';
import { KubeClient } from '../kube/client.js';
import { packageRoot } from '../paths.js';
import { BugError, LearnerError } from '../problems.js';
import type { SandboxAccess, SandboxesOptions, SandboxPool } from './sandboxes.js';
import type { RolloutState } from '../quiz/exam-setup.js';

/** What the worker is started with (its options must survive a structured clone). */
export type WorkerSandboxesOptions = Omit<SandboxesOptions, 'clock'>;

export type SandboxOp = { op: 'get'; key: string } | { op: 'remove'; key: string } | { op: 'hurry'; key: string; ms: number } | { op: 'rollout'; key: string; namespace: string; name: string; timeoutMs: number } | { op: 'heap' } | { op: 'close' };
export type SandboxRequest = SandboxOp & { id: number };
export type SandboxValue = { id: string; kubeconfig: string; socket: string; notice?: string } | number | RolloutState | undefined;

export type SandboxReply =
  | { id: number; ok: true; value: SandboxValue }
  | { id: number; ok: false; error: { message: string; nextStep?: string; learner: boolean } };

/** The worker's code: next to this file once built; under the test runner, the built copy. */
function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  const script = here.endsWith('.js') ? path.join(path.dirname(here), 'sandbox-worker.js') : path.join(packageRoot(), 'dist', 'src', 'core', 'hosting', 'sandbox-worker.js');
  if (!existsSync(script)) throw new BugError(`the sandbox worker is not built (${path.basename(script)} is missing); run \`npm run build\``);
  return script;
}

export class WorkerSandboxes implements SandboxPool {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** Accesses of the current worker, kept so that the same sandbox gives the same client. */
  private readonly accesses = new Map<string, SandboxAccess>();
  private scratch?: Promise<ClusterHost>;
  private closing = false;

  private constructor(private readonly opts: WorkerSandboxesOptions) {}

  static async start(opts: WorkerSandboxesOptions = {}): Promise<WorkerSandboxes> {
    const pool = new WorkerSandboxes(opts);
    // The first answer comes once the worker's API server listens: the pool is ready after it.
    await pool.call({ op: 'heap' });
    return pool;
  }

  private spawn(): Worker {
    const worker = new Worker(workerScript(), { workerData: this.opts });
    worker.on('message', (reply: SandboxReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(reply.error.learner ? new LearnerError(reply.error.message, reply.error.nextStep) : new BugError(reply.error.message));
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      // Everything the sandboxes had saved comes back with the next worker; what is in flight fails.
      this.worker = undefined;
      this.accesses.clear();
      for (const w of this.pending.values()) w.reject(new LearnerError(`the sandbox clusters stopped (${why})`, 'Try the command again: your cluster comes back with every change it had confirmed.'));
      this.pending.clear();
    };
    worker.on('error', (err) => lost(err.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    // An idle worker must not keep the process alive; one with answers owed must (until the bot's
    // server or socket holds the process, nothing else does).
    worker.unref();
    return worker;
  }

  private call(req: SandboxOp): Promise<unknown> {
    if (this.closing && req.op !== 'close') return Promise.reject(new LearnerError('the bot is shutting down', 'Try again in a minute.'));
    this.worker ??= this.spawn();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.ref();
      this.worker!.postMessage({ ...req, id });
    });
  }

  async get(key: string): Promise<SandboxAccess> {
    const { id, kubeconfig, socket, notice } = (await this.call({ op: 'get', key })) as { id: string; kubeconfig: string; socket: string; notice?: string };
    let access = this.accesses.get(key);
    if (!access || access.kubeconfig !== kubeconfig) {
      access = { id, kubeconfig, socket, client: new KubeClient({ kubeconfig }) };
      this.accesses.set(key, access);
    }
    // The notice goes with this answer only; the access kept for later has none.
    return notice ? { ...access, notice } : access;
  }

  async remove(key: string): Promise<void> {
    this.accesses.delete(key);
    await this.call({ op: 'remove', key });
  }

  async hurry(key: string, ms: number): Promise<number> {
    return (await this.call({ op: 'hurry', key, ms })) as number;
  }

  async awaitRollout(key: string, namespace: string, name: string, timeoutMs: number): Promise<RolloutState> {
    return (await this.call({ op: 'rollout', key, namespace, name, timeoutMs })) as RolloutState;
  }

  scratchHost(): Promise<ClusterHost> {
    return (this.scratch ??= ClusterHost.start());
  }

  /** The worker's heap in use, in bytes, after a collection when the process allows one. */
  async workerHeap(): Promise<number> {
    return (await this.call({ op: 'heap' })) as number;
  }

  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    if (worker) {
      await this.call({ op: 'close' }).catch(() => undefined);
      this.worker = undefined;
      await worker.terminate();
    }
    if (this.scratch) await (await this.scratch).close();
  }
}

// `kubedojo serve`: the API server on loopback with the learner's default cluster, kept in the
// data dir: every change is on disk before kubectl hears it was made (journal.ts), so a restart,
// or a crash, finds the cluster as it was.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { ApiServer } from '../apiserver/server.js';
import { KubeletStreams } from '../cluster/kubelet/streams.js';
import { loadOrCreateTls } from '../apiserver/tls.js';
import { RealClock, type Clock } from '../cluster/clock.js';
import type { Cluster } from '../cluster/cluster.js';
import { newCluster } from '../cluster/factory.js';
import { shapeSpec, type ClusterShape } from '../cluster/shapes.js';
import { openCluster } from '../cluster/journal.js';
import { privateDir } from '../durable-files.js';
import { clustersDir, defaultKubeconfig, packageRoot, tlsDir } from '../paths.js';
import { BugError, LearnerError } from '../problems.js';

export interface ServeOptions {
  port?: number;
  kubeconfig?: string;
  speed?: number;
  env?: NodeJS.ProcessEnv;
  /** The cluster's clock (tests pass a ManualClock and step it); real time at `speed` otherwise. */
  clock?: Clock;
  /** Kind's three nodes (the default), or Killercoda's two for its scenarios; each is kept apart. */
  shape?: ClusterShape;
}

export interface Serving {
  server: ApiServer;
  cluster: Cluster;
  kubeconfigPath: string;
  url: string;
  /** What went wrong with the saved cluster on the way in, in words, for the learner to read. */
  notices: string[];
  stop(): Promise<void>;
}

/** The learner's own cluster is `default`; a cluster of another shape is saved under its shape's name. */
const clusterId = (shape: ClusterShape = 'kind') => (shape === 'kind' ? 'default' : shape);

export async function serve(opts: ServeOptions = {}): Promise<Serving> {
  const env = opts.env ?? process.env;
  const speed = opts.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new LearnerError(`--speed must be a positive number, not "${opts.speed}"`, 'Try --speed 1 (real time) or --speed 10 (ten times faster).');
  const tls = await loadOrCreateTls(tlsDir(env));
  const server = new ApiServer({ tls, port: opts.port ?? 0, streams: new KubeletStreams() });
  try {
    await server.listen();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new LearnerError(`port ${opts.port} on 127.0.0.1 is already in use`, 'Stop the program using it, or pick another port with --port N (or leave --port out to take a free one).');
    }
    throw err;
  }
  const CLUSTER_ID = clusterId(opts.shape);
  const stateFile = path.join(clustersDir(env), `${CLUSTER_ID}.json`);
  const tokenFile = path.join(clustersDir(env), `${CLUSTER_ID}.token`);
  const clock = opts.clock ?? new RealClock(speed);
  privateDir(clustersDir(env));
  let opened;
  try {
    opened = openCluster({ file: stateFile, eager: true, make: (empty) => newCluster({ clock, empty, caCert: tls.caCert, shape: opts.shape }) });
  } catch (err) {
    await server.close();
    throw err;
  }
  const { cluster, journal } = opened;
  const notices = opened.damage ? [opened.damage.report] : [];
  // The token outlives restarts so an exported KUBECONFIG keeps working.
  const token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : randomBytes(24).toString('base64url');
  writeFileSync(tokenFile, token, { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
  server.host(cluster, CLUSTER_ID, token);
  const kubeconfigPath = path.resolve(opts.kubeconfig ?? (CLUSTER_ID === 'default' ? defaultKubeconfig(env) : `${defaultKubeconfig(env)}-${CLUSTER_ID}`));
  mkdirSync(path.dirname(kubeconfigPath), { recursive: true, mode: 0o700 });
  writeFileSync(kubeconfigPath, server.kubeconfig(CLUSTER_ID, shapeSpec(opts.shape).contextName), { mode: 0o600 });

  return {
    server,
    cluster,
    kubeconfigPath,
    url: server.serverUrl(CLUSTER_ID),
    notices,
    async stop() {
      cluster.controlPlane?.stop();
      await server.close();
      // Everything is on disk already; the snapshot makes the next start read one file.
      await journal.close({ compact: true });
    },
  };
}

/** What a program that only talks to the cluster through its API needs of it. */
export type ServingElsewhere = Pick<Serving, 'kubeconfigPath' | 'url' | 'notices' | 'stop'>;

/** serveInWorker's options: those of serve that survive a structured clone. */
export type ServeWorkerData = Omit<ServeOptions, 'clock'>;

export type ServeReply =
  | { ok: true; kubeconfigPath: string; url: string; notices: string[] }
  | { ok: true; stopped: true }
  | { ok: false; error: { message: string; nextStep?: string; learner: boolean } };

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
  const worker = new Worker(workerScript(), { workerData: { ...opts, env: { ...(opts.env ?? process.env) } } satisfies ServeWorkerData });
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

// `kubedojo serve`: the API server on loopback with the learner's default cluster, kept in the
// data dir: every change is on disk before kubectl hears it was made (journal.ts), so a restart,
// or a crash, finds the cluster as it was.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
import { clustersDir, defaultKubeconfig, tlsDir } from '../paths.js';
import { LearnerError } from '../problems.js';

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

// Many simulated clusters behind one API server on loopback: the scratch clusters a command quiz
// item is graded on, the learners' sandboxes of the Slack bot, and the fresh clusters tests use.
// Each gets its own token and a kubeconfig file that the real kubectl can use.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ApiServer } from '../apiserver/server.js';
import { generateTls, type TlsMaterial } from '../apiserver/tls.js';
import { KubeletStreams } from '../cluster/kubelet/streams.js';
import type { Clock } from '../cluster/clock.js';
import type { Cluster } from '../cluster/cluster.js';
import { newCluster } from '../cluster/factory.js';
import { shapeSpec, type ClusterShape } from '../cluster/shapes.js';
import { restoreSnapshot, snapshotOf, type Snapshot } from '../cluster/snapshot.js';
import { KubeClient } from '../kube/client.js';

// The learner engine compares and seeds scratch clusters by their state without importing the
// simulator: it names that state through here.
export type { Snapshot };

export interface HostedSandbox {
  id: string;
  cluster: Cluster;
  /** A copy of everything the cluster stores, as `from` takes it. */
  snapshot(): Snapshot;
  /** A kubeconfig file for this cluster alone (context `kubedojo`). */
  kubeconfig: string;
  /** The API server's Unix socket: how a jailed kubectl reaches this cluster (see kube/jail). */
  socket: string;
  client: KubeClient;
  dispose(): void;
}

export interface SandboxOptions {
  clock?: Clock;
  /** Without controllers, scheduler and kubelets: only what a command writes changes. */
  controlPlane?: boolean;
  /** Start from a copy of this state instead of the default cluster. */
  from?: Snapshot;
  id?: string;
  /** The namespace the kubeconfig's context starts in. */
  namespace?: string;
  /** Its nodes and storage: kind's (the default) or Killercoda's, for a scenario. */
  shape?: ClusterShape;
}

export class ClusterHost {
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-host-'));
  private readonly live = new Set<string>();

  private constructor(readonly server: ApiServer) {}

  static async start(tls?: TlsMaterial): Promise<ClusterHost> {
    const server = new ApiServer({ tls: tls ?? (await generateTls()), port: 0, streams: new KubeletStreams() });
    await server.listen();
    const host = new ClusterHost(server);
    await server.listenSocket(host.socket);
    return host;
  }

  get socket(): string {
    return path.join(this.dir, 'api.sock');
  }

  create(opts: SandboxOptions = {}): HostedSandbox {
    const cluster = newCluster({ clock: opts.clock, caCert: this.server.caCert, controlPlane: opts.controlPlane, empty: opts.from !== undefined, shape: opts.shape });
    if (opts.from) restoreSnapshot(cluster, opts.from);
    return this.adopt(cluster, { ...opts, context: shapeSpec(opts.shape).contextName });
  }

  /**
   * Hosts a cluster made elsewhere (a restored learner's sandbox). Given the same token, a
   * cluster put to sleep and woken again opens to the kubeconfig it had before.
   */
  adopt(cluster: Cluster, opts: { id?: string; namespace?: string; token?: string; context?: string } = {}): HostedSandbox {
    const id = opts.id ?? `c${randomBytes(5).toString('hex')}`;
    this.server.host(cluster, id, opts.token);
    const kubeconfig = path.join(this.dir, `${id}.kubeconfig`);
    writeFileSync(kubeconfig, this.server.kubeconfig(id, opts.context ?? 'kubedojo', opts.namespace ?? 'default'), { mode: 0o600 });
    this.live.add(id);
    const client = new KubeClient({ kubeconfig });
    return {
      id,
      cluster,
      snapshot: () => snapshotOf(cluster),
      kubeconfig,
      socket: this.socket,
      client,
      dispose: () => {
        if (!this.live.delete(id)) return;
        cluster.controlPlane?.stop();
        this.server.unhost(id);
        rmSync(kubeconfig, { force: true });
      },
    };
  }

  async close(): Promise<void> {
    for (const id of [...this.live]) {
      this.server.hosted(id)?.cluster.controlPlane?.stop();
      this.server.unhost(id);
    }
    this.live.clear();
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

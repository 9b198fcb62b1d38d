// Sandbox clusters for many learners in one process (the Slack bot): one per learner, one per
// channel for team exercises, all behind one loopback API server. Each is saved to the data dir
// after changes and comes back after a restart; an idle one is put to sleep (saved and dropped
// from memory) and woken on its next use.
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ClusterHost, type HostedSandbox } from './cluster-host.js';
import { newCluster } from '../cluster/factory.js';
import { loadClusterFile, saveClusterFile } from '../cluster/snapshot.js';
import { sandboxLimits, DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from '../cluster/admission/sandbox-limits.js';
import type { Clock } from '../cluster/clock.js';
import { dataDir } from '../paths.js';
import { LearnerError } from '../problems.js';
import type { KubeClient } from '../kube/client.js';

/** What the Dojo needs of a sandbox: how kubectl and the checks reach it. */
export interface SandboxAccess {
  id: string;
  kubeconfig: string;
  /** The API server's Unix socket, for a jailed kubectl. */
  socket: string;
  client: KubeClient;
}

/**
 * The learners' and channels' sandboxes, wherever they run: in this thread (`Sandboxes`) or in
 * a worker of their own (`WorkerSandboxes`, so their control planes never hold up the bot).
 * An access stays valid until the next `get` of its key returns a different one.
 */
export interface SandboxPool {
  get(key: string): Promise<SandboxAccess>;
  /** Deletes a sandbox for good (a team exercise that ended). */
  remove(key: string): Promise<void>;
  /** Where scratch clusters for grading quiz items are made. */
  scratchHost(): Promise<ClusterHost>;
  close(): Promise<void>;
}

export interface SandboxesOptions {
  env?: NodeJS.ProcessEnv;
  /** Where clusters are saved (default: `<data dir>/sandboxes`). */
  dir?: string;
  limits?: SandboxLimits;
  /** A sandbox unused this long is saved and dropped from memory. */
  idleMs?: number;
  saveDelayMs?: number;
  clock?: () => Clock | undefined;
}

interface Live {
  sandbox: HostedSandbox;
  lastUsed: number;
  saveTimer?: NodeJS.Timeout;
  unsubscribe: () => void;
}

/** A file-safe id for a learner or channel key such as `slack:T1:U2`. */
export function sandboxId(key: string): string {
  const id = key.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!id || id.length > 60) throw new LearnerError(`"${key}" cannot name a sandbox`, 'Use letters, digits and dashes.');
  return id;
}

export class Sandboxes implements SandboxPool {
  private readonly live = new Map<string, Live>();
  /** Each sandbox keeps its token while the process lives, asleep or awake. */
  private readonly tokens = new Map<string, string>();
  private readonly waking = new Map<string, Promise<HostedSandbox>>();
  private readonly dir: string;
  private sweeper?: NodeJS.Timeout;

  private constructor(
    readonly host: ClusterHost,
    private readonly opts: SandboxesOptions,
  ) {
    this.dir = opts.dir ?? path.join(dataDir(opts.env), 'sandboxes');
    mkdirSync(this.dir, { recursive: true });
    const idle = opts.idleMs ?? 15 * 60_000;
    this.sweeper = setInterval(() => this.sleepIdle(idle), Math.min(idle, 60_000));
    this.sweeper.unref();
  }

  static async start(opts: SandboxesOptions = {}): Promise<Sandboxes> {
    return new Sandboxes(await ClusterHost.start(), opts);
  }

  /** Ids of every saved sandbox, awake or asleep. */
  saved(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5));
  }

  has(key: string): boolean {
    const id = sandboxId(key);
    return this.live.has(id) || existsSync(this.file(id));
  }

  awake(): number {
    return this.live.size;
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  /** The sandbox for a key, made (or woken from its saved state) on first use. */
  get(key: string): Promise<HostedSandbox> {
    const id = sandboxId(key);
    const hit = this.live.get(id);
    if (hit) {
      hit.lastUsed = Date.now();
      return Promise.resolve(hit.sandbox);
    }
    let p = this.waking.get(id);
    if (!p) {
      p = this.wake(id).finally(() => this.waking.delete(id));
      this.waking.set(id, p);
    }
    return p;
  }

  private async wake(id: string): Promise<HostedSandbox> {
    const file = this.file(id);
    const clock = this.opts.clock?.();
    let cluster;
    if (existsSync(file)) {
      cluster = newCluster({ empty: true, clock, caCert: this.host.server.caCert });
      try {
        loadClusterFile(cluster, file);
      } catch (err) {
        // A damaged save is kept aside for a person to look at; the learner gets a fresh cluster.
        renameSync(file, `${file}.damaged-${Date.now()}`);
        cluster.controlPlane?.stop();
        cluster = newCluster({ clock, caCert: this.host.server.caCert });
        void err;
      }
    } else cluster = newCluster({ clock, caCert: this.host.server.caCert });
    cluster.validatingAdmission.push(sandboxLimits(cluster, this.opts.limits ?? DEFAULT_SANDBOX_LIMITS));
    let token = this.tokens.get(id);
    if (!token) this.tokens.set(id, (token = randomBytes(24).toString('base64url')));
    const sandbox = this.host.adopt(cluster, { id, token });
    const live: Live = { sandbox, lastUsed: Date.now(), unsubscribe: () => undefined };
    live.unsubscribe = cluster.store.subscribe(undefined, () => {
      live.saveTimer ??= setTimeout(() => {
        live.saveTimer = undefined;
        saveClusterFile(cluster, file);
      }, this.opts.saveDelayMs ?? 5000);
    });
    // Saved on its first change: a new cluster is the template, and writing it would only make
    // the first command of many learners at once wait.
    this.live.set(id, live);
    return sandbox;
  }

  private put(id: string): void {
    const l = this.live.get(id);
    if (!l) return;
    if (l.saveTimer) clearTimeout(l.saveTimer);
    l.unsubscribe();
    saveClusterFile(l.sandbox.cluster, this.file(id));
    l.sandbox.dispose();
    this.live.delete(id);
  }

  /** Saves and drops every sandbox unused for `idleMs`. */
  sleepIdle(idleMs: number): void {
    const now = Date.now();
    for (const [id, l] of this.live) if (now - l.lastUsed >= idleMs) this.put(id);
  }

  scratchHost(): Promise<ClusterHost> {
    return Promise.resolve(this.host);
  }

  /** Deletes a sandbox for good (a team exercise that ended). */
  async remove(key: string): Promise<void> {
    const id = sandboxId(key);
    this.tokens.delete(id);
    const l = this.live.get(id);
    if (l) {
      if (l.saveTimer) clearTimeout(l.saveTimer);
      l.unsubscribe();
      l.sandbox.dispose();
      this.live.delete(id);
    }
    if (existsSync(this.file(id))) renameSync(this.file(id), `${this.file(id)}.ended-${Date.now()}`);
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const id of [...this.live.keys()]) this.put(id);
    await this.host.close();
  }
}

// Sandbox clusters for many learners in one process (the Slack bot): one per learner, one per
// channel for team exercises, all behind one loopback API server. Each keeps its changes on disk
// before kubectl hears of them (journal.ts) and comes back after a restart or a crash; an idle
// one is put to sleep (compacted into one file and dropped from memory) and woken on its next use.
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ClusterHost, type HostedSandbox } from './cluster-host.js';
import { newCluster } from '../cluster/factory.js';
import type { Cluster } from '../cluster/cluster.js';
import { snapshotOf, type Snapshot } from '../cluster/snapshot.js';
import { SandboxClock } from './sandbox-clock.js';
import { rolloutState, type RolloutState } from '../quiz/exam-setup.js';
import { logFileOf, openCluster, type Journal } from '../cluster/journal.js';
import { fsyncDir, privateDir } from '../durable-files.js';
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
  /**
   * What happened to the sandbox's saved state when it was woken (it was damaged), in words for
   * its learner; given with the first access after that only.
   */
  notice?: string;
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
  /**
   * Moves an awake sandbox's clock forward by up to `ms` (a wait of the bot's own making, such as
   * an exam task's set-up waiting for a rollout); resolves to how far it moved (0 for a sandbox on
   * a clock of someone else's, or one that is asleep).
   */
  hurry(key: string, ms: number): Promise<number>;
  /**
   * Waits for a Deployment in a sandbox to finish rolling out, hurrying its clock through the
   * wait where it may (see hurry); resolves to where the rollout stands at the end.
   */
  awaitRollout(key: string, namespace: string, name: string, timeoutMs: number): Promise<RolloutState>;
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
  /** A sandbox's log is compacted once larger than this and than its snapshot. */
  compactBytes?: number;
  clock?: () => Clock | undefined;
}

interface Live {
  sandbox: HostedSandbox;
  /** Its own clock, unless the pool was given one. */
  clock?: SandboxClock;
  journal: Journal;
  lastUsed: number;
  /** For the learner, once: their saved state was damaged. */
  notice?: string;
}

/** How far a rollout waited for is let move on between looks, in the cluster's time. */
const ROLLOUT_STEP_MS = 250;

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
  /** Sandboxes being put to sleep: a wake waits until their files are complete. */
  private readonly sleeping = new Map<string, Promise<void>>();
  private readonly dir: string;
  private sweeper?: NodeJS.Timeout;
  private template?: Snapshot;

  private constructor(
    readonly host: ClusterHost,
    private readonly opts: SandboxesOptions,
  ) {
    this.dir = opts.dir ?? path.join(dataDir(opts.env), 'sandboxes');
    privateDir(this.dir);
    const idle = opts.idleMs ?? 15 * 60_000;
    this.sweeper = setInterval(() => this.sleepIdle(idle), Math.min(idle, 60_000));
    this.sweeper.unref();
  }

  static async start(opts: SandboxesOptions = {}): Promise<Sandboxes> {
    return new Sandboxes(await ClusterHost.start(), opts);
  }

  /** Ids of every saved sandbox, awake or asleep. */
  saved(): string[] {
    const ids = readdirSync(this.dir)
      .filter((f) => /^[a-z0-9-]+\.(json|log)$/.test(f))
      .map((f) => f.replace(/\.(json|log)$/, ''));
    return [...new Set(ids)];
  }

  has(key: string): boolean {
    const id = sandboxId(key);
    return this.live.has(id) || existsSync(this.file(id)) || existsSync(logFileOf(this.file(id)));
  }

  awake(): number {
    return this.live.size;
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  /** The sandbox for a key, made (or woken from its saved state) on first use. */
  get(key: string): Promise<HostedSandbox & { notice?: string }> {
    const id = sandboxId(key);
    const hit = this.live.get(id);
    if (hit) {
      hit.lastUsed = Date.now();
      return Promise.resolve(this.handOut(hit));
    }
    let p = this.waking.get(id);
    if (!p) {
      p = this.wake(id).finally(() => this.waking.delete(id));
      this.waking.set(id, p);
    }
    return p.then(() => this.get(key));
  }

  /** The awake sandbox of a key, woken if need be; its learner's notice stays for their next get. */
  private async awakeLive(key: string): Promise<Live> {
    const id = sandboxId(key);
    for (;;) {
      const l = this.live.get(id);
      if (l) return l;
      let p = this.waking.get(id);
      if (!p) {
        p = this.wake(id).finally(() => this.waking.delete(id));
        this.waking.set(id, p);
      }
      await p;
    }
  }

  /** The sandbox, with the learner's notice the first time only. */
  private handOut(l: Live): HostedSandbox & { notice?: string } {
    if (!l.notice) return l.sandbox;
    const notice = l.notice;
    l.notice = undefined;
    return { ...l.sandbox, notice };
  }

  private async wake(id: string): Promise<HostedSandbox> {
    await this.sleeping.get(id);
    const clock = this.opts.clock?.() ?? new SandboxClock();
    // Only a clock of this kind can be hurried; a test's manual clock is stepped by the test.
    const own = clock instanceof SandboxClock ? clock : undefined;
    const file = this.file(id);
    const { cluster, journal, damage } = openCluster({
      file,
      make: (empty) => (own ? this.made(empty, own) : newCluster({ empty, clock, caCert: this.host.server.caCert })),
      compactBytes: this.opts.compactBytes,
    });
    // The damaged files are kept aside; whoever runs the bot learns where, the learner what.
    if (damage) console.error(`kubedojo: sandbox ${id}: ${damage.report}`);
    cluster.validatingAdmission.push(sandboxLimits(cluster, this.opts.limits ?? DEFAULT_SANDBOX_LIMITS));
    let token = this.tokens.get(id);
    if (!token) this.tokens.set(id, (token = randomBytes(24).toString('base64url')));
    const sandbox = this.host.adopt(cluster, { id, token });
    this.live.set(id, { sandbox, clock: own, journal, lastUsed: Date.now(), notice: damage?.learner });
    return sandbox;
  }

  /**
   * A cluster on a clock of its own. A new one gets the default objects as every new cluster does,
   * shared and frozen rather than stamped afresh (newCluster stamps them when given a clock).
   */
  private made(empty: boolean, clock: SandboxClock): Cluster {
    const cluster = newCluster({ empty: true, clock, caCert: this.host.server.caCert });
    if (!empty) {
      this.template ??= snapshotOf(newCluster({ caCert: this.host.server.caCert, controlPlane: false }));
      cluster.store.load(this.template, true);
      cluster.reloaded();
    }
    return cluster;
  }

  async hurry(key: string, ms: number): Promise<number> {
    const l = this.live.get(sandboxId(key));
    return l?.clock ? l.clock.hurry(ms) : 0;
  }

  async awaitRollout(key: string, namespace: string, name: string, timeoutMs: number): Promise<RolloutState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Looked at where it lives: no request, no thread between the look and the cluster.
      const l = await this.awakeLive(key);
      l.lastUsed = Date.now();
      const { cluster } = l.sandbox;
      const deployments = cluster.kinds.get('apps', 'v1', 'deployments');
      const state = rolloutState(deployments && cluster.read(deployments, namespace, name));
      if (state !== 'waiting' || Date.now() > deadline) return state;
      // Only as far as the cluster's next event: the less the clock is hurried, the less it then
      // stands still waiting for real time to catch up.
      const moved = l.clock ? l.clock.hurry(Math.max(1, Math.min(ROLLOUT_STEP_MS, l.clock.untilNext() ?? ROLLOUT_STEP_MS))) : 0;
      // Between steps the cluster's queued work and its API's requests get their turn; a clock
      // that may not be hurried further moves on in real time.
      await new Promise<void>((r) => (moved > 0 ? setImmediate(r) : setTimeout(r, ROLLOUT_STEP_MS)));
    }
  }

  /** Puts a sandbox to sleep: out of memory, its state compacted into one file. */
  private put(id: string): Promise<void> {
    const l = this.live.get(id);
    if (!l) return this.sleeping.get(id) ?? Promise.resolve();
    this.live.delete(id);
    l.sandbox.dispose();
    const done = l.journal
      .close({ compact: true })
      .catch((err: Error) => console.error(`kubedojo: sandbox ${id}: ${err.message}`))
      .finally(() => {
        if (this.sleeping.get(id) === done) this.sleeping.delete(id);
      });
    this.sleeping.set(id, done);
    return done;
  }

  /** Puts every sandbox unused for `idleMs` to sleep. */
  sleepIdle(idleMs: number): Promise<void> {
    const now = Date.now();
    const going: Promise<void>[] = [];
    for (const [id, l] of this.live) if (now - l.lastUsed >= idleMs) going.push(this.put(id));
    return Promise.all(going).then(() => undefined);
  }

  scratchHost(): Promise<ClusterHost> {
    return Promise.resolve(this.host);
  }

  /** Deletes a sandbox for good (a team exercise that ended). */
  async remove(key: string): Promise<void> {
    const id = sandboxId(key);
    this.tokens.delete(id);
    await this.waking.get(id)?.catch(() => undefined);
    const l = this.live.get(id);
    if (l) {
      this.live.delete(id);
      l.sandbox.dispose();
      await l.journal.close().catch(() => undefined);
    }
    await this.sleeping.get(id);
    const ended = Date.now();
    for (const f of [this.file(id), logFileOf(this.file(id))]) if (existsSync(f)) renameSync(f, `${f}.ended-${ended}`);
    // Ended for good, also after a crash: the renames are on disk before this returns.
    fsyncDir(this.dir);
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await Promise.all([...this.live.keys()].map((id) => this.put(id)));
    await this.host.close();
  }
}

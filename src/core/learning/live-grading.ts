// Grading as the learner works, the way rustlings re-checks the moment a file changes: the current
// step is graded again whenever something it reads changes in the lesson's namespaces (a watch,
// gathered for a moment so one `kubectl apply` of five objects grades once), and after each
// command. What changed feeds the step's activity, which tells "not yet" from "wrong".
import { EventEmitter } from 'node:events';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { Check } from '../lessons/types.js';
import type { LastCommand } from '../lessons/diagnose/index.js';
import type { CheckOutcome, Session } from './session.js';
import { clientOf } from '../lessons/workspace.js';
import { StepActivity, subjectsOf, type ResourceOf } from './step-activity.js';
import { SettledRun } from './settled-run.js';

export interface LiveGradingOptions {
  /** How long changes are gathered before grading, in real milliseconds. */
  settleMs?: number;
}

/** The fields of an object that the learner (not a controller's status report) decides. */
function intent(o: KubeObject): string {
  const { status: _status, metadata, ...rest } = o as KubeObject & { status?: unknown };
  const m = { ...(metadata as Record<string, unknown> | undefined) };
  for (const k of ['resourceVersion', 'managedFields', 'generation', 'creationTimestamp', 'uid']) delete m[k];
  const annotations = { ...(m.annotations as Record<string, string> | undefined) };
  delete annotations['deployment.kubernetes.io/revision'];
  m.annotations = annotations;
  return JSON.stringify({ ...rest, metadata: m });
}

export class LiveGrading extends EventEmitter<{ graded: [CheckOutcome]; failed: [unknown] }> {
  private activity = new StepActivity();
  private last?: LastCommand;
  private watching?: AbortController;
  private stepKey = '';
  private stopped = false;
  /** Every name a kind goes by (short, singular, kind) → its plural resource, from discovery. */
  private readonly resources = new Map<string, string>();
  /** The resources that live in namespaces. */
  private readonly namespaced = new Set<string>();
  private readonly run: SettledRun;

  constructor(
    private readonly session: Session,
    opts: LiveGradingOptions = {},
  ) {
    super();
    this.run = new SettledRun(() => this.gradeNow(), opts.settleMs ?? 150);
  }

  private get client(): KubeClient {
    return clientOf(this.session.target);
  }

  /** Watches the current step and grades it once. */
  async start(): Promise<this> {
    await this.follow();
    this.grade();
    return this;
  }

  /**
   * A command the learner ran has finished: it counts as a try, and the step is graded again,
   * with the command (and what it printed) for the detectors to read.
   */
  noteCommand(line: string, exitCode = 0, output?: string): void {
    this.activity.noteCommand(line);
    this.last = { line, exitCode, output };
    this.grade();
  }

  /** Grades soon, once changes have settled; a grade asked for while one runs runs after it. */
  grade(): void {
    this.run.request();
  }

  /** The lesson was started or reset: its step opens afresh, with nothing tried. */
  restart(): void {
    this.stepKey = '';
    this.grade();
  }

  stop(): void {
    this.stopped = true;
    this.run.stop();
    this.watching?.abort();
  }

  private async gradeNow(): Promise<void> {
    try {
      await this.follow();
      const outcome = await this.session.check({ activity: this.activity, resourceOf: this.resourceOf, last: this.last });
      if (this.stopped) return;
      // A passed step opens the next: it starts with nothing tried, and its own objects watched.
      if (outcome.passed) await this.follow();
      this.emit('graded', outcome);
    } catch (err) {
      if (!this.stopped) this.emit('failed', err);
    }
  }

  private readonly resourceOf: ResourceOf = (kind) => this.resources.get(kind.toLowerCase()) ?? kind.toLowerCase();

  /** Opens watches on what the current step's checks read, if the step is a new one. */
  private async follow(): Promise<void> {
    let current;
    try {
      current = this.session.current();
    } catch {
      return;
    }
    const key = `${current.lesson.id}/${current.step.id}`;
    if (key === this.stepKey) return;
    this.stepKey = key;
    this.activity = new StepActivity();
    this.last = undefined;
    this.watching?.abort();
    const abort = (this.watching = new AbortController());
    await this.learnResources();
    const ns = current.lesson.namespaces[0];
    const checks: Check[] = current.step.tasks.flatMap((t) => t.checks);
    const watched = new Set<string>();
    for (const check of checks) {
      for (const s of subjectsOf(check, ns)) {
        const resource = s.kind === undefined ? undefined : this.resourceOf(s.kind);
        if (!resource) continue;
        for (const n of current.lesson.namespaces) {
          const where = this.namespaced.has(resource) ? n : undefined;
          const id = `${resource}/${where ?? ''}`;
          if (watched.has(id)) continue;
          watched.add(id);
          await this.watch(resource, where, abort.signal);
        }
      }
    }
  }

  private async learnResources(): Promise<void> {
    if (this.resources.size) return;
    const all = await this.client.apiResources().catch(() => []);
    for (const r of all) {
      if (r.name.includes('/')) continue;
      if (r.namespaced) this.namespaced.add(r.name);
      for (const n of [r.name, r.singularName, r.kind, ...(r.shortNames ?? [])]) {
        if (n && !this.resources.has(n.toLowerCase())) this.resources.set(n.toLowerCase(), r.name);
      }
    }
  }

  /** Seeds what each object looks like now, then notes the ones whose intent changes. */
  private async watch(resource: string, namespace: string | undefined, signal: AbortSignal): Promise<void> {
    const seen = new Map<string, string>();
    const key = (o: KubeObject) => String((o.metadata as { name?: string } | undefined)?.name ?? '');
    const objects = await this.client.list(resource, { namespace }).catch(() => [] as KubeObject[]);
    for (const o of objects) seen.set(key(o), intent(o));
    this.client.watch(
      resource,
      namespace,
      (type, o) => {
        const name = key(o);
        const now = type === 'DELETED' ? undefined : intent(o);
        const before = seen.get(name);
        if (now === undefined) seen.delete(name);
        else seen.set(name, now);
        // A status report (the kubelet's, a controller's) is not the learner's doing; it can
        // still change a check's verdict, so the step is graded again either way.
        if (now !== before) this.activity.noteChange(resource, namespace, name);
        this.grade();
      },
      signal,
    );
  }
}

// Many learners at once (the Slack bot's core): each learner's tutor on their own sandbox
// cluster, team exercises on a channel's cluster, the commands they run (vetted, rate-limited,
// queued fairly, audited) and the leaderboards. A door only renders what this returns.
import { randomInt } from 'node:crypto';
import type { SandboxAccess, SandboxPool } from '../hosting/sandboxes.js';
import { Tutor, type LearnerRecord } from './tutor.js';
import { kubectlArgs } from '../kube/kubectl.js';
import { GuardedRunner, type KubectlRunner, type RunResult } from '../kube/runner.js';
import { RateLimiter } from './rate-limit.js';
import { parseLearnerId } from './learner-id.js';
import { LearnerError } from '../problems.js';
import { findLesson, loadLessons } from '../lessons/loader.js';
import { gradeTasks, prepare } from '../lessons/workspace.js';
import type { CheckOutcome } from './session.js';
import type { Lesson } from '../lessons/types.js';
import type { AuditEntry, TeamExercise } from '../progress/types.js';
import { loadExamBank } from '../quiz/exam-bank.js';
import { buildExam } from '../quiz/exam.js';
import type { ExamInProgress } from '../quiz/exam-session.js';
import type { ExamTask, Track } from '../quiz/types.js';

export interface DojoLimits {
  commandsPerMinute: number;
  clusterCommandsPerMinute: number;
  /** kubectl processes computing at once, for everyone (shared fairly between learners). */
  concurrent: number;
  /** The most bytes a command (with its manifest) may have. */
  maxRequestBytes: number;
  kubectlTimeoutMs: number;
  /** Output longer than this is cut (a Slack message holds about 40,000 characters). */
  maxOutputChars: number;
}

export const DEFAULT_DOJO_LIMITS: DojoLimits = { commandsPerMinute: 30, clusterCommandsPerMinute: 90, concurrent: 2, maxRequestBytes: 16 * 1024, kubectlTimeoutMs: 20_000, maxOutputChars: 3500 };

/** Where the Dojo keeps what is not a learner's own record: team exercises and their audits. */
export interface DojoState {
  teams(): Record<string, TeamExercise>;
  /** Read, change and write one channel's exercise as one step (members' commands race). */
  updateTeam(channel: string, fn: (team: TeamExercise | undefined) => TeamExercise): TeamExercise;
}

export type { AuditEntry, TeamExercise };

export interface KubectlReply {
  run: RunResult;
  output: string;
  truncated: boolean;
  /** Where it ran: the learner's own cluster or the channel's team cluster. */
  where: 'own' | 'team';
  /** A lesson step (own cluster) this command made pass. */
  step?: CheckOutcome;
  /** Team checks this command made pass. */
  credited: string[];
}

export interface DojoOptions {
  sandboxes: SandboxPool;
  learners: (id: string) => LearnerRecord;
  state: DojoState;
  limits?: Partial<DojoLimits>;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  lessons?: Lesson[];
  /** Every learner id with a record (for workspace leaderboards). */
  learnerIds?: () => string[];
  /**
   * Runs every kubectl a learner triggers: their commands, quiz answers, lesson set-ups, exam
   * tasks (default: a guarded runner, jailed where this machine allows).
   */
  runner?: KubectlRunner;
}

/** An exam drill whose tasks are being set up in the learner's cluster; its clock has not started. */
export interface ExamSetup {
  track: Track;
  tasks: ExamTask[];
  since: Date;
  /** Settles when the tasks are ready and the clock has started, or with why the set-up failed. */
  ready: Promise<{ exam: ExamInProgress; tasks: ExamTask[] }>;
}

export class Dojo {
  readonly limits: DojoLimits;
  private readonly perLearner: RateLimiter;
  private readonly perCluster: RateLimiter;
  readonly runner: KubectlRunner;
  /** One command at a time per learner: a learner's burst waits behind itself, not others. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly tutors = new Map<string, { sb: SandboxAccess; tutor: Tutor }>();
  private readonly now: () => Date;
  readonly lessons: Lesson[];
  private readonly examSetups = new Map<string, ExamSetup>();
  /** A learner's cluster being hurried now: set-ups waiting at once share each step. */
  private readonly hurrying = new Map<string, Promise<void>>();

  constructor(private readonly opts: DojoOptions) {
    this.limits = { ...DEFAULT_DOJO_LIMITS, ...opts.limits };
    this.perLearner = new RateLimiter({ perMinute: this.limits.commandsPerMinute, burst: Math.min(10, this.limits.commandsPerMinute) });
    this.perCluster = new RateLimiter({ perMinute: this.limits.clusterCommandsPerMinute });
    this.runner = opts.runner ?? GuardedRunner.create({ env: opts.env, slots: this.limits.concurrent, timeoutMs: this.limits.kubectlTimeoutMs }).runner;
    this.now = opts.now ?? (() => new Date());
    this.lessons = opts.lessons ?? loadLessons();
  }

  /** The learner's tutor, on their own sandbox cluster (woken first if it was asleep). */
  async tutor(learner: string): Promise<Tutor> {
    const sb = await this.opts.sandboxes.get(learner);
    const known = this.tutors.get(learner);
    if (known?.sb === sb) return known.tutor;
    const tutor = new Tutor({
      target: { client: sb.client, kubeconfig: sb.kubeconfig, socket: sb.socket, env: this.opts.env, runner: this.runner, owner: learner },
      learner: this.opts.learners(learner),
      host: () => this.opts.sandboxes.scratchHost(),
      lessons: this.lessons,
      now: this.now,
      env: this.opts.env,
    });
    this.tutors.set(learner, { sb, tutor });
    return tutor;
  }

  /**
   * Starts a learner's exam drill: its tasks are chosen at once and returned, and set up in their
   * cluster in the background (their commands keep working meanwhile); `ready` settles when the
   * drill has started. A set-up that fails leaves no exam started and nothing of its tasks behind.
   */
  beginExam(learner: string, track: Track): ExamSetup {
    const pending = this.examSetups.get(learner);
    if (pending) throw new LearnerError(`your ${pending.track.toUpperCase()} exam drill is still being set up`, 'Its task list follows when the tasks are ready; `/kubedojo exam status` says how it goes.');
    if (this.opts.learners(learner).currentExam()) throw new LearnerError('an exam is already in progress', '`/kubedojo exam status` lists its tasks; `/kubedojo exam submit` ends it.');
    const seed = randomInt(2 ** 31);
    const { tasks } = buildExam(loadExamBank(track), { seed });
    const setting = async () => {
      try {
        return await (await this.tutor(learner)).startExam(track, { seed, wait: (ms) => this.hurry(learner, ms), rollout: (namespace, name, timeoutMs) => this.opts.sandboxes.awaitRollout(learner, namespace, name, timeoutMs) });
      } catch (err) {
        if (!(err instanceof LearnerError)) throw err;
        throw new LearnerError(`your ${track.toUpperCase()} exam drill could not be set up: ${err.message}`, `No drill was started, so no clock runs, and its tasks' namespaces are being cleared. ${err.nextStep ?? 'Try again in a minute.'}`);
      }
    };
    const ready = setting().finally(() => this.examSetups.delete(learner));
    // Whoever began the drill hears how it ended; nothing is left unhandled if they stopped listening.
    ready.catch(() => undefined);
    const setup = { track, tasks, since: this.now(), ready };
    this.examSetups.set(learner, setup);
    return setup;
  }

  /** The learner's drill being set up, if there is one. */
  examSetup(learner: string): ExamSetup | undefined {
    return this.examSetups.get(learner);
  }

  /**
   * Lets a learner's cluster move on by `ms` for a wait of our own making: its clock is hurried,
   * and what it may not be hurried through (it is as far ahead as it may get) passes in real time.
   */
  private hurry(learner: string, ms: number): Promise<void> {
    let step = this.hurrying.get(learner);
    if (!step) {
      step = this.opts.sandboxes
        .hurry(learner, ms)
        .then((moved) => new Promise<void>((r) => (moved < ms ? setTimeout(r, ms - moved) : setImmediate(r))))
        .finally(() => this.hurrying.delete(learner));
      this.hurrying.set(learner, step);
    }
    return step;
  }

  activeTeam(channel: string | undefined): TeamExercise | undefined {
    if (!channel) return undefined;
    const t = this.opts.state.teams()[channel];
    return t && !t.endedAt ? t : undefined;
  }

  /** Runs a learner's kubectl command line on their cluster, or their channel's in a team exercise. */
  async kubectl(learner: string, channel: string | undefined, text: string): Promise<KubectlReply> {
    if (Buffer.byteLength(text) > this.limits.maxRequestBytes) {
      throw new LearnerError(`that command is ${Buffer.byteLength(text)} bytes; the limit here is ${this.limits.maxRequestBytes}`, 'Split the manifest into smaller ones, or apply fewer objects at a time.');
    }
    const [line, ...rest] = text.replace(/\r/g, '').split('\n');
    const manifest = rest.join('\n').replace(/^```[a-z]*\n?|```\s*$/gm, '');
    const words = line.trim().startsWith('kubectl') ? line.trim() : `kubectl ${line.trim()}`;
    const args = kubectlArgs(words);
    const team = this.activeTeam(channel);
    const clusterKey = team ? `team:${channel}` : learner;
    const now = this.now().getTime();
    const mine = this.perLearner.take(learner, now);
    if (!mine.ok) throw new LearnerError(`you have sent ${this.limits.commandsPerMinute} commands in the last minute`, `Wait ${Math.ceil(mine.retryAfterMs / 1000)} s and try again.`);
    const theirs = this.perCluster.take(clusterKey, now);
    if (!theirs.ok) throw new LearnerError('this cluster has had too many commands in the last minute', `Wait ${Math.ceil(theirs.retryAfterMs / 1000)} s and try again.`);

    // A learner's commands run one after another; everyone's share the process's slots in turn.
    const previous = this.inFlight.get(learner) ?? Promise.resolve();
    let notice: string | undefined;
    const job = previous.catch(() => undefined).then(async () => {
      const sb = await this.opts.sandboxes.get(clusterKey);
      notice = sb.notice;
      const files = this.lessonFiles(team ? team.lesson : this.opts.learners(learner).currentLesson());
      return this.runner.run({ args, fromLearner: { manifest, files }, owner: learner, timeoutMs: this.limits.kubectlTimeoutMs }, { kubeconfig: sb.kubeconfig, socket: sb.socket });
    });
    this.inFlight.set(learner, job);
    let run: RunResult;
    try {
      run = await job;
    } finally {
      if (this.inFlight.get(learner) === job) this.inFlight.delete(learner);
    }
    const full = (run.stdout + run.stderr).replace(/\s+$/, '');
    const truncated = full.length > this.limits.maxOutputChars;
    // A damaged sandbox's notice comes first, the one time the pool hands it out.
    const output = (notice ? `${notice}\n\n` : '') + (truncated ? `${full.slice(0, this.limits.maxOutputChars)}\n… (${full.length - this.limits.maxOutputChars} more characters)` : full);

    if (team) {
      const passing = run.code === 0 ? await this.passingTeamChecks(team) : [];
      const entry = { at: this.now().toISOString(), learner, command: words, code: run.code };
      let credited: string[] = [];
      this.opts.state.updateTeam(team.channel, (current) => {
        const r = creditTeam(current ?? team, entry, passing);
        credited = r.credited;
        return r.team;
      });
      return { run, output, truncated, where: 'team', credited };
    }
    let step: CheckOutcome | undefined;
    const tutor = await this.tutor(learner);
    if (run.code === 0 && tutor.learner.currentLesson()) {
      try {
        const o = await tutor.session.check();
        if (o.passed) step = o;
      } catch {
        // A check that cannot run now (the lesson's namespace gone) does not spoil the command's answer.
      }
    }
    return { run, output, truncated, where: 'own', step, credited: [] };
  }

  /** The files a lesson gives the learner, which `-f NAME` may name. */
  private lessonFiles(lessonId: string | undefined): Record<string, string> | undefined {
    return lessonId ? this.lessons.find((l) => l.id === lessonId)?.files : undefined;
  }

  /** The team exercise's checks that pass now, as `step: check` keys. */
  private async passingTeamChecks(team: TeamExercise): Promise<string[]> {
    const sb = await this.opts.sandboxes.get(`team:${team.channel}`);
    const lesson = findLesson(team.lesson, this.lessons);
    const passing: string[] = [];
    for (const step of lesson.steps) {
      const results = await gradeTasks(step.tasks, lesson.namespaces[0], { client: sb.client, kubeconfig: sb.kubeconfig, socket: sb.socket, runner: this.runner, owner: `team:${team.channel}` });
      for (const c of results.flatMap((t) => t.checks)) if (c.passed) passing.push(`${step.id}: ${c.label}`);
    }
    return passing;
  }

  /** The workspace's learners, best first (only those of `team` when given). */
  async leaderboard(team?: string, limit = 10): Promise<BoardRow[]> {
    const inTeam = (id: string) => {
      const p = parseLearnerId(id);
      return p?.door === 'slack' && p.team === team;
    };
    const ids = (this.opts.learnerIds?.() ?? []).filter((id) => !team || inTeam(id));
    const rows = ids.map((id): BoardRow => {
      const r = this.opts.learners(id);
      const exams = r.examReports().map((e) => e.percent);
      return {
        learner: id,
        lessons: Object.values(r.lessons()).filter((l) => l.finishedAt && l.solvedBy === 'learner').length,
        correct: r.answers().filter((a) => a.verdict === 'correct').length,
        bestExam: exams.length ? Math.max(...exams) : undefined,
      };
    });
    return rankLearners(rows.filter((r) => r.lessons || r.correct || r.bestExam !== undefined)).slice(0, limit);
  }

  async startTeam(channel: string, lessonId: string, learner: string): Promise<{ team: TeamExercise; lesson: Lesson }> {
    if (this.activeTeam(channel)) throw new LearnerError('this channel already has a team exercise running', 'See it with `/kubedojo team status`, or end it with `/kubedojo team end`.');
    const lesson = findLesson(lessonId, this.lessons);
    const sb = await this.opts.sandboxes.get(`team:${channel}`);
    await prepare(lesson, { client: sb.client, kubeconfig: sb.kubeconfig, socket: sb.socket, env: this.opts.env, runner: this.runner, owner: `team:${channel}` });
    const team = this.opts.state.updateTeam(channel, () => ({ channel, lesson: lesson.id, startedBy: learner, startedAt: this.now().toISOString(), passedBy: {}, audit: [] }));
    return { team, lesson };
  }

  teamStatus(channel: string): { team: TeamExercise; lesson: Lesson; total: number; board: { learner: string; checks: number; commands: number }[] } {
    const team = this.activeTeam(channel);
    if (!team) throw new LearnerError('no team exercise is running in this channel', 'Start one with `/kubedojo team start LESSON` (`/kubedojo lessons` lists them).');
    const lesson = findLesson(team.lesson, this.lessons);
    // Every check of every step, as the team's progress counts them.
    const total = lesson.steps.reduce((n, s) => n + s.tasks.reduce((m, t) => m + t.checks.length, 0), 0);
    return { team, lesson, total, board: teamBoard(team) };
  }

  async endTeam(channel: string): Promise<{ team: TeamExercise; lesson: Lesson; board: { learner: string; checks: number; commands: number }[]; total: number }> {
    const { lesson, total } = this.teamStatus(channel);
    const endedAt = this.now().toISOString();
    const team = this.opts.state.updateTeam(channel, (t) => ({ ...t!, endedAt }));
    // The channel's whole cluster goes, so there is nothing to tear down inside it first.
    await this.opts.sandboxes.remove(`team:${channel}`);
    return { team, lesson, board: teamBoard(team), total };
  }
}

export interface BoardRow {
  learner: string;
  lessons: number;
  correct: number;
  bestExam?: number;
}

/** Ranks learners by lessons finished on their own, then right answers. Pure. */
export function rankLearners(rows: BoardRow[]): BoardRow[] {
  return [...rows].sort((a, b) => b.lessons - a.lessons || b.correct - a.correct || (b.bestExam ?? -1) - (a.bestExam ?? -1) || a.learner.localeCompare(b.learner));
}

/**
 * A command's entry in the team's audit, crediting its learner with the checks that pass now and
 * that nobody had made pass before. Pure.
 */
export function creditTeam(team: TeamExercise, entry: Omit<AuditEntry, 'credited'>, passing: string[]): { team: TeamExercise; credited: string[] } {
  const credited = passing.filter((key) => !team.passedBy[key]);
  const passedBy = { ...team.passedBy, ...Object.fromEntries(credited.map((key) => [key, entry.learner])) };
  return { team: { ...team, passedBy, audit: [...team.audit, { ...entry, credited }] }, credited };
}

/** Who did what in a team exercise: checks first passed by each learner, and commands run. Pure. */
export function teamBoard(team: TeamExercise): { learner: string; checks: number; commands: number }[] {
  const rows = new Map<string, { learner: string; checks: number; commands: number }>();
  const row = (l: string) => rows.get(l) ?? rows.set(l, { learner: l, checks: 0, commands: 0 }).get(l)!;
  for (const a of team.audit) row(a.learner).commands++;
  for (const l of Object.values(team.passedBy)) row(l).checks++;
  return [...rows.values()].sort((a, b) => b.checks - a.checks || a.commands - b.commands || a.learner.localeCompare(b.learner));
}

// A learner at work: their cluster, their progress, the lesson they are in. Every door (CLI, TUI,
// Slack) drives this one object; none of them grades anything itself.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findLesson, loadLessons } from '../lessons/loader.js';
import type { Lesson, Step } from '../lessons/types.js';
import { clientOf, gradeTasks, pause, prepare, runSolutionEntry, solutionCommand, teardown, type Target, type TaskResult } from '../lessons/workspace.js';
import { LearnerError } from '../problems.js';
import type { KubectlRun } from '../kube/kubectl.js';
import type { CheckResult } from '../lessons/checks.js';
import { hintOrder } from './hints.js';
import { diagnose, type Diagnosis, type LastCommand } from '../lessons/diagnose/index.js';
import { markOf, type CheckState, type ResourceOf, type StepActivity } from './step-activity.js';

/** What the session needs to remember of a learner; the progress store provides it. */
export interface LessonRecord {
  stepIndex: number;
  startedAt: string;
  finishedAt?: string;
  solvedBy?: 'learner' | 'solution';
  /** Per step id: when it passed, hints seen, solution shown. */
  steps: Record<string, { passedAt?: string; hints: number; solutionShown?: boolean; lastChecks?: { check: string; passed: boolean; message: string }[] }>;
}

export interface LearnerProgress {
  currentLesson(): string | undefined;
  lesson(id: string): LessonRecord | undefined;
  lessons(): Record<string, LessonRecord>;
  /** Starts (or restarts) a lesson and makes it current. */
  startLesson(id: string, at: Date): void;
  recordChecks(id: string, stepId: string, results: { check: string; passed: boolean; message: string }[]): void;
  passStep(id: string, stepId: string, nextIndex: number, at: Date): void;
  finishLesson(id: string, solvedBy: 'learner' | 'solution', at: Date): void;
  recordHint(id: string, stepId: string): number;
  recordSolutionShown(id: string, stepId: string): void;
}

export interface LessonSummary {
  id: string;
  title: string;
  summary: string;
  topics: string[];
  minutes: number;
  prerequisites: string[];
  steps: number;
  stepsDone: number;
  status: 'new' | 'started' | 'done';
  solvedBy?: 'learner' | 'solution';
}

/** A check's result with its mark: passed, failed (tried, and here is what is wrong), or not yet. */
export interface MarkedCheck extends CheckResult {
  state: CheckState;
  /** When it failed: the learner's likely mistake and what fixes it, as the detectors see it. */
  diagnosis?: Diagnosis[];
}

export interface MarkedTask extends Omit<TaskResult, 'checks'> {
  checks: MarkedCheck[];
}

export interface CheckOutcome {
  lesson: string;
  step: Step;
  stepNumber: number;
  steps: number;
  tasks: MarkedTask[];
  passed: boolean;
  /** When the step passed: what happened, and what comes next. */
  outcome?: string;
  next?: Step;
  lessonDone?: boolean;
  /** The learner's last command failed: what it likely got wrong, whatever the checks say. */
  aboutCommand?: Diagnosis[];
}

/** What a live door knows of the learner's work in the step, for marks and diagnosis. */
export interface StepContext {
  activity?: StepActivity;
  resourceOf?: ResourceOf;
  last?: LastCommand;
}

export interface SessionOptions {
  target: Target;
  progress: LearnerProgress;
  lessons?: Lesson[];
  now?: () => Date;
  /** Where a lesson's files are put when it starts (the learner's working directory). */
  filesDir?: string;
}

export class Session {
  readonly target: Target;
  readonly progress: LearnerProgress;
  readonly lessons: Lesson[];
  private readonly now: () => Date;
  readonly filesDir?: string;

  constructor(opts: SessionOptions) {
    this.filesDir = opts.filesDir;
    this.target = opts.target;
    this.progress = opts.progress;
    this.lessons = opts.lessons ?? loadLessons();
    this.now = opts.now ?? (() => new Date());
  }

  overview(): { lessons: LessonSummary[]; next?: string } {
    const records = this.progress.lessons();
    const lessons = this.lessons.map((l): LessonSummary => {
      const r = records[l.id];
      const stepsDone = r ? l.steps.filter((s) => r.steps[s.id]?.passedAt).length : 0;
      return {
        id: l.id,
        title: l.title,
        summary: l.summary,
        topics: l.topics,
        minutes: l.minutes,
        prerequisites: l.prerequisites,
        steps: l.steps.length,
        stepsDone: r?.finishedAt ? l.steps.length : stepsDone,
        status: r?.finishedAt ? 'done' : r ? 'started' : 'new',
        solvedBy: r?.solvedBy,
      };
    });
    return { lessons, next: this.nextLesson(lessons) };
  }

  /**
   * The lesson a new sitting opens on: the one in progress (a finished lesson being worked
   * through again counts), else the next unfinished one; undefined when there is none.
   */
  opening(): string | undefined {
    const id = this.progress.currentLesson();
    const record = id ? this.progress.lesson(id) : undefined;
    const lesson = id ? this.lessons.find((l) => l.id === id) : undefined;
    if (!id || !record || !lesson) return this.overview().next;
    const attemptDone = lesson.steps.every((s) => record.steps[s.id]?.passedAt);
    return record.finishedAt && attemptDone ? (this.overview().next ?? id) : id;
  }

  /** The lesson in progress, else the first not done whose prerequisites are done. */
  private nextLesson(lessons: LessonSummary[]): string | undefined {
    const current = this.progress.currentLesson();
    if (current && lessons.find((l) => l.id === current)?.status === 'started') return current;
    const done = new Set(lessons.filter((l) => l.status === 'done').map((l) => l.id));
    return lessons.find((l) => !done.has(l.id) && l.prerequisites.every((p) => done.has(p)))?.id ?? lessons.find((l) => !done.has(l.id))?.id;
  }

  /** The current lesson and step; a LearnerError when no lesson is started. */
  current(): { lesson: Lesson; record: LessonRecord; step: Step; index: number } {
    const id = this.progress.currentLesson();
    if (!id) throw new LearnerError('no lesson is started', 'Run `kubedojo lessons` to pick one, then `kubedojo start LESSON`.');
    const lesson = findLesson(id, this.lessons);
    const record = this.progress.lesson(id);
    if (!record) throw new LearnerError(`lesson ${id} has no progress yet`, `Run \`kubedojo start ${id}\`.`);
    const index = Math.min(record.stepIndex, lesson.steps.length - 1);
    return { lesson, record, step: lesson.steps[index], index };
  }

  /** Sets the lesson's namespaces up afresh and makes it current, at its first step. */
  async start(id: string): Promise<{ lesson: Lesson; step: Step }> {
    const lesson = findLesson(id, this.lessons);
    await prepare(lesson, this.target);
    if (this.filesDir && lesson.files) {
      mkdirSync(this.filesDir, { recursive: true });
      for (const [name, content] of Object.entries(lesson.files)) writeFileSync(path.join(this.filesDir, path.basename(name)), content);
    }
    this.progress.startLesson(lesson.id, this.now());
    return { lesson, step: lesson.steps[0] };
  }

  /**
   * Grades the current step; a pass is recorded and moves the lesson on. With the step's activity
   * (a live door), a failing check nobody has touched yet is marked pending rather than failed.
   */
  async check(live: StepContext = {}): Promise<CheckOutcome> {
    const { lesson, step, index } = this.current();
    const ns = lesson.namespaces[0];
    const graded = await gradeTasks(step.tasks, ns, this.target);
    const tasks: MarkedTask[] = graded.map((t, i) => ({
      ...t,
      checks: t.checks.map((c, k) => ({ ...c, state: markOf(c.passed, live.activity?.touched(step.tasks[i].checks[k], ns, live.resourceOf)) })),
    }));
    const passed = tasks.every((t) => t.passed);
    this.progress.recordChecks(lesson.id, step.id, tasks.flatMap((t) => t.checks.map((c) => ({ check: c.label, passed: c.passed, message: c.message }))));
    const context = { client: clientOf(this.target), namespace: ns, namespaces: lesson.namespaces, last: live.last };
    // Diagnosis before verdict: each check marked failed is looked at by the detectors; a mistake
    // already named for an earlier check is not named again.
    const named = new Set<string>();
    for (const [i, t] of tasks.entries()) {
      for (const [k, c] of t.checks.entries()) {
        if (c.state !== 'failed') continue;
        const found = (await diagnose({ ...context, check: step.tasks[i].checks[k], failure: c.message })).filter((d) => !named.has(d.mistake));
        for (const d of found) named.add(d.mistake);
        if (found.length) c.diagnosis = found;
      }
    }
    const aboutCommand = live.last && live.last.exitCode !== 0 ? (await diagnose(context)).filter((d) => !named.has(d.mistake)) : [];
    const base = { lesson: lesson.id, step, stepNumber: index + 1, steps: lesson.steps.length, tasks, passed, ...(aboutCommand.length ? { aboutCommand } : {}) };
    if (!passed) return base;
    const last = index === lesson.steps.length - 1;
    this.progress.passStep(lesson.id, step.id, last ? index : index + 1, this.now());
    if (last) {
      const byLearner = !lesson.steps.some((s) => this.progress.lesson(lesson.id)?.steps[s.id]?.solutionShown);
      this.progress.finishLesson(lesson.id, byLearner ? 'learner' : 'solution', this.now());
      return { ...base, outcome: step.outcome, lessonDone: true };
    }
    return { ...base, outcome: step.outcome, next: lesson.steps[index + 1] };
  }

  /**
   * The next hint of the current step (the last one again once all are seen), from where the
   * learner stands now: the step is graded first, hints about what is done are skipped, and the
   * first is about the first check still failing.
   */
  async hint(): Promise<{ hint: string; number: number; of: number; step: Step }> {
    const { lesson, step } = this.current();
    const ns = lesson.namespaces[0];
    // Without a cluster to read (it is not running), every check counts as still to do.
    const passed = await gradeTasks(step.tasks, ns, this.target).then(
      (graded) => graded.flatMap((t) => t.checks.map((c) => c.passed)),
      () => [],
    );
    const order = hintOrder(step, ns, passed);
    const seen = this.progress.recordHint(lesson.id, step.id);
    const number = Math.min(seen, order.length);
    return { hint: step.hints[order[number - 1]], number, of: order.length, step };
  }

  /** The current step's solution as commands; showing it is recorded. */
  solution(): { step: Step; commands: string[] } {
    const { lesson, step } = this.current();
    this.progress.recordSolutionShown(lesson.id, step.id);
    return { step, commands: step.solution.map((e) => solutionCommand(e, lesson.namespaces[0])) };
  }

  /**
   * Runs the solution of the current step and each after it, one command at a time, as an
   * instructor's demo; each step is checked before the next. Recorded as solved by the solution.
   */
  async solve(events: { command?: (cmd: string) => void; result?: (run: KubectlRun) => void; checked?: (o: CheckOutcome) => void } = {}, timeoutMs = 180_000): Promise<CheckOutcome> {
    for (;;) {
      const { lesson, step } = this.current();
      this.progress.recordSolutionShown(lesson.id, step.id);
      for (const entry of step.solution) {
        events.command?.(solutionCommand(entry, lesson.namespaces[0]));
        const run = await runSolutionEntry(entry, lesson.namespaces[0], this.target);
        events.result?.(run);
        if (run.code !== 0) throw new LearnerError(`the solution's command failed: ${run.stderr.trim() || run.stdout.trim()}`, 'Run `kubedojo reset` to start the lesson afresh, then `kubedojo solve` again.');
      }
      const outcome = await this.checkUntilPassed(timeoutMs);
      events.checked?.(outcome);
      if (!outcome.passed || outcome.lessonDone) return outcome;
    }
  }

  private async checkUntilPassed(timeoutMs: number): Promise<CheckOutcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const o = await this.check();
      if (o.passed || Date.now() > deadline) return o;
      await pause(this.target, 1000);
    }
  }

  /** Deletes what the lesson made and sets it up again, back at its first step. */
  async reset(): Promise<{ lesson: Lesson; step: Step }> {
    const { lesson } = this.current();
    await teardown(lesson, this.target);
    return this.start(lesson.id);
  }
}

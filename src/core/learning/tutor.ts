// One learner's tutor: lessons (through the Session), quizzes and exam drills, all recorded in
// their progress. The CLI, the terminal tutor and the Slack bot each hold one of these per learner.
import { randomInt } from 'node:crypto';
import path from 'node:path';
import type { Card } from 'ts-fsrs';
import type { ClusterHost } from '../hosting/cluster-host.js';
import type { Target } from '../lessons/workspace.js';
import type { Lesson } from '../lessons/types.js';
import { Session, type LearnerProgress } from './session.js';
import { loadBank } from '../quiz/bank.js';
import { loadExamBank } from '../quiz/exam-bank.js';
import { clearExam, examStanding, examTasks, gradeExam, startExam, type ExamInProgress, type ExamStanding } from '../quiz/exam-session.js';
import type { ExamReport } from '../quiz/exam.js';
import type { SetUpOptions } from '../quiz/exam-setup.js';
import { answerItem, findItem, pickItems, type Answered } from '../quiz/practice.js';
import { generateItems } from '../quiz/generate.js';
import { readNotesDir } from '../quiz/notes-dir.js';
import type { ExamTask, Item, Track } from '../quiz/types.js';
import type { Verdict } from '../quiz/grade.js';
import { LearnerError } from '../problems.js';

export interface FinishedExam extends ExamReport {
  startedAt: string;
  finishedAt: string;
}

/** All a learner's record holds: the lesson part (for the Session) and the rest. */
export interface LearnerRecord extends LearnerProgress {
  cards(): Record<string, Card>;
  saveCard(itemId: string, card: Card): void;
  recordAnswer(itemId: string, answer: string, verdict: Verdict, at: Date): void;
  answers(): { itemId: string; verdict: Verdict; at: string }[];
  currentExam(): ExamInProgress | undefined;
  startExam(exam: ExamInProgress): void;
  flagExamTask(taskId: string, flagged: boolean): void;
  finishExam(report: FinishedExam): void;
  examReports(): FinishedExam[];
}

export interface ProgressSummary {
  lessons: { total: number; done: number; byLearner: number; started: number };
  quiz: { answered: number; correct: number; close: number; wrong: number; due: number };
  exams: { track: Track; finishedAt: string; percent: number; passed: boolean }[];
  /** Per day: lessons finished and quiz answers right, for a chart over time. */
  days: { day: string; steps: number; correct: number; answered: number }[];
}

export interface TutorOptions {
  target: Target;
  learner: LearnerRecord;
  /** Hosts scratch clusters for command and manifest quiz items; started on first use. */
  host?: () => Promise<ClusterHost>;
  lessons?: Lesson[];
  bank?: Item[];
  now?: () => Date;
  env?: NodeJS.ProcessEnv;
  /** Where lessons' files go (the learner's working directory). */
  filesDir?: string;
}

export class Tutor {
  readonly session: Session;
  readonly learner: LearnerRecord;
  private readonly now: () => Date;
  private readonly fromNotes = new Map<string, Item[]>();

  constructor(private readonly opts: TutorOptions) {
    this.learner = opts.learner;
    this.now = opts.now ?? (() => new Date());
    this.session = new Session({ target: opts.target, progress: opts.learner, lessons: opts.lessons, now: this.now, filesDir: opts.filesDir });
  }

  get target(): Target {
    return this.opts.target;
  }

  /** The built-in bank, or items made from a folder of notes (read once per folder). */
  items(from?: string): Item[] {
    if (!from) return this.opts.bank ?? loadBank();
    const dir = path.resolve(from);
    let items = this.fromNotes.get(dir);
    if (!items) this.fromNotes.set(dir, (items = generateItems(readNotesDir(dir)).items));
    return items;
  }

  quiz(opts: { topic?: string; count?: number; from?: string } = {}): Item[] {
    const { lessons, next } = this.session.overview();
    const learned = lessons.filter((l) => l.status === 'done').flatMap((l) => l.topics);
    const upcoming = lessons.find((l) => l.id === next)?.topics;
    return pickItems(this.items(opts.from), { topic: opts.topic, count: opts.count, cards: this.learner.cards(), now: this.now(), learned, upcoming });
  }

  async answer(itemId: string, answer: string, from?: string): Promise<Answered> {
    const item = findItem(this.items(from), itemId);
    const needsCluster = item.kind === 'command' || item.kind === 'manifest';
    const host = needsCluster ? await this.hostOrFail() : undefined;
    const now = this.now();
    const result = await answerItem(item, answer, { card: this.learner.cards()[item.id], now, host, env: this.opts.env, runner: this.opts.target.runner, owner: this.opts.target.owner });
    this.learner.recordAnswer(item.id, answer, result.grade.verdict, now);
    this.learner.saveCard(item.id, result.card);
    return result;
  }

  private async hostOrFail(): Promise<ClusterHost> {
    if (!this.opts.host) throw new LearnerError('command and manifest questions need a scratch cluster, and none is available here', 'Try another question.');
    return this.opts.host();
  }

  /**
   * Sets a drill's tasks up, then starts it: its clock starts once the tasks are ready. `wait`
   * replaces the target's way of letting the cluster move on while the set-up waits for it, and
   * `rollout` how a rollout is waited for.
   */
  async startExam(track: Track, opts: SetUpOptions & { minutes?: number; count?: number; seed?: number; wait?: (ms: number) => Promise<void> } = {}): Promise<{ exam: ExamInProgress; tasks: ExamTask[] }> {
    if (this.learner.currentExam()) throw new LearnerError('an exam is already in progress', 'Finish it (submit) before starting another.');
    const bank = loadExamBank(track);
    const target = opts.wait ? { ...this.opts.target, wait: opts.wait } : this.opts.target;
    const started = await startExam(bank, target, { now: this.now, seed: opts.seed ?? randomInt(2 ** 31), count: opts.count, minutes: opts.minutes, rollout: opts.rollout });
    this.learner.startExam(started.exam);
    return started;
  }

  exam(): { exam: ExamInProgress; tasks: ExamTask[]; msLeft: number } | undefined {
    const exam = this.learner.currentExam();
    if (!exam) return undefined;
    return { exam, tasks: examTasks(loadExamBank(exam.track), exam), msLeft: new Date(exam.deadline).getTime() - this.now().getTime() };
  }

  flag(taskId: string, flagged: boolean): void {
    if (!this.learner.currentExam()) throw new LearnerError('no exam is in progress', 'Start one first.');
    this.learner.flagExamTask(taskId, flagged);
  }

  /** What submitting now would leave: tasks not started, tasks flagged. */
  async examStanding(): Promise<ExamStanding> {
    const exam = this.learner.currentExam();
    if (!exam) throw new LearnerError('no exam is in progress', 'Start one with `kubedojo exam --track cka` or `--track ckad`.');
    return examStanding(loadExamBank(exam.track), exam, this.opts.target);
  }

  async submitExam(): Promise<FinishedExam> {
    const exam = this.learner.currentExam();
    if (!exam) throw new LearnerError('no exam is in progress', 'Start one with `kubedojo exam --track cka` or `--track ckad`.');
    const bank = loadExamBank(exam.track);
    const report = await gradeExam(bank, exam, this.opts.target);
    const finished = { ...report, startedAt: exam.startedAt, finishedAt: this.now().toISOString() };
    this.learner.finishExam(finished);
    await clearExam(bank, exam, this.opts.target).catch(() => undefined);
    return finished;
  }

  summary(): ProgressSummary {
    const lessons = this.learner.lessons();
    const records = Object.values(lessons);
    const answers = this.learner.answers();
    const cards = this.learner.cards();
    const now = this.now().getTime();
    const days = new Map<string, { day: string; steps: number; correct: number; answered: number }>();
    const day = (iso: string) => {
      const d = iso.slice(0, 10);
      if (!days.has(d)) days.set(d, { day: d, steps: 0, correct: 0, answered: 0 });
      return days.get(d)!;
    };
    for (const r of records) for (const s of Object.values(r.steps)) if (s.passedAt) day(s.passedAt).steps++;
    for (const a of answers) {
      const d = day(a.at);
      d.answered++;
      if (a.verdict === 'correct') d.correct++;
    }
    return {
      lessons: {
        total: this.session.lessons.length,
        done: records.filter((r) => r.finishedAt).length,
        byLearner: records.filter((r) => r.finishedAt && r.solvedBy === 'learner').length,
        started: records.filter((r) => !r.finishedAt).length,
      },
      quiz: {
        answered: answers.length,
        correct: answers.filter((a) => a.verdict === 'correct').length,
        close: answers.filter((a) => a.verdict === 'close').length,
        wrong: answers.filter((a) => a.verdict === 'wrong').length,
        due: Object.values(cards).filter((c) => new Date(c.due).getTime() <= now).length,
      },
      exams: this.learner.examReports().map((e) => ({ track: e.track, finishedAt: e.finishedAt, percent: e.percent, passed: e.passed })),
      days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    };
  }
}

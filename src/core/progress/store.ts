// The learner progress store: one lowdb file for every learner of a data directory. Each
// mutation re-reads the file under its lock, applies a pure update to one learner and writes the
// whole file back atomically before returning, so stores in one process or several (the CLI and
// the Slack bot on one data directory) never lose each other's writes.
import os from 'node:os';
import path from 'node:path';
import { LowSync } from 'lowdb';
import type { Card } from 'ts-fsrs';
import { dataDir } from '../paths.js';
import { BugError } from '../problems.js';
import { ProgressFileAdapter } from './file.js';
import * as rec from './records.js';
import type { AnswerRecord, CheckResult, ExamInProgress, FinishedExam, LearnerData, LessonRecord, ProgressFile, TeamExercise, Verdict } from './types.js';

export const PROGRESS_FILE = 'progress.json';

export interface OpenOptions {
  /** The folder of progress.json; default the data directory (`$KUBEDOJO_HOME`). */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  /** The clock used to name a file put aside. */
  now?: () => Date;
}

export interface ProgressStore {
  readonly path: string;
  /** Every learner with a record, sorted. */
  learnerIds(): string[];
  learner(id: string): LearnerHandle;
  /** The Slack channels' team exercises, by channel id (a copy). */
  teams(): Record<string, TeamExercise>;
  /**
   * Changes a channel's team exercise (made by fn when there is none) under the file's lock, so
   * two members' commands at once both count; on disk when this returns.
   */
  updateTeam(channel: string, fn: (team: TeamExercise | undefined) => TeamExercise): TeamExercise;
}

const LEARNER_ID = /^(local:[^\s]+|slack:[^:\s]+:[^:\s]+)$/;

export function localLearnerId(username: string = safeUsername()): string {
  return `local:${username}`;
}

export function slackLearnerId(team: string, user: string): string {
  return `slack:${team}:${user}`;
}

function safeUsername(): string {
  try {
    return os.userInfo().username || 'me';
  } catch {
    return process.env.USER || process.env.USERNAME || 'me';
  }
}

/**
 * Opens the progress file of the data directory. A file that cannot be used (not JSON, not a
 * progress record, a newer format) is moved aside and reported with a LearnerError; the next open
 * starts a new one.
 */
export function openProgress(opts: OpenOptions = {}): ProgressStore {
  const dir = opts.dir ?? dataDir(opts.env);
  const file = path.join(path.resolve(dir), PROGRESS_FILE);
  const adapter = new ProgressFileAdapter(file, opts.now);
  const db = new LowSync<ProgressFile>(adapter, rec.emptyFile());
  let seen = '';

  /** The file as it is now (re-read only when it was replaced since). */
  const current = (): ProgressFile => {
    const stamp = adapter.stamp();
    if (stamp !== seen || stamp === 'none') {
      db.data = rec.emptyFile();
      db.read();
      seen = stamp;
    }
    return db.data;
  };

  /** Re-reads the file under its lock, changes it, and writes it back before returning. */
  const change = <T>(fn: (file: ProgressFile) => { file: ProgressFile; result: T }): T =>
    adapter.withLock(() => {
      seen = '';
      const { file, result } = fn(current());
      db.data = file;
      db.write();
      seen = adapter.stamp();
      return result;
    });

  const update = <T>(id: string, fn: (d: LearnerData) => { data: LearnerData; result: T }): T =>
    change((file) => {
      const { data, result } = fn(file.learners[id] ?? rec.emptyLearner());
      return { file: { ...file, learners: { ...file.learners, [id]: data } }, result };
    });

  current();
  adapter.sweepTemps();

  return {
    path: file,
    learnerIds: () => Object.keys(current().learners).sort(),
    learner(id: string): LearnerHandle {
      if (!LEARNER_ID.test(id)) throw new BugError(`not a learner id: ${JSON.stringify(id)} (expected local:<user> or slack:<team>:<user>)`);
      return new LearnerHandle(id, () => current().learners[id] ?? rec.emptyLearner(), update);
    },
    teams: () => structuredClone(current().teams),
    updateTeam(channel: string, fn: (team: TeamExercise | undefined) => TeamExercise): TeamExercise {
      return change((file) => {
        const team = fn(file.teams[channel] && structuredClone(file.teams[channel]));
        return { file: { ...file, teams: { ...file.teams, [channel]: team } }, result: structuredClone(team) };
      });
    },
  };
}

type Update = <T>(id: string, fn: (d: LearnerData) => { data: LearnerData; result: T }) => T;

/**
 * One learner's record: read accessors, and mutations that are on disk when they return. It is
 * what the Session and the Tutor use (LearnerProgress, LearnerRecord).
 */
export class LearnerHandle {
  constructor(
    readonly id: string,
    private readonly read: () => LearnerData,
    private readonly update: Update,
  ) {}

  private set(fn: (d: LearnerData) => LearnerData): void {
    this.update(this.id, (d) => ({ data: fn(d), result: undefined }));
  }

  /** The whole record (a copy). */
  data(): LearnerData {
    return structuredClone(this.read());
  }

  // Lessons
  currentLesson(): string | undefined {
    return this.read().currentLesson;
  }
  lesson(id: string): LessonRecord | undefined {
    const r = this.read().lessons[id];
    return r && structuredClone(r);
  }
  lessons(): Record<string, LessonRecord> {
    return structuredClone(this.read().lessons);
  }
  startLesson(id: string, at: Date): void {
    this.set((d) => rec.startLesson(d, id, at));
  }
  recordChecks(id: string, stepId: string, results: CheckResult[]): void {
    this.set((d) => rec.recordChecks(d, id, stepId, results));
  }
  passStep(id: string, stepId: string, nextIndex: number, at: Date): void {
    this.set((d) => rec.passStep(d, id, stepId, nextIndex, at));
  }
  finishLesson(id: string, solvedBy: 'learner' | 'solution', at: Date): void {
    this.set((d) => rec.finishLesson(d, id, solvedBy, at));
  }
  /** Returns how many hints the step has shown, this one included. */
  recordHint(id: string, stepId: string): number {
    return this.update(this.id, (d) => {
      const r = rec.recordHint(d, id, stepId);
      return { data: r.data, result: r.hints };
    });
  }
  recordSolutionShown(id: string, stepId: string): void {
    this.set((d) => rec.recordSolutionShown(d, id, stepId));
  }

  // Quiz
  answers(): AnswerRecord[] {
    return structuredClone(this.read().answers);
  }
  recordAnswer(itemId: string, answer: string, verdict: Verdict, at: Date): void {
    this.set((d) => rec.recordAnswer(d, itemId, answer, verdict, at));
  }
  cards(): Record<string, Card> {
    return Object.fromEntries(Object.entries(this.read().cards).map(([id, c]) => [id, rec.cardFromStored(c)]));
  }
  card(itemId: string): Card | undefined {
    const c = this.read().cards[itemId];
    return c && rec.cardFromStored(c);
  }
  saveCard(itemId: string, card: Card): void {
    this.set((d) => rec.saveCard(d, itemId, card));
  }

  // Exams
  currentExam(): ExamInProgress | undefined {
    const e = this.read().currentExam;
    return e && structuredClone(e);
  }
  startExam(exam: ExamInProgress): void {
    this.set((d) => rec.startExam(d, exam));
  }
  flagExamTask(taskId: string, flagged: boolean): void {
    this.set((d) => rec.flagExamTask(d, taskId, flagged));
  }
  finishExam(report: FinishedExam): void {
    this.set((d) => rec.finishExam(d, report));
  }
  examReports(): FinishedExam[] {
    return structuredClone(this.read().exams);
  }
}

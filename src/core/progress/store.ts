// The learner progress store: one small file per learner and one per channel's team exercise,
// in `<data dir>/progress/`. Each mutation re-reads its one file under that file's lock, applies
// a pure update and writes the file back atomically before returning, so stores in one process
// or several (the CLI and the Slack bot on one data directory) never lose each other's writes,
// and a write costs the same with ten learners or ten thousand. What is read is checked field by
// field (records.ts): damage is reported in words, the file kept aside, and the rest used.
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Card } from 'ts-fsrs';
import { dataDir } from '../paths.js';
import { BugError, LearnerError } from '../problems.js';
import { privateDir } from '../durable-files.js';
import { copyJson } from '../own.js';
import { isLearnerId, localLearnerId as learnerIdOf, slackLearnerId } from '../learning/learner-id.js';
import { RecordFile, sweepLeftovers } from './file.js';
import * as rec from './records.js';
import * as scen from './scenario-records.js';
import { FORMAT_VERSION, SINGLE_FILE_VERSION, type AnswerRecord, type CheckResult, type ExamInProgress, type FinishedExam, type LearnerData, type LearnerFile, type LessonRecord, type TeamExercise, type TeamFile, type Verdict } from './types.js';

/** The folder of the progress files, in the data directory. */
export const PROGRESS_DIR = 'progress';
/** The single file of every learner that older versions kept; moved into PROGRESS_DIR on open. */
export const SINGLE_FILE = 'progress.json';

export interface OpenOptions {
  /** The data directory (default `$KUBEDOJO_HOME`); the files are in its `progress/` folder. */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  /** The clock used to name a file kept aside. */
  now?: () => Date;
  /** The lessons, so that a record pointing past a lesson's last step is caught. */
  lessons?: readonly { id: string; steps: readonly { id: string }[] }[];
  /** Hears, in words, of damaged progress found and kept aside (default: written to stderr). */
  report?: (message: string) => void;
}

export interface ProgressStore {
  /** The folder holding the progress files. */
  readonly path: string;
  /** Every learner with a record, sorted. */
  learnerIds(): string[];
  learner(id: string): LearnerHandle;
  /** The Slack channels' team exercises, by channel id (a copy). */
  teams(): Record<string, TeamExercise>;
  /**
   * Changes a channel's team exercise (made by fn when there is none) under its file's lock, so
   * two members' commands at once both count; on disk when this returns.
   */
  updateTeam(channel: string, fn: (team: TeamExercise | undefined) => TeamExercise): TeamExercise;
}

/** This machine's learner: `local:<os user>`. */
export function localLearnerId(username: string = safeUsername()): string {
  return learnerIdOf(username);
}

export { slackLearnerId };

function safeUsername(): string {
  try {
    return os.userInfo().username || 'me';
  } catch {
    return process.env.USER || process.env.USERNAME || 'me';
  }
}

/** What a file held: its record, what was wrong with parts of it, or why none of it could be used. */
type Parsed<T> = { value: T; problems: string[] } | { unusable: 'damaged' | 'newer'; why: string };

/**
 * One kind of progress file (learners' or teams'): reading with a cache that notices another
 * process's writes, checking, keeping damage aside, and changing under the file's lock.
 */
class Files<T> {
  private readonly cache = new Map<string, { stamp: string; value: T }>();

  constructor(
    readonly dir: string,
    private readonly parse: (text: string, key: string) => Parsed<T>,
    private readonly empty: () => T,
    private readonly encode: (key: string, value: T) => unknown,
    private readonly report: (message: string) => void,
    private readonly now: () => Date,
  ) {}

  file(key: string): RecordFile {
    return new RecordFile(path.join(this.dir, `${encodeURIComponent(key)}.json`), this.now);
  }

  /** Makes the folders, private (the progress folder and this kind's), before the first write. */
  private ready = false;
  private prepare(): void {
    if (this.ready) return;
    privateDir(path.dirname(this.dir));
    privateDir(this.dir);
    this.ready = true;
  }

  keys(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => decodeURIComponent(n.slice(0, -5)));
  }

  /** The value as it is on disk now (re-read only when the file was replaced since). */
  read(key: string): T {
    const f = this.file(key);
    const stamp = f.stamp();
    const hit = this.cache.get(key);
    if (hit && hit.stamp === stamp) return hit.value;
    const value = this.load(key, f, false);
    this.cache.set(key, { stamp: f.stamp(), value });
    return value;
  }

  /** Re-reads the file under its lock, changes it, and writes it back before returning. */
  change<R>(key: string, fn: (value: T) => { value: T; result: R }): R {
    const f = this.file(key);
    this.prepare();
    return f.withLock(() => {
      const { value, result } = fn(this.load(key, f, true));
      f.write(this.encode(key, value));
      this.cache.set(key, { stamp: f.stamp(), value });
      return result;
    });
  }

  /** Reads and checks the file; damage is kept aside and reported, the usable rest returned. */
  private load(key: string, f: RecordFile, locked: boolean): T {
    const text = f.readText();
    if (text === undefined) return this.empty();
    const parsed = this.parse(text, key);
    if ('unusable' in parsed) {
      const aside = f.moveAside(parsed.unusable);
      if (parsed.unusable === 'newer') {
        throw new LearnerError(
          `the progress file ${f.file} ${parsed.why}; it was moved aside to ${aside ?? 'another name'}, untouched`,
          `Update kubedojo to a version that reads it, and move that file back to ${f.file} to keep that progress; run this version again to start it anew instead.`,
        );
      }
      if (aside) this.report(`the progress file ${f.file} could not be read: it ${parsed.why}. It was moved to ${aside}, untouched, and this record starts anew. To get it back, repair that copy and move it back to ${f.file} while kubedojo is not running.`);
      return this.empty();
    }
    if (!parsed.problems.length) return parsed.value;
    // Written back at once, with the file as it was kept aside first: the damage is reported once.
    const repair = () => {
      if (f.readText() !== text) return;
      const aside = f.copyAside('damaged');
      f.write(this.encode(key, parsed.value));
      this.report(`the progress file ${f.file} had parts that could not be used: ${parsed.problems.join('; ')}. The rest is kept. The file as it was is kept in ${aside}, untouched: nothing to do unless something you did is missing, then repair that copy and move it back to ${f.file}.`);
    };
    if (locked) repair();
    else f.withLock(repair);
    return parsed.value;
  }
}

function parseFile<T>(text: string, kind: string, what: string, field: string, check: (raw: unknown) => { value?: T; problems: string[] }): Parsed<T> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { unusable: 'damaged', why: 'is not valid JSON' };
  }
  if (!rec.isObject(data) || data.kind !== kind) return { unusable: 'damaged', why: `does not hold ${what}` };
  const version = data.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { unusable: 'damaged', why: 'has no format version' };
  if (version > FORMAT_VERSION) return { unusable: 'newer', why: `was written by a newer kubedojo (format ${version}; this one reads format ${FORMAT_VERSION})` };
  const { value, problems } = check(data[field]);
  if (value === undefined) return { unusable: 'damaged', why: problems.join('; ') };
  return { value, problems };
}

/**
 * Opens the progress files of the data directory. The single file of an older kubedojo is moved
 * into one file per learner first (and kept, renamed). A file that cannot be used at all (not
 * JSON, not a record) is moved aside and reported, and its record starts anew; one written by a
 * newer kubedojo is moved aside with a LearnerError.
 */
export function openProgress(opts: OpenOptions = {}): ProgressStore {
  const root = path.resolve(opts.dir ?? dataDir(opts.env));
  const dir = path.join(root, PROGRESS_DIR);
  const now = opts.now ?? (() => new Date());
  const report = opts.report ?? ((m: string) => process.stderr.write(`kubedojo: ${m}\n`));
  const byId = new Map((opts.lessons ?? []).map((l) => [l.id, l.steps]));
  const shapes: rec.LessonShapes = { steps: (id) => byId.get(id) };

  const learners = new Files<LearnerData>(
    path.join(dir, 'learners'),
    (text) =>
      parseFile(text, 'KubedojoLearner', 'a learner\'s progress', 'record', (raw) => {
        if (!rec.isObject(raw)) return { problems: ['does not hold a learner\'s record'] };
        const r = rec.normaliseLearner(raw, shapes, now());
        return { value: r.data, problems: r.problems };
      }),
    rec.emptyLearner,
    (id, record): LearnerFile => ({ kind: 'KubedojoLearner', version: FORMAT_VERSION, id, record }),
    report,
    now,
  );
  const teams = new Files<TeamExercise | undefined>(
    path.join(dir, 'teams'),
    (text, channel) => parseFile(text, 'KubedojoTeamExercise', 'a team exercise', 'exercise', (raw) => {
      const r = rec.normaliseTeam(channel, raw);
      return { value: r.team, problems: r.problems };
    }),
    () => undefined,
    (channel, exercise): TeamFile => ({ kind: 'KubedojoTeamExercise', version: FORMAT_VERSION, channel, exercise: exercise! }),
    report,
    now,
  );

  if (existsSync(path.join(root, SINGLE_FILE))) moveSingleFile(root, learners, teams, shapes, report, now);
  for (const d of [learners.dir, teams.dir]) sweepLeftovers(d);

  return {
    path: dir,
    learnerIds: () => learners.keys().filter((id) => isLearnerId(id)).sort(),
    learner(id: string): LearnerHandle {
      if (!isLearnerId(id)) throw new BugError(`not a learner id: ${JSON.stringify(id)} (expected local:<user> or slack:<team>:<user>)`);
      // Read now, so that damage is reported when the record is opened, not halfway through a command.
      learners.read(id);
      return new LearnerHandle(id, () => learners.read(id), (fn) => learners.change(id, (d) => { const r = fn(d); return { value: r.data, result: r.result }; }));
    },
    teams(): Record<string, TeamExercise> {
      const out: Record<string, TeamExercise> = {};
      for (const channel of teams.keys().sort()) {
        const t = teams.read(channel);
        if (t) out[channel] = copyJson(t);
      }
      return out;
    },
    updateTeam(channel: string, fn: (team: TeamExercise | undefined) => TeamExercise): TeamExercise {
      return teams.change(channel, (t) => {
        const team = fn(t && copyJson(t));
        return { value: team, result: copyJson(team) };
      });
    },
  };
}

/**
 * Moves the single progress file of an older kubedojo into one file per learner and per team,
 * under its old lock. A record already moved is not overwritten; the old file is kept, renamed.
 */
function moveSingleFile(root: string, learners: Files<LearnerData>, teams: Files<TeamExercise | undefined>, shapes: rec.LessonShapes, report: (m: string) => void, now: () => Date): void {
  const single = new RecordFile(path.join(root, SINGLE_FILE), now);
  single.withLock(() => {
    const text = single.readText();
    if (text === undefined) return;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    const version = rec.isObject(data) ? data.version : undefined;
    if (!rec.isObject(data) || typeof version !== 'number' || !Number.isInteger(version) || version < 1 || (data.learners !== undefined && !rec.isObject(data.learners))) {
      const aside = single.moveAside('damaged');
      report(`the progress file ${single.file} could not be read: it is not a progress record. It was moved to ${aside}, untouched, and your progress starts anew. To get it back, repair that copy and move it back to ${single.file} while kubedojo is not running.`);
      return;
    }
    if (version > SINGLE_FILE_VERSION) {
      const aside = single.moveAside('newer');
      throw new LearnerError(
        `your progress file ${single.file} was written by a newer kubedojo (format ${version}; this one reads format ${SINGLE_FILE_VERSION}); it was moved aside to ${aside}, untouched`,
        `Update kubedojo to a version that reads it, and move that file back to ${single.file} to keep your progress; run this version again to start a new record instead.`,
      );
    }
    const problems: string[] = [];
    for (const [id, raw] of Object.entries(rec.isObject(data.learners) ? data.learners : {})) {
      if (!isLearnerId(id)) {
        problems.push(`a record under the name ${JSON.stringify(id)} is not a learner's, and was left out`);
        continue;
      }
      const { data: learner, problems: found } = rec.normaliseLearner(raw, shapes, now());
      problems.push(...found.map((p) => `${id}: ${p}`));
      const f = learners.file(id);
      if (f.stamp() === 'none') f.write({ kind: 'KubedojoLearner', version: FORMAT_VERSION, id, record: learner } satisfies LearnerFile);
    }
    const { teams: found, problems: teamProblems } = rec.normaliseTeams(data.teams);
    problems.push(...teamProblems);
    for (const [channel, exercise] of Object.entries(found)) {
      const f = teams.file(channel);
      if (f.stamp() === 'none') f.write({ kind: 'KubedojoTeamExercise', version: FORMAT_VERSION, channel, exercise } satisfies TeamFile);
    }
    const kept = single.moveAside('moved');
    if (problems.length) report(`the progress file ${single.file} had parts that could not be used: ${problems.join('; ')}. The rest is kept, now one file per learner in ${learners.dir}; the old file is kept in ${kept}, untouched.`);
  });
}

type Update = <T>(fn: (d: LearnerData) => { data: LearnerData; result: T }) => T;

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
    this.update((d) => ({ data: fn(d), result: undefined }));
  }

  /** The whole record (a copy). */
  data(): LearnerData {
    return copyJson(this.read());
  }

  // Lessons
  currentLesson(): string | undefined {
    return this.read().currentLesson;
  }
  lesson(id: string): LessonRecord | undefined {
    const r = this.read().lessons[id];
    return r && copyJson(r);
  }
  lessons(): Record<string, LessonRecord> {
    return copyJson(this.read().lessons);
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
    return this.update((d) => {
      const r = rec.recordHint(d, id, stepId);
      return { data: r.data, result: r.hints };
    });
  }
  recordSolutionShown(id: string, stepId: string): void {
    this.set((d) => rec.recordSolutionShown(d, id, stepId));
  }

  // Quiz
  answers(): AnswerRecord[] {
    return copyJson(this.read().answers);
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
    return e && copyJson(e);
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
    return copyJson(this.read().exams);
  }

  // Killercoda scenarios
  scenario(id: string): scen.ScenarioRecord | undefined {
    const r = scen.scenarioRecord(this.read(), id);
    return r && copyJson(r);
  }
  agreeToScenario(id: string, hash: string): void {
    this.set((d) => scen.agreeToScenario(d, id, hash));
  }
  startScenario(id: string, at: Date): void {
    this.set((d) => scen.startScenario(d, id, at));
  }
  passScenarioStep(id: string, index: number, steps: number, at: Date): void {
    this.set((d) => scen.passScenarioStep(d, id, index, steps, at));
  }
}

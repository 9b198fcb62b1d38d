// Pure updates of a learner's record: each takes the record and returns a new one, leaving the
// old untouched. The store does the I/O around them.
import type { Card } from 'ts-fsrs';
import type { AnswerRecord, CheckResult, ExamInProgress, FinishedExam, LearnerData, LessonRecord, StoredCard, Verdict, TeamExercise, AuditEntry } from './types.js';
import { own } from '../own.js';
import { normaliseScenarios } from './scenario-records.js';

export function emptyLearner(): LearnerData {
  return { lessons: {}, answers: [], cards: {}, exams: [] };
}

/** What the checks of a learner's record know of the lessons: their ids and how many steps each has. */
export interface LessonShapes {
  steps(lessonId: string): readonly { id: string }[] | undefined;
}

/**
 * A learner as read from a file, checked field by field: what cannot be used is left out (or, for
 * a lesson's step, set to a step the lesson has) and said in `problems`, one sentence each; what
 * is missing is filled in. Nothing that could be read is dropped.
 */
export function normaliseLearner(raw: unknown, lessons?: LessonShapes, now: Date = new Date()): { data: LearnerData; problems: string[] } {
  const problems: string[] = [];
  if (!isObject(raw)) return { data: emptyLearner(), problems: ['the record is not a learner\'s record, so none of it could be used'] };
  const r = raw;
  const data = emptyLearner();
  if (r.currentLesson !== undefined) {
    if (typeof r.currentLesson === 'string' && r.currentLesson) data.currentLesson = r.currentLesson;
    else problems.push(`the current lesson (${show(r.currentLesson)}) is not a lesson's name, so no lesson is current`);
  }
  if (r.lessons !== undefined && !isObject(r.lessons)) problems.push('the lessons are not a list of lessons, so none could be used');
  for (const [id, l] of Object.entries(isObject(r.lessons) ? r.lessons : {})) {
    const lesson = normaliseLesson(id, l, lessons?.steps(id), now, problems);
    if (lesson) data.lessons[id] = lesson;
  }
  data.answers = listOf(r.answers, 'quiz answers', isAnswer, (i, n) => `quiz answer ${i + 1} of ${n}`, problems);
  if (r.cards !== undefined && !isObject(r.cards)) problems.push('the review schedule is not a list of cards, so none could be used');
  for (const [id, c] of Object.entries(isObject(r.cards) ? r.cards : {})) {
    if (isCard(c)) data.cards[id] = c;
    else problems.push(`the review card of ${id} is not one, and was left out (it will be asked as new)`);
  }
  data.exams = listOf(r.exams, 'exam reports', isFinishedExam, (i, n) => `exam report ${i + 1} of ${n}`, problems);
  if (r.currentExam !== undefined) {
    if (isExamInProgress(r.currentExam)) data.currentExam = r.currentExam;
    else problems.push('the exam in progress is not one, and was left out (start the drill again)');
  }
  const scenarios = normaliseScenarios(r.scenarios, problems);
  if (scenarios) data.scenarios = scenarios;
  return { data, problems };
}

function normaliseLesson(id: string, raw: unknown, steps: readonly { id: string }[] | undefined, now: Date, problems: string[]): LessonRecord | undefined {
  if (!isObject(raw)) {
    problems.push(`the record of lesson ${id} is not one, and was left out (start the lesson again)`);
    return undefined;
  }
  const stepRecords: LessonRecord['steps'] = {};
  if (raw.steps !== undefined && !isObject(raw.steps)) problems.push(`the steps of lesson ${id} are not a list of steps, so none could be used`);
  for (const [stepId, s] of Object.entries(isObject(raw.steps) ? raw.steps : {})) {
    const step = normaliseStep(`step ${stepId} of lesson ${id}`, s, problems);
    if (step) stepRecords[stepId] = step;
  }
  let stepIndex = raw.stepIndex;
  const count = steps?.length;
  if (!isCount(stepIndex) || (count !== undefined && stepIndex >= count)) {
    // Back to the first step not yet passed: where the learner would be.
    const first = steps ? steps.findIndex((s) => !stepRecords[s.id]?.passedAt) : 0;
    const fixed = first < 0 ? Math.max(0, count! - 1) : first;
    problems.push(`lesson ${id} was at stepIndex ${show(stepIndex)}, which is ${isCount(stepIndex) ? `not one of its ${count} steps` : 'not a step number'}, so it is at step ${fixed + 1} now`);
    stepIndex = fixed;
  }
  const lesson: LessonRecord = { stepIndex: stepIndex as number, startedAt: isDate(raw.startedAt) ? raw.startedAt : now.toISOString(), steps: stepRecords };
  if (!isDate(raw.startedAt)) problems.push(`lesson ${id} had no start time it could use (${show(raw.startedAt)}), so it counts as started now`);
  if (raw.finishedAt !== undefined) {
    if (isDate(raw.finishedAt)) lesson.finishedAt = raw.finishedAt;
    else problems.push(`lesson ${id}'s finish time (${show(raw.finishedAt)}) is not a date, so it counts as not finished`);
  }
  if (raw.solvedBy !== undefined) {
    if (raw.solvedBy === 'learner' || raw.solvedBy === 'solution') lesson.solvedBy = raw.solvedBy;
    else problems.push(`who solved lesson ${id} (${show(raw.solvedBy)}) is not known, and was left out`);
  }
  return lesson;
}

function normaliseStep(what: string, raw: unknown, problems: string[]): LessonRecord['steps'][string] | undefined {
  if (!isObject(raw)) {
    problems.push(`the record of ${what} is not one, and was left out`);
    return undefined;
  }
  const step: LessonRecord['steps'][string] = { hints: 0 };
  if (raw.hints !== undefined) {
    if (isCount(raw.hints)) step.hints = raw.hints;
    else problems.push(`the hints seen in ${what} (${show(raw.hints)}) are not a count, so none count as seen`);
  }
  if (raw.passedAt !== undefined) {
    if (isDate(raw.passedAt)) step.passedAt = raw.passedAt;
    else problems.push(`the time ${what} passed (${show(raw.passedAt)}) is not a date, so it counts as not passed`);
  }
  if (raw.solutionShown !== undefined) {
    if (typeof raw.solutionShown === 'boolean') step.solutionShown = raw.solutionShown;
    else problems.push(`whether ${what}'s solution was shown (${show(raw.solutionShown)}) is not yes or no, and was left out`);
  }
  if (raw.lastChecks !== undefined) {
    if (Array.isArray(raw.lastChecks) && raw.lastChecks.every((c) => isObject(c) && typeof c.check === 'string' && typeof c.passed === 'boolean' && typeof c.message === 'string')) {
      step.lastChecks = raw.lastChecks as NonNullable<LessonRecord['steps'][string]['lastChecks']>;
    } else problems.push(`the last checks of ${what} are not checks, and were left out`);
  }
  return step;
}

function listOf<T>(raw: unknown, what: string, ok: (v: unknown) => v is T, name: (i: number, of: number) => string, problems: string[]): T[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push(`the ${what} are not a list, so none could be used`);
    return [];
  }
  const out: T[] = [];
  raw.forEach((v, i) => {
    if (ok(v)) out.push(v);
    else problems.push(`${name(i, raw.length)} is not one, and was left out`);
  });
  return out;
}

/** Team exercises as read from a file, checked as learners are (see normaliseLearner). */
export function normaliseTeam(channel: string, t: unknown): { team?: TeamExercise; problems: string[] } {
  if (!isObject(t) || typeof t.lesson !== 'string' || typeof t.startedAt !== 'string' || typeof t.startedBy !== 'string') {
    return { problems: [`the team exercise of channel ${channel} is not one (it has no lesson, starter or start time), and was left out`] };
  }
  const problems: string[] = [];
  const passedBy: Record<string, string> = {};
  for (const [check, who] of Object.entries(isObject(t.passedBy) ? t.passedBy : {})) {
    if (typeof who === 'string') passedBy[check] = who;
    else problems.push(`who first passed "${check}" in channel ${channel}'s exercise is not a learner, and was left out`);
  }
  const audit = listOf(t.audit, `commands of channel ${channel}'s exercise`, isAuditEntry, (i, n) => `command ${i + 1} of ${n} of channel ${channel}'s exercise`, problems);
  const team: TeamExercise = { channel, lesson: t.lesson, startedBy: t.startedBy, startedAt: t.startedAt, passedBy, audit };
  if (t.endedAt !== undefined) {
    if (typeof t.endedAt === 'string') team.endedAt = t.endedAt;
    else problems.push(`the end time of channel ${channel}'s exercise is not a time, so it counts as still running`);
  }
  return { team, problems };
}

/** The old single file's teams, each checked (migration from format 1). */
export function normaliseTeams(raw: unknown): { teams: Record<string, TeamExercise>; problems: string[] } {
  const teams: Record<string, TeamExercise> = {};
  const problems: string[] = [];
  if (!isObject(raw)) return { teams, problems };
  for (const [channel, t] of Object.entries(raw)) {
    const r = normaliseTeam(channel, t);
    if (r.team) teams[channel] = r.team;
    problems.push(...r.problems);
  }
  return { teams, problems };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isDate(v: unknown): v is string {
  return typeof v === 'string' && !Number.isNaN(Date.parse(v));
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isAnswer(v: unknown): v is AnswerRecord {
  return isObject(v) && typeof v.itemId === 'string' && typeof v.answer === 'string' && (v.verdict === 'correct' || v.verdict === 'close' || v.verdict === 'wrong') && isDate(v.at);
}

function isCard(v: unknown): v is StoredCard {
  return (
    isObject(v) &&
    isDate(v.due) &&
    ['stability', 'difficulty', 'elapsed_days', 'scheduled_days', 'learning_steps', 'reps', 'lapses'].every((k) => isNumber(v[k])) &&
    [0, 1, 2, 3].includes(v.state as number) &&
    (v.last_review === undefined || isDate(v.last_review))
  );
}

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function isTrack(v: unknown): boolean {
  return v === 'cka' || v === 'ckad';
}

function isExamInProgress(v: unknown): v is ExamInProgress {
  return isObject(v) && isTrack(v.track) && isStrings(v.taskIds) && isDate(v.startedAt) && isDate(v.deadline) && isStrings(v.flagged);
}

function isFinishedExam(v: unknown): v is FinishedExam {
  return (
    isObject(v) &&
    isTrack(v.track) &&
    typeof v.title === 'string' &&
    isNumber(v.passPercent) &&
    isNumber(v.percent) &&
    typeof v.passed === 'boolean' &&
    Array.isArray(v.domains) &&
    v.domains.every((d) => isObject(d) && typeof d.id === 'string' && typeof d.name === 'string' && ['weight', 'tasks', 'score', 'max', 'percent'].every((k) => isNumber(d[k]))) &&
    Array.isArray(v.tasks) &&
    v.tasks.every((t) => isObject(t) && typeof t.id === 'string' && typeof t.domain === 'string' && typeof t.title === 'string' && typeof t.flagged === 'boolean' && ['weight', 'score', 'checksPassed', 'checksTotal'].every((k) => isNumber(t[k])) && isTaskDetail(t)) &&
    isStrings(v.flagged) &&
    isDate(v.startedAt) &&
    isDate(v.finishedAt)
  );
}

/** A task's checks and model solution, which reports kept before they were recorded lack. */
function isTaskDetail(t: Record<string, unknown>): boolean {
  const checks = t.checks === undefined || (Array.isArray(t.checks) && t.checks.every((c) => isObject(c) && typeof c.label === 'string' && typeof c.passed === 'boolean' && typeof c.message === 'string'));
  return checks && (t.solution === undefined || isStrings(t.solution));
}

function isAuditEntry(v: unknown): v is AuditEntry {
  return isObject(v) && isDate(v.at) && typeof v.learner === 'string' && typeof v.command === 'string' && typeof v.code === 'number' && isStrings(v.credited);
}

/** A value as a person would read it in a message, cut short. */
function show(v: unknown): string {
  const text = v === undefined ? 'none' : JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function withLesson(d: LearnerData, id: string, fn: (r: LessonRecord) => LessonRecord, at?: Date): LearnerData {
  // Recording against a lesson never started (a door that checks before `start`) starts it.
  const r = d.lessons[id] ?? { stepIndex: 0, startedAt: (at ?? new Date()).toISOString(), steps: {} };
  return { ...d, lessons: { ...d.lessons, [id]: fn(r) } };
}

function withStep(r: LessonRecord, stepId: string, fn: (s: LessonRecord['steps'][string]) => LessonRecord['steps'][string]): LessonRecord {
  const s = r.steps[stepId] ?? { hints: 0 };
  return { ...r, steps: { ...r.steps, [stepId]: fn(s) } };
}

/** Starts a lesson afresh (a restart forgets the earlier attempt) and makes it current. */
/** Starts a lesson afresh at its first step; a lesson finished before stays finished: revisiting takes nothing earned away. */
export function startLesson(d: LearnerData, id: string, at: Date): LearnerData {
  const before = own<LessonRecord>(d.lessons, id);
  const earned = before?.finishedAt ? { finishedAt: before.finishedAt, solvedBy: before.solvedBy } : {};
  return { ...d, currentLesson: id, lessons: { ...d.lessons, [id]: { stepIndex: 0, startedAt: at.toISOString(), steps: {}, ...earned } } };
}

export function recordChecks(d: LearnerData, id: string, stepId: string, results: CheckResult[], at?: Date): LearnerData {
  const lastChecks = results.map((c) => ({ check: c.check, passed: c.passed, message: c.message }));
  return withLesson(d, id, (r) => withStep(r, stepId, (s) => ({ ...s, lastChecks })), at);
}

/** Marks a step passed (the first time counts) and moves the lesson on to `nextIndex`. */
export function passStep(d: LearnerData, id: string, stepId: string, nextIndex: number, at: Date): LearnerData {
  return withLesson(d, id, (r) => ({ ...withStep(r, stepId, (s) => ({ ...s, passedAt: s.passedAt ?? at.toISOString() })), stepIndex: nextIndex }), at);
}

/** Marks a lesson finished; solved by the learner stays so even if they later run the solution. */
export function finishLesson(d: LearnerData, id: string, solvedBy: 'learner' | 'solution', at: Date): LearnerData {
  return withLesson(
    d,
    id,
    (r) => ({ ...r, finishedAt: r.finishedAt ?? at.toISOString(), solvedBy: r.solvedBy === 'learner' ? 'learner' : solvedBy }),
    at,
  );
}

/** One more hint seen; returns the record and how many hints the step has now shown. */
export function recordHint(d: LearnerData, id: string, stepId: string): { data: LearnerData; hints: number } {
  const data = withLesson(d, id, (r) => withStep(r, stepId, (s) => ({ ...s, hints: (s.hints ?? 0) + 1 })));
  return { data, hints: data.lessons[id].steps[stepId].hints };
}

export function recordSolutionShown(d: LearnerData, id: string, stepId: string): LearnerData {
  return withLesson(d, id, (r) => withStep(r, stepId, (s) => ({ ...s, solutionShown: true })));
}

export function recordAnswer(d: LearnerData, itemId: string, answer: string, verdict: Verdict, at: Date): LearnerData {
  return { ...d, answers: [...d.answers, { itemId, answer, verdict, at: at.toISOString() }] };
}

export function saveCard(d: LearnerData, itemId: string, card: Card): LearnerData {
  return { ...d, cards: { ...d.cards, [itemId]: cardToStored(card) } };
}

export function startExam(d: LearnerData, exam: ExamInProgress): LearnerData {
  return { ...d, currentExam: { ...exam, taskIds: [...exam.taskIds], flagged: [...exam.flagged] } };
}

/** Flags (or unflags) a task of the exam in progress; a task not in the exam is ignored. */
export function flagExamTask(d: LearnerData, taskId: string, flagged: boolean): LearnerData {
  const exam = d.currentExam;
  if (!exam || !exam.taskIds.includes(taskId)) return d;
  const rest = exam.flagged.filter((t) => t !== taskId);
  return { ...d, currentExam: { ...exam, flagged: flagged ? [...rest, taskId] : rest } };
}

/** Keeps the report in the learner's history and ends the exam in progress. */
export function finishExam(d: LearnerData, report: FinishedExam): LearnerData {
  const { currentExam: _, ...rest } = d;
  return { ...rest, exams: [...d.exams, report] };
}

export function cardToStored(card: Card): StoredCard {
  const { due, last_review, ...numbers } = card;
  return {
    ...numbers,
    state: Number(card.state),
    due: toDate(due).toISOString(),
    ...(last_review ? { last_review: toDate(last_review).toISOString() } : {}),
  };
}

export function cardFromStored(s: StoredCard): Card {
  const { due, last_review, ...numbers } = s;
  return { ...numbers, due: new Date(due), ...(last_review ? { last_review: new Date(last_review) } : {}) } as Card;
}

function toDate(v: Date | string | number): Date {
  return v instanceof Date ? v : new Date(v);
}

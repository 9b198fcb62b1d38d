// Pure updates of a learner's record: each takes the record and returns a new one, leaving the
// old untouched. The store does the I/O around them.
import type { Card } from 'ts-fsrs';
import { FORMAT_VERSION, type AnswerRecord, type CheckResult, type ExamInProgress, type FinishedExam, type LearnerData, type LessonRecord, type ProgressFile, type StoredCard, type Verdict, type TeamExercise, type AuditEntry } from './types.js';

export function emptyFile(): ProgressFile {
  return { version: FORMAT_VERSION, learners: {}, teams: {} };
}

export function emptyLearner(): LearnerData {
  return { lessons: {}, answers: [], cards: {}, exams: [] };
}

/** A learner as read from a file, with any missing part filled in. */
export function normaliseLearner(raw: unknown): LearnerData {
  const r = isObject(raw) ? raw : {};
  return {
    ...(typeof r.currentLesson === 'string' ? { currentLesson: r.currentLesson } : {}),
    lessons: isObject(r.lessons) ? (r.lessons as Record<string, LessonRecord>) : {},
    answers: Array.isArray(r.answers) ? (r.answers as AnswerRecord[]) : [],
    cards: isObject(r.cards) ? (r.cards as Record<string, StoredCard>) : {},
    exams: Array.isArray(r.exams) ? (r.exams as FinishedExam[]) : [],
    ...(isObject(r.currentExam) ? { currentExam: r.currentExam as unknown as ExamInProgress } : {}),
  };
}

/** Team exercises as read from a file: those with the parts the Dojo relies on. */
export function normaliseTeams(raw: unknown): Record<string, TeamExercise> {
  const out: Record<string, TeamExercise> = {};
  if (!isObject(raw)) return out;
  for (const [channel, t] of Object.entries(raw)) {
    if (!isObject(t) || typeof t.lesson !== 'string' || typeof t.startedAt !== 'string') continue;
    out[channel] = {
      ...(t as unknown as TeamExercise),
      channel,
      passedBy: isObject(t.passedBy) ? (t.passedBy as Record<string, string>) : {},
      audit: Array.isArray(t.audit) ? (t.audit as AuditEntry[]) : [],
    };
  }
  return out;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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
export function startLesson(d: LearnerData, id: string, at: Date): LearnerData {
  return { ...d, currentLesson: id, lessons: { ...d.lessons, [id]: { stepIndex: 0, startedAt: at.toISOString(), steps: {} } } };
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

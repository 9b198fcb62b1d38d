// The progress file, format version 1: one JSON document holding every learner of this data
// directory, keyed by learner id (`local:<os user>` or `slack:<team>:<user>`), and the team
// exercises of Slack channels, keyed by channel.
import type { LessonRecord } from '../learning/session.js';
import type { FinishedExam } from '../learning/tutor.js';
import type { ExamInProgress } from '../quiz/exam-session.js';
import type { Verdict } from '../quiz/grade.js';

export const FORMAT_VERSION = 1;

export type { LessonRecord, FinishedExam, ExamInProgress, Verdict };

export interface CheckResult {
  check: string;
  passed: boolean;
  message: string;
}

export interface AnswerRecord {
  itemId: string;
  /** What the learner gave, as typed (a choice's index as text). */
  answer: string;
  verdict: Verdict;
  at: string;
}

/** A ts-fsrs Card as stored: its dates as ISO strings. */
export interface StoredCard {
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  /** ts-fsrs State: 0 new, 1 learning, 2 review, 3 relearning. */
  state: number;
  last_review?: string;
}

export interface LearnerData {
  /** The lesson the learner is in (set by startLesson, kept after it finishes). */
  currentLesson?: string;
  lessons: Record<string, LessonRecord>;
  answers: AnswerRecord[];
  cards: Record<string, StoredCard>;
  exams: FinishedExam[];
  currentExam?: ExamInProgress;
}

export interface AuditEntry {
  at: string;
  learner: string;
  command: string;
  code: number;
  /** Checks of the team exercise this command made pass (first to pass them). */
  credited: string[];
}

/** A channel's team exercise: who ran what, and who first made each check pass. */
export interface TeamExercise {
  channel: string;
  lesson: string;
  startedBy: string;
  startedAt: string;
  endedAt?: string;
  /** Check label → the learner whose command first made it pass. */
  passedBy: Record<string, string>;
  audit: AuditEntry[];
}

export interface ProgressFile {
  version: number;
  learners: Record<string, LearnerData>;
  /** Team exercises by channel id, ended ones kept for their summaries. */
  teams: Record<string, TeamExercise>;
}

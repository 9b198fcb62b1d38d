// Progress on disk: one file per learner (`progress/learners/<id>.json`) and one per channel's
// team exercise (`progress/teams/<channel>.json`), so that a change writes one learner's record
// however many learners there are. Learner ids are `local:<os user>` or `slack:<team>:<user>`.
import type { LessonRecord } from '../learning/session.js';
import type { FinishedExam } from '../learning/tutor.js';
import type { ExamInProgress } from '../quiz/exam-session.js';
import type { Verdict } from '../quiz/grade.js';

/** The format of a learner's and a team's file. */
export const FORMAT_VERSION = 1;
/** The one file of every learner that kubedojo kept before (`progress.json`), read once to move it. */
export const SINGLE_FILE_VERSION = 1;

export type { LessonRecord, FinishedExam, ExamInProgress, Verdict };

/** A Killercoda scenario played (scenario-records.ts). */
export interface ScenarioRecord {
  /** The hash of the scripts the learner agreed to run. */
  agreed?: string;
  /** Steps passed, by index. */
  passed: number[];
  startedAt?: string;
  finishedAt?: string;
}

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
  /** Killercoda scenarios played, by collection path and folder. */
  scenarios?: Record<string, ScenarioRecord>;
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

export interface LearnerFile {
  kind: 'KubedojoLearner';
  version: number;
  id: string;
  record: LearnerData;
}

export interface TeamFile {
  kind: 'KubedojoTeamExercise';
  version: number;
  channel: string;
  /** Ended exercises are kept for their summaries. */
  exercise: TeamExercise;
}

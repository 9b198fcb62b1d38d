// An exam drill on a cluster: every task's namespace is made afresh when it starts, and at the
// end each task is graded check by check for partial credit.
import { gradeTasks, teardown, type Target, type Workspace } from '../lessons/workspace.js';
import { buildExam, scoreExam, untouchedTasks, type ExamReport, type TaskResult } from './exam.js';
import { setUpTasks, type SetUpOptions } from './exam-setup.js';
import type { ExamBank, ExamTask } from './types.js';

export interface ExamInProgress {
  track: ExamBank['track'];
  taskIds: string[];
  startedAt: string;
  deadline: string;
  flagged: string[];
}

/**
 * Sets a drill's tasks up and starts its clock. `now` is read once the tasks are ready, so the
 * learner's minutes are not spent on the set-up. If the set-up fails, what it made is cleared
 * and the error thrown: no exam is left half started.
 */
export async function startExam(bank: ExamBank, t: Target, opts: SetUpOptions & { now: Date | (() => Date); seed: number; count?: number; minutes?: number }): Promise<{ exam: ExamInProgress; tasks: ExamTask[] }> {
  const built = buildExam(bank, { seed: opts.seed, count: opts.count });
  try {
    await setUpTasks(built.tasks, t, { rollout: opts.rollout });
  } catch (err) {
    // Each task's leftovers go even where another's cannot be cleared.
    for (const task of built.tasks) await teardown(taskWorkspace(task), t, { wait: false }).catch(() => undefined);
    throw err;
  }
  const now = typeof opts.now === 'function' ? opts.now() : opts.now;
  const minutes = opts.minutes ?? bank.minutes;
  return {
    exam: { track: bank.track, taskIds: built.tasks.map((x) => x.id), startedAt: now.toISOString(), deadline: new Date(now.getTime() + minutes * 60_000).toISOString(), flagged: [] },
    tasks: built.tasks,
  };
}

export function examTasks(bank: ExamBank, exam: ExamInProgress): ExamTask[] {
  return exam.taskIds.map((id) => bank.tasks.find((x) => x.id === id)).filter((x): x is ExamTask => Boolean(x));
}

async function gradeEach(tasks: ExamTask[], t: Target): Promise<TaskResult[]> {
  const results: TaskResult[] = [];
  for (const task of tasks) {
    const [graded] = await gradeTasks([{ text: task.text, checks: task.checks }], task.namespace, t);
    results.push({ taskId: task.id, checks: graded.checks });
  }
  return results;
}

export async function gradeExam(bank: ExamBank, exam: ExamInProgress, t: Target): Promise<ExamReport> {
  const tasks = examTasks(bank, exam);
  return scoreExam(bank, tasks, await gradeEach(tasks, t), exam.flagged);
}

/** Where the exam stands before it is submitted: how many tasks, which not started, which flagged. */
export interface ExamStanding {
  tasks: number;
  untouched: string[];
  /** Tasks whose every check passes. */
  done: string[];
  flagged: string[];
}

/** Grades the exam as it stands without ending it, to say what submitting would leave undone. */
export async function examStanding(bank: ExamBank, exam: ExamInProgress, t: Target): Promise<ExamStanding> {
  const tasks = examTasks(bank, exam);
  const results = await gradeEach(tasks, t);
  const done = results.filter((r) => r.checks.length && r.checks.every((c) => c.passed)).map((r) => r.taskId);
  return { tasks: tasks.length, untouched: untouchedTasks(results), done, flagged: exam.flagged.filter((id) => exam.taskIds.includes(id)) };
}

/**
 * Removes what the exam's tasks made (their namespaces and what they changed outside them). It
 * does not wait for the namespaces to finish terminating: the report should not wait on pods'
 * grace periods, and the next exam's set-up waits for them anyway.
 */
export async function clearExam(bank: ExamBank, exam: ExamInProgress, t: Target): Promise<void> {
  for (const task of examTasks(bank, exam)) await teardown(taskWorkspace(task), t, { wait: false });
}

export function taskWorkspace(task: ExamTask): Workspace {
  return { namespaces: [task.namespace], setup: task.setup, reset: task.reset };
}

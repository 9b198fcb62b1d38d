// An exam drill on a cluster: every task's namespace is made afresh when it starts, and at the
// end each task is graded check by check for partial credit.
import { gradeTasks, prepare, teardown, type Target, type Workspace } from '../lessons/workspace.js';
import { buildExam, scoreExam, untouchedTasks, type ExamReport, type TaskResult } from './exam.js';
import type { ExamBank, ExamTask } from './types.js';
import { Slots } from '../learning/slots.js';

export interface ExamInProgress {
  track: ExamBank['track'];
  taskIds: string[];
  startedAt: string;
  deadline: string;
  flagged: string[];
}

export async function startExam(bank: ExamBank, t: Target, opts: { now: Date; seed: number; count?: number; minutes?: number }): Promise<{ exam: ExamInProgress; tasks: ExamTask[] }> {
  const built = buildExam(bank, { seed: opts.seed, count: opts.count });
  // Tasks live in namespaces of their own, so a few are set up at once: one task that waits for
  // rollouts does not hold up the rest.
  const slots = new Slots(PREPARING_AT_ONCE);
  await Promise.all(built.tasks.map((task) => slots.run(() => prepare(taskWorkspace(task), t))));
  const minutes = opts.minutes ?? bank.minutes;
  return {
    exam: { track: bank.track, taskIds: built.tasks.map((x) => x.id), startedAt: opts.now.toISOString(), deadline: new Date(opts.now.getTime() + minutes * 60_000).toISOString(), flagged: [] },
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

const PREPARING_AT_ONCE = 4;

export function taskWorkspace(task: ExamTask): Workspace {
  return { namespaces: [task.namespace], setup: task.setup, reset: task.reset };
}

// kubedojo exam: start a drill, see its tasks and the time left, flag tasks, submit.
import type { Command } from './command.js';
import { parse, UsageError } from './args.js';
import { openLearner, openSession } from './learner.js';
import { type ExamBank, type ExamInProgress, examTasks, LearnerError, loadExamBank, renderReport } from '../core/index.js';
import { bold, dim, yellow } from './render.js';

const USAGE = 'kubedojo exam --track cka|ckad [--minutes N] [--count N] | exam [--flag N] [--unflag N] [--submit] [--history] [--json]';
const HELP = `Usage:
  kubedojo exam --track cka|ckad [--minutes N] [--count N]   start a timed exam drill
  kubedojo exam                                              the tasks, flags and time left
  kubedojo exam --flag N | --unflag N                        mark task N to come back to
  kubedojo exam --submit                                     grade it and see the report
  kubedojo exam --history                                    your past attempts

An exam drill is a set of performance tasks weighted as the official exam's domains are; each
task works in its own namespace, made afresh when the exam starts. Every check of a task is worth
part of its score; the pass mark is 66%. When the time is up, the next \`kubedojo exam\` grades it.

Options:
  --kubeconfig FILE, --context NAME   the cluster to use
  --minutes N                         the time allowed (default 120)
  --count N                           how many tasks (default 17)
  --json                              print JSON
`;

function taskList(bank: ExamBank, exam: ExamInProgress): string {
  const tasks = examTasks(bank, exam);
  return tasks
    .map((t, i) => {
      const domain = bank.domains.find((d) => d.id === t.domain)?.name ?? t.domain;
      const flag = exam.flagged.includes(t.id) ? yellow(' ⚑ flagged') : '';
      return `${bold(`Task ${i + 1}`)} ${dim(`[${domain}] ns ${t.namespace}`)}${flag}\n${t.title}\n${t.text.trim().replace(/^/gm, '  ')}`;
    })
    .join('\n\n');
}

function timeLeft(exam: ExamInProgress, now: Date): string {
  const ms = new Date(exam.deadline).getTime() - now.getTime();
  if (ms <= 0) return 'time is up';
  const m = Math.floor(ms / 60_000);
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m left`;
}

export const examCommand: Command = {
  help: HELP,
  async run(args) {
    const { values } = parse(
      args,
      { track: { type: 'string' }, minutes: { type: 'string' }, count: { type: 'string' }, flag: { type: 'string' }, unflag: { type: 'string' }, submit: { type: 'boolean' }, history: { type: 'boolean' } },
      { min: 0, max: 0, usage: USAGE },
    );
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const learner = openLearner();
    const now = new Date();
    const emit = (data: unknown, text: string) => process.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : `${text}\n`);

    if (values.history) {
      const reports = learner.examReports();
      emit({ reports }, reports.length ? reports.map((r) => renderReport(r)).join('\n\n') : 'No exams yet: start one with `kubedojo exam --track ckad`.');
      return 0;
    }

    if (values.track) {
      const track = values.track.toLowerCase();
      if (track !== 'cka' && track !== 'ckad') throw new UsageError(`--track must be cka or ckad, not "${values.track}"`, `Usage: ${USAGE}`);
      const minutes = values.minutes === undefined ? undefined : Number(values.minutes);
      if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 1 || minutes > 600)) throw new UsageError(`--minutes must be a whole number from 1 to 600, not "${values.minutes}"`);
      const count = values.count === undefined ? undefined : Number(values.count);
      if (count !== undefined && (!Number.isInteger(count) || count < 5 || count > 40)) throw new UsageError(`--count must be a whole number from 5 to 40, not "${values.count}"`);
      const bank = loadExamBank(track);
      const { tutor } = openSession(values);
      if (!values.json) process.stdout.write(dim(`Setting up ${track.toUpperCase()} tasks on the cluster…\n`));
      const { exam } = await tutor.startExam(track, { count, minutes });
      emit({ exam, tasks: examTasks(bank, exam) }, `${bold(`${bank.title}: ${exam.taskIds.length} tasks, ${timeLeft(exam, now)}`)}\n\n${taskList(bank, exam)}\n\n${dim('Flag a task with `kubedojo exam --flag N`; submit with `kubedojo exam --submit`.')}`);
      return 0;
    }

    const exam = learner.currentExam();
    if (!exam) throw new LearnerError('no exam is in progress', 'Start one with `kubedojo exam --track cka` or `--track ckad`.');
    const bank = loadExamBank(exam.track);
    const flagArg = values.flag ?? values.unflag;
    if (flagArg !== undefined) {
      const n = Number(flagArg);
      if (!Number.isInteger(n) || n < 1 || n > exam.taskIds.length) throw new UsageError(`there is no task ${flagArg}; tasks are numbered 1 to ${exam.taskIds.length}`);
      learner.flagExamTask(exam.taskIds[n - 1], values.flag !== undefined);
      const updated = learner.currentExam()!;
      emit({ flagged: updated.flagged }, `Task ${n} ${values.flag !== undefined ? 'flagged' : 'unflagged'}. Flagged: ${updated.flagged.map((id) => exam.taskIds.indexOf(id) + 1).join(', ') || 'none'}.`);
      return 0;
    }
    const timeUp = now.getTime() >= new Date(exam.deadline).getTime();
    if (values.submit || timeUp) {
      const report = await openSession(values).tutor.submitExam();
      emit({ report }, `${timeUp && !values.submit ? bold('Time is up: the exam is graded as it stands.\n\n') : ''}${renderReport(report)}`);
      return report.passed ? 0 : 1;
    }
    emit({ exam, timeLeft: timeLeft(exam, now), tasks: examTasks(bank, exam) }, `${bold(`${bank.title}: ${timeLeft(exam, now)}`)}\n\n${taskList(bank, exam)}`);
    return 0;
  },
};

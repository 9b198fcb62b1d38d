// lessons, start, check, hint, solution, solve, reset, progress.
import type { Command } from './command.js';
import { parse } from './args.js';
import { openSession } from './learner.js';
import { untilStopped } from './signals.js';
import { LiveGrading, type CheckOutcome, type Session } from '../core/index.js';
import { bold, checkText, dim, green, lessonsTable, red, stepText } from './render.js';

const TARGET_OPTIONS = '[--kubeconfig FILE] [--context NAME] [--json]';

function help(usage: string, what: string): string {
  return `Usage: ${usage}\n\n${what}\n\nOptions:\n  --kubeconfig FILE  the cluster to use (default: $KUBECONFIG, else the one \`kubedojo serve\` wrote)\n  --context NAME     a context of that kubeconfig\n  --json             print JSON\n`;
}

function out(json: boolean | undefined, data: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}

function simple(usage: string, what: string, min: number, max: number, body: (values: Record<string, unknown> & { json?: boolean; kubeconfig?: string; context?: string }, positionals: string[]) => Promise<number>): Command {
  const text = help(usage, what);
  return {
    help: text,
    async run(args) {
      const { values, positionals } = parse(args, {}, { min, max, usage });
      if (values.help) {
        process.stdout.write(text);
        return 0;
      }
      return body(values, positionals);
    },
  };
}

export const lessonCommands: Record<string, Command> = {
  lessons: simple(`kubedojo lessons ${TARGET_OPTIONS}`, 'List the lessons with your progress in each, and what to do next.', 0, 0, async (v) => {
    const { session } = openSession(v, { needCluster: false, readsCluster: false });
    const o = session.overview();
    out(v.json, o, () => lessonsTable(o.lessons, o.next));
    return 0;
  }),

  start: simple(`kubedojo start LESSON ${TARGET_OPTIONS}`, "Set a lesson up on the cluster (its own namespaces, created afresh) and show its first step.", 1, 1, async (v, [id]) => {
    const { session } = openSession(v);
    const { lesson, step } = await session.start(id);
    out(v.json, { lesson: lesson.id, title: lesson.title, namespaces: lesson.namespaces, step: { id: step.id, number: 1, of: lesson.steps.length, title: step.title, explanation: step.explanation, tasks: step.tasks.map((t) => t.text) } }, () =>
      [
        bold(lesson.title),
        lesson.summary.trim(),
        dim(`Works in namespace ${lesson.namespaces.join(', ')} · about ${lesson.minutes} minutes`),
        '',
        stepText(step, 1, lesson.steps.length),
        '',
        dim('When you think it is done, run `kubedojo check`. Stuck? `kubedojo hint`.'),
      ].join('\n'),
    );
    return 0;
  }),

  check: {
    help: `${help(`kubedojo check [--watch] ${TARGET_OPTIONS}`, 'Grade the current step by the state of the cluster. Exits 1 while checks fail.').trimEnd()}\n  --watch            keep grading as the cluster changes, step after step, until the lesson is done (Ctrl-C stops)\n`,
    async run(args) {
      const usage = `kubedojo check [--watch] ${TARGET_OPTIONS}`;
      const { values: v } = parse(args, { watch: { type: 'boolean' } }, { min: 0, max: 0, usage });
      if (v.help) {
        process.stdout.write(lessonCommands.check.help);
        return 0;
      }
      const { session } = openSession(v);
      const shown = (o: CheckOutcome) => ({ lesson: o.lesson, step: o.step.id, stepNumber: o.stepNumber, steps: o.steps, passed: o.passed, tasks: o.tasks, outcome: o.outcome ?? null, next: o.next?.id ?? null, lessonDone: Boolean(o.lessonDone) });
      if (!v.watch) {
        const o = await session.check();
        out(v.json, shown(o), () => checkText(o));
        return o.passed ? 0 : 1;
      }
      return watchChecks(session, (o) => (v.json ? process.stdout.write(`${JSON.stringify(shown(o))}\n`) : process.stdout.write(`${checkText(o, { live: true })}\n\n`)));
    },
  },

  hint: simple(`kubedojo hint ${TARGET_OPTIONS}`, 'Show the next hint for the current step; each call gives a stronger one.', 0, 0, async (v) => {
    const { session } = openSession(v, { needCluster: false });
    const h = await session.hint();
    out(v.json, { step: h.step.id, hint: h.hint, number: h.number, of: h.of }, () => `Hint ${h.number} of ${h.of}: ${h.hint.trim()}${h.number < h.of ? dim('\n(run `kubedojo hint` again for a stronger one)') : ''}`);
    return 0;
  }),

  solution: simple(`kubedojo solution ${TARGET_OPTIONS}`, "Show the current step's solution (it is recorded that you looked).", 0, 0, async (v) => {
    const { session } = openSession(v, { needCluster: false, readsCluster: false });
    const s = session.solution();
    out(v.json, { step: s.step.id, commands: s.commands }, () => [bold(`Solution to "${s.step.title}":`), ...s.commands.map((c) => `  ${c.replace(/\n/g, '\n  ')}`), '', dim('Run these yourself, then `kubedojo check`; or `kubedojo solve` runs them for you.')].join('\n'));
    return 0;
  }),

  solve: simple(`kubedojo solve ${TARGET_OPTIONS}`, "Run the current step's solution and every later step's, one command at a time, as an instructor's demo. The lesson is recorded as solved by the solution.", 0, 0, async (v) => {
    const { session } = openSession(v);
    const log: unknown[] = [];
    const o = await session.solve({
      command: (cmd) => {
        log.push({ command: cmd });
        if (!v.json) process.stdout.write(`${bold('$')} ${cmd}\n`);
      },
      result: (r) => {
        log.push({ code: r.code, stdout: r.stdout, stderr: r.stderr });
        if (!v.json) process.stdout.write(r.stdout + (r.stderr ? red(r.stderr) : ''));
      },
      checked: (c) => {
        log.push({ step: c.step.id, passed: c.passed });
        if (!v.json) process.stdout.write(`${c.passed ? green(`✓ step ${c.stepNumber} of ${c.steps} passed: ${c.step.title}`) : red(`✗ step ${c.stepNumber} did not pass`)}\n\n`);
      },
    });
    if (v.json) out(true, { log, passed: o.passed, lessonDone: Boolean(o.lessonDone) }, () => '');
    else if (o.lessonDone) process.stdout.write(`${green(`Lesson ${o.lesson} is done (solved by the solution).`)}\n`);
    return o.passed ? 0 : 1;
  }),

  reset: simple(`kubedojo reset ${TARGET_OPTIONS}`, "Delete what the current lesson made and set it up afresh, back at its first step.", 0, 0, async (v) => {
    const { session } = openSession(v);
    const { lesson, step } = await session.reset();
    out(v.json, { lesson: lesson.id, step: step.id }, () => `Lesson ${lesson.id} is set up afresh (namespace ${lesson.namespaces.join(', ')}).\n\n${stepText(step, 1, lesson.steps.length)}`);
    return 0;
  }),
};

/**
 * Grades live until the lesson is done (exit 0) or Ctrl-C (exit 1): each time the marks change, the
 * step is shown again; a passed step is shown once, then the next one is graded.
 */
async function watchChecks(session: Session, show: (o: CheckOutcome) => void): Promise<number> {
  const live = new LiveGrading(session);
  let last = '';
  const done = new Promise<number>((resolve) => {
    live.on('graded', (o) => {
      const key = JSON.stringify([o.stepNumber, o.passed, o.tasks.map((t) => t.checks.map((c) => [c.state, c.message]))]);
      if (key !== last) show(o);
      last = key;
      if (o.lessonDone) resolve(0);
    });
    void untilStopped().then(() => resolve(1));
  });
  await live.start();
  const code = await done;
  live.stop();
  return code;
}

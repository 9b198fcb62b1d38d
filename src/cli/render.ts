// Plain-text rendering of the engine's answers for a terminal. Colour only on a terminal that
// wants it (NO_COLOR and pipes get none).
import type { CheckOutcome, CheckState, LessonSummary, MarkedTask } from '../core/index.js';

const useColour = () => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: string) => (s: string) => (useColour() ? `\u001b[${code}m${s}\u001b[0m` : s);
export const green = paint('32');
export const red = paint('31');
export const yellow = paint('33');
export const bold = paint('1');
export const dim = paint('2');

export function table(rows: string[][], header: string[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('   ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function lessonsTable(lessons: LessonSummary[], next?: string): string {
  const rows = lessons.map((l, i) => [String(i + 1), l.id, l.title, `${l.stepsDone}/${l.steps}`, `${l.minutes} min`, l.status === 'done' ? (l.solvedBy === 'solution' ? 'done (solution)' : 'done') : l.status]);
  const out = table(rows, ['#', 'LESSON', 'TITLE', 'STEPS', 'TIME', 'STATUS']);
  return next ? `${out}\n\nNext: kubedojo start ${next}` : `${out}\n\nEvery lesson is done. Try \`kubedojo quiz\` or \`kubedojo exam --track cka\`.`;
}

/** ✓ done, ✗ tried and wrong (with why), ○ not tried yet (only a live check knows). */
const MARK: Record<CheckState, string> = { passed: green('✓'), failed: red('✗'), pending: dim('○') };

export function tasksText(tasks: MarkedTask[]): string {
  const out: string[] = [];
  for (const t of tasks) {
    const task: CheckState = t.passed ? 'passed' : t.checks.some((c) => c.state === 'failed') ? 'failed' : 'pending';
    out.push(`${MARK[task]} ${t.text.trim()}`);
    for (const c of t.checks) {
      out.push(`    ${MARK[c.state]} ${c.label}${c.state === 'failed' ? `\n        ${c.message}` : ''}`);
      for (const d of c.diagnosis ?? []) out.push(`        → ${d.mistake}${d.fix ? `\n          ${d.fix}` : ''}`);
    }
  }
  return out.join('\n');
}

export function stepText(step: { title: string; explanation: string; tasks: { text: string }[] }, number: number, of: number): string {
  return [bold(`Step ${number} of ${of}: ${step.title}`), '', step.explanation.trim(), '', bold('Your task:'), ...step.tasks.map((t) => `  • ${t.text.trim()}`)].join('\n');
}

export function checkText(o: CheckOutcome, opts: { live?: boolean } = {}): string {
  const out = [bold(`Step ${o.stepNumber} of ${o.steps}: ${o.step.title}`), tasksText(o.tasks)];
  if (!o.passed) out.push('', opts.live ? dim('Watching the cluster: the marks change as you work (Ctrl-C stops). Stuck? `kubedojo hint`.') : 'Not yet. Fix what is marked ✗, then run `kubedojo check` again (`kubedojo hint` helps).');
  else {
    out.push('', green('Step passed.'), o.outcome?.trim() ?? '');
    if (o.lessonDone) out.push('', green(`Lesson ${o.lesson} is done.`), 'Run `kubedojo lessons` for what is next.');
    else if (o.next) out.push('', stepText(o.next, o.stepNumber + 1, o.steps));
  }
  return out.join('\n');
}

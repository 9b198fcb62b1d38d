// quiz, answer, progress.
import type { Command } from './command.js';
import { parse, UsageError } from './args.js';
import { openSession } from './learner.js';
import { cite, findItem, type Item } from '../core/index.js';
import { bold, dim, green, red, table, yellow } from './render.js';

const QUIZ_USAGE = 'kubedojo quiz [--topic T] [--count N] [--from DIR] [--json]';
const QUIZ_HELP = `Usage: ${QUIZ_USAGE}

Show questions to answer with \`kubedojo answer ITEM ANSWER\`. Questions you got wrong come
back sooner (spaced repetition); those due come first, then new ones.

Options:
  --topic T    only questions on topic T (pods, services, rbac, ...)
  --count N    how many (default 5)
  --from DIR   questions made from the Markdown or text notes in DIR instead of the built-in bank
  --json       print JSON
`;

const ANSWER_USAGE = 'kubedojo answer ITEM ANSWER [--from DIR] [--json]';
const ANSWER_HELP = `Usage: ${ANSWER_USAGE}

Answer a question: a letter (or several, "a,c") for a choice, a word or phrase for a short
answer, a kubectl command for a command question (it runs on a scratch cluster and is judged by
what it does), or a manifest file's path (or - for standard input) for a manifest question.

Options:
  --from DIR   the notes folder the question was made from (as given to \`kubedojo quiz --from\`)
  --json       print JSON
`;

function showItem(item: Item, n: number): string {
  const head = `${bold(`${n}. [${item.id}]`)} ${dim(`${item.topic} · ${item.kind} · difficulty ${item.difficulty}`)}`;
  const lines = [head, item.question.trim()];
  if (item.kind === 'choice') item.choices.forEach((c, i) => lines.push(`   ${String.fromCharCode(97 + i)}) ${c}`));
  if (item.kind === 'command') lines.push(dim('   Answer with one kubectl command.'));
  if (item.kind === 'manifest') lines.push(dim('   Answer with a manifest file: kubedojo answer ID FILE (or - for stdin).'));
  return lines.join('\n');
}

export const quizCommands: Record<string, Command> = {
  quiz: {
    help: QUIZ_HELP,
    async run(args) {
      const { values } = parse(args, { topic: { type: 'string' }, count: { type: 'string' }, from: { type: 'string' } }, { min: 0, max: 0, usage: QUIZ_USAGE });
      if (values.help) {
        process.stdout.write(QUIZ_HELP);
        return 0;
      }
      const count = values.count === undefined ? 5 : Number(values.count);
      if (!Number.isInteger(count) || count < 1 || count > 100) throw new UsageError(`--count must be a whole number from 1 to 100, not "${values.count}"`, `Usage: ${QUIZ_USAGE}`);
      const items = openSession(values, { needCluster: false, readsCluster: false }).tutor.quiz({ topic: values.topic, count, from: values.from });
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ items: items.map(publicItem) }, null, 2)}\n`);
      } else {
        process.stdout.write(`${items.map((it, i) => showItem(it, i + 1)).join('\n\n')}\n\n${dim(`Answer with: kubedojo answer ITEM ANSWER${values.from ? ` --from ${values.from}` : ''}`)}\n`);
      }
      return 0;
    },
  },

  answer: {
    help: ANSWER_HELP,
    async run(args) {
      const { values, positionals } = parse(args, { from: { type: 'string' } }, { min: 2, max: 2, usage: ANSWER_USAGE });
      if (values.help) {
        process.stdout.write(ANSWER_HELP);
        return 0;
      }
      const [id, given] = positionals;
      const { tutor, close } = openSession(values, { needCluster: false });
      const item = findItem(tutor.items(values.from), id);
      const answer = item.kind === 'manifest' ? await readManifest(given) : given;
      let result;
      try {
        result = await tutor.answer(item.id, answer, values.from);
      } finally {
        await close();
      }
      const { grade } = result;
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ item: item.id, verdict: grade.verdict, feedback: grade.feedback, details: grade.details, source: item.source, nextReview: result.card.due }, null, 2)}\n`);
      } else {
        const mark = grade.verdict === 'correct' ? green('✓ correct') : grade.verdict === 'close' ? yellow('~ close') : red('✗ wrong');
        const lines = [mark, grade.feedback, ...grade.details.map((d) => dim(`  · ${d}`))];
        if (item.kind === 'manifest' && grade.verdict !== 'correct') lines.push('', bold('A manifest that passes:'), item.answer.trimEnd());
        lines.push(dim(`Next review: ${new Date(result.card.due).toISOString().slice(0, 16).replace('T', ' ')} (source: ${cite(item)})`));
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      return grade.verdict === 'correct' ? 0 : 1;
    },
  },

  progress: {
    help: `Usage: kubedojo progress [--json]\n\nWhat you have done: lessons, quiz answers and exam results.\n`,
    async run(args) {
      const { values } = parse(args, {}, { min: 0, max: 0, usage: 'kubedojo progress [--json]' });
      if (values.help) {
        process.stdout.write(quizCommands.progress.help);
        return 0;
      }
      const s = openSession(values, { needCluster: false, readsCluster: false }).tutor.summary();
      if (values.json) {
        process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
        return 0;
      }
      const lines = [
        bold('Lessons'),
        `  ${s.lessons.done} done (${s.lessons.byLearner} by you, ${s.lessons.done - s.lessons.byLearner} with the solution), ${s.lessons.started} started, of ${s.lessons.total}`,
        '',
        bold('Quiz'),
        `  ${s.quiz.answered} answers: ${s.quiz.correct} correct, ${s.quiz.close} close, ${s.quiz.wrong} wrong; ${s.quiz.due} questions due for review`,
        '',
        bold('Exams'),
        s.exams.length ? table(s.exams.map((e) => [e.track.toUpperCase(), e.finishedAt.slice(0, 16).replace('T', ' '), `${e.percent.toFixed(1)}%`, e.passed ? 'passed' : 'not passed']), ['TRACK', 'WHEN', 'SCORE', 'RESULT']).replace(/^/gm, '  ') : '  none yet: try `kubedojo exam --track ckad`',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    },
  },
};

function publicItem(item: Item): Record<string, unknown> {
  const { id, kind, topic, difficulty, question, source } = item;
  return { id, kind, topic, difficulty, question, source, ...(item.kind === 'choice' ? { choices: item.choices, multiple: Array.isArray(item.answer) } : {}) };
}

async function readManifest(given: string): Promise<string> {
  const { readFileSync } = await import('node:fs');
  if (given === '-') return readFileSync(0, 'utf8');
  if (/^\s*(apiVersion|kind):/m.test(given)) return given;
  try {
    return readFileSync(given, 'utf8');
  } catch {
    throw new UsageError(`cannot read the manifest file "${given}"`, 'Give the path of a YAML file, or - to read it from standard input.');
  }
}

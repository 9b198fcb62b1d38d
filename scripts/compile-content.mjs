// Compiles the lessons (lessons/*.yaml, against lesson.schema.json), the quiz bank (lessons/quiz/)
// and the exam banks (lessons/exams/) to JSON in dist/content, with the same checks the loaders
// make, so that kubedojo's commands start without a YAML parser or a schema validator. Run by
// scripts/build.mjs after tsc: it uses the compiled loaders, so the build and the loaders cannot
// disagree on what a valid lesson is. A broken file stops the build with its name and the place.
//
//   node scripts/compile-content.mjs [--lessons DIR] [--out DIR]
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({ options: { lessons: { type: 'string' }, out: { type: 'string' } } });
const lessonsDir = path.resolve(values.lessons ?? path.join(root, 'lessons'));
const outDir = path.resolve(values.out ?? path.join(root, 'dist', 'content'));

const dist = (p) => import(pathToFileURL(path.join(root, 'dist', 'src', 'core', p)).href);
const { readLessonSources } = await dist('lessons/loader.js');
const { readBankSources } = await dist('quiz/bank.js');
const { readExamBankSource } = await dist('quiz/exam-bank.js');

const compiled = [];
try {
  compiled.push(['lessons.json', readLessonSources(lessonsDir)]);
  compiled.push(['quiz.json', readBankSources(path.join(lessonsDir, 'quiz'))]);
  const examsDir = path.join(lessonsDir, 'exams');
  for (const f of readdirSync(examsDir).filter((x) => x.endsWith('.yaml')).sort()) {
    const track = f.replace(/\.yaml$/, '');
    compiled.push([`exams-${track}.json`, readExamBankSource(track, examsDir)]);
  }
} catch (err) {
  // An author's error (a LearnerError) carries what to do next; anything else is shown whole.
  const next = err && typeof err === 'object' && 'nextStep' in err && err.nextStep ? `\n  ${err.nextStep}` : '';
  const where = path.relative(root, lessonsDir).startsWith('..') ? lessonsDir : path.relative(root, lessonsDir) || '.';
  process.stderr.write(`compile-content: in ${where}: ${err?.message ?? err}${next}\n`);
  process.exit(1);
}

mkdirSync(outDir, { recursive: true });
for (const [name, data] of compiled) {
  // Written whole then renamed, so a loader never reads half a file.
  const file = path.join(outDir, name);
  writeFileSync(`${file}.tmp`, JSON.stringify(data));
  renameSync(`${file}.tmp`, file);
}
process.stdout.write(`compiled ${compiled.map(([n, d]) => `${n} (${Array.isArray(d) ? d.length : d.tasks.length})`).join(', ')}\n`);

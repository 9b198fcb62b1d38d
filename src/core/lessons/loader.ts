// Reading lessons/*.yaml: parsed, checked against lesson.schema.json, and cross-checked (unique ids,
// file named after the id, prerequisites that exist). A broken lesson file is an author's error
// and is reported with the file and the place. The build does all this once and keeps the result
// in dist/content (compiled-content.ts); the YAML is read here only when it is newer than that, or
// is another folder than the shipped one.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from '../paths.js';
import type { ErrorObject } from 'ajv';
import { LearnerError } from '../problems.js';
import { readCompiled } from './compiled-content.js';
import { parseYaml } from '../yaml-on-demand.js';
import type { Lesson } from './types.js';

// The schema validator takes a tenth of a second to load, and the compiled lessons do not need it:
// it is loaded (synchronously, as the loaders' callers are) when YAML is read.
const load = createRequire(import.meta.url);

/** The lessons folder shipped with kubedojo (beside src/ and dist/). */
export function lessonsDir(): string {
  return path.join(packageRoot(), 'lessons');
}

let validator: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null } | undefined;

function validate(dir: string) {
  if (!validator) {
    const schema = JSON.parse(readFileSync(path.join(dir, 'lesson.schema.json'), 'utf8'));
    const { Ajv2020 } = load('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    validator = ajv.compile(schema);
  }
  return validator;
}

export function schemaErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : ''}`)
    .join('; ');
}

export function parseLesson(text: string, file: string, dir = lessonsDir()): Lesson {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new LearnerError(`${file} is not valid YAML: ${(err as Error).message}`, 'Fix the YAML; an editor with the lesson schema shows where.');
  }
  const check = validate(dir);
  if (!check(data)) throw new LearnerError(`${file} does not follow the lesson format: ${schemaErrors(check.errors)}`, 'See lessons/README.md for the format.');
  const lesson = data as Lesson;
  const stem = path.basename(file).replace(/\.ya?ml$/, '');
  if (lesson.id !== stem) throw new LearnerError(`${file} holds lesson "${lesson.id}"; a lesson file is named after its id`, `Rename the file to ${lesson.id}.yaml.`);
  const stepIds = new Set<string>();
  for (const s of lesson.steps) {
    if (stepIds.has(s.id)) throw new LearnerError(`${file}: two steps are called "${s.id}"`, 'Give every step its own id.');
    stepIds.add(s.id);
  }
  return { ...lesson, file };
}

const cache = new Map<string, Lesson[]>();

/** Every lesson in the folder, in curriculum order (prerequisites first, then by file name). */
export function loadLessons(dir = lessonsDir()): Lesson[] {
  const hit = cache.get(dir);
  if (hit) return hit;
  const compiled = dir === lessonsDir() ? readCompiled<Lesson[]>('lessons.json', { dir, also: [path.join(dir, 'lesson.schema.json')] }) : undefined;
  const lessons = compiled ?? readLessonSources(dir);
  cache.set(dir, lessons);
  return lessons;
}

/** The lessons of a folder from their YAML, checked, in curriculum order: what the build compiles. */
export function readLessonSources(dir: string): Lesson[] {
  if (!existsSync(dir)) throw new LearnerError(`the lessons folder ${dir} is missing`, 'Reinstall kubedojo.');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  const lessons = files.map((f) => parseLesson(readFileSync(path.join(dir, f), 'utf8'), f, dir));
  const ids = new Map(lessons.map((l) => [l.id, l]));
  for (const l of lessons) {
    for (const p of l.prerequisites) {
      if (!ids.has(p)) throw new LearnerError(`${l.file}: prerequisite "${p}" is not a lesson`, 'Name an existing lesson id, or drop it.');
    }
  }
  return curriculumOrder(lessons);
}

/** Prerequisites before the lessons that need them; otherwise the files' order. */
export function curriculumOrder(lessons: Lesson[]): Lesson[] {
  const byId = new Map(lessons.map((l) => [l.id, l]));
  const out: Lesson[] = [];
  const seen = new Set<string>();
  const visit = (l: Lesson, path: string[]) => {
    if (seen.has(l.id)) return;
    if (path.includes(l.id)) throw new LearnerError(`lessons ${[...path, l.id].join(' → ')} need each other in a circle`, 'Remove one prerequisite.');
    for (const p of l.prerequisites) visit(byId.get(p)!, [...path, l.id]);
    seen.add(l.id);
    out.push(l);
  };
  for (const l of lessons) visit(l, []);
  return out;
}

export function findLesson(id: string, lessons = loadLessons()): Lesson {
  const lesson = lessons.find((l) => l.id === id);
  if (!lesson) {
    const near = lessons.filter((l) => l.id.includes(id) || id.includes(l.id)).map((l) => l.id);
    throw new LearnerError(`there is no lesson "${id}"`, near.length ? `Did you mean ${near.join(', ')}?` : 'Run `kubedojo lessons` to see them all.');
  }
  return lesson;
}

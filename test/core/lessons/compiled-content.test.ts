// The lessons, quiz and exam banks compiled by the build (dist/content) against their YAML: the
// compiled copy must say what the sources say, a stale copy must not be read, and a broken lesson
// must stop the build with its file and the place in it.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lessonsDir, readLessonSources } from '../../../src/core/lessons/loader.js';
import { readCompiled } from '../../../src/core/lessons/compiled-content.js';
import { readBankSources } from '../../../src/core/quiz/bank.js';
import { readExamBankSource } from '../../../src/core/quiz/exam-bank.js';
import { contentDir, packageRoot } from '../../../src/core/paths.js';
import type { Track } from '../../../src/core/quiz/types.js';

const compiled = (name: string): unknown => {
  try {
    return JSON.parse(readFileSync(path.join(contentDir(), name), 'utf8'));
  } catch {
    throw new Error(`dist/content/${name} is missing: run \`npm run build\``);
  }
};

const temps: string[] = [];
const temp = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-content-'));
  temps.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the content compiled by the build', () => {
  it('holds the lessons, quiz items and exam tasks that the YAML sources hold', () => {
    const stale = 'dist/content differs from lessons/: run `npm run build`';
    expect(compiled('lessons.json'), stale).toEqual(readLessonSources(lessonsDir()));
    expect(compiled('quiz.json'), stale).toEqual(readBankSources(path.join(lessonsDir(), 'quiz')));
    const tracks = readdirSync(path.join(lessonsDir(), 'exams')).map((f) => f.replace(/\.yaml$/, '') as Track);
    expect(tracks.length).toBeGreaterThan(0);
    for (const track of tracks) expect(compiled(`exams-${track}.json`), stale).toEqual(readExamBankSource(track, path.join(lessonsDir(), 'exams')));
  });

  it('is read while no source is newer than it, and not once one is, or a file is added', () => {
    const sources = temp();
    const out = temp();
    writeFileSync(path.join(sources, 'a.yaml'), 'a: 1\n');
    writeFileSync(path.join(out, 'a.json'), '{"a":1}');
    const at = (file: string, seconds: number) => utimesSync(file, seconds, seconds);
    at(path.join(sources, 'a.yaml'), 1000);
    at(sources, 1000);
    at(path.join(out, 'a.json'), 1000);
    expect(readCompiled('a.json', { dir: sources }, out)).toEqual({ a: 1 });

    at(path.join(sources, 'a.yaml'), 2000);
    expect(readCompiled('a.json', { dir: sources }, out)).toBeUndefined();

    at(path.join(sources, 'a.yaml'), 1000);
    writeFileSync(path.join(sources, 'b.yaml'), 'b: 2\n');
    at(path.join(sources, 'b.yaml'), 1000);
    expect(readCompiled('a.json', { dir: sources }, out)).toBeUndefined();
    at(sources, 1000);
    expect(readCompiled('a.json', { dir: sources }, out)).toEqual({ a: 1 });
    expect(readCompiled('none.json', { dir: sources }, out)).toBeUndefined();
  });
});

describe('scripts/compile-content.mjs', () => {
  const compile = (lessons: string, out: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [path.join(packageRoot(), 'scripts', 'compile-content.mjs'), '--lessons', lessons, '--out', out], (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });

  it('writes the lessons, quiz and exam banks of a folder as JSON', async () => {
    const out = temp();
    const r = await compile(lessonsDir(), out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['exams-cka.json', 'exams-ckad.json', 'lessons.json', 'quiz.json']);
    expect(JSON.parse(readFileSync(path.join(out, 'lessons.json'), 'utf8'))).toEqual(readLessonSources(lessonsDir()));
  });

  it('stops on a lesson that breaks the schema, naming the file and the place in it', async () => {
    const dir = path.join(temp(), 'lessons');
    cpSync(lessonsDir(), dir, { recursive: true });
    const file = path.join(dir, 'pods-first.yaml');
    // The first step's first task loses its text.
    const broken = readFileSync(file, 'utf8').replace(/^(\s+- )text: /m, '$1txet: ');
    expect(broken).not.toBe(readFileSync(file, 'utf8'));
    writeFileSync(file, broken);
    const out = temp();
    const r = await compile(dir, out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pods-first.yaml does not follow the lesson format');
    expect(r.stderr).toMatch(/\/steps\/0\/tasks\/0 must have required property 'text'/);
    expect(readdirSync(out)).toEqual([]);
  });
});

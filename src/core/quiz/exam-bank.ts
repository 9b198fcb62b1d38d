// The exam drills' tasks: lessons/exams/<track>.yaml, compiled by the build to
// dist/content/exams-<track>.json (read instead while it is not older than the YAML).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { lessonsDir } from '../lessons/loader.js';
import { parseYaml } from '../yaml-on-demand.js';
import { readCompiled } from '../lessons/compiled-content.js';
import { LearnerError } from '../problems.js';
import type { ExamBank, Track } from './types.js';

const cache = new Map<string, ExamBank>();

export function loadExamBank(track: Track, dir = path.join(lessonsDir(), 'exams')): ExamBank {
  const file = path.join(dir, `${track}.yaml`);
  const hit = cache.get(file);
  if (hit) return hit;
  const shipped = dir === path.join(lessonsDir(), 'exams');
  const compiled = shipped ? readCompiled<ExamBank>(`exams-${track}.json`, { dir, files: (f) => f === `${track}.yaml` }) : undefined;
  const bank = compiled ?? readExamBankSource(track, dir);
  cache.set(file, bank);
  return bank;
}

/** One track's bank from its YAML, checked: what the build compiles. */
export function readExamBankSource(track: Track, dir: string): ExamBank {
  const file = path.join(dir, `${track}.yaml`);
  if (!existsSync(file)) throw new LearnerError(`there are no ${track.toUpperCase()} exam tasks`, 'Reinstall kubedojo; its lessons/exams folder is incomplete.');
  let bank: ExamBank;
  try {
    bank = parseYaml(readFileSync(file, 'utf8')) as ExamBank;
  } catch (err) {
    throw new LearnerError(`lessons/exams/${track}.yaml is not valid YAML: ${(err as Error).message}`, 'Fix the file.');
  }
  if (bank?.track !== track || !Array.isArray(bank.tasks) || !Array.isArray(bank.domains)) {
    throw new LearnerError(`lessons/exams/${track}.yaml is not an exam bank for ${track}`, 'It needs track, title, minutes, passPercent, domains and tasks.');
  }
  return bank;
}

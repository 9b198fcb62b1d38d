// The exam drills' tasks: lessons/exams/<track>.yaml.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { lessonsDir } from '../lessons/loader.js';
import { LearnerError } from '../problems.js';
import type { ExamBank, Track } from './types.js';

const cache = new Map<string, ExamBank>();

export function loadExamBank(track: Track, dir = path.join(lessonsDir(), 'exams')): ExamBank {
  const file = path.join(dir, `${track}.yaml`);
  const hit = cache.get(file);
  if (hit) return hit;
  if (!existsSync(file)) throw new LearnerError(`there are no ${track.toUpperCase()} exam tasks`, 'Reinstall kubedojo; its lessons/exams folder is incomplete.');
  let bank: ExamBank;
  try {
    bank = parse(readFileSync(file, 'utf8')) as ExamBank;
  } catch (err) {
    throw new LearnerError(`lessons/exams/${track}.yaml is not valid YAML: ${(err as Error).message}`, 'Fix the file.');
  }
  if (bank?.track !== track || !Array.isArray(bank.tasks) || !Array.isArray(bank.domains)) {
    throw new LearnerError(`lessons/exams/${track}.yaml is not an exam bank for ${track}`, 'It needs track, title, minutes, passPercent, domains and tasks.');
  }
  cache.set(file, bank);
  return bank;
}

// Golden files: expected output kept under test/golden/, compared verbatim. Run the tests with
// UPDATE_GOLDEN=1 to (re)write them from what the code produces now, then review the diff.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const GOLDEN_DIR = fileURLToPath(new URL('../golden/', import.meta.url));

/** Compares `actual` with test/golden/<name>(.txt), e.g. expectGolden('kinds/job', rows). */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, path.extname(name) ? name : `${name}.txt`);
  const text = actual.endsWith('\n') ? actual : `${actual}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`golden file ${path.relative(process.cwd(), file)} is missing: run the tests with UPDATE_GOLDEN=1 to write it`);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}

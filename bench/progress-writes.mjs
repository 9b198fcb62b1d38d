// A progress write (one quiz answer recorded, synced to disk before it returns) with 100, 1,000
// and 10,000 learners in the data directory: the store keeps one file per learner, so a write
// costs the same however many there are.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openProgress } from '../dist/src/core/progress/index.js';
import { percentile } from './lib.mjs';

const WRITES = Number(process.env.BENCH_WRITES ?? 300);
const rows = [];
for (const learners of [100, 1000, 10_000]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-progress-'));
  const at = new Date('2026-01-01T00:00:00Z');
  // Each learner with a lesson under way and twenty answers (a record of a few KiB), written
  // straight to their files: seeding through the store would sync each of them.
  const folder = path.join(dir, 'progress', 'learners');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  for (let i = 0; i < learners; i++) {
    const id = `slack:T1:U${i}`;
    const record = {
      currentLesson: 'pods-first',
      lessons: { 'pods-first': { stepIndex: 1, startedAt: at.toISOString(), steps: { run: { hints: 1, passedAt: at.toISOString() } } } },
      answers: Array.from({ length: 20 }, (_, a) => ({ itemId: `item-${a}`, answer: 'an answer', verdict: a % 3 ? 'correct' : 'wrong', at: at.toISOString() })),
      cards: {},
      exams: [],
    };
    writeFileSync(path.join(folder, `${encodeURIComponent(id)}.json`), JSON.stringify({ kind: 'KubedojoLearner', version: 1, id, record }, null, 2), { mode: 0o600 });
  }
  const store = openProgress({ dir });
  const times = [];
  for (let w = 0; w < WRITES; w++) {
    const l = store.learner(`slack:T1:U${Math.floor(Math.random() * learners)}`);
    const t = process.hrtime.bigint();
    l.recordAnswer(`bench-${w}`, 'an answer', 'correct', at);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  rows.push({ learners, 'p50 ms': +percentile(times, 50).toFixed(2), 'p99 ms': +percentile(times, 99).toFixed(2) });
  rmSync(dir, { recursive: true, force: true });
}
console.log(`A progress write (one answer, on disk when it returns), ${WRITES} writes to random learners:`);
console.table(rows);

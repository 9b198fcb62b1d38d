// Runs every benchmark in turn and prints its figures.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { here } from './lib.mjs';

for (const [file, flags] of [['cluster-heap.mjs', ['--expose-gc']], ['api-latency.mjs', []], ['durability.mjs', []], ['progress-writes.mjs', []], ['kubectl-10k-pods.mjs', []], ['grading.mjs', []], ['live-grading.mjs', []], ['cli-start.mjs', []], ['slack.mjs', ['--expose-gc']], ['tui.mjs', []]]) {
  console.log(`\n== ${file}`);
  execFileSync(process.execPath, [...flags, path.join(here, file)], { stdio: 'inherit' });
}

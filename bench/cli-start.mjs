// How long the kubedojo command takes to start, measured as a learner's shell sees it (wall time of
// a fresh process), beside its floor in the same run: `node -e 0`, a Node process that does nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { here, percentile } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const bin = path.join(here, '..', 'bin', 'kubedojo');
const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-start-'));
const env = { ...process.env, KUBEDOJO_HOME: home, KUBECONFIG: path.join(home, 'none') };

function wall(args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    try {
      execFileSync(process.execPath, args, { env, stdio: 'ignore' });
    } catch {
      // A command that exits 1 (no cluster) still started and answered.
    }
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

const rows = [
  ['floor: node -e 0', ['-e', '0']],
  ['kubedojo --help', [bin, '--help']],
  ['kubedojo lessons --json', [bin, 'lessons', '--json']],
].map(([what, args]) => {
  const t = wall(args);
  return { what, 'median ms': Math.round(percentile(t, 50)), 'p90 ms': Math.round(percentile(t, 90)) };
});
rmSync(home, { recursive: true, force: true });
console.log(`Start-up, ${RUNS} fresh processes each:`);
console.table(rows);

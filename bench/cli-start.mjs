// How long the kubedojo command takes, measured as a learner's shell sees it (wall time of a fresh
// process), beside its floors in the same run: `node -e 0`, a Node process that does nothing, and
// for the commands that talk to a cluster, `kubectl get ns` against the same `kubedojo serve` (a
// fresh process that reads the same cluster).
//
//   BENCH_RUNS=15          fresh processes per row
//   KUBEDOJO_BIN=path      another build's bin/kubedojo to measure (to compare two builds)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { here, percentile } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const bin = path.resolve(process.env.KUBEDOJO_BIN ?? path.join(here, '..', 'bin', 'kubedojo'));
const homes = [];
const freshHome = () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-start-'));
  homes.push(home);
  return home;
};

function wall(file, args, env) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    try {
      execFileSync(file, args, { env, stdio: 'ignore' });
    } catch {
      // A command that exits 1 (no cluster, checks not passed) still started and answered.
    }
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

const row = (what, times) => ({ what, 'median ms': Math.round(percentile(times, 50)), 'p90 ms': Math.round(percentile(times, 90)) });

/** `kubedojo serve` from a fresh data dir, as a learner starts it; resolves with its kubeconfig. */
function startServe(home) {
  const child = spawn(process.execPath, [bin, 'serve'], { env: { ...process.env, KUBEDOJO_HOME: home, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubedojo serve did not start:\n${out}`)), 60_000);
    const seen = (d) => {
      out += d;
      const kubeconfig = /export KUBECONFIG=(\S+)/.exec(out)?.[1];
      if (kubeconfig && /cluster is up at/.test(out)) {
        clearTimeout(timer);
        resolve({ child, kubeconfig });
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => reject(new Error(`kubedojo serve exited (${code}):\n${out}`)));
  });
}

const alone = { ...process.env, KUBEDOJO_HOME: freshHome() };
alone.KUBECONFIG = path.join(alone.KUBEDOJO_HOME, 'none');
const rows = [
  row('floor: node -e 0', wall(process.execPath, ['-e', '0'], alone)),
  row('kubedojo --help', wall(process.execPath, [bin, '--help'], alone)),
  row('kubedojo lessons --json', wall(process.execPath, [bin, 'lessons', '--json'], alone)),
];

const serveHome = freshHome();
const serving = await startServe(serveHome);
try {
  const env = { ...process.env, KUBEDOJO_HOME: serveHome, HOME: serveHome, KUBECONFIG: serving.kubeconfig, NO_COLOR: '1' };
  const lesson = JSON.parse(execFileSync(process.execPath, [bin, 'lessons', '--json'], { env, encoding: 'utf8' })).next;
  rows.push(row('floor: kubectl get ns (same serve)', wall('kubectl', ['get', 'ns'], env)));
  rows.push(row(`kubedojo start ${lesson}`, wall(process.execPath, [bin, 'start', lesson], env)));
  rows.push(row('kubedojo check (not passed)', wall(process.execPath, [bin, 'check'], env)));
  rows.push(row('kubedojo hint', wall(process.execPath, [bin, 'hint'], env)));
} finally {
  serving.child.kill('SIGTERM');
  await new Promise((resolve) => serving.child.once('exit', resolve));
  for (const home of homes) rmSync(home, { recursive: true, force: true });
}
console.log(`Start-up, ${RUNS} fresh processes each (${path.relative(process.cwd(), bin) || bin}):`);
console.table(rows);

// Time of `kubectl get pods` with 10,000 pods in a namespace (server-side Table, as kubectl asks).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerChild, percentile } from './lib.mjs';

const COUNT = Number(process.env.POD_COUNT ?? 10000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const t0 = Date.now();
const srv = await startServerChild({ POD_COUNT: String(COUNT) });
const seeded = Date.now() - t0;
const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-'));
const kc = path.join(dir, 'kubeconfig');
writeFileSync(kc, srv.kubeconfig);
const env = { ...process.env, KUBECONFIG: kc, KUBECACHEDIR: path.join(dir, 'cache'), HOME: dir };
execFileSync('kubectl', ['get', 'ns'], { env, stdio: 'ignore' });
const times = [];
let lines = 0;
for (let i = 0; i < RUNS; i++) {
  const start = process.hrtime.bigint();
  const out = execFileSync('kubectl', ['get', 'pods', '-n', 'bench'], { env, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  lines = out.trim().split('\n').length - 1;
}
srv.child.kill('SIGTERM');
times.sort((a, b) => a - b);
console.log(`kubectl get pods with ${COUNT} pods (${lines} rows printed; seeding took ${seeded} ms), ${RUNS} runs:`);
console.table([{ 'median ms': Math.round(percentile(times, 50)), 'min ms': Math.round(times[0]), 'max ms': Math.round(times[times.length - 1]) }]);

// Live grading: the time from a change in the cluster (a ConfigMap written through the API) to the
// step's marks updated, with no command in between. Beside it, the floor: grading the same step on
// demand (session.check(), the reads the marks need) with nothing to wait for.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClusterHost } from '../dist/src/core/hosting/cluster-host.js';
import { LiveGrading } from '../dist/src/core/learning/live-grading.js';
import { openLearnerRecord } from '../dist/src/core/learning/learner-record.js';
import { Session } from '../dist/src/core/learning/session.js';
import { percentile } from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);
const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-live-'));
const host = await ClusterHost.start();
const sandbox = host.create({});
const target = { client: sandbox.client, kubeconfig: sandbox.kubeconfig };
const lesson = {
  id: 'bench-live',
  title: 'Bench',
  summary: '',
  topics: [],
  sources: [],
  minutes: 1,
  prerequisites: [],
  namespaces: ['bench-live'],
  steps: [
    {
      id: 'only',
      title: 'Only',
      explanation: '',
      outcome: '',
      hints: [],
      solution: [],
      tasks: [{ text: 'x', checks: [{ field: { kind: 'ConfigMap', name: 'settings', path: '{.data.round}', equals: 'never' } }, { exists: { kind: 'Secret', name: 'token' } }] }],
    },
  ],
};
const session = new Session({ target, progress: openLearnerRecord({ KUBEDOJO_HOME: home }), lessons: [lesson] });
await session.start(lesson.id);
const live = new LiveGrading(session);
await live.start();

const changed = [];
for (let i = 0; i < ROUNDS; i++) {
  const round = String(i);
  // The marks for this round: the ConfigMap, now touched, fails with its new value quoted.
  const seen = new Promise((resolve) => {
    const on = (o) => {
      if (o.tasks[0].checks[0].message.includes(`\`${round}\``)) {
        live.off('graded', on);
        resolve();
      }
    };
    live.on('graded', on);
  });
  const t = process.hrtime.bigint();
  await target.client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { round } }, 'bench-live');
  await seen;
  changed.push(Number(process.hrtime.bigint() - t) / 1e6);
}
const floor = [];
for (let i = 0; i < ROUNDS; i++) {
  const t = process.hrtime.bigint();
  await session.check();
  floor.push(Number(process.hrtime.bigint() - t) / 1e6);
}
live.stop();
sandbox.dispose();
await host.close();
rmSync(home, { recursive: true, force: true });
changed.sort((a, b) => a - b);
floor.sort((a, b) => a - b);
console.log(`Live grading, ${ROUNDS} changes (the watch gathers changes for 150 ms before grading):`);
console.table([
  { what: 'cluster change → marks updated', 'p50 ms': +percentile(changed, 50).toFixed(1), 'p99 ms': +percentile(changed, 99).toFixed(1) },
  { what: 'floor: grading on demand', 'p50 ms': +percentile(floor, 50).toFixed(1), 'p99 ms': +percentile(floor, 99).toFixed(1) },
]);

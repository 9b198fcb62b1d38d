// How long grading takes: one check, a whole lesson's checks, and a command quiz item (its two
// scratch clusters included). Runs on the compiled dist/ (npm run build first; npm run bench does).
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClusterHost } from '../dist/src/core/hosting/cluster-host.js';
import { loadLessons } from '../dist/src/core/lessons/loader.js';
import { runCheck } from '../dist/src/core/lessons/checks.js';
import { gradeTasks, prepare, runSolutionEntry } from '../dist/src/core/lessons/workspace.js';
import { gradeAnswer } from '../dist/src/core/quiz/grade.js';
import { loadBank } from '../dist/src/core/quiz/bank.js';
import { percentile } from './lib.mjs';

const cache = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-kubectl-'));
const env = { ...process.env, KUBECACHEDIR: cache, HOME: cache };

function stats(label, samples) {
  const s = [...samples].sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} p50 ${percentile(s, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(s, 99).toFixed(1).padStart(7)} ms   (${s.length} runs)`);
}

async function time(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const host = await ClusterHost.start();
try {
  // A lesson with the most checks, set up and solved on the simulated cluster at real speed.
  const lessons = loadLessons();
  const lesson = [...lessons].sort((a, b) => b.steps.flatMap((s) => s.tasks.flatMap((t) => t.checks)).length - a.steps.flatMap((s) => s.tasks.flatMap((t) => t.checks)).length)[0];
  const sandbox = host.create();
  const target = { client: sandbox.client, kubeconfig: sandbox.kubeconfig, env };
  await prepare(lesson, target);
  for (const step of lesson.steps) for (const entry of step.solution) await runSolutionEntry(entry, lesson.namespaces[0], target);
  await new Promise((r) => setTimeout(r, 3000));
  const ns = lesson.namespaces[0];
  const checks = lesson.steps.flatMap((s) => s.tasks.flatMap((t) => t.checks)).filter((c) => !('exec' in c));
  const one = [];
  for (let i = 0; i < 200; i++) one.push(await time(() => runCheck(checks[i % checks.length], { client: sandbox.client, namespace: ns })));
  stats('one check (no exec), through the API', one);
  const execCheck = lessons.flatMap((l) => l.steps.flatMap((s) => s.tasks.flatMap((t) => t.checks))).find((c) => 'exec' in c);
  const whole = [];
  for (let i = 0; i < 50; i++) whole.push(await time(async () => {
    for (const step of lesson.steps) await gradeTasks(step.tasks, ns, target);
  }));
  stats(`a whole lesson (${lesson.id}, ${checks.length} checks)`, whole);
  sandbox.dispose();
  void execCheck;

  const bank = loadBank();
  const commandItem = bank.find((i) => i.kind === 'command');
  const manifestItem = bank.find((i) => i.kind === 'manifest');
  const cmd = [];
  for (let i = 0; i < 20; i++) cmd.push(await time(() => gradeAnswer(commandItem, commandItem.answer, { host, env })));
  stats(`a command item (${commandItem.id}), 2 scratch clusters`, cmd);
  const man = [];
  for (let i = 0; i < 20; i++) man.push(await time(() => gradeAnswer(manifestItem, manifestItem.answer, { host, env })));
  stats(`a manifest item (${manifestItem.id})`, man);
} finally {
  await host.close();
  rmSync(cache, { recursive: true, force: true });
}

// Plays one Killercoda scenario inside the sandbox bench/killercoda.mjs builds around it: starts
// `kubedojo serve` (it must run in the same network namespace as the scripts), runs the set-up
// scripts, each step's check before and after its solution, and prints one JSON line of results.
//   node bench/killercoda-driver.mjs SCENARIO_DIR SPEED TIMEOUT_S   (KILLERCODA_SHAPE=kind for the lessons' cluster)
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readScenario } from '../dist/src/core/scenarios/format.js';
import { scenarioEnv } from '../dist/src/core/scenarios/environment.js';
import { solutionScript } from './killercoda-solution.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [dir, speed = '10', timeoutS = '240'] = process.argv.slice(2);
const timeoutMs = Number(timeoutS) * 1000;
const scenario = readScenario(dir);

const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-'));
const shape = process.env.KILLERCODA_SHAPE ?? 'killercoda';

const serve = spawn(process.execPath, [path.join(here, '..', 'bin', 'kubedojo'), 'serve', '--speed', speed, '--shape', shape], {
  env: { ...process.env, KUBEDOJO_HOME: home, HOME: home },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serveOut = '';
serve.stdout.on('data', (d) => (serveOut += d));
serve.stderr.on('data', (d) => (serveOut += d));
const started = Date.now();
const kubeconfig = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`serve did not start:\n${serveOut}`)), 60_000);
  serve.stdout.on('data', () => {
    const m = /export KUBECONFIG=(\S+)/.exec(serveOut);
    if (m && /cluster is up at/.test(serveOut)) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  serve.once('exit', () => reject(new Error(`serve exited:\n${serveOut}`)));
});
const startMs = Date.now() - started;

// KUBECONFIG and the `k` and `sudo` a Killercoda machine has, as the player gives them.
const env = {
  ...scenarioEnv({ kubeconfig, home: path.join(home, 'scenario') }),
  HOME: '/root',
  // A manual edit cannot be made unattended: kubectl edit opens an editor that changes nothing.
  EDITOR: 'true',
  KUBE_EDITOR: 'true',
  TERM: 'dumb',
};

function run(label, script) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn('bash', ['-c', script], { cwd: '/root', env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ label, code: timedOut ? 'timeout' : code, ms: Date.now() - t0, out: out.slice(-4000) });
    });
  });
}

// A learner reads the cluster before asking for the check: by then pods being replaced have gone.
// Unattended, the check would otherwise run within the grace period of pods whose shell, as PID 1,
// ignores SIGTERM (30 s on a real cluster too), and count them.
async function settled() {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const r = await run('settle', "kubectl get pods -A --no-headers 2>/dev/null | grep -c ' Terminating ' || true");
    if (r.out.trim() === '0') return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const result = { id: scenario.id, startMs, setup: [], steps: [] };
const setupScripts = [scenario.intro.background, scenario.intro.foreground].filter(Boolean);
for (const s of setupScripts) result.setup.push(await run(`set-up ${s.file}`, s.text));
for (const [i, step] of scenario.steps.entries()) {
  const r = { step: i + 1, setup: [] };
  for (const s of [step.background, step.foreground].filter(Boolean)) r.setup.push(await run(`step ${i + 1} set-up ${s.file}`, s.text));
  const solution = solutionScript(step.text);
  if (step.verify) r.before = await run(`step ${i + 1} check before`, step.verify.text);
  r.solution = solution === undefined ? undefined : await run(`step ${i + 1} solution`, solution);
  await settled();
  if (step.verify) r.after = await run(`step ${i + 1} check after`, step.verify.text);
  result.steps.push(r);
}
serve.kill('SIGTERM');
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);

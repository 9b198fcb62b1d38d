// Plays every Killercoda scenario of a folder end to end against a fresh simulated cluster each:
// set-up scripts, each step's check before its solution (must fail), the solution the page shows,
// the check again (must pass). Prints a line per scenario and the totals.
//   node bench/killercoda.mjs DIR [--jobs N] [--speed X] [--timeout S] [--only a,b] [--logs DIR] [--shape killercoda|kind]
// A scenario's scripts are foreign code: each scenario runs under bubblewrap with a read-only
// system, a private /tmp, scratch /root and /opt, its folder read-only and no network (the API
// server runs inside the same namespace, started by bench/killercoda-driver.mjs).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findScenarios } from '../dist/src/core/scenarios/format.js';
import { unplayableReasons } from '../dist/src/core/scenarios/feasibility.js';
import { setApart } from './killercoda-classes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    jobs: { type: 'string', default: '2' },
    speed: { type: 'string', default: '10' },
    timeout: { type: 'string', default: '240' },
    only: { type: 'string' },
    logs: { type: 'string' },
    shape: { type: 'string', default: 'killercoda' },
  },
});
const root = positionals[0];
if (!root) {
  console.error('usage: node bench/killercoda.mjs DIR [--jobs N] [--speed X] [--timeout S] [--only a,b] [--logs DIR] [--shape killercoda|kind]');
  process.exit(2);
}
const logs = values.logs ?? mkdtempSync(path.join(os.tmpdir(), 'killercoda-logs-'));
mkdirSync(logs, { recursive: true });
const only = values.only ? new Set(values.only.split(',')) : undefined;

const found = findScenarios(root).filter((f) => !only || only.has(f.id));
const playable = [];
const unplayable = [];
for (const f of found) {
  if ('error' in f) unplayable.push({ id: f.id, reason: f.error });
  else {
    const reasons = unplayableReasons(f.scenario);
    if (reasons.length) unplayable.push({ id: f.id, reason: reasons.join('; ') });
    else playable.push(f);
  }
}

/** Runs the driver for one scenario inside its sandbox; resolves with its JSON result. */
function play(f) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'killercoda-box-'));
  for (const d of ['root', 'opt', 'local-bin']) mkdirSync(path.join(scratch, d));
  const dir = path.resolve(f.dir);
  // The root is bwrap's own tmpfs, so a script may make top-level folders (`mkdir /ancient-tiger`)
  // as on a Killercoda machine; the system beneath is bound read-only, and only what playing needs.
  const args = [
    ...['/usr', '/etc', '/var'].flatMap((d) => ['--ro-bind', d, d]),
    ...['bin', 'sbin', 'lib', 'lib64'].flatMap((l) => ['--symlink', `usr/${l}`, `/${l}`]),
    ...[...new Set([repo, realpathSync(path.join(repo, 'node_modules'))])].flatMap((d) => ['--ro-bind', d, d]),
    '--dev', '/dev',
    '--proc', '/proc',
    '--tmpfs', '/tmp',
    '--bind', path.join(scratch, 'root'), '/root',
    '--bind', path.join(scratch, 'opt'), '/opt',
    // Set-up scripts install small commands here, as on a fresh machine where it is empty.
    '--bind', path.join(scratch, 'local-bin'), '/usr/local/bin',
    '--ro-bind', dir, dir,
    '--unshare-net', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--hostname', 'controlplane',
    '--die-with-parent', '--new-session',
    '--chdir', '/root',
    '--', process.execPath, path.join(here, 'killercoda-driver.mjs'), dir, values.speed, values.timeout,
  ];
  return new Promise((resolve) => {
    const child = spawn('bwrap', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KILLERCODA_SHAPE: values.shape } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('close', (code) => {
      rmSync(scratch, { recursive: true, force: true });
      const line = out.trim().split('\n').pop() ?? '';
      let result;
      try {
        result = JSON.parse(line);
      } catch {
        result = { id: f.id, crashed: `driver exited ${code}: ${(err || out).slice(-2000)}` };
      }
      result.id = f.id;
      writeFileSync(path.join(logs, `${f.id.replace(/\//g, '_')}.json`), JSON.stringify(result, null, 2));
      resolve(result);
    });
  });
}

const ok = (r) => r && r.code === 0;
function judge(r) {
  if (r.crashed) return { setup: false, unsolvedFails: false, solvedPasses: false };
  const steps = r.steps ?? [];
  return {
    setup: r.setup.every(ok) && steps.every((s) => s.setup.every(ok)),
    unsolvedFails: steps.every((s) => !s.before || !ok(s.before)),
    solvedPasses: steps.length > 0 && steps.every((s) => !s.after || ok(s.after)) && steps.some((s) => s.after),
  };
}

const results = [];
const queue = [...playable];
const t0 = Date.now();
async function worker() {
  for (let f = queue.shift(); f; f = queue.shift()) {
    const r = await play(f);
    const j = judge(r);
    results.push({ id: f.id, ...j, r });
    const mark = (b) => (b ? 'ok  ' : 'FAIL');
    const apart = setApart[f.id] ? `  [set apart, ${setApart[f.id].reason}: ${setApart[f.id].why}]` : '';
    console.log(`${f.id.padEnd(40)} set-up ${mark(j.setup)}  unsolved-fails ${mark(j.unsolvedFails)}  solved-passes ${mark(j.solvedPasses)}${apart}`);
  }
}
await Promise.all(Array.from({ length: Math.max(1, Number(values.jobs)) }, worker));

const count = (xs, k) => xs.filter((x) => x[k]).length;
const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
const unattended = results.filter((x) => !setApart[x.id]);
console.log('');
for (const u of unplayable) console.log(`not kubectl-only: ${u.id}: ${u.reason}`);
console.log(`\nscenarios ${found.length}, kubectl-only ${playable.length}, set apart ${results.length - unattended.length}, logs in ${logs}`);
console.log(`kubectl-only: set up ${count(results, 'setup')}/${results.length} (${pct(count(results, 'setup'), results.length)}), unsolved failing ${count(results, 'unsolvedFails')}/${results.length} (${pct(count(results, 'unsolvedFails'), results.length)})`);
console.log(`passable unattended without internet: solved passing ${count(unattended, 'solvedPasses')}/${unattended.length} (${pct(count(unattended, 'solvedPasses'), unattended.length)})`);
console.log(`set apart: solved passing ${results.length - unattended.length ? count(results.filter((x) => setApart[x.id]), 'solvedPasses') : 0}/${results.length - unattended.length}`);
console.log(`wall time ${((Date.now() - t0) / 1000).toFixed(0)} s with ${values.jobs} jobs at --speed ${values.speed}, cluster shape ${values.shape}`);

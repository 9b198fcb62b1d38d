// The Slack bot under load: 100 learners send a /kubectl command at once through Bolt's HTTP
// receiver (signed requests); how soon each is acked, how soon its answer reaches response_url,
// and the heap each active learner costs (their sandbox cluster and tutor). Run with learners'
// kubectl in its jail, as shipped, and then without it (KUBEDOJO_JAIL=off), the jail's floor.
// Runs on dist/.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSlackBot } from '../dist/adapters/slack/app.js';
import { here, percentile } from './lib.mjs';

const LEARNERS = Number(process.env.LEARNERS ?? 100);
const SECRET = 'bench-secret';

// A stand-in for Slack: records when each response_url answer arrives.
const answered = new Map();
const fake = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const m = /^\/respond\/(\d+)/.exec(req.url ?? '');
    if (m) answered.set(Number(m[1]), { at: Date.now(), body });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true }));
  });
});
await new Promise((r) => fake.listen(0, '127.0.0.1', r));
const fakeUrl = `http://127.0.0.1:${fake.address().port}`;

const gc = globalThis.gc ?? (() => undefined);

/** Sends LEARNERS commands at once from a second process; waits for every answer. */
async function round(url, label, text, base) {
  answered.clear();
  const child = spawn(process.execPath, [path.join(here, 'slack-load.mjs'), url, SECRET, fakeUrl, String(LEARNERS), String(base), text], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => child.on('exit', r));
  const results = JSON.parse(out);
  const deadline = Date.now() + 300_000;
  while (answered.size < LEARNERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const acks = results.map((r) => r.acked).sort((a, b) => a - b);
  const finals = results.map((r) => (answered.get(r.i)?.at ?? NaN) - r.sentAt).sort((a, b) => a - b);
  const bad = results.filter((r) => r.status !== 200).length;
  const late = results.filter((r) => r.acked > 3000).length;
  console.log(`${label.padEnd(56)} ack p50 ${percentile(acks, 50).toFixed(0).padStart(5)} ms  p99 ${percentile(acks, 99).toFixed(0).padStart(5)} ms   final reply p50 ${(percentile(finals, 50) / 1000).toFixed(2)} s  p99 ${(percentile(finals, 99) / 1000).toFixed(2)} s  ${late} over 3 s${bad ? `  (${bad} non-200)` : ''}`);
}

async function suite(jailed) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-slack-'));
  const env = { ...process.env, KUBEDOJO_HOME: home, KUBECACHEDIR: path.join(home, 'kubecache'), HOME: home, KUBEDOJO_JAIL: jailed ? 'on' : 'off' };
  const bot = await createSlackBot({ signingSecret: SECRET, botToken: 'xoxb-bench', apiUrl: `${fakeUrl}/api/`, env, quiet: true, warn: () => undefined });
  if (jailed && bot.jailless) throw new Error(`no jail on this machine: ${bot.jailless}`);
  const port = await bot.start(0);
  const url = `http://127.0.0.1:${port}/slack/events`;
  /** This thread's heap and the sandbox worker's, after collections (run with --expose-gc). */
  const heap = async () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed + (await bot.sandboxes.workerHeap());
  };
  const tag = jailed ? 'jail on ' : 'jail off';
  try {
    const before = await heap();
    // First contact: each learner's sandbox cluster is made on their first command.
    await round(url, `${tag}: ${LEARNERS} learners, first command (cluster made)`, 'create deployment web{k} --image=nginx', 0);
    await round(url, `${tag}: ${LEARNERS} learners, next command`, 'get pods', 1000);
    await new Promise((r) => setTimeout(r, 2000));
    const after = await heap();
    console.log(`${tag}: heap per active learner (sandbox cluster with a Deployment, tutor, records): ${((after - before) / LEARNERS / 1024).toFixed(0)} KiB (${((after - before) / 1024 / 1024).toFixed(1)} MiB for ${LEARNERS})`);
  } finally {
    await bot.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

try {
  await suite(true);
  await suite(false);
} finally {
  fake.close();
}

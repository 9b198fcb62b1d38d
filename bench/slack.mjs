// The Slack bot under load: 100 learners send a /kubectl command at once through Bolt's HTTP
// receiver (signed requests); how soon each is acked, how soon its answer reaches response_url,
// and the heap each active learner costs (their sandbox cluster and tutor). Runs on dist/.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSlackBot } from '../dist/adapters/slack/app.js';
import { percentile } from './lib.mjs';

const LEARNERS = Number(process.env.LEARNERS ?? 100);
const SECRET = 'bench-secret';
const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-slack-'));
const env = { ...process.env, KUBEDOJO_HOME: home, KUBECACHEDIR: path.join(home, 'kubecache'), HOME: home };

// A stand-in for Slack: records when each response_url answer arrives.
const answered = new Map();
const fake = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const m = /^\/respond\/(\d+)/.exec(req.url ?? '');
    if (m) answered.set(Number(m[1]), { at: performance.now(), body });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true }));
  });
});
await new Promise((r) => fake.listen(0, '127.0.0.1', r));
const fakeUrl = `http://127.0.0.1:${fake.address().port}`;

const gc = globalThis.gc ?? (() => undefined);
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const bot = await createSlackBot({ signingSecret: SECRET, botToken: 'xoxb-bench', apiUrl: `${fakeUrl}/api/`, env, quiet: true, limits: { concurrent: 4 } });
const port = await bot.start(0);
const url = `http://127.0.0.1:${port}/slack/events`;

function send(i, text, user) {
  const body = new URLSearchParams({ team_id: 'T1', channel_id: `D${user}`, user_id: `U${user}`, command: '/kubectl', text, response_url: `${fakeUrl}/respond/${i}`, trigger_id: `t${i}` }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const t0 = performance.now();
  return fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig } }).then(async (r) => {
    await r.text();
    return { i, t0, acked: performance.now() - t0, status: r.status };
  });
}

async function round(label, textOf, base) {
  answered.clear();
  const results = await Promise.all(Array.from({ length: LEARNERS }, (_, k) => send(base + k, textOf(k), k)));
  const deadline = Date.now() + 300_000;
  while (answered.size < LEARNERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const acks = results.map((r) => r.acked).sort((a, b) => a - b);
  const finals = results.map((r) => (answered.get(r.i)?.at ?? NaN) - r.t0).sort((a, b) => a - b);
  const bad = results.filter((r) => r.status !== 200).length;
  console.log(`${label.padEnd(46)} ack p50 ${percentile(acks, 50).toFixed(0).padStart(5)} ms  p99 ${percentile(acks, 99).toFixed(0).padStart(5)} ms   final reply p50 ${(percentile(finals, 50) / 1000).toFixed(2)} s  p99 ${(percentile(finals, 99) / 1000).toFixed(2)} s  max ${(finals[finals.length - 1] / 1000).toFixed(2)} s${bad ? `  (${bad} non-200)` : ''}`);
}

try {
  const before = heap();
  // First contact: each learner's sandbox cluster is made on their first command.
  await round(`${LEARNERS} learners, first command (cluster made)`, (k) => `create deployment web${k} --image=nginx`, 0);
  await round(`${LEARNERS} learners, next command`, () => 'get pods', 1000);
  await new Promise((r) => setTimeout(r, 2000));
  const after = heap();
  console.log(`heap per active learner (sandbox cluster with a Deployment, tutor, records): ${((after - before) / LEARNERS / 1024).toFixed(0)} KiB (${((after - before) / 1024 / 1024).toFixed(1)} MiB for ${LEARNERS})`);
} finally {
  await bot.stop();
  fake.close();
  rmSync(home, { recursive: true, force: true });
}

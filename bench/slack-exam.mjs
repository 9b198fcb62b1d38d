// Slack `/kubedojo exam ckad`: how soon the learner hears back (the first message on
// response_url) and how soon the task list arrives (the drill's tasks set up in their cluster),
// the drill being the first command of a bot started afresh, medians over RUNS. Beside them, their
// floors in the same run: `/kubedojo help` (a first word that needs no work) and a fresh learner's
// first `/kubectl get nodes` (their cluster made, one kubectl). Runs on dist/ (npm run build first).
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSlackBot } from '../dist/adapters/slack/app.js';

const RUNS = Number(process.env.RUNS ?? 5);
const TRACK = process.env.TRACK ?? 'ckad';
const SECRET = 'bench-secret';

// A stand-in for Slack: every response_url message, with when it arrived.
const messages = [];
let waiters = [];
const fake = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    messages.push({ url: req.url ?? '', at: performance.now(), body });
    for (const w of waiters.splice(0)) w();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, ts: '1.0', scheduled_message_id: 'Q1' }));
  });
});
await new Promise((r) => fake.listen(0, '127.0.0.1', r));
const fakeUrl = `http://127.0.0.1:${fake.address().port}`;

async function until(match, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = messages.find(match);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error('no answer in time');
    await new Promise((r) => {
      waiters.push(r);
      setTimeout(r, 200);
    });
  }
}

let serial = 0;
async function send(url, command, text, user) {
  const id = `${++serial}`;
  const body = new URLSearchParams({ team_id: 'T1', channel_id: `D${user}`, user_id: user, command, text, response_url: `${fakeUrl}/respond/${id}`, trigger_id: `t${id}` }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const sent = performance.now();
  const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig } });
  await r.text();
  return { id, sent, acked: performance.now() - sent };
}

const mine = (id) => (m) => m.url === `/respond/${id}`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const rows = { help: [], kubectl: [], first: [], ready: [], withRollouts: [] };
try {
  for (let i = 0; i < RUNS; i++) {
    // A bot started afresh each run, the drill its first command: as a new workspace meets it.
    const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-slack-exam-'));
    const env = { ...process.env, KUBEDOJO_HOME: home, KUBECACHEDIR: path.join(home, 'kubecache'), HOME: home };
    const bot = await createSlackBot({ signingSecret: SECRET, botToken: 'xoxb-bench', apiUrl: `${fakeUrl}/api/`, env, quiet: true, warn: () => undefined });
    const port = await bot.start(0);
    const url = `http://127.0.0.1:${port}/slack/events`;
    try {
      const exam = await send(url, '/kubedojo', `exam ${TRACK}`, 'UEXAM');
      const first = await until(mine(exam.id));
      const ready = await until((m) => mine(exam.id)(m) && /exam drill started|Error/.test(m.body));
      if (!/exam drill started/.test(ready.body)) throw new Error(`the drill did not start: ${ready.body.slice(0, 400)}`);
      rows.first.push(first.at - exam.sent);
      rows.ready.push(ready.at - exam.sent);
      const help = await send(url, '/kubedojo', 'help', 'UHELP');
      rows.help.push((await until(mine(help.id))).at - help.sent);
      const nodes = await send(url, '/kubectl', 'get nodes', 'UNODES');
      rows.kubectl.push((await until(mine(nodes.id))).at - nodes.sent);
      // Which tasks a drill gets is drawn at random; one of them waits for three rollouts.
      const rollouts = /Back to the first revision/.test(ready.body);
      if (rollouts) rows.withRollouts.push(rows.ready[i]);
      console.error(`run ${i + 1}: first word ${(rows.first[i] / 1000).toFixed(2)} s, tasks ready ${(rows.ready[i] / 1000).toFixed(2)} s${rollouts ? ' (with the task that waits for rollouts)' : ''}`);
    } finally {
      await bot.stop();
      rmSync(home, { recursive: true, force: true });
    }
  }
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`Slack \`/kubedojo exam ${TRACK}\`: first word back / tasks ready   ${s(median(rows.first))} / ${s(median(rows.ready))}   (median of ${RUNS}, each a fresh bot)`);
  if (rows.withRollouts.length) console.log(`  tasks ready for the ${rows.withRollouts.length} drills with the task that waits for rollouts: ${s(median(rows.withRollouts))}`);
  console.log(`  floor: \`/kubedojo help\` answered in ${s(median(rows.help))}; a fresh learner's \`/kubectl get nodes\` in ${s(median(rows.kubectl))}`);
} finally {
  fake.close();
}

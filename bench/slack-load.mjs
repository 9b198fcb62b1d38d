// The load side of bench/slack.mjs, in a process of its own so that sending 100 requests does not
// share the bot's event loop: sends signed /kubectl commands at once and prints, as JSON, when each
// was sent and how long its ack took.
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const [url, secret, fakeUrl, learners, base, text] = process.argv.slice(2);
const n = Number(learners);

function send(i, user) {
  const body = new URLSearchParams({ team_id: 'T1', channel_id: `D${user}`, user_id: `U${user}`, command: '/kubectl', text: text.replace('{k}', String(user)), response_url: `${fakeUrl}/respond/${i}`, trigger_id: `t${i}` }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  const sentAt = Date.now();
  const t0 = performance.now();
  return fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig } }).then(async (r) => {
    await r.text();
    return { i, sentAt, acked: performance.now() - t0, status: r.status };
  });
}

const results = await Promise.all(Array.from({ length: n }, (_, k) => send(Number(base) + k, k)));
process.stdout.write(JSON.stringify(results));

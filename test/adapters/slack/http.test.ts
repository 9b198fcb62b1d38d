// The bot behind Bolt's real HTTP receiver on loopback, with requests signed as Slack signs them,
// and a local stand-in for Slack's Web API and response_url endpoints recording what it posts.
import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackBot, type SlackBot } from '../../../adapters/slack/app.js';
import { FakeSlack, post, sign, slashBody } from '../../helpers/slack.js';
import { kubectlEnv, removeKubectlCaches } from '../../helpers/kubectl.js';
import { LESSON, removeHome } from './support.js';

const SECRET = 'test-signing-secret';
const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-slack-http-'));
const env = { ...kubectlEnv(), KUBEDOJO_HOME: home };
let slack: FakeSlack;
let bot: SlackBot;
let url: string;
let n = 0;

async function startBot(): Promise<void> {
  bot = await createSlackBot({ signingSecret: SECRET, botToken: 'xoxb-test', apiUrl: slack.apiUrl, env, quiet: true, lessons: [LESSON] });
  const port = await bot.start(0);
  url = `http://127.0.0.1:${port}/slack/events`;
}

beforeAll(async () => {
  slack = new FakeSlack();
  await slack.listen();
  await startBot();
});
afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  removeHome(home);
  removeKubectlCaches();
});

/** Sends a signed slash command; returns the HTTP answer and the id of its response_url. */
async function command(cmd: string, text: string, opts: { user?: string; channel?: string; timestamp?: number; secret?: string } = {}) {
  const id = `r${++n}`;
  const body = slashBody({ command: cmd, text, user_id: opts.user ?? 'U1', channel_id: opts.channel ?? 'D1', response_url: slack.responseUrl(id), trigger_id: `trig-${id}` });
  const headers = sign(opts.secret ?? SECRET, body, opts.timestamp);
  const res = await post(url, body, headers);
  return { res, id, body, headers };
}

const replyText = (c: { body: Record<string, unknown> }) => JSON.stringify(c.body);

describe('the HTTP receiver', () => {
  it('acks a signed slash command at once, then posts the output to response_url', async () => {
    const { res, id } = await command('/kubectl', 'create configmap greeting --from-literal=hello=world');
    expect(res.status).toBe(200);
    const reply = await slack.waitFor(`/respond/${id}`);
    expect(replyText(reply)).toContain('configmap/greeting created');
    expect(reply.body.response_type).toBe('ephemeral');
  });

  it('does nothing for a forged signature: 401, no reply, no cluster touched', async () => {
    const before = slack.calls.length;
    const { res } = await command('/kubectl', 'create configmap forged --from-literal=a=b', { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    const { id } = await command('/kubectl', 'get configmap forged');
    expect(replyText(await slack.waitFor(`/respond/${id}`))).toContain('not found');
    expect(slack.calls.slice(before).filter((c) => c.path.startsWith('/respond/')).length).toBe(1);
  });

  it('does nothing for a stale timestamp (over five minutes old)', async () => {
    const { res } = await command('/kubectl', 'create configmap stale --from-literal=a=b', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    const { id } = await command('/kubectl', 'get configmap stale');
    expect(replyText(await slack.waitFor(`/respond/${id}`))).toContain('not found');
  });

  it('does nothing for a timestamp more than five minutes ahead, answering as for a stale one', async () => {
    const now = Math.floor(Date.now() / 1000);
    const ahead = await command('/kubectl', 'create configmap ahead --from-literal=a=b', { timestamp: now + 6 * 60 });
    const stale = await command('/kubectl', 'create configmap behind --from-literal=a=b', { timestamp: now - 6 * 60 });
    expect({ status: ahead.res.status, body: ahead.res.body }).toEqual({ status: 401, body: '' });
    expect({ status: ahead.res.status, body: ahead.res.body }).toEqual({ status: stale.res.status, body: stale.res.body });
    const { id } = await command('/kubectl', 'get configmap ahead');
    expect(replyText(await slack.waitFor(`/respond/${id}`))).toContain('not found');
    expect(slack.to(`/respond/${ahead.id}`)).toHaveLength(0);
  });

  it('takes a request whose timestamp is ahead by less than five minutes (clocks drift)', async () => {
    const { res, id } = await command('/kubectl', 'get ns default -o name', { timestamp: Math.floor(Date.now() / 1000) + 4 * 60 });
    expect(res.status).toBe(200);
    expect(replyText(await slack.waitFor(`/respond/${id}`))).toContain('namespace/default');
  });

  it('acts once on a replayed request', async () => {
    const { id, body } = await command('/kubectl', 'create configmap once --from-literal=a=b');
    await slack.waitFor(`/respond/${id}`);
    const again = await post(url, body, sign(SECRET, body));
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.to(`/respond/${id}`)).toHaveLength(1);
  });

  it('answers within three seconds even when the command is slow', async () => {
    const { res, id } = await command('/kubectl', 'wait --for=condition=Ready pod/none --timeout=3s');
    expect(res.ms).toBeLessThan(3000);
    expect(replyText(await slack.waitFor(`/respond/${id}`, () => true, 30_000))).toMatch(/not found|timed out/);
  });

  it('runs nothing for an injection attempt through /kubectl', async () => {
    const { id } = await command('/kubectl', "get pods; kubectl delete ns default");
    expect(replyText(await slack.waitFor(`/respond/${id}`))).toMatch(/needs a shell/);
    const check = await command('/kubectl', 'get ns default -o name');
    expect(replyText(await slack.waitFor(`/respond/${check.id}`))).toContain('namespace/default');
  });

  it('schedules exam reminders at 15, 5 and 1 minutes, and cancels them when submitted', async () => {
    const { id } = await command('/kubedojo', 'exam ckad', { user: 'U7' });
    const started = await slack.waitFor(`/respond/${id}`, (c) => /CKAD exam drill started/.test(replyText(c)), 120_000);
    // What is happening comes first, while the tasks are set up; the task list after it.
    const [first, ...rest] = slack.to(`/respond/${id}`);
    expect(first.body).toMatchObject({ text: expect.stringMatching(/^Setting up the 17 tasks of your CKAD exam drill in your cluster\./), response_type: 'ephemeral' });
    expect(rest).toEqual([started]);
    const scheduled = slack.to('/api/chat.scheduleMessage').filter((c) => c.body.channel === 'U7');
    expect(scheduled.map((c) => String(c.body.text).match(/(\d+) minute/)?.[1])).toEqual(['15', '5', '1']);
    const posts = scheduled.map((c) => Number(c.body.post_at));
    expect(posts[1] - posts[0]).toBe(600);
    expect(posts[2] - posts[1]).toBe(240);
    const submit = await command('/kubedojo', 'exam submit', { user: 'U7' });
    const graded = await slack.waitFor(`/respond/${submit.id}`, (c) => /pass mark|66/i.test(replyText(c)), 60_000);
    // The whole report: each task with ✓ or ✗, its checks and its model solution.
    expect((replyText(graded).match(/Model solution:/g) ?? []).length).toBe(17);
    expect(slack.to(`/respond/${submit.id}`).map((c) => String(c.body.text).slice(0, 24))).toEqual(['Grading your 17 tasks…', expect.any(String)]);
    expect(slack.to('/api/chat.deleteScheduledMessage')).toHaveLength(3);
  }, 180_000);

  it('posts a quiz with a button per choice', async () => {
    const { id } = await command('/kubedojo', 'quiz pods', { user: 'U8' });
    const reply = await slack.waitFor(`/respond/${id}`);
    expect(replyText(reply)).toMatch(/Question 1 of 1/);
    expect(replyText(reply)).toMatch(/quiz_(choice|open_answer)/);
  });

  it('acts once on a request replayed to the next bot on the same data dir', async () => {
    const sent = await command('/kubectl', 'create configmap replayed --from-literal=a=b', { user: 'U20' });
    expect(replyText(await slack.waitFor(`/respond/${sent.id}`))).toContain('configmap/replayed created');
    await bot.stop();
    await startBot();
    // The same signed request, byte for byte, inside Slack's five minutes.
    const again = await post(url, sent.body, sent.headers);
    expect(again.status).toBe(200);
    // Had the replay run, its "already exists" would answer before the next command of the same learner.
    const next = await command('/kubectl', 'get configmap replayed -o name', { user: 'U20' });
    expect(replyText(await slack.waitFor(`/respond/${next.id}`))).toContain('configmap/replayed');
    expect(slack.to(`/respond/${sent.id}`)).toHaveLength(1);
    expect(statSync(path.join(home, 'slack-requests.json')).mode & 0o777).toBe(0o600);
  });

  it('keeps clusters and progress across a restart', async () => {
    const s = await command('/kubedojo', 'start slack-drill', { user: 'U9' });
    await slack.waitFor(`/respond/${s.id}`);
    await bot.stop();
    await startBot();
    const got = await command('/kubectl', 'get configmap greeting -o jsonpath={.data.hello}');
    expect(replyText(await slack.waitFor(`/respond/${got.id}`))).toContain('world');
    const check = await command('/kubedojo', 'check', { user: 'U9' });
    expect(replyText(await slack.waitFor(`/respond/${check.id}`))).toMatch(/Step 1 of 2: Make the Deployment/);
  });
});

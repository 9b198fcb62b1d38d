// Socket Mode, with SLACK_APP_TOKEN: the bot opens its connection through the Web API (at
// SLACK_API_URL), takes a slash command from a WebSocket on loopback standing in for Slack's,
// acknowledges its envelope, and answers on response_url.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createSlackBot, type SlackBot } from '../../../adapters/slack/app.js';
import { FakeSlack, socketModeStandIn } from '../../helpers/slack.js';
import { kubectlEnv, removeKubectlCaches } from '../../helpers/kubectl.js';
import { LESSON, removeHome } from './support.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-slack-socket-'));
const env = { ...kubectlEnv(), KUBEDOJO_HOME: home };
let slack: FakeSlack;
let standIn: Awaited<ReturnType<typeof socketModeStandIn>>;
let bot: SlackBot;
let socket: WebSocket;
let received: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  slack = new FakeSlack();
  await slack.listen();
  standIn = await socketModeStandIn(slack);
  received = standIn.received;
  bot = await createSlackBot({ appToken: 'xapp-test', botToken: 'xoxb-test', apiUrl: slack.apiUrl, env, quiet: true, lessons: [LESSON] });
  await bot.start();
  socket = await standIn.connected;
});
afterAll(async () => {
  await bot?.stop();
  await standIn?.close();
  await slack?.close();
  removeHome(home);
  removeKubectlCaches();
});

function slash(envelope: string, text: string) {
  socket.send(
    JSON.stringify({
      envelope_id: envelope,
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { token: 'legacy', team_id: 'T1', team_domain: 'dojo', channel_id: 'D1', channel_name: 'directmessage', user_id: 'U1', user_name: 'learner', command: '/kubectl', text, api_app_id: 'A1', response_url: slack.responseUrl(envelope), trigger_id: `trig-${envelope}` },
    }),
  );
}

async function ackOf(envelope: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const hit = received.find((m) => m.envelope_id === envelope);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no ack for ${envelope}; got ${JSON.stringify(received)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Socket Mode', () => {
  it('opens its connection through the Web API at SLACK_API_URL, with the app token', () => {
    const open = slack.to('/api/apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0].auth).toBe('Bearer xapp-test');
  });

  it('acks a slash command envelope, then answers on response_url with the real kubectl', async () => {
    slash('E1', 'create configmap greeting --from-literal=hello=socket');
    expect(await ackOf('E1')).toMatchObject({ envelope_id: 'E1' });
    const reply = await slack.waitFor('/respond/E1');
    expect(JSON.stringify(reply.body)).toContain('configmap/greeting created');
  });

  it('runs nothing for shell metacharacters, and says why', async () => {
    slash('E2', 'get cm greeting -o name && kubectl delete cm greeting');
    await ackOf('E2');
    expect(JSON.stringify((await slack.waitFor('/respond/E2')).body)).toMatch(/shell/);
    slash('E3', 'get cm greeting -o name');
    await ackOf('E3');
    expect(JSON.stringify((await slack.waitFor('/respond/E3')).body)).toContain('configmap/greeting');
  });
});

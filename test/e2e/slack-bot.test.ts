// `kubedojo slack` as shipped: started as a process from a fresh data dir, it keeps serving, in
// HTTP mode (signed requests over loopback) and in Socket Mode (a WebSocket standing in for
// Slack's), answers the real kubectl's output, and stops cleanly on SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { FakeSlack, post, sign, slashBody, socketModeStandIn } from '../helpers/slack.js';
import { answerOf, command, SIGNING_SECRET, startBot, type BotProcess } from '../helpers/slack-bot.js';
import { removeHome } from '../helpers/serve.js';

let slack: FakeSlack;
beforeAll(async () => {
  slack = new FakeSlack();
  await slack.listen();
});
afterAll(async () => {
  await slack?.close();
});

describe('kubedojo slack in HTTP mode, as shipped', () => {
  let bot: BotProcess;
  beforeAll(async () => {
    bot = await startBot(slack);
  });
  afterAll(async () => {
    await bot?.stop();
    removeHome(bot.home);
  });

  it('stays up after starting, and says where it listens and that kubectl is jailed', async () => {
    expect(bot.child.exitCode).toBeNull();
    expect(bot.output()).toMatch(/listens on http:\/\/0\.0\.0\.0:\d+\/slack\/events/);
    expect(bot.output()).toMatch(/kubectl runs in a jail/);
  });

  it('acks a signed /kubectl at once and answers with the real kubectl\'s output on the learner\'s own cluster', async () => {
    const { id, ack } = await command(bot, slack, '/kubectl', 'get nodes');
    expect(ack.status).toBe(200);
    const answer = await answerOf(slack, id);
    expect(answer).toContain('kubedojo-control-plane');
    expect(answer).toContain('Ready');
  });

  it('refuses a forged request with 401 and keeps serving', async () => {
    const body = slashBody({ command: '/kubectl', text: 'get ns', response_url: slack.responseUrl('forged') });
    const forged = await post(bot.url!, body, sign('not-the-secret', body));
    expect(forged.status).toBe(401);
    const stale = await post(bot.url!, body, sign(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 600));
    expect(stale.status).toBe(401);
    const { id } = await command(bot, slack, '/kubectl', 'get ns default -o name');
    expect(await answerOf(slack, id)).toContain('namespace/default');
    expect(slack.to('/respond/forged')).toHaveLength(0);
  });

  it('stops on SIGTERM with its clusters saved', async () => {
    const { id } = await command(bot, slack, '/kubectl', 'create configmap kept --from-literal=a=b');
    expect(await answerOf(slack, id)).toContain('configmap/kept created');
    expect(await bot.stop()).toBe(0);
    expect(bot.output()).toMatch(/stopped; clusters and progress are saved/);
    const again = await startBot(slack, { home: bot.home });
    bot = again;
    const r = await command(bot, slack, '/kubectl', 'get configmap kept -o jsonpath={.data.a}');
    expect(await answerOf(slack, r.id)).toContain('b');
  });
});

describe('kubedojo slack in Socket Mode, as shipped', () => {
  let bot: BotProcess;
  let standIn: Awaited<ReturnType<typeof socketModeStandIn>>;
  let socket: WebSocket;

  beforeAll(async () => {
    standIn = await socketModeStandIn(slack);
    bot = await startBot(slack, { socketMode: true });
    socket = await standIn.connected;
  });
  afterAll(async () => {
    await bot?.stop();
    await standIn?.close();
    removeHome(bot.home);
  });

  it('connects, stays up, acks a slash command envelope and answers on response_url', async () => {
    socket.send(
      JSON.stringify({
        envelope_id: 'S1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: { token: 'legacy', team_id: 'T1', team_domain: 'dojo', channel_id: 'D1', channel_name: 'directmessage', user_id: 'U9', user_name: 'learner', command: '/kubectl', text: 'get nodes -o name', api_app_id: 'A1', response_url: slack.responseUrl('S1'), trigger_id: 'trig-S1' },
      }),
    );
    const answer = await answerOf(slack, 'S1');
    expect(answer).toContain('node/kubedojo-control-plane');
    expect(standIn.received.find((m) => m.envelope_id === 'S1')).toBeTruthy();
    expect(bot.child.exitCode).toBeNull();
  });
});

// Routing through a receiver: Slack payloads handed to app.processEvent reach the right listener,
// which acks and answers through response_url or the Web API (a local stand-in records both).
import { App, LogLevel, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerListeners } from '../../../adapters/slack/register.js';
import { ExamTimers } from '../../../adapters/slack/exam-timers.js';
import type { Deps } from '../../../adapters/slack/deps.js';
import { FakeSlack } from '../../helpers/slack.js';
import { removeKubectlCaches } from '../../helpers/kubectl.js';
import { removeHome, testDojo, type TestDojo } from './support.js';
import { loadBank } from '../../../src/core/quiz/bank.js';

class TestReceiver implements Receiver {
  app?: App;
  init(app: App): void {
    this.app = app;
  }
  start(): Promise<unknown> {
    return Promise.resolve();
  }
  stop(): Promise<unknown> {
    return Promise.resolve();
  }
  /** Delivers a payload as the HTTP receiver would, resolving with what was acked. */
  async send(body: Record<string, unknown>): Promise<unknown> {
    let acked: unknown = 'not acked';
    const event: ReceiverEvent = { body, ack: async (r?: unknown) => void (acked = r ?? 'acked') };
    await this.app!.processEvent(event);
    return acked;
  }
}

let slack: FakeSlack;
let t: TestDojo;
const receiver = new TestReceiver();
beforeAll(async () => {
  slack = new FakeSlack();
  await slack.listen();
  t = await testDojo();
  const app = new App({ token: 'xoxb-test', receiver, clientOptions: { slackApiUrl: slack.apiUrl }, logLevel: LogLevel.ERROR, tokenVerificationEnabled: false });
  const log = { error: () => undefined, info: () => undefined };
  const deps: Deps = { dojo: t.dojo, exams: new ExamTimers(t.dojo, app.client, log), log };
  registerListeners(app, deps);
});
afterAll(async () => {
  await t?.close();
  removeHome(t.home);
  await slack?.close();
  removeKubectlCaches();
});

const base = { team_id: 'T1', api_app_id: 'A1' };

describe('routing through a receiver', () => {
  it('sends /kubectl to its listener, which acks and answers on response_url', async () => {
    const acked = await receiver.send({ ...base, command: '/kubectl', text: 'get ns kube-system -o name', user_id: 'U1', channel_id: 'D1', response_url: slack.responseUrl('k1'), trigger_id: 'tk1' });
    expect(acked).toBe('acked');
    expect(JSON.stringify((await slack.waitFor('/respond/k1')).body)).toContain('namespace/kube-system');
  });

  it('sends /kubedojo help to its listener', async () => {
    await receiver.send({ ...base, command: '/kubedojo', text: 'help', user_id: 'U1', channel_id: 'D1', response_url: slack.responseUrl('h1'), trigger_id: 'th1' });
    expect(JSON.stringify((await slack.waitFor('/respond/h1')).body)).toMatch(/team start LESSON/);
  });

  it('grades a quiz button press and offers the next question', async () => {
    const item = loadBank().find((i) => i.kind === 'choice' && !Array.isArray(i.answer))! as { id: string; answer: number };
    const right = item.answer;
    const choice = String.fromCharCode(97 + right);
    await receiver.send({
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: 'U2', team_id: 'T1' },
      trigger_id: 'tq1',
      response_url: slack.responseUrl('q1'),
      actions: [{ type: 'button', action_id: `quiz_choice:${right}`, block_id: `quiz:${item.id}`, value: JSON.stringify({ item: item.id, choice }), action_ts: '1' }],
      container: { type: 'message' },
    });
    const reply = JSON.stringify((await slack.waitFor('/respond/q1')).body);
    expect(reply).toMatch(/Correct/);
    expect(reply).toContain('quiz_next');
  });

  it('opens a modal for a typed answer and grades its submission', async () => {
    const item = loadBank().find((i) => i.kind === 'short')!;
    await receiver.send({
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: 'U3', team_id: 'T1' },
      trigger_id: 'tm1',
      response_url: slack.responseUrl('m1'),
      channel: { id: 'C1' },
      actions: [{ type: 'button', action_id: 'quiz_open_answer', block_id: `quiz:${item.id}`, value: JSON.stringify({ item: item.id }), action_ts: '1' }],
    });
    const opened = await slack.waitFor('/api/views.open');
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('quiz_answer');
    await receiver.send({
      type: 'view_submission',
      team: { id: 'T1' },
      user: { id: 'U3', team_id: 'T1' },
      trigger_id: 'tm2',
      view: { id: 'V1', callback_id: 'quiz_answer', private_metadata: view.private_metadata, state: { values: { answer: { value: { type: 'plain_text_input', value: item.answer } } } } },
    });
    const posted = await slack.waitFor('/api/chat.postEphemeral', (c) => c.body.user === 'U3');
    expect(JSON.stringify(posted.body)).toMatch(/Correct/);
  });

  it('says at once that a typed command is being tried, then grades it as the phone meant it', async () => {
    const item = loadBank().find((i) => i.kind === 'command' && i.answer === 'kubectl create deployment web --image=nginx')!;
    await receiver.send({
      type: 'view_submission',
      team: { id: 'T1' },
      user: { id: 'U5', team_id: 'T1' },
      trigger_id: 'tc1',
      view: { id: 'V2', callback_id: 'quiz_answer', private_metadata: JSON.stringify({ item: item.id, channel: 'C1' }), state: { values: { answer: { value: { type: 'plain_text_input', value: 'kubectl create deployment web —image=nginx' } } } } },
    });
    const verdict = await slack.waitFor('/api/chat.postEphemeral', (c) => c.body.user === 'U5' && /Correct|Not quite|Close/.test(JSON.stringify(c.body)));
    const posted = slack.to('/api/chat.postEphemeral').filter((c) => c.body.user === 'U5');
    expect(posted[0].body.text).toBe('Trying your answer on a scratch cluster…');
    expect(posted.slice(1)).toEqual([verdict]);
    expect(JSON.stringify(verdict.body)).toMatch(/Correct[\s\S]*I read it as `--image`/);
  });

  it('publishes the App Home tab with progress and what is next', async () => {
    await receiver.send({ ...base, type: 'event_callback', event_id: 'Ev1', event: { type: 'app_home_opened', user: 'U4', tab: 'home', channel: 'D4' } });
    const published = await slack.waitFor('/api/views.publish', (c) => c.body.user_id === 'U4');
    expect(JSON.stringify(published.body)).toMatch(/Lessons:\*? 0 of 1 done[\s\S]*slack-drill/);
  });
});

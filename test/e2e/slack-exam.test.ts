// `/kubedojo exam ckad` on `kubedojo slack` as shipped, started as a process from a fresh data dir
// and sent signed requests: the learner hears at once that the drill is being set up and what to
// do meanwhile, the task list follows on response_url when the tasks are ready, and the drill's
// clock starts then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, type Recorded } from '../helpers/slack.js';
import { answerOf, command, startBot, type BotProcess } from '../helpers/slack-bot.js';
import { removeHome } from '../helpers/serve.js';
import { loadExamBank } from '../../src/core/quiz/exam-bank.js';

let slack: FakeSlack;
let bot: BotProcess;
beforeAll(async () => {
  slack = new FakeSlack();
  await slack.listen();
  bot = await startBot(slack);
});
afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  if (bot) removeHome(bot.home);
});

const text = (c: Recorded) => JSON.stringify(c.body);

describe('/kubedojo exam ckad on kubedojo slack', () => {
  it('says at once that the drill is being set up and what to do meanwhile, then posts the task list; the clock starts with it', async () => {
    const learner = { user_id: 'UEXAM1' };
    const { id, ack } = await command(bot, slack, '/kubedojo', 'exam ckad', learner);
    expect(ack.status).toBe(200);
    const first = await slack.waitFor(`/respond/${id}`);
    expect(first.body.text).toMatch(/^Setting up the 17 tasks of your CKAD exam drill in your cluster\. The task list follows here when they are ready/);
    expect(first.body.text).toMatch(/clock starts then, not before\. Meanwhile `\/kubectl` works on your cluster/);

    const started = await slack.waitFor(`/respond/${id}`, (c) => /CKAD exam drill started/.test(text(c)), 120_000);
    const list = text(started);
    for (let n = 1; n <= 17; n++) expect(list).toContain(`*${n}. `);
    expect(list).toMatch(/ns `exam-ckad-/);

    const status = await command(bot, slack, '/kubedojo', 'exam status', learner);
    const minutes = loadExamBank('ckad').minutes;
    expect(await answerOf(slack, status.id)).toMatch(new RegExp(`Exam in progress\\* — ${minutes} minutes left`));
  }, 180_000);

  it('while the tasks are set up: exam status says so, a second drill is refused and /kubectl works', async () => {
    const learner = { user_id: 'UEXAM2' };
    const exam = await command(bot, slack, '/kubedojo', 'exam ckad', learner);
    const status = await command(bot, slack, '/kubedojo', 'exam status', learner);
    expect(await answerOf(slack, status.id)).toMatch(/Your CKAD exam drill is still being set up\* — 17 tasks/);
    const again = await command(bot, slack, '/kubedojo', 'exam ckad', learner);
    expect(await answerOf(slack, again.id)).toMatch(/your CKAD exam drill is still being set up/);
    const nodes = await command(bot, slack, '/kubectl', 'get nodes -o name', learner);
    expect(await answerOf(slack, nodes.id)).toContain('node/kubedojo-control-plane');
    await slack.waitFor(`/respond/${exam.id}`, (c) => /CKAD exam drill started/.test(text(c)), 120_000);
    // One drill: the second request started nothing.
    expect(slack.to(`/respond/${again.id}`)).toHaveLength(1);
    expect(slack.calls.filter((c) => /CKAD exam drill started/.test(text(c)) && c.path.startsWith('/respond/'))).toHaveLength(2);
  }, 180_000);
});

// Durable before acknowledged: kubedojo is killed with SIGKILL at random moments while the real
// kubectl writes (to `kubedojo serve`, and through the Slack bot to learners' sandboxes), started
// again on the same data dir, and every write that had been answered as done is still there.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeHome, startServe, type ServeProcess } from '../helpers/serve.js';
import { Kubectl, removeKubectlCaches } from '../helpers/kubectl.js';
import { FakeSlack } from '../helpers/slack.js';
import { startBot, type BotProcess } from '../helpers/slack-bot.js';

const ROUNDS = 20;
const homes: string[] = [];
const running: Array<{ stop(signal?: NodeJS.Signals): Promise<number | null> }> = [];
afterAll(async () => {
  for (const r of running) await r.stop('SIGKILL');
  homes.forEach(removeHome);
  removeKubectlCaches();
});

/** A seeded generator, so that a failing run's kill moments can be told apart and replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kubedojo serve killed with SIGKILL while kubectl writes', () => {
  it(`keeps every create and delete kubectl was told had happened, over ${ROUNDS} kills at random moments`, async () => {
    const seed = Number(process.env.KILL_SEED ?? Date.now() % 1_000_000);
    const rand = random(seed);
    const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-kill-'));
    homes.push(home);
    const present = new Set<string>();
    const absent = new Set<string>();
    let acknowledged = 0;

    for (let round = 0; round <= ROUNDS; round++) {
      const s: ServeProcess = await startServe([], home);
      running.push(s);
      const k = new Kubectl(s.kubeconfig);
      const names = new Set((await k.ok(['get', 'configmaps', '-o', 'name'])).split('\n').filter(Boolean).map((l) => l.replace(/^configmap\//, '')));
      const why = `after kill ${round} (seed ${seed}, KILL_SEED=${seed} replays it)`;
      expect([...present].filter((n) => !names.has(n)), `acknowledged creates missing ${why}`).toEqual([]);
      expect([...absent].filter((n) => names.has(n)), `acknowledged deletes undone ${why}`).toEqual([]);
      if (round === ROUNDS) {
        await s.stop();
        break;
      }

      // Three writers at once; each create is followed now and then by a delete of an earlier one.
      let killed = false;
      let firstAck!: () => void;
      const acked = new Promise<void>((r) => (firstAck = r));
      const writer = async (w: number) => {
        const mine: string[] = [];
        for (let i = 0; !killed; i++) {
          if (i % 4 === 3 && mine.length) {
            const victim = mine.splice(Math.floor(rand() * mine.length), 1)[0];
            present.delete(victim);
            const r = await k.run(['delete', 'configmap', victim, '--wait=false']);
            if (r.code === 0) absent.add(victim);
            continue;
          }
          const name = `w${w}-r${round}-${i}`;
          const r = await k.run(['create', 'configmap', name, `--from-literal=round=${round}`]);
          if (r.code === 0) {
            present.add(name);
            mine.push(name);
            acknowledged++;
            firstAck();
          }
        }
      };
      const writers = [0, 1, 2].map(writer);
      await acked;
      await sleep(rand() * 400);
      killed = true;
      s.child.kill('SIGKILL');
      await s.stop();
      await Promise.all(writers);
    }
    expect(acknowledged).toBeGreaterThanOrEqual(ROUNDS);
    console.info(`kill -9 of serve: ${acknowledged} acknowledged creates over ${ROUNDS} kills (seed ${seed}), none lost`);
  }, 600_000);
});

describe('the Slack bot killed with SIGKILL while learners run /kubectl', () => {
  it(`keeps every ConfigMap whose creation was answered on response_url, over ${ROUNDS} kills`, async () => {
    const seed = Number(process.env.KILL_SEED ?? Date.now() % 1_000_000);
    const rand = random(seed);
    const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-kill-slack-'));
    homes.push(home);
    const slack = new FakeSlack();
    await slack.listen();
    const learners = ['UANN', 'UBOB'];
    const acknowledged = new Map<string, string[]>(learners.map((l) => [l, []]));

    /** The reply to a command, or undefined once the bot is gone without answering. */
    const replyTo = async (id: string, gone: () => boolean): Promise<string | undefined> => {
      for (;;) {
        const hit = slack.to(`/respond/${id}`)[0];
        if (hit) return JSON.stringify(hit.body);
        if (gone()) return undefined;
        await sleep(20);
      }
    };

    try {
      for (let round = 0; round <= ROUNDS; round++) {
        const bot: BotProcess = await startBot(slack, { home });
        running.push(bot);
        const why = `after kill ${round} (seed ${seed}, KILL_SEED=${seed} replays it)`;
        // What was acknowledged before the kill is checked while this round's writes begin.
        const checked = Promise.all(
          learners.map(async (user) => {
            const names = [...acknowledged.get(user)!];
            if (!names.length) return;
            const text = await replyTo(await bot.send('/kubectl', `get configmap ${names.join(' ')} -o name`, { user }), () => false);
            expect(names.filter((n) => !text!.includes(`configmap/${n}`)), `${user}'s acknowledged ConfigMaps missing ${why}: ${text}`).toEqual([]);
          }),
        );
        if (round === ROUNDS) {
          await checked;
          await bot.stop();
          break;
        }

        let killed = false;
        let firstAck!: () => void;
        const acked = new Promise<void>((r) => (firstAck = r));
        const learner = async (user: string) => {
          // Within a learner's burst allowance (ten at once, the check above included).
          for (let i = 0; i < 8 && !killed; i++) {
            const name = `${user.toLowerCase()}-r${round}-${i}`;
            const id = await bot.send('/kubectl', `create configmap ${name} --from-literal=round=${round}`, { user }).catch(() => undefined);
            if (!id) return;
            const text = await replyTo(id, () => killed);
            if (text?.includes(`configmap/${name} created`)) {
              acknowledged.get(user)!.push(name);
              firstAck();
            }
          }
        };
        const sending = learners.map(learner);
        await Promise.all([checked, Promise.race([acked, Promise.all(sending)])]);
        await sleep(rand() * 500);
        killed = true;
        bot.child.kill('SIGKILL');
        await bot.stop();
        await Promise.all(sending);
      }
    } finally {
      await slack.close();
    }
    const total = [...acknowledged.values()].reduce((n, l) => n + l.length, 0);
    expect(total).toBeGreaterThanOrEqual(ROUNDS);
    console.info(`kill -9 of the Slack bot: ${total} acknowledged creates over ${ROUNDS} kills (seed ${seed}), none lost`);
  }, 900_000);
});

// Attacks on the Slack door through the real bot process, as a hostile learner would send them:
// every one is answered (refused or harmless), and afterwards nothing leaked, ran or was written,
// no other learner's cluster was reached, and the bot still serves everyone.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, post, sign } from '../helpers/slack.js';
import { answerOf, BOT_TOKEN, command, SIGNING_SECRET, startBot, type BotProcess } from '../helpers/slack-bot.js';
import { removeHome } from '../helpers/serve.js';
import { loadBank } from '../../src/core/quiz/bank.js';

const SECRET = `host-sentinel-${process.pid}-${Date.now()}`;
const ENV_SECRET = `env-sentinel-${process.pid}`;
const ATTACKER = { user_id: 'UATTACK' };
const VICTIM = { user_id: 'UVICTIM' };

let slack: FakeSlack;
let bot: BotProcess;
let outside: string;
let sentinel: string;
/** Everything the bot answered the attacker, to look for leaks in. */
const answers: string[] = [];

beforeAll(async () => {
  slack = new FakeSlack();
  await slack.listen();
  outside = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-attack-'));
  sentinel = path.join(outside, 'secret.txt');
  writeFileSync(sentinel, SECRET);
  bot = await startBot(slack, { env: { KUBEDOJO_ATTACK_SENTINEL: ENV_SECRET } });
  const r = await command(bot, slack, '/kubectl', 'create configmap private --from-literal=note=only-the-victims', VICTIM);
  expect(await answerOf(slack, r.id)).toContain('configmap/private created');
});

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  removeHome(bot.home);
  rmSync(outside, { recursive: true, force: true });
});

let attackers = 0;

/**
 * Sends one command. Each attack comes from a learner of its own, so that none is turned away by
 * the per-learner rate limit instead of meeting the policy and the jail.
 */
async function attack(text: string, who: { user_id: string } = { user_id: `${ATTACKER.user_id}${++attackers}` }): Promise<string> {
  const { id, ack } = await command(bot, slack, '/kubectl', text, who);
  expect(ack.status).toBe(200);
  const answer = await answerOf(slack, id);
  expect(answer).not.toMatch(/commands in the last minute/);
  if (who !== VICTIM) answers.push(answer);
  return answer;
}

function expectNoLeak(answer: string) {
  for (const secret of [SECRET, ENV_SECRET, SIGNING_SECRET, BOT_TOKEN, 'only-the-victims']) expect(answer).not.toContain(secret);
}

/** The victim's kubeconfig, where the bot's API server keeps it (an attacker might guess the path). */
function victimKubeconfig(): string {
  for (const dir of readdirSync(bot.tmp).filter((d) => d.startsWith('kubedojo-host-'))) {
    const f = path.join(bot.tmp, dir, 'slack-t1-uvictim.kubeconfig');
    if (existsSync(f)) return f;
  }
  throw new Error('the victim\'s kubeconfig was not found');
}

describe('a hostile learner on the Slack bot', () => {
  it('reads no host file: not into a ConfigMap, a template, a Secret or a manifest', async () => {
    for (const text of [
      `create configmap a --from-file=${sentinel}`,
      `create configmap a --from_file=x=${sentinel}`,
      `create configmap a --from-env-file=${sentinel}`,
      `create secret tls t --cert=${sentinel} --key=${sentinel}`,
      `get pods -o go-template-file=${sentinel}`,
      `get pods -ojsonpath-file=${sentinel}`,
      `get pods --template=${sentinel} -o go-template-file`,
      `apply -f ${sentinel}`,
      `apply -f ${outside}`,
      `-n get config view --raw`,
      `-n get kustomize ${outside}`,
    ]) expectNoLeak(await attack(text));
    const mine = await attack('get configmaps -A -o yaml');
    expectNoLeak(mine);
  });

  it('sees none of the bot\'s environment: no Slack secrets, nothing of /proc', async () => {
    for (const text of [
      'create configmap e --from-env-file=/proc/self/environ',
      `create configmap e --from-file=/proc/${bot.child.pid}/environ`,
      'get pods -o go-template-file=/proc/self/environ',
      'create configmap e --from-file=/proc/1/environ',
    ]) expectNoLeak(await attack(text));
  });

  it('runs no program on the host: not through exec credentials, plugins or a shell', async () => {
    const marker = path.join(outside, 'ran');
    for (const text of [
      `config set-credentials x --exec-command=/bin/touch --exec-arg=${marker}`,
      `-n get config set-credentials x --exec-command=/bin/touch --exec-arg=${marker}`,
      'plugin list',
      `get pods; touch ${marker}`,
      `get pods && touch ${marker}`,
      `get pods $(touch ${marker})`,
      `get pods \`touch ${marker}\``,
      `get pods &gt; ${marker}`,
      `get pods | tee ${marker}`,
    ]) await attack(text);
    expect(existsSync(marker)).toBe(false);
  });

  it('writes no host file: profiles, logs, caches, dumps and copies go nowhere', async () => {
    const target = path.join(outside, 'written');
    for (const text of [
      `get pods --profile=heap --profile-output=${target}`,
      `get pods --profile_output=${target} --profile=cpu`,
      `get pods --log-file=${target} --logtostderr=false`,
      `get pods --cache-dir=${outside}/cache`,
      `get pods --cache_dir=${outside}/cache`,
      `cluster-info dump --output-directory=${outside}/dump`,
      `cluster-info dump --output_directory=${outside}/dump`,
      `cp kube-system/etcd-kubedojo-control-plane:/etc/hostname ${target}`,
      `-n get cp kube-system/x:/etc/hostname ${target}`,
    ]) await attack(text);
    expect(readdirSync(outside).sort()).toEqual(['secret.txt']);
  });

  it('reaches no other learner\'s cluster: not with their kubeconfig, their token or another server', async () => {
    const theirs = victimKubeconfig();
    for (const text of [
      `--kubeconfig=${theirs} get configmap private -o yaml`,
      `get configmap private -o yaml --kubeconfig ${theirs}`,
      `-n default --kubeconfig=${theirs} get cm private -o yaml`,
      `get --raw /clusters/slack-t1-uvictim/api/v1/namespaces/default/configmaps/private`,
      `get configmap private -o yaml -s https://127.0.0.1:1`,
    ]) expectNoLeak(await attack(text));
    // The victim still has it, untouched.
    expect(await attack('get configmap private -o jsonpath={.data.note}', VICTIM)).toContain('only-the-victims');
  });

  it('gets no way around the policy through a quiz answer', async () => {
    const item = loadBank().find((i) => i.kind === 'command')!;
    const marker = path.join(outside, 'quiz-ran');
    for (const [n, answer] of [
      `kubectl --kubeconfig=${victimKubeconfig()} get configmap private -o yaml`,
      `kubectl create configmap q --from-file=${sentinel}`,
      `kubectl config set-credentials x --exec-command=/bin/touch --exec-arg=${marker}`,
    ].entries()) {
      const payload = JSON.stringify({
        type: 'view_submission',
        team: { id: 'T1' },
        user: { id: `UQUIZ${n}`, team_id: 'T1' },
        api_app_id: 'A1',
        trigger_id: `quiz-attack-${n}`,
        view: { id: `V${n}`, type: 'modal', callback_id: 'quiz_answer', private_metadata: JSON.stringify({ item: item.id, channel: `CQUIZ${n}` }), state: { values: { answer: { value: { type: 'plain_text_input', value: answer } } } }, hash: `h${n}` },
      });
      const body = new URLSearchParams({ payload }).toString();
      const ack = await post(bot.url!, body, sign(SIGNING_SECRET, body));
      expect(ack.status).toBe(200);
      const reply = await slack.waitFor('/api/chat.postEphemeral', (c) => c.body.channel === `CQUIZ${n}` && !/Trying your answer/.test(JSON.stringify(c.body)));
      const text = JSON.stringify(reply.body);
      expectNoLeak(text);
      expect(text).toMatch(/cannot run here|not allowed|refused|wrong|Not quite/i);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('cannot pollute the API server\'s prototypes, which every learner shares', async () => {
    await attack('create configmap target --from-literal=a=b');
    for (const text of [
      `patch configmap target --type=json -p '[{"op":"add","path":"/__proto__/pwnedfield","value":"PWNED"}]'`,
      `patch configmap target --type=json -p '[{"op":"add","path":"/metadata/__proto__/pwnedfield","value":"PWNED"}]'`,
      `patch configmap target --type=merge -p '{"__proto__":{"pwnedfield":"PWNED"},"data":{"constructor":{"prototype":{"pwnedfield":"PWNED"}}}}'`,
      `patch configmap target -p '{"metadata":{"__proto__":{"pwnedfield":"PWNED"}}}'`,
    ]) await attack(text);
    // Had a prototype been polluted, the API server would take the name for a known field: another
    // learner's manifest with that unknown field would be stored instead of refused.
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\npwnedfield: x\n';
    const victim = await attack(`apply -f -\n${manifest}`, VICTIM);
    expect(victim).toContain('unknown field');
    expect(victim).not.toContain('PWNED');
    for (const name of ['constructor', 'toString', '__proto__']) {
      const own = await attack(`apply -f -\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd\ndata: {}\n${name}: x\n`, VICTIM);
      expect(own).toContain('unknown field');
    }
  });

  it('cannot hold everyone\'s kubectl slots with commands that wait for ever', async () => {
    const slow = [
      command(bot, slack, '/kubectl', 'wait --for=delete namespace/default --timeout=100h', { user_id: 'UEVIL1' }),
      command(bot, slack, '/kubectl', 'wait --for=delete namespace/kube-system --timeout=100h', { user_id: 'UEVIL2' }),
      command(bot, slack, '/kubectl', 'wait --for=delete namespace/kube-public --timeout=100h', { user_id: 'UEVIL3' }),
    ];
    const sent = await Promise.all(slow);
    const quick = await command(bot, slack, '/kubectl', 'get namespace default -o name', VICTIM);
    expect(await answerOf(slack, quick.id)).toContain('namespace/default');
    // The victim was answered while every slow command was still waiting.
    for (const s of sent) expect(slack.to(`/respond/${s.id}`)).toHaveLength(0);
  });

  it('still serves everyone afterwards, and leaked nothing in any answer', async () => {
    expect(bot.child.exitCode).toBeNull();
    expect(await attack('get configmap private -o jsonpath={.data.note}', VICTIM)).toContain('only-the-victims');
    expect(answers.length).toBeGreaterThan(30);
    for (const a of answers) expectNoLeak(a);
  });
});

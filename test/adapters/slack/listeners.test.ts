// The Slack listeners called directly, as Bolt would call them: ack first, then the answer, with
// everything behind them real (sandbox clusters, the real kubectl, the progress file).
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlListener } from '../../../adapters/slack/commands/kubectl.js';
import { kubedojoListener } from '../../../adapters/slack/commands/kubedojo.js';
import type { Deps } from '../../../adapters/slack/deps.js';
import { ExamTimers } from '../../../adapters/slack/exam-timers.js';
import { removeKubectlCaches } from '../../helpers/kubectl.js';
import { removeHome, testDojo, type TestDojo } from './support.js';

let t: TestDojo;
let deps: Deps;
const errors: unknown[] = [];
beforeAll(async () => {
  t = await testDojo({ commandsPerMinute: 1000, clusterCommandsPerMinute: 1000 });
  deps = { dojo: t.dojo, exams: new ExamTimers(t.dojo, undefined as never, { error: (...a) => errors.push(a) }), log: { error: (...a) => errors.push(a), info: () => undefined } };
});
afterAll(async () => {
  await t?.close();
  removeHome(t.home);
  removeKubectlCaches();
});

interface Call {
  order: string[];
  replies: Array<{ text: string; blocks?: Array<{ text?: { text: string }; elements?: Array<{ text: string }> }>; response_type?: string }>;
}

async function slash(listener: ReturnType<typeof kubectlListener>, text: string, user = 'U1', channel = 'D1'): Promise<Call & { all: string }> {
  const call: Call = { order: [], replies: [] };
  await listener({
    command: { text, user_id: user, team_id: 'T1', channel_id: channel, command: '/x', response_url: 'http://unused', trigger_id: 't' } as never,
    ack: (async () => void call.order.push('ack')) as never,
    respond: (async (m: Call['replies'][number]) => {
      call.order.push('respond');
      call.replies.push(m);
    }) as never,
  });
  const all = call.replies.map((r) => [r.text, ...(r.blocks ?? []).map((b) => b.text?.text ?? (b.elements ?? []).map((e) => e.text).join(' '))].join('\n')).join('\n');
  return { ...call, all };
}

const kubectl = () => kubectlListener(deps);
const kubedojo = () => kubedojoListener(deps);

describe('/kubectl, called directly', () => {
  it('acks first, then replies with the real kubectl\'s output in a code block, ephemeral', async () => {
    const r = await slash(kubectl(), 'create configmap hello --from-literal=a=b');
    expect(r.order).toEqual(['ack', 'respond']);
    expect(r.replies[0].response_type).toBe('ephemeral');
    expect(r.all).toContain('```configmap/hello created```');
    const got = await slash(kubectl(), 'get configmap hello -o jsonpath={.data.a}');
    expect(got.all).toContain('```b```');
  });

  it('keeps each learner to their own cluster', async () => {
    const other = await slash(kubectl(), 'get configmap hello', 'U2');
    expect(other.all).toContain('configmaps \\"hello\\" not found'.replace(/\\/g, ''));
  });

  it('runs nothing for shell metacharacters and injection attempts, and says why', async () => {
    const sentinel = path.join(os.tmpdir(), `kubedojo-pwned-${process.pid}`);
    for (const text of [`get pods; touch ${sentinel}`, `get pods | touch ${sentinel}`, `get pods $(touch ${sentinel})`, `get pods \`touch ${sentinel}\``, `get pods && touch ${sentinel}`, `get pods > ${sentinel}`, `--kubeconfig=/etc/kubernetes/admin.conf get pods`, 'apply -f /etc/passwd', 'exec -it web -- sh', `plugin list`]) {
      const r = await slash(kubectl(), text);
      expect(r.order, text).toEqual(['ack', 'respond']);
      expect(r.all, text).toMatch(/:warning:/);
    }
    expect(existsSync(sentinel)).toBe(false);
  });

  it('explains commands that need a terminal', async () => {
    expect((await slash(kubectl(), 'edit deploy web')).all).toMatch(/opens an editor/);
    expect((await slash(kubectl(), 'port-forward svc/web 8080:80')).all).toMatch(/get --raw/);
  });

  it('says so when a command passes the current step', async () => {
    await slash(kubedojo(), 'start slack-drill', 'U3');
    const r = await slash(kubectl(), 'create deployment web --image=nginx -n dojo-slack', 'U3');
    expect(r.all).toMatch(/Step 1 of 2 passed: Make the Deployment/);
    expect(r.all).toMatch(/Next:\* Expose it/);
  });
});

describe('limits', () => {
  it('refuses a learner over their commands per minute, and tells them how long to wait', async () => {
    const small = await testDojo({ commandsPerMinute: 2 });
    try {
      const d: Deps = { ...deps, dojo: small.dojo };
      await slash(kubectlListener(d), 'get ns');
      await slash(kubectlListener(d), 'get ns');
      const third = await slash(kubectlListener(d), 'get ns');
      expect(third.all).toMatch(/you have sent 2 commands in the last minute[\s\S]*Wait \d+ s/);
      expect((await slash(kubectlListener(d), 'get ns', 'U9')).all).toContain('kube-system');
    } finally {
      await small.close();
      removeHome(small.home);
    }
  });

  it('refuses oversized requests and too many replicas, as a quota would', async () => {
    const big = await slash(kubectl(), `apply -f -\n${'# x\n'.repeat(5000)}`);
    expect(big.all).toMatch(/the limit here is 16384/);
    const many = await slash(kubectl(), 'create deployment huge --image=nginx --replicas=500');
    expect(many.all).toMatch(/exceeded sandbox limit: requested replicas=500, limited: replicas=20/);
  });
});

describe('/kubedojo, called directly', () => {
  it('lists lessons, starts one, checks it, gives hints and the solution', async () => {
    expect((await slash(kubedojo(), 'lessons', 'U4')).all).toMatch(/slack-drill/);
    expect((await slash(kubedojo(), 'start slack-drill', 'U4')).all).toMatch(/Step 1 of 2: Make the Deployment/);
    expect((await slash(kubedojo(), 'check', 'U4')).all).toMatch(/not yet[\s\S]*There is no Deployment named web in namespace dojo-slack yet/);
    expect((await slash(kubedojo(), 'hint', 'U4')).all).toMatch(/Hint 1 of 2/);
    expect((await slash(kubedojo(), 'hint', 'U4')).all).toMatch(/Hint 2 of 2/);
    expect((await slash(kubedojo(), 'solution', 'U4')).all).toContain('kubectl create deployment web --image=nginx -n dojo-slack');
    await slash(kubectl(), 'create deployment web --image=nginx -n dojo-slack', 'U4');
    expect((await slash(kubedojo(), 'progress', 'U4')).all).toMatch(/Lessons: 0 of 1 done/);
  });

  it('answers an unknown subcommand with what to try', async () => {
    expect((await slash(kubedojo(), 'dance')).all).toMatch(/"dance" is not a kubedojo command[\s\S]*help/);
  });

  it('runs a team exercise on the channel\'s cluster and credits who did what', async () => {
    const start = await slash(kubedojo(), 'team start slack-drill', 'U5', 'C9');
    expect(start.order).toEqual(['ack', 'respond', 'respond']);
    expect(start.replies[0]).toMatchObject({ text: 'Making a cluster for this channel and setting up *Ship a web server*…', response_type: 'ephemeral' });
    expect(start.replies[1].response_type).toBe('in_channel');
    const a = await slash(kubectl(), 'create deployment web --image=nginx -n dojo-slack', 'U5', 'C9');
    expect(a.all).toMatch(/<@U5> made 1 check pass/);
    const b = await slash(kubectl(), 'expose deployment web --port 80 -n dojo-slack', 'U6', 'C9');
    expect(b.all).toMatch(/<@U6> made 2 checks pass/);
    // The same command in a direct message goes to U6's own cluster, which has no such deployment.
    expect((await slash(kubectl(), 'get deploy web -n dojo-slack', 'U6', 'D6')).all).toMatch(/not found/);
    const status = await slash(kubedojo(), 'team status', 'U5', 'C9');
    expect(status.all).toMatch(/3 of 3 checks passed[\s\S]*<@U6> 2 checks · 1 commands[\s\S]*<@U5> 1 checks · 1 commands/);
    const end = await slash(kubedojo(), 'team end', 'U5', 'C9');
    expect(end.all).toMatch(/ended: 3 of 3 checks passed[\s\S]*1\. <@U6>/);
    expect((await slash(kubedojo(), 'team status', 'U5', 'C9')).all).toMatch(/no team exercise is running/);
  });
});

describe('Slack\'s text, read as the learner typed it', () => {
  it('unescapes & < > before the words are split, so a redirect inside a quoted shell command works', async () => {
    await slash(kubectl(), 'run shell --image=busybox --restart=Never -- sleep 3600', 'U10');
    expect((await slash(kubectl(), 'wait --for=condition=Ready pod/shell --timeout=60s', 'U10')).all).toMatch(/condition met/);
    const r = await slash(kubectl(), "exec shell -- sh -c 'echo hi &gt; /tmp/m &amp;&amp; cat /tmp/m'", 'U10');
    expect(r.all).toContain('```hi```');
    // The command is echoed as it ran, escaped again for Slack.
    expect(r.all).toContain("`kubectl exec shell -- sh -c 'echo hi &gt; /tmp/m &amp;&amp; cat /tmp/m'`");
  });

  it('shows kubectl\'s output with & < > escaped, so Slack shows them as they are', async () => {
    await slash(kubectl(), "create configmap tricky --from-literal=html='&lt;b&gt;&amp;'", 'U10');
    expect((await slash(kubectl(), 'get configmap tricky -o jsonpath={.data.html}', 'U10')).all).toContain('```&lt;b&gt;&amp;```');
  });

  it('reads a word Slack made a link back as the text that was typed', async () => {
    await slash(kubectl(), 'create service externalname ext --external-name <http://nginx.default.svc|nginx.default.svc>', 'U10');
    expect((await slash(kubectl(), 'get service ext -o jsonpath={.spec.externalName}', 'U10')).all).toContain('```nginx.default.svc```');
  });

  it('reads a phone\'s long dash and curly quotes as kubectl means them, and says so in one line', async () => {
    const r = await slash(kubectl(), 'create configmap greeting —from-literal=text=“hello world”', 'U10');
    expect(r.all).toContain('configmap/greeting created');
    expect(r.all).toContain('Your keyboard changed `--` to `—`; I read it as `--from-literal`. Your keyboard curled the quotes (`“` `”`); I read them as straight ones.');
    const got = await slash(kubectl(), 'get configmap greeting -o jsonpath={.data.text}', 'U10');
    expect(got.all).toContain('```hello world```');
    expect(got.all).not.toMatch(/Your keyboard/);
  });

  it('says what it read differently even when the command then fails', async () => {
    const r = await slash(kubectl(), 'get pods —watch', 'U10');
    expect(r.all).toMatch(/:warning:/);
    expect(r.all).toContain('I read it as `--watch`');
  });

  it('reads /kubedojo words the same way', async () => {
    const r = await slash(kubedojo(), 'start “slack-drill”', 'U10');
    expect(r.all).toMatch(/Step 1 of 2: Make the Deployment/);
    expect(r.all).toContain('Your keyboard curled the quotes');
  });
});

describe('lesson files', () => {
  it('are listed, and one is shown as a code block', async () => {
    await slash(kubedojo(), 'start slack-drill', 'U11');
    const list = await slash(kubedojo(), 'files', 'U11');
    expect(list.all).toMatch(/Files of Ship a web server[\s\S]*`web-service.yaml` \(9 lines\)/);
    const shown = await slash(kubedojo(), 'file web-service.yaml', 'U11');
    expect(shown.all).toContain('```apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n');
    expect(shown.all).toContain('`/kubectl apply -f web-service.yaml` applies it');
    expect((await slash(kubedojo(), 'file ./web-service.yaml', 'U11')).all).toContain('```apiVersion: v1');
  });

  it('are named where a step refers to one', async () => {
    await slash(kubedojo(), 'start slack-drill', 'U12');
    const note = '`web-service.yaml` is this lesson\'s file: `/kubedojo file web-service.yaml` shows it, `/kubectl apply -f web-service.yaml` applies it.';
    const r = await slash(kubectl(), 'create deployment web --image=nginx -n dojo-slack', 'U12');
    expect(r.all).toMatch(/Step 1 of 2 passed/);
    expect(r.all).toContain(note);
    expect((await slash(kubedojo(), 'check', 'U12')).all).toContain(note);
  });

  it('are applied by name with -f, and no other file is read', async () => {
    await slash(kubedojo(), 'start slack-drill', 'U14');
    const applied = await slash(kubectl(), 'apply -n dojo-slack -f web-service.yaml', 'U14');
    expect(applied.all).toContain('service/web created');
    const other = await slash(kubectl(), 'apply -f /etc/passwd', 'U14');
    expect(other.all).toMatch(/one of this lesson's files: web-service.yaml/);
  });

  it('that do not exist are answered with the ones that do', async () => {
    await slash(kubedojo(), 'start slack-drill', 'U11');
    expect((await slash(kubedojo(), 'file pod.yaml', 'U11')).all).toMatch(/Ship a web server has no file "pod.yaml"[\s\S]*Its files: `web-service.yaml`/);
    expect((await slash(kubedojo(), 'file', 'U11')).all).toMatch(/which file\?[\s\S]*`web-service.yaml`/);
    expect((await slash(kubedojo(), 'files', 'U13')).all).toMatch(/no lesson is started[\s\S]*`\/kubedojo start LESSON`/);
  });

  it('are in the help', async () => {
    expect((await slash(kubedojo(), 'help')).all).toMatch(/`\/kubedojo files`[\s\S]*`file NAME`/);
  });
});

describe('work that takes seconds', () => {
  it('says at once that a lesson started before is being set up again, then shows it', async () => {
    await slash(kubedojo(), 'start slack-drill', 'U14');
    await slash(kubectl(), 'create deployment web --image=nginx -n dojo-slack', 'U14');
    const again = await slash(kubedojo(), 'start slack-drill', 'U14');
    expect(again.order).toEqual(['ack', 'respond', 'respond']);
    expect(again.replies[0].text).toBe('Setting up *Ship a web server* in your cluster…');
    expect(again.replies[1].text).toMatch(/Step 1 of 2: Make the Deployment/);
  });

  it('says at once that a reset is under way', async () => {
    const r = await slash(kubedojo(), 'reset', 'U14');
    expect(r.replies.map((x) => x.text)).toEqual(['Setting *Ship a web server* up afresh in your cluster…', 'Lesson `slack-drill` is set up afresh, back at step 1.']);
  });

  it('answers a lesson that needs no set-up with the lesson alone', async () => {
    expect((await slash(kubedojo(), 'start slack-drill', 'U15')).order).toEqual(['ack', 'respond']);
  });
});

describe('an exam drill in Slack', () => {
  it('says at once, in words, that the drill is being set up and what to do meanwhile; the task list follows', async () => {
    const call = await slash(kubedojo(), 'exam ckad', 'U30');
    expect(call.order).toEqual(['ack', 'respond', 'respond']);
    expect(call.replies[0].text).toMatch(/^Setting up the 17 tasks of your CKAD exam drill in your cluster\. The task list follows here when they are ready.*clock starts then, not before.*`\/kubectl` works on your cluster.*`\/kubedojo exam status`/);
    expect(call.replies[1].text).toMatch(/CKAD exam drill started\* — 17 tasks/);
    deps.exams.disarm(learner('U30'));
  }, 120_000);

  it('while the tasks are set up: status says so, a second drill is refused, kubectl works; then status lists the tasks', async () => {
    const first = slash(kubedojo(), 'exam ckad', 'U31');
    const status = await slash(kubedojo(), 'exam status', 'U31');
    expect(status.all).toMatch(/Your CKAD exam drill is still being set up\* — 17 tasks/);
    const again = await slash(kubedojo(), 'exam ckad', 'U31');
    expect(again.all).toMatch(/your CKAD exam drill is still being set up/);
    const submit = await slash(kubedojo(), 'exam submit', 'U31');
    expect(submit.all).toMatch(/still being set up/);
    const nodes = await slash(kubectl(), 'get nodes -o name', 'U31');
    expect(nodes.all).toContain('node/kubedojo-control-plane');
    expect((await first).all).toMatch(/CKAD exam drill started/);
    deps.exams.disarm(learner('U31'));
    const after = await slash(kubedojo(), 'exam status', 'U31');
    expect(after.all).toMatch(/Exam in progress\* — \d+ minutes left/);
    expect(after.replies[0].text.match(/^• \d+\./gm)).toHaveLength(17);
  }, 120_000);
});

const learner = (user: string) => `slack:T1:${user}`;

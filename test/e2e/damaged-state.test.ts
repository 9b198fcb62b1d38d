// Damaged state, as a learner meets it: kubedojo says what happened and what to do next, keeps
// the damaged file aside untouched, brings back everything that could be read, and never crashes
// or saves over the damage.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeHome, startServe, type ServeProcess } from '../helpers/serve.js';
import { Kubectl, removeKubectlCaches } from '../helpers/kubectl.js';
import { FakeSlack } from '../helpers/slack.js';
import { startBot } from '../helpers/slack-bot.js';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { BIN } from '../helpers/serve.js';
import { kubectlEnv } from '../helpers/kubectl.js';
import { localLearnerId } from '../../src/core/progress/index.js';
import { findLesson } from '../../src/core/lessons/loader.js';

const homes: string[] = [];
const running: Array<{ stop(signal?: NodeJS.Signals): Promise<number | null> }> = [];
afterAll(async () => {
  for (const r of running) await r.stop();
  homes.forEach(removeHome);
  removeKubectlCaches();
});

function home(): string {
  const h = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-damaged-'));
  homes.push(h);
  return h;
}

async function serveIn(h: string): Promise<ServeProcess> {
  const s = await startServe([], h);
  running.push(s);
  return s;
}

const aside = (dir: string, prefix: string) => readdirSync(dir).filter((f) => f.startsWith(`${prefix}.damaged-`));

describe('kubedojo serve with a damaged saved cluster', () => {
  it('leaves out a malformed object, says which and where the file went, serves the rest, and keeps the damage', async () => {
    const h = home();
    const first = await serveIn(h);
    await new Kubectl(first.kubeconfig).ok(['create', 'configmap', 'mine', '--from-literal=k=v']);
    expect(await first.stop()).toBe(0);
    const file = path.join(h, 'clusters', 'default.json');
    const snap = JSON.parse(readFileSync(file, 'utf8'));
    snap.objects['apps/deployments'].push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'broken', namespace: 'default', uid: 'u1', resourceVersion: '7' }, spec: 'broken' });
    const damaged = JSON.stringify(snap);
    writeFileSync(file, damaged);

    const s = await serveIn(h);
    const k = new Kubectl(s.kubeconfig);
    expect(await k.ok(['get', 'configmap', 'mine', '-o', 'jsonpath={.data.k}'])).toBe('v');
    expect((await k.run(['get', 'deployment', 'broken'])).stderr).toContain('not found');
    const kept = aside(path.join(h, 'clusters'), 'default.json');
    expect(s.output()).toContain(`kubedojo: 1 object in the saved cluster ${file} could not be used and was left out: apps/deployments default/broken (`);
    expect(s.output()).toContain(`Everything else was restored. What was on disk is kept, untouched, in ${path.join(h, 'clusters', kept[0])}: look there for anything you miss, and make it again with kubectl.`);
    expect(readFileSync(path.join(h, 'clusters', kept[0]), 'utf8')).toBe(damaged);
    expect(await s.stop()).toBe(0);

    // Said once: the next start finds a sound cluster, and the copy kept aside is still as it was.
    const again = await serveIn(h);
    expect(again.output()).not.toContain('could not be used');
    expect(readFileSync(path.join(h, 'clusters', kept[0]), 'utf8')).toBe(damaged);
  });

  it('starts a fresh cluster in place of one that is not JSON, and says so', async () => {
    const h = home();
    const first = await serveIn(h);
    expect(await first.stop()).toBe(0);
    const file = path.join(h, 'clusters', 'default.json');
    writeFileSync(file, '{"kind":"KubedojoClusterSnapshot","vers');
    const s = await serveIn(h);
    expect(s.output()).toMatch(/kubedojo: the saved cluster \S+default\.json could not be read: it is not valid JSON/);
    expect(s.output()).toContain('A fresh cluster took its place.');
    expect(await new Kubectl(s.kubeconfig).ok(['get', 'ns', 'default', '-o', 'name'])).toBe('namespace/default\n');
    const kept = aside(path.join(h, 'clusters'), 'default.json');
    expect(readFileSync(path.join(h, 'clusters', kept[0]), 'utf8')).toBe('{"kind":"KubedojoClusterSnapshot","vers');
  });
});

describe('the Slack bot with a learner\'s damaged sandbox', () => {
  it('tells the learner before their command\'s output, once, and keeps the damaged file', async () => {
    const h = home();
    const slack = new FakeSlack();
    await slack.listen();
    try {
      const dir = path.join(h, 'sandboxes');
      const bot = await startBot(slack, { home: h });
      running.push(bot);
      const made = await bot.send('/kubectl', 'create configmap mine --from-literal=k=v', { user: 'UFAY' });
      expect(JSON.stringify((await slack.waitFor(`/respond/${made}`)).body)).toContain('configmap/mine created');
      expect(await bot.stop()).toBe(0);
      writeFileSync(path.join(dir, 'slack-t1-ufay.json'), 'garbage');

      const again = await startBot(slack, { home: h });
      running.push(again);
      const first = await again.send('/kubectl', 'get configmap mine', { user: 'UFAY' });
      const reply = JSON.stringify((await slack.waitFor(`/respond/${first}`)).body);
      expect(reply).toMatch(/Your cluster's saved state was damaged and could not be read, so you start from a fresh cluster[^"]*make again anything you miss\. The damaged copy is kept for whoever runs kubedojo here\.\\n\\nError from server \(NotFound\)/);
      expect(reply, 'no path of the host in a learner\'s reply').not.toContain(h);
      const second = await again.send('/kubectl', 'get ns default -o name', { user: 'UFAY' });
      expect(JSON.stringify((await slack.waitFor(`/respond/${second}`)).body)).not.toContain('damaged');
      expect(readFileSync(path.join(dir, aside(dir, 'slack-t1-ufay.json')[0]), 'utf8')).toBe('garbage');
      expect(again.output()).toContain('kubedojo: sandbox slack-t1-ufay: the saved cluster');
    } finally {
      await slack.close();
    }
  });
});

describe('the CLI with a damaged progress record', () => {
  const me = localLearnerId();
  const lesson = findLesson('annotations');
  const kd = (h: string, args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...kubectlEnv(), KUBEDOJO_HOME: h, NO_COLOR: '1' };
      delete env.KUBECONFIG;
      execFile(process.execPath, [BIN, ...args], { env, timeout: 120_000 }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });

  it('reports fields it cannot use (stepIndex: 99), keeps the file aside, and goes on: progress exits 0, check 1', async () => {
    const h = home();
    const s = await serveIn(h);
    const old = {
      version: 1,
      learners: { [me]: { currentLesson: lesson.id, lessons: { [lesson.id]: { stepIndex: 99, startedAt: '2026-01-01T00:00:00Z', steps: {} } }, answers: [{ itemId: 'q1', answer: 'a', verdict: 'correct', at: '2026-01-01T00:01:00Z' }, null], exams: [null] } },
      teams: {},
    };
    writeFileSync(path.join(h, 'progress.json'), JSON.stringify(old));
    const progress = await kd(h, ['progress']);
    expect(progress.code).toBe(0);
    expect(progress.stdout).toMatch(/1 started/);
    expect(progress.stdout).toMatch(/1 answers?: 1 correct/);
    expect(progress.stderr).toContain(`${me}: lesson ${lesson.id} was at stepIndex 99, which is not one of its ${lesson.steps.length} steps, so it is at step 1 now`);
    expect(progress.stderr).toContain(`${me}: quiz answer 2 of 2 is not one, and was left out`);
    expect(progress.stderr).toMatch(/the old file is kept in \S+progress\.json\.moved-\S+, untouched\./);
    const kept = readdirSync(h).filter((f) => f.startsWith('progress.json.moved-'));
    expect(JSON.parse(readFileSync(path.join(h, kept[0]), 'utf8'))).toEqual(old);

    const check = await kd(h, ['check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`Step 1 of ${lesson.steps.length}: ${lesson.steps[0].title}`);
    expect(check.stderr, 'reported once').not.toContain('could not be used');
    await s.stop();
  });

  it('reports a learner file whose lessons and answers are not what they say, and keeps the rest', async () => {
    const h = home();
    const dir = path.join(h, 'progress', 'learners');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${encodeURIComponent(me)}.json`);
    const text = JSON.stringify({ kind: 'KubedojoLearner', version: 1, id: me, record: { lessons: { [lesson.id]: null, other: { stepIndex: 0, startedAt: 'x', steps: null } }, answers: [{ itemId: 5 }, { itemId: 'q', answer: 'b', verdict: 'wrong', at: '2026-01-01T00:00:00Z' }], cards: { q: { due: 'soon' } } } });
    writeFileSync(file, text);
    const progress = await kd(h, ['progress']);
    expect(progress.code).toBe(0);
    expect(progress.stdout).toMatch(/1 answers?: 0 correct, 0 close, 1 wrong/);
    expect(progress.stderr).toContain(`the record of lesson ${lesson.id} is not one, and was left out (start the lesson again)`);
    expect(progress.stderr).toContain('quiz answer 1 of 2 is not one, and was left out');
    expect(progress.stderr).toContain('the review card of q is not one, and was left out');
    expect(progress.stderr).toMatch(/The file as it was is kept in \S+\.damaged-\S+, untouched: nothing to do unless something you did is missing/);
    expect(readFileSync(path.join(dir, readdirSync(dir).find((f) => f.includes('.damaged-'))!), 'utf8')).toBe(text);
  });
});

// The tutor's commands as a script uses them: `kubedojo serve` in one process, then `kubedojo
// lessons|start|check|hint|solution|solve|reset|quiz|answer|exam|progress` against it, with text
// and --json, and exit codes 0 (done), 1 (not passed) and 2 (usage).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, removeHome, startServe, type ServeProcess } from '../helpers/serve.js';
import { kubectlEnv, removeKubectlCaches } from '../helpers/kubectl.js';
import { moduleRecorder, modulesLoaded } from '../helpers/module-recorder.js';
import { loadLessons, lessonsDir } from '../../src/core/lessons/loader.js';
import { loadBank } from '../../src/core/quiz/bank.js';

let s: ServeProcess;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  s = await startServe(['--speed', '50']);
  env = { ...kubectlEnv(), KUBEDOJO_HOME: s.home, NO_COLOR: '1' };
  delete env.KUBECONFIG;
});
afterAll(async () => {
  await s?.stop();
  removeHome(s.home);
  removeKubectlCaches();
});

function kd(args: string[], input?: string, nodeArgs: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [...nodeArgs, BIN, ...args], { env, timeout: 240_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

const first = loadLessons()[0];

describe('kubedojo lessons and a lesson through the CLI', () => {
  it('lists the lessons and says which is next, as text and JSON', async () => {
    const text = await kd(['lessons']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^#\s+LESSON\s+TITLE\s+STEPS\s+TIME\s+STATUS$/m);
    expect(text.stdout).toContain(`Next: kubedojo start ${first.id}`);
    const json = JSON.parse((await kd(['lessons', '--json'])).stdout);
    expect(json.lessons.length).toBeGreaterThanOrEqual(30);
    expect(json.next).toBe(first.id);
  });

  it('says what to do when no lesson is started (exit 1)', async () => {
    const r = await kd(['check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: no lesson is started');
    expect(r.stderr).toContain('kubedojo start LESSON');
  });

  it('starts a lesson, fails the check before the work, gives hints and the solution', async () => {
    const start = await kd(['start', first.id]);
    expect(start.code).toBe(0);
    expect(start.stdout).toContain(`Step 1 of ${first.steps.length}: ${first.steps[0].title}`);
    const check = await kd(['check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/✗/);
    const checkJson = JSON.parse((await kd(['check', '--json'])).stdout);
    expect(checkJson.passed).toBe(false);
    expect(checkJson.tasks[0].checks.some((c: { passed: boolean }) => !c.passed)).toBe(true);
    expect((await kd(['hint'])).stdout).toMatch(new RegExp(`^Hint 1 of ${first.steps[0].hints.length}: `));
    expect((await kd(['hint'])).stdout).toMatch(new RegExp(`^Hint 2 of ${first.steps[0].hints.length}: `));
    const sol = JSON.parse((await kd(['solution', '--json'])).stdout);
    expect(sol.commands.length).toBe(first.steps[0].solution.length);
  });

  it('solves the lesson as a demo, command by command, and records it as solved by the solution', async () => {
    const r = await kd(['solve']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\$ kubectl /m);
    expect(r.stdout).toContain(`✓ step 1 of ${first.steps.length} passed`);
    expect(r.stdout).toContain(`Lesson ${first.id} is done (solved by the solution).`);
    const p = JSON.parse((await kd(['progress', '--json'])).stdout);
    expect(p.lessons).toMatchObject({ done: 1, byLearner: 0 });
    expect((await kd(['check'])).code).toBe(0);
  });

  it('resets the lesson to its first step, with its namespace made afresh', async () => {
    const r = await kd(['reset']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Lesson ${first.id} is set up afresh`);
    expect((await kd(['check'])).code).toBe(1);
  });
});

describe('quizzes through the CLI', () => {
  it('asks questions and grades answers, right (exit 0) and wrong (exit 1), citing the notes', async () => {
    const q = JSON.parse((await kd(['quiz', '--count', '3', '--json'])).stdout);
    expect(q.items).toHaveLength(3);
    const item = loadBank().find((i) => i.kind === 'choice' && !Array.isArray(i.answer)) as { id: string; answer: number; choices: string[] };
    const right = String.fromCharCode(97 + item.answer);
    const wrong = String.fromCharCode(97 + ((item.answer + 1) % item.choices.length));
    const ok = await kd(['answer', item.id, right]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^✓ correct/);
    expect(ok.stdout).toMatch(/From the notes: /);
    const bad = JSON.parse((await kd(['answer', item.id, wrong, '--json'])).stdout);
    expect(bad.verdict).toBe('wrong');
  });

  it('grades a command answer by what it does on a scratch cluster', async () => {
    const item = loadBank().find((i) => i.kind === 'command') as { id: string; answer: string };
    const r = await kd(['answer', item.id, item.answer, '--json']);
    expect(JSON.parse(r.stdout).verdict).toBe('correct');
  });

  it.skipIf(!existsSync(path.resolve(lessonsDir(), '..', '..', 'shared', 'notes')))('makes questions from a folder of notes and answers them', async () => {
    const notes = path.resolve(lessonsDir(), '..', '..', 'shared', 'notes');
    const q = JSON.parse((await kd(['quiz', '--from', notes, '--count', '2', '--json'])).stdout);
    expect(q.items).toHaveLength(2);
    expect(q.items[0].id).toMatch(/^gen-/);
    const r = await kd(['answer', q.items[0].id, 'something unlikely', '--from', notes, '--json']);
    expect(['wrong', 'close']).toContain(JSON.parse(r.stdout).verdict);
  });
});

describe('exam drills through the CLI', () => {
  it('starts a timed CKAD drill, flags a task, and scores it by domain on submit', async () => {
    const start = JSON.parse((await kd(['exam', '--track', 'ckad', '--count', '5', '--json'])).stdout);
    expect(start.tasks).toHaveLength(5);
    expect(new Date(start.exam.deadline).getTime() - new Date(start.exam.startedAt).getTime()).toBe(120 * 60_000);
    expect((await kd(['exam', '--track', 'cka'])).stderr).toContain('an exam is already in progress');
    expect((await kd(['exam', '--flag', '2'])).stdout).toContain('Task 2 flagged');
    const status = await kd(['exam']);
    expect(status.stdout).toMatch(/1h 59m left|2h 00m left/);
    expect(status.stdout).toContain('⚑ flagged');
    const submit = await kd(['exam', '--submit', '--json']);
    expect(submit.code).toBe(1);
    const report = JSON.parse(submit.stdout).report;
    expect(report.passed).toBe(false);
    expect(report.passPercent).toBe(66);
    expect(report.flagged).toEqual([start.tasks[1].id]);
    // Every task with its checks in words and its model solution, as the report kept in progress.
    expect(report.tasks).toHaveLength(5);
    for (const t of report.tasks) {
      expect(t.checks.length).toBe(t.checksTotal);
      for (const c of t.checks) expect(c).toMatchObject({ label: expect.any(String), passed: false, message: expect.stringMatching(/\S/) });
      expect(t.solution.length).toBeGreaterThan(0);
    }
    const text = (await kd(['exam', '--history'])).stdout;
    expect(text).toContain(`✗ 1. ${report.tasks[0].title}`);
    expect(text).toContain(`✗ ${report.tasks[0].checks[0].label}: ${report.tasks[0].checks[0].message}`);
    expect(text).toContain('Model solution:');
    expect(text).toContain(`Flagged: ${start.tasks[1].title}`);
    const history = JSON.parse((await kd(['exam', '--history', '--json'])).stdout);
    expect(history.reports).toHaveLength(1);
  });
});

describe('usage', () => {
  it('exits 2 for a mistake in the command line, saying how to use it', async () => {
    const unknown = await kd(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const missing = await kd(['start']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Usage: kubedojo start LESSON');
    expect((await kd(['quiz', '--count', 'many'])).code).toBe(2);
    expect((await kd(['exam', '--track', 'lfcs'])).code).toBe(2);
  });

  it('has --help for every command', async () => {
    for (const cmd of ['lessons', 'start', 'check', 'hint', 'solution', 'solve', 'reset', 'quiz', 'answer', 'exam', 'progress', 'serve', 'slack', 'tutor']) {
      const r = await kd([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/^Usage/m);
    }
  });

  it('prints its own help for --help, -h and help, listing every command', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await kd(args);
      expect(r, args[0]).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^Usage: kubedojo \[COMMAND\] \[options\]$/m);
      for (const cmd of ['serve', 'slack', 'lessons', 'start', 'check', 'quiz', 'exam', 'progress']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    }
    expect((await kd(['help', 'serve'])).stdout).toMatch(/^Usage: kubedojo serve/m);
  });

  it('says so when a lesson does not exist, or the context is not in the kubeconfig', async () => {
    const nope = await kd(['start', 'no-such-lesson']);
    expect(nope.code).toBe(1);
    expect(nope.stderr).toContain('there is no lesson "no-such-lesson"');
    const ctx = await kd(['check', '--context', 'nowhere']);
    expect(ctx.code).toBe(1);
    expect(ctx.stderr).toContain('context "nowhere" is not in the kubeconfig');
  });
});

describe('what a command loads', () => {
  const recorder = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-loaded-'));
  const record = moduleRecorder(recorder);
  afterAll(() => rmSync(recorder, { recursive: true, force: true }));

  let runs = 0;
  async function loadedBy(args: string[]): Promise<{ code: number; modules: string[] }> {
    const file = path.join(recorder, `run-${++runs}.txt`);
    writeFileSync(file, '');
    env.KUBEDOJO_LOADED = file;
    try {
      const r = await kd(args, undefined, ['--import', record]);
      const modules = modulesLoaded(file);
      return { code: r.code, modules };
    } finally {
      delete env.KUBEDOJO_LOADED;
    }
  }
  // The API server, hosting, and the simulated cluster itself (its store, controllers, kubelets and
  // kinds); a leaf module of names under cluster/ that a door may list is not the simulator.
  const SIMULATOR = /\/dist\/src\/core\/(apiserver|hosting|cluster\/(controllers|kubelet|scheduler|kinds|admission|network))\/|\/dist\/src\/core\/cluster\/(cluster|store|factory|bootstrap|journal)\.js$/;
  const LIBRARIES = /\/node_modules\/(ink|react|@kubernetes\/client-node|ajv)\//;

  it('lists the lessons from the compiled copy: no simulator, no YAML parser, schema validator, API client or Ink', async () => {
    const { code, modules } = await loadedBy(['lessons', '--json']);
    expect(code).toBe(0);
    expect(modules.some((m) => m.includes('/dist/src/cli/lesson-commands.js'))).toBe(true);
    expect(modules.filter((m) => SIMULATOR.test(m) || LIBRARIES.test(m) || /\/node_modules\/yaml\//.test(m))).toEqual([]);
  });

  it('starts a lesson, checks it and hints without the simulator, the schema validator, client-node or Ink', async () => {
    for (const args of [['start', first.id], ['check'], ['hint']]) {
      const { code, modules } = await loadedBy(args);
      expect(code, args.join(' ')).toBeLessThanOrEqual(1);
      expect(modules.filter((m) => SIMULATOR.test(m) || LIBRARIES.test(m)), args.join(' ')).toEqual([]);
    }
  });
});

// The tutor's screens rendered with ink-testing-library, with the real engine behind them: a
// simulated cluster, the progress file, and a real shell. Tests wait on frames; sizes are props.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../../src/tui/components/App.js';
import { ThemeContext, MONO } from '../../../src/tui/components/theme.js';
import { ShellSession } from '../../../src/tui/pty/shell-session.js';
import { ClusterHost, type HostedSandbox } from '../../../src/core/hosting/cluster-host.js';
import { NamespaceView } from '../../../src/core/kube/namespace-view.js';
import { Tutor } from '../../../src/core/learning/tutor.js';
import { openProgress } from '../../../src/core/progress/index.js';
import { kubectlEnv, removeKubectlCaches } from '../../helpers/kubectl.js';
import { LESSON } from '../../adapters/slack/support.js';
import { loadBank } from '../../../src/core/quiz/bank.js';
import type { Item } from '../../../src/core/quiz/types.js';
import type { Lesson } from '../../../src/core/lessons/types.js';
import { loadLessons } from '../../../src/core/lessons/loader.js';

let host: ClusterHost;
let home: string;
beforeAll(async () => {
  host = await ClusterHost.start();
  home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-tui-app-'));
});
afterAll(async () => {
  await host?.close();
  rmSync(home, { recursive: true, force: true });
  removeKubectlCaches();
});

/** The lesson is set up and the shell shows its prompt: nothing is busy. */
const READY = /(?=[\s\S]*dojo\$)(?=[\s\S]*step \d\/\d [░█]+ \d\/\d F1 help)/;

/** Polls the last frame until it matches. */
async function frame(lastFrame: () => string | undefined, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const f = lastFrame() ?? '';
    if (pattern.test(f)) return f;
    if (Date.now() > deadline) throw new Error(`no frame matched ${pattern}; the last was:\n${f}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function mount(cols: number, rows: number, learner = 'local:tester', notice?: string, extra: { bank?: Item[]; env?: Record<string, string>; lessons?: Lesson[] } = {}) {
  // Each test its own cluster: deleting a namespace with running pods waits for them to stop.
  const sandbox: HostedSandbox = host.create();
  const env = { ...kubectlEnv(), KUBECONFIG: sandbox.kubeconfig, KUBEDOJO_PS1: 'dojo$ ', ...extra.env };
  const tutor = new Tutor({ target: { client: sandbox.client, kubeconfig: sandbox.kubeconfig, env }, learner: openProgress({ dir: home }).learner(learner), lessons: extra.lessons ?? [LESSON], host: async () => host, env, bank: extra.bank });
  const shell = new ShellSession({ shell: 'bash', cwd: home, env, cols: 40, rows: 10, frameMs: 5 }).start();
  let quit = 0;
  const ui = render(
    <ThemeContext.Provider value={MONO}>
      <App tutor={tutor} shell={shell} viewFor={(ns) => new NamespaceView(sandbox.client, ns, 20).start()} cols={cols} rows={rows} onQuit={() => quit++} notice={notice} sandboxDir={home} readFile={(p) => readFileSync(path.resolve(home, p), 'utf8')} />
    </ThemeContext.Provider>,
  );
  return {
    ...ui,
    shell,
    tutor,
    quits: () => quit,
    done() {
      ui.unmount();
      shell.dispose();
      sandbox.dispose();
    },
  };
}

describe('the tutor app', () => {
  it('opens with what went wrong with the saved cluster, in a box that Enter closes', async () => {
    const ui = mount(100, 30, 'local:noticed', 'kubedojo: a fresh cluster took its place.');
    try {
      await frame(ui.lastFrame, /Something went wrong[\s\S]*kubedojo: a fresh cluster took its place\./);
      ui.stdin.write('\r');
      const f = await frame(ui.lastFrame, /Ship a web server[\s\S]*Make the Deployment/);
      expect(f).not.toMatch(/a fresh cluster took its place/);
    } finally {
      ui.done();
    }
  });

  it('opens on the next lesson with its step, the shell, the cluster pane and the status bar', async () => {
    const ui = mount(100, 30);
    try {
      const f = await frame(ui.lastFrame, /Ship a web server[\s\S]*Make the Deployment/);
      expect(f).toMatch(/Shell/);
      expect(f).toMatch(/Cluster/);
      expect(f).toMatch(/slack-drill · step 1\/2/);
      expect(f).toMatch(/F1 help/);
      await frame(ui.lastFrame, /dojo\$/);
    } finally {
      ui.done();
    }
  });

  it('shows the opening lesson in its very first frame, before the lesson is set up', async () => {
    const ui = mount(100, 30, 'local:first-frame');
    try {
      expect(ui.frames[0]).toMatch(/Ship a web server[\s\S]*Make the Deployment/);
      await frame(ui.lastFrame, READY);
    } finally {
      ui.done();
    }
  });

  it('keeps a lesson chosen from the list while the opening lesson is still being set up, and starts it next', async () => {
    const other = loadLessons().find((l) => l.id !== LESSON.id && l.namespaces.length > 0)!;
    const ui = mount(100, 30, 'local:early-keys', undefined, { lessons: [LESSON, other] });
    try {
      // The frame is up and the set-up still runs: F4, the second lesson, Enter.
      await frame(ui.lastFrame, /Shell/);
      ui.stdin.write('\u001bOS');
      await frame(ui.lastFrame, /Lessons · \d+ of \d+ done/);
      ui.stdin.write('\u001b[B');
      ui.stdin.write('\r');
      const f = await frame(ui.lastFrame, new RegExp(`${other.id} · step 1/\\d (?![^\\n]*…)[^\\n]*F1 help`), 30_000);
      expect(f).toContain(other.steps[0].title);
      expect(ui.tutor.learner.currentLesson()).toBe(other.id);
    } finally {
      ui.done();
    }
  });

  it('checks the step after a command in the shell, and moves on with what happened', async () => {
    const ui = mount(100, 30, 'local:shell-user');
    try {
      await frame(ui.lastFrame, READY);
      ui.stdin.write('kubectl create deployment web --image=nginx -n dojo-slack\r');
      const f = await frame(ui.lastFrame, /✓ Make the Deployment[\s\S]*Expose it/, 30_000);
      expect(f).toMatch(/its controller makes a/);
      expect(f).toMatch(/step 2\/2/);
      await frame(ui.lastFrame, /PODS \(1\)[\s\S]*web-\S+\s+1\/1\s+Running/);
    } finally {
      ui.done();
    }
  });

  it('draws the cluster picture from the cluster pane: the node as a box holding the pod, and the Service routing to it', async () => {
    const ui = mount(80, 24, 'local:picture');
    try {
      await frame(ui.lastFrame, READY);
      ui.stdin.write('kubectl run pic-web --image=nginx -l app=pic -n dojo-slack && kubectl expose pod pic-web --port=80 -n dojo-slack\r');
      await frame(ui.lastFrame, /service\/pic-web exposed/, 30_000);
      ui.stdin.write('\u001b[20~'); // F9: focus the lesson pane
      ui.stdin.write('\t'); // then the cluster pane
      await frame(ui.lastFrame, /Cluster · dojo-slack ●/);
      ui.stdin.write('p');
      const f = await frame(ui.lastFrame, /Cluster picture[\s\S]*┌ \S+ ─+┐[\s\S]*● pic-web\s+Running[\s\S]*pic-web \(ClusterIP\) → pic-web/, 30_000);
      expect(f.split('\n').every((l) => l.length <= 80)).toBe(true);
      ui.stdin.write('\u001b');
      await frame(ui.lastFrame, /Cluster · dojo-slack/);
    } finally {
      ui.done();
    }
  });

  it('describes the selected pod from the cluster pane with d, through kubectl, and closes with Esc', async () => {
    const ui = mount(100, 30, 'local:describe');
    try {
      await frame(ui.lastFrame, READY);
      ui.stdin.write('kubectl run looked-at --image=nginx -n dojo-slack\r');
      await frame(ui.lastFrame, /PODS \(1\)[\s\S]*looked-at/, 30_000);
      ui.stdin.write('\u001b[20~'); // F9: the lesson pane
      ui.stdin.write('\t'); // the cluster pane
      await frame(ui.lastFrame, /Cluster · dojo-slack ●/);
      ui.stdin.write('d');
      const f = await frame(ui.lastFrame, /describe pods\/looked-at[\s\S]*\$ kubectl describe pods looked-at -n dojo-slack[\s\S]*Name:\s+looked-at[\s\S]*Namespace:\s+dojo-slack/, 30_000);
      expect(f).toMatch(/Image:\s+nginx/);
      ui.stdin.write('\u001b');
      await frame(ui.lastFrame, /^(?![\s\S]*Namespace:\s+dojo-slack)[\s\S]*Cluster · dojo-slack/);
    } finally {
      ui.done();
    }
  });

  it('follows a lesson started again from another terminal on the same data, and says so', async () => {
    const ui = mount(100, 30, 'local:elsewhere');
    try {
      await frame(ui.lastFrame, READY);
      // What `kubedojo start` in another terminal does to the learner's record.
      await new Promise((r) => setTimeout(r, 5));
      openProgress({ dir: home }).learner('local:elsewhere').startLesson(LESSON.id, new Date());
      const f = await frame(ui.lastFrame, /Note[\s\S]*was started from another terminal;[\s\S]*follows it\./, 10_000);
      expect(f).toMatch(/slack-drill · step 1\/2/);
      ui.stdin.write('\r');
      await frame(ui.lastFrame, /^(?![\s\S]*another terminal)/);
    } finally {
      ui.done();
    }
  });

  it('sends keys to the shell while it has focus, and function keys to the tutor', async () => {
    const ui = mount(100, 30, 'local:keys');
    try {
      await frame(ui.lastFrame, READY);
      ui.stdin.write('echo typed-into-shell\r');
      await frame(ui.lastFrame, /^.*typed-into-shell.*$/m);
      ui.stdin.write('\u001bOQ'); // F2
      await frame(ui.lastFrame, /Hint 1 of 2/);
      ui.stdin.write('\u001bOP'); // F1
      await frame(ui.lastFrame, /Keys[\s\S]*F10/);
      ui.stdin.write('\u001b');
      await frame(ui.lastFrame, /^(?![\s\S]*Esc or F1 closes this)/);
      ui.stdin.write('\u001b[21~'); // F10
      await frame(() => String(ui.quits()), /^1$/);
    } finally {
      ui.done();
    }
  });

  it('asks before showing the solution, and records that it was shown', async () => {
    const ui = mount(100, 30, 'local:solution');
    try {
      await frame(ui.lastFrame, READY);
      ui.stdin.write('\u001bOR'); // F3
      await frame(ui.lastFrame, /Show the solution for this step\?/);
      ui.stdin.write('y');
      await frame(ui.lastFrame, /Solution[\s\S]*kubectl create deployment[\s\S]*dojo-slack/);
      expect(ui.tutor.learner.lesson('slack-drill')?.steps.deploy?.solutionShown).toBe(true);
    } finally {
      ui.done();
    }
  });

  it('moves focus with F9 and then takes single keys for steps', async () => {
    const ui = mount(100, 30, 'local:focus');
    try {
      await frame(ui.lastFrame, READY);
      ui.stdin.write('\u001b[20~'); // F9: shell → lesson
      await frame(ui.lastFrame, /Lesson ●/);
      ui.stdin.write('n');
      await frame(ui.lastFrame, /step 2\/2/);
      ui.stdin.write('p');
      await frame(ui.lastFrame, /step 1\/2/);
    } finally {
      ui.done();
    }
  });

  it('opens the lesson list, the quiz, the exam screen and progress, and comes back with Esc', async () => {
    const ui = mount(100, 30, 'local:screens');
    try {
      await frame(ui.lastFrame, READY);
      ui.stdin.write('\u001bOS'); // F4
      await frame(ui.lastFrame, /Lessons · 0 of 1 done[\s\S]*Ship a web server/);
      ui.stdin.write('\u001b');
      await frame(ui.lastFrame, /Shell/);
      ui.stdin.write('\u001b[15~'); // F5
      await frame(ui.lastFrame, /Quiz · question 1 of \d+[\s\S]*answer›/);
      ui.stdin.write('zzz');
      ui.stdin.write('\r');
      await frame(ui.lastFrame, /"zzz" is not one of the choices\. Answer with a letter from a to/);
      ui.stdin.write('b');
      await frame(ui.lastFrame, /answer› b/);
      ui.stdin.write('\r');
      await frame(ui.lastFrame, /✗ Not quite|✓ Correct/);
      ui.stdin.write('\u001b');
      await frame(ui.lastFrame, /Shell/);
      ui.stdin.write('\u001b[17~'); // F6
      await frame(ui.lastFrame, /Exam drill[\s\S]*CKA[\s\S]*CKAD/);
      ui.stdin.write('\u001b');
      await frame(ui.lastFrame, /Shell/);
      ui.stdin.write('\u001b[18~'); // F7
      await frame(ui.lastFrame, /Your progress[\s\S]*Work per day/);
    } finally {
      ui.done();
    }
  });

  it('runs an exam with exam keys only, counts what is untouched before submitting, and shows the report task by task', async () => {
    const ui = mount(120, 40, 'local:exam');
    try {
      await frame(ui.lastFrame, READY);
      ui.stdin.write('\u001b[17~'); // F6
      await frame(ui.lastFrame, /Exam drill[\s\S]*CKAD/);
      ui.stdin.write('d');
      let f = await frame(ui.lastFrame, /Exam tasks[\s\S]*Task 1:/, 120_000);
      expect(f).toMatch(/exam · task 1\/17 · 0 done · 0 flagged/);
      expect(f).not.toMatch(/✓\d+ ✗\d+/);
      ui.stdin.write('\u001bOQ'); // F2
      await frame(ui.lastFrame, /Hints, solutions and resets are off during an exam/);
      ui.stdin.write('\u001b');
      await frame(ui.lastFrame, /^(?![\s\S]*off during an exam)[\s\S]*Exam tasks/);
      ui.stdin.write('\u001bOS'); // F4
      await frame(ui.lastFrame, /An exam is running/);
      ui.stdin.write('\u001b');
      await frame(ui.lastFrame, /^(?![\s\S]*An exam is running)[\s\S]*Exam tasks/);
      ui.stdin.write('\u001b[20~'); // F9: the task list
      await frame(ui.lastFrame, /Exam tasks ●/);
      ui.stdin.write('f');
      await frame(ui.lastFrame, /1 flagged/);
      ui.stdin.write('S');
      await frame(ui.lastFrame, /17 of 17 tasks untouched \(not one check passes\), 1 flagged\. Submit/, 60_000);
      ui.stdin.write('y');
      f = await frame(ui.lastFrame, /not passed[\s\S]*Domains/, 120_000);
      for (let i = 0; i < 12; i++) ui.stdin.write('\u001b[B');
      f = await frame(ui.lastFrame, /✗ 1\. [\s\S]*✗ [^\n]+:[\s\S]*Model solution:/);
      expect(f).toMatch(/lines \d+–\d+ of \d+/);
      expect(f).not.toMatch(/\{\.[a-z]/);
      const report = ui.tutor.learner.examReports().at(-1)!;
      expect(report.tasks).toHaveLength(17);
      expect(report.tasks.every((t) => t.checks?.length && t.solution?.length)).toBe(true);
    } finally {
      ui.done();
    }
  }, 300_000);

  it('opens a manifest question in the editor on a file in the sandbox folder, and grades the file when the editor quits', async () => {
    const item = loadBank().find((i) => i.kind === 'manifest')!;
    // An editor that writes the model answer and quits, as a learner would with :wq.
    const editor = path.join(home, 'fake-editor.sh');
    writeFileSync(editor, `#!/bin/sh\ncat > "$1" <<'KUBEDOJO_EOF'\n${item.answer.trimEnd()}\nKUBEDOJO_EOF\n`);
    chmodSync(editor, 0o755);
    const ui = mount(120, 40, 'local:manifest', undefined, { bank: [item], env: { EDITOR: editor } });
    try {
      await frame(ui.lastFrame, READY);
      ui.stdin.write('\u001b[15~'); // F5
      const file = path.join(home, 'quiz', `${item.id.replace(/[^A-Za-z0-9._-]/g, '-')}.yaml`);
      const q = await frame(ui.lastFrame, /Quiz · question 1 of 1/);
      expect(q.replace(/\s+/g, '')).toContain(file.replace(/\s+/g, ''));
      ui.stdin.write('\r');
      await frame(ui.lastFrame, /✓ Correct/, 60_000);
      expect(readFileSync(file, 'utf8')).toBe(`${item.answer.trimEnd()}\n`);
    } finally {
      ui.done();
    }
  });

  it('lays out three columns on a wide terminal and fits 80×24', async () => {
    const wide = mount(160, 40, 'local:wide');
    try {
      const f = await frame(wide.lastFrame, /Shell[\s\S]*Make the Deployment|Make the Deployment[\s\S]*Shell/);
      const first = f.split('\n')[0];
      expect(first.indexOf('Lesson')).toBeLessThan(first.indexOf('Shell'));
      expect(first.indexOf('Shell')).toBeLessThan(first.indexOf('Cluster'));
    } finally {
      wide.done();
    }
    const small = mount(80, 24, 'local:small');
    try {
      const f = await frame(small.lastFrame, /Make the Deployment/);
      const lines = f.split('\n');
      expect(lines.length).toBeLessThanOrEqual(24);
      expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(80);
    } finally {
      small.done();
    }
  });
});

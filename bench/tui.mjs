// The terminal tutor: time from start to the first full frame, keystroke-to-echo latency in the
// shell pane (both through a real pty, as a terminal sees it), and Ink's render time per frame
// while the cluster pane follows a busy namespace. Runs on dist/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { performance } from 'node:perf_hooks';
import * as pty from 'node-pty';
import xterm from '@xterm/headless';
import React from 'react';
import { render } from 'ink';
import { here, percentile } from './lib.mjs';
import { ClusterHost } from '../dist/src/core/hosting/cluster-host.js';
import { NamespaceView } from '../dist/src/core/kube/namespace-view.js';
import { Tutor } from '../dist/src/core/learning/tutor.js';
import { openProgress } from '../dist/src/core/progress/index.js';
import { ShellSession } from '../dist/src/tui/pty/shell-session.js';
import { App } from '../dist/src/tui/components/App.js';

const BIN = path.join(here, '..', 'bin', 'kubedojo');
const COLS = 120;
const ROWS = 40;
// `--start-only`: the start figure alone (five starts), with when each part of the frame first showed.
const START_ONLY = process.argv.includes('--start-only');
const STARTS = 5;

function screenText(term) {
  const b = term.buffer.active;
  const out = [];
  for (let y = 0; y < term.rows; y++) out.push(b.getLine(b.baseY + y)?.translateToString(true) ?? '');
  return out;
}

async function until(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function startOnce(home) {
  const term = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  const t0 = performance.now();
  const p = pty.spawn(process.execPath, [BIN], { name: 'xterm-256color', cols: COLS, rows: ROWS, cwd: home, env: { ...process.env, KUBEDOJO_HOME: home, HOME: home, KUBECACHEDIR: path.join(home, 'cache'), SHELL: '/bin/bash' } });
  p.onData((d) => term.write(d));
  // A full frame: the lesson's text (its step line, not only the pane's title), the shell's prompt,
  // the cluster pane's first read and the status bar.
  const parts = { lesson: /step \d+ of \d+/, prompt: /dojo:\S*\$/, pods: /PODS \(\d+\)/, status: /F1 help/ };
  const seen = {};
  await until(() => {
    const s = screenText(term).join('\n');
    for (const [k, re] of Object.entries(parts)) if (seen[k] === undefined && re.test(s)) seen[k] = performance.now() - t0;
    return Object.keys(parts).every((k) => seen[k] !== undefined);
  }, 120_000, 'the first full frame');
  return { p, term, ms: performance.now() - t0, seen };
}

const homes = [];
try {
  const starts = [];
  let live;
  for (let i = 0; i < STARTS; i++) {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-tui-'));
    homes.push(home);
    const r = await startOnce(home);
    starts.push(r.ms);
    if (START_ONLY) console.log(`start ${i + 1}: ${Object.entries(r.seen).map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join(', ')} ms`);
    if (i < STARTS - 1 || START_ONLY) {
      r.p.write('\u001b[21~');
      await new Promise((res) => r.p.onExit(res));
    } else live = r;
  }
  // The floor beside it, in the same run: a Node process that does nothing.
  const zero = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    zero.push(performance.now() - t);
  }
  console.log(`floor: node -e 0 median ${percentile(zero.sort((a, b) => a - b), 50).toFixed(0)} ms`);
  console.log(`start to first full frame (fresh data dir, simulated cluster started) median ${percentile([...starts].sort((a, b) => a - b), 50).toFixed(0)} ms (${starts.map((s) => s.toFixed(0)).join(', ')})`);
  if (START_ONLY) {
    for (const h of homes) rmSync(h, { recursive: true, force: true });
    process.exit(0);
  }

  // Keystroke to echo: a character typed at the prompt until it shows on the screen.
  const { p, term } = live;
  const echo = [];
  // What follows the prompt, inside the shell pane's border.
  const promptLine = () => /dojo:\S*\$ ([^┃│]*)/.exec(screenText(term).find((l) => /dojo:\S*\$/.test(l)) ?? '')?.[1] ?? '';
  for (let i = 0; i < 60; i++) {
    const before = (promptLine().match(/x/g) ?? []).length;
    const t = performance.now();
    p.write('x');
    await until(() => (promptLine().match(/x/g) ?? []).length > before, 5000, 'the echo');
    echo.push(performance.now() - t);
    if (i % 20 === 19) {
      p.write('\u0015');
      await until(() => !/x/.test(promptLine()), 5000, 'the line to clear');
    }
  }
  echo.sort((a, b) => a - b);
  console.log(`keystroke to echo in the shell pane: p50 ${percentile(echo, 50).toFixed(1)} ms  p99 ${percentile(echo, 99).toFixed(1)} ms (${echo.length} keys)`);
  p.write('\u001b[21~');
  await new Promise((res) => p.onExit(res));

  // Frame render time while the cluster pane follows 40 pods coming and going.
  const host = await ClusterHost.start();
  const sandbox = host.create();
  const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bench-tui-'));
  homes.push(home);
  const env = { ...process.env, KUBECACHEDIR: path.join(home, 'cache'), HOME: home };
  const tutor = new Tutor({ target: { client: sandbox.client, kubeconfig: sandbox.kubeconfig, env }, learner: openProgress({ dir: home }).learner('local:bench'), host: async () => host, env });
  const shell = new ShellSession({ shell: 'bash', cwd: home, env: { ...env, KUBECONFIG: sandbox.kubeconfig }, cols: 60, rows: 20 }).start();
  const out = Object.assign(new PassThrough(), { columns: COLS, rows: ROWS, isTTY: true });
  out.resume();
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode() {}, ref() {}, unref() {} });
  const renders = [];
  const ink = render(React.createElement(App, { tutor, shell, viewFor: (ns) => new NamespaceView(sandbox.client, ns).start(), cols: COLS, rows: ROWS, onQuit() {} }), { stdout: out, stdin, exitOnCtrlC: false, patchConsole: false, onRender: (m) => renders.push(m.renderTime) });
  await until(() => tutor.learner.currentLesson(), 60_000, 'the first lesson');
  const ns = tutor.session.current().lesson.namespaces[0];
  const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'churn', namespace: ns }, spec: { replicas: 40, selector: { matchLabels: { app: 'churn' } }, template: { metadata: { labels: { app: 'churn' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
  await sandbox.client.apply(deploy);
  renders.length = 0;
  const t0 = Date.now();
  let flip = false;
  while (Date.now() - t0 < 15_000) {
    flip = !flip;
    await sandbox.client.apply({ ...deploy, spec: { ...deploy.spec, replicas: flip ? 10 : 40 } });
    await new Promise((r) => setTimeout(r, 1500));
  }
  const frames = [...renders].sort((a, b) => a - b);
  console.log(`frame render time with the cluster pane following 10↔40 pods: p50 ${percentile(frames, 50).toFixed(1)} ms  p99 ${percentile(frames, 99).toFixed(1)} ms (${frames.length} frames in 15 s)`);
  ink.unmount();
  shell.dispose();
  await host.close();
} finally {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
}
process.exit(0);

// The cluster pane and the exam shell as a person uses them, in tmux at the smallest and a large
// terminal: `k get po` completes a pod's name with Tab, d describes the selected object from the
// cluster pane, and p draws the picture of the cluster.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLessons } from '../../src/core/lessons/loader.js';
import { BIN } from '../helpers/serve.js';
import { Tmux } from '../helpers/tmux.js';

const first = loadLessons()[0];
const ns = first.namespaces[0];

describe.each([
  [80, 24],
  [200, 50],
])('the cluster pane and exam shell at %i×%i, in tmux', (cols, rows) => {
  // Made when the block starts: the sizes share one tmux server, which each block ends.
  let home: string;
  let t: Tmux;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-tui-cluster-'));
    t = new Tmux(cols, rows, { KUBEDOJO_HOME: home, HOME: home, SHELL: '/bin/bash', KUBECACHEDIR: path.join(home, 'kubecache'), CI: 'true' }, home);
  });
  afterAll(() => {
    t.kill();
    rmSync(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  it('completes a pod name after `k get po` with Tab', async () => {
    await t.waitFor(/outer\$/, 'the outer shell');
    t.type(`node ${BIN} --speed 30`);
    t.keys('Enter');
    await t.waitFor(/dojo:\S*\$/, 'the sandbox shell prompt', 60_000);
    t.type('k run tabbed --image=nginx -n default');
    t.keys('Enter');
    await t.waitFor(/pod\/tabbed created/, 'the pod to be made');
    t.type('clear');
    t.keys('Enter');
    t.type('k get po -n default ');
    t.keys('Tab');
    await t.waitFor(/k get po -n default tabbed/, 'Tab to complete the pod name', 20_000);
    t.keys('Enter');
    await t.waitFor(/tabbed\s+\d\/1/, 'the pod listed');
  });

  it('describes the selected object from the cluster pane with d, and Esc comes back', async () => {
    t.type(`k run looked-at --image=nginx -n ${ns}`);
    t.keys('Enter');
    await t.waitFor(/pod\/looked-at created/, 'the pod in the lesson namespace');
    await t.waitFor(/looked-at/, 'the pod in the cluster pane');
    t.keys('F9', 'Tab');
    await t.waitFor(/Cluster · \S+ ●/, 'the cluster pane to have focus');
    t.type('d');
    const shown = await t.waitFor(new RegExp(`\\$ kubectl describe \\S+ \\S+ -n ${ns}[\\s\\S]*Name:\\s+\\S+[\\s\\S]*Namespace:\\s+${ns}`), 'kubectl describe in the view', 30_000);
    expect(shown.trimEnd().split('\n').every((l) => [...l].length <= cols)).toBe(true);
    t.keys('Escape');
    await t.waitFor(/Cluster · \S+ ●/, 'the panes again');
  });

  it('draws the picture of the cluster with p: nodes as boxes holding pods, and closes with Esc', async () => {
    t.type('p');
    const pic = await t.waitFor(/Cluster picture[\s\S]*┌ kubedojo-\S+ ─*┐[\s\S]*● looked-at/, 'the cluster picture', 30_000);
    expect(pic.replace(/\n$/, '').split('\n').length).toBeLessThanOrEqual(rows);
    expect(pic.trimEnd().split('\n').every((l) => [...l].length <= cols)).toBe(true);
    t.keys('Escape');
    await t.waitFor(/Cluster · \S+ ●/, 'the panes again');
    t.keys('F10');
    await t.waitFor(/outer\$\s*$/, 'the outer shell again', 20_000);
  });
});

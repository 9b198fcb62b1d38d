// Live grading as a learner meets it, in tmux: a step opens with no red, reading the cluster marks
// nothing wrong, a wrong try is marked at once, and a fix that takes effect later (a rollout)
// turns the step green by itself, with no further keystroke.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLessons } from '../../src/core/lessons/loader.js';
import { BIN } from '../helpers/serve.js';
import { Tmux } from '../helpers/tmux.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-live-'));
const t = new Tmux(120, 40, { KUBEDOJO_HOME: home, HOME: home, SHELL: '/bin/bash', KUBECACHEDIR: path.join(home, 'kubecache') }, home);
afterAll(async () => {
  // Quit as a learner does, so the tutor has put its files away before they are removed.
  t.keys('F10');
  await t.waitFor(/outer\$ *$/m, 'the outer shell again').catch(() => undefined);
  t.kill();
  rmSync(home, { recursive: true, force: true, maxRetries: 5 });
});

const lessons = loadLessons();
const crashloop = lessons.find((l) => l.id === 'troubleshooting-crashloop')!;
const [diagnose, fixConfig] = crashloop.steps;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The lesson pane's lines (the left part of the screen), where the marks are. */
const pane = () => {
  const lines = t.screen().split('\n');
  const bottom = lines.findIndex((l, i) => i > 0 && l.startsWith('╰'));
  return lines
    .slice(0, bottom)
    .map((l) => l.slice(0, l.indexOf('│', 1) + 1 || undefined))
    .join('\n');
};

describe('live grading in the terminal tutor', () => {
  it('opens a step with every check not yet tried, none failed', async () => {
    await t.waitFor(/outer\$/, 'the outer shell');
    t.type(`node ${BIN}`);
    t.keys('Enter');
    await t.waitFor(new RegExp(escape(lessons[0].title)), 'the first lesson', 60_000);
    await t.waitFor(/dojo:\S*\$/, 'the sandbox shell prompt');
    t.keys('F4');
    await t.waitFor(/Enter start/, 'the lesson list');
    // To the top of the list, then down to the lesson.
    for (let i = 0; i < lessons.length; i++) t.keys('Up');
    for (let i = 0; i < lessons.indexOf(crashloop); i++) t.keys('Down');
    t.keys('Enter');
    await t.waitFor(new RegExp(escape(diagnose.title)), 'the crashloop lesson', 60_000);
    await t.waitFor(/○/, 'the first marks');
    expect(pane()).not.toContain('✗');
  });

  it('marks nothing wrong when the learner only reads the cluster', async () => {
    t.type('kubectl get nodes');
    t.keys('Enter');
    await t.waitFor(/control-plane/, 'the nodes');
    await new Promise((r) => setTimeout(r, 1500));
    expect(pane()).toContain('○');
    expect(pane()).not.toContain('✗');
  });

  it('marks a wrong try at once, and a right one as passed', async () => {
    t.type('kubectl create configmap diagnosis -n dojo-crashloop --from-literal=missing-var=QUEUE_URL');
    t.keys('Enter');
    await t.waitFor(/✗/, 'the wrong key to be marked');
    t.type('kubectl delete configmap diagnosis -n dojo-crashloop && kubectl create configmap diagnosis -n dojo-crashloop --from-literal=missing-variable=QUEUE_URL');
    t.keys('Enter');
    await t.waitFor(new RegExp(`✓ ${escape(diagnose.title)}`), 'the step to pass');
    await t.waitFor(new RegExp(escape(fixConfig.title)), 'the next step');
    await t.waitFor(/○/, 'the next step graded');
    expect(pane()).not.toContain('✗');
  });

  it('turns a step green when a rollout finishes, with no keystroke after the command', async () => {
    t.type('kubectl set env deployment/worker -n dojo-crashloop QUEUE_URL=redis://queue:6379');
    t.keys('Enter');
    await t.waitFor(/deployment.apps\/worker env updated/, 'kubectl to answer');
    // No Enter, no key: only the cluster changing (the new pod becoming ready) can grade it now.
    await t.waitFor(new RegExp(`✓ ${escape(fixConfig.title)}`), 'the step to pass by itself', 60_000);
  });
});

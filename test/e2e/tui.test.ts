// The terminal tutor as a person uses it, in tmux: it opens on the first lesson with a shell
// prompt, grades what is typed into the shell, opens its screens, follows a resize, and gives the
// terminal back as it found it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLessons } from '../../src/core/lessons/loader.js';
import { BIN } from '../helpers/serve.js';
import { Tmux } from '../helpers/tmux.js';
import { layout } from '../../src/tui/layout.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-tui-'));
// CI=true as many shells and build machines export it: the tutor must still draw (Ink alone would
// hold every frame back until exit).
const t = new Tmux(120, 40, { KUBEDOJO_HOME: home, HOME: home, SHELL: '/bin/bash', KUBECACHEDIR: path.join(home, 'kubecache'), CI: 'true' }, home);
afterAll(() => {
  t.kill();
  rmSync(home, { recursive: true, force: true });
});

const first = loadLessons()[0];
const step = first.steps[0];

describe('the terminal tutor, in tmux', () => {
  it('opens full screen on the first lesson, with a shell prompt in the shell pane', async () => {
    await t.waitFor(/outer\$/, 'the outer shell');
    t.type('echo before-the-tutor; stty -g > stty-before');
    t.keys('Enter');
    await t.waitFor(/before-the-tutor/, 'the marker');
    t.type(`node ${BIN} --speed 30`);
    t.keys('Enter');
    const screen = await t.waitFor(new RegExp(first.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the first lesson', 60_000);
    expect(screen).toContain(step.title);
    await t.waitFor(/dojo:\S*\$/, 'the sandbox shell prompt');
    expect(t.screen()).not.toContain('before-the-tutor');
  });

  it('grades what is typed into the shell, and moves on when the step passes', async () => {
    for (const entry of step.solution) {
      if (typeof entry === 'string') t.type(entry);
      else t.type(`kubectl apply -n ${first.namespaces[0]} -f - <<'EOF'\n${entry.apply.trimEnd()}\nEOF`);
      t.keys('Enter');
    }
    await t.waitFor(new RegExp(`✓ ${step.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'the step to pass', 90_000);
    if (first.steps[1]) await t.waitFor(new RegExp(first.steps[1].title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the next step');
  });

  it('opens a hint with F2 and the help overlay with F1', async () => {
    t.keys('F2');
    await t.waitFor(/Hint 1 of \d/, 'a hint');
    t.keys('F1');
    await t.waitFor(/Keys[\s\S]*F10\s+quit/, 'the help overlay');
    t.keys('Escape');
    await t.waitFor(/^(?![\s\S]*Esc or F1 closes this)/, 'the overlay to close');
  });

  it('opens the quiz with F5 and answers a question', async () => {
    t.keys('F5');
    const q = await t.waitFor(/Quiz · question 1 of \d+/, 'the quiz');
    expect(q).toMatch(/answer›/);
    t.type('zzz');
    t.keys('Enter');
    await t.waitFor(/is not one of the choices|✓ Correct|~ Close|✗ Not quite/, 'an answer to the answer', 60_000);
    t.keys('Escape');
    await t.waitFor(/Shell/, 'the lesson layout again');
  });

  it('opens the exam screen with F6', async () => {
    t.keys('F6');
    await t.waitFor(/Exam drill[\s\S]*CKA[\s\S]*CKAD/, 'the exam screen');
    t.keys('Escape');
    await t.waitFor(/Shell/, 'the lesson layout again');
  });

  it('follows a resize of the terminal', async () => {
    t.resize(90, 30);
    const screen = await t.waitFor(/Shell/, 'the layout at 90 columns');
    const lines = screen.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(90);
    t.keys('Enter');
    t.type('stty size');
    t.keys('Enter');
    const { shellRows, shellCols } = layout(90, 30);
    await t.waitFor(new RegExp(`\\b${shellRows} ${shellCols}\\b`), 'the shell to see its new size');
  });

  it('quits with F10 and leaves the terminal as it was', async () => {
    t.keys('F10');
    await t.waitFor(/see you next time/, 'the goodbye', 30_000);
    const after = await t.waitFor(/before-the-tutor/, 'the screen from before');
    expect(after).not.toContain('Shell');
    t.type('stty -g | diff - stty-before && echo TERMINAL-SANE');
    t.keys('Enter');
    await t.waitFor(/^TERMINAL-SANE$/m, 'the terminal settings to be as before');
  });
});

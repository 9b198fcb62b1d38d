// The quiz and the exam drill as a person uses them, in tmux at the smallest and a large size: an
// answer sent with its Enter in one write and a bracketed paste are both taken, a round stepped
// out of is taken up again, and a CKAD drill started with F6 ends in a report that lists every
// task with ✓ or ✗, its checks and its model solution.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/serve.js';
import { Tmux } from '../helpers/tmux.js';

/** Something came back for the answer: a verdict, or why it could not be graded. */
const ANSWERED = /Enter: next question|is not one of the choices|no manifest file|Something went wrong/;

for (const [cols, rows] of [[80, 24], [200, 50]] as const) {
  describe(`the quiz and the exam in tmux at ${cols}×${rows}`, () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-tui-exam-'));
    // Made when this size's tests start: each size's tmux server is gone before the next starts.
    let t: Tmux;
    beforeAll(() => {
      t = new Tmux(cols, rows, { KUBEDOJO_HOME: home, HOME: home, SHELL: '/bin/bash', KUBECACHEDIR: path.join(home, 'kubecache'), EDITOR: 'vim' }, home);
    });
    afterAll(() => {
      t.kill();
      rmSync(home, { recursive: true, force: true });
    });

    it('takes a quiz answer sent with its Enter, keeps the round when stepped out of, and takes a bracketed paste', async () => {
      await t.waitFor(/outer\$/, 'the outer shell');
      t.type(`node ${BIN} --speed 30`);
      t.keys('Enter');
      await t.waitFor(/dojo:\S*\$/, 'the sandbox shell prompt', 60_000);
      // Nothing busy in the status bar: the lesson is set up, and F5 is taken.
      await t.waitFor(/step \d\/\d [░█]+ \d\/\d F1 help/, 'the lesson to be ready', 60_000);
      t.keys('F5');
      await t.waitFor(/question 1 of \d+/, 'the quiz');
      t.keys('b', 'Enter');
      const first = await t.waitFor(ANSWERED, 'the answer sent with its Enter to be taken', 60_000);
      expect(first).not.toMatch(/Something went wrong/);
      const score = /score (\d+\/\d+)/.exec(first)?.[1];
      t.keys('Escape');
      await t.waitFor(/Shell/, 'the lesson layout');
      t.keys('F5');
      const back = await t.waitFor(/question 1 of \d+/, 'the same round again');
      expect(back).toContain(`score ${score}`);
      if (/Enter: next question/.test(back)) {
        t.keys('Enter');
        await t.waitFor(/question 2 of \d+/, 'the next question');
      }
      t.type('\u001b[200~a\u001b[201~');
      t.keys('Enter');
      const pasted = await t.waitFor(ANSWERED, 'the pasted answer to be taken', 60_000);
      expect(pasted).not.toMatch(/Something went wrong/);
      t.keys('Escape');
      await t.waitFor(/Shell/, 'the lesson layout');
    }, 240_000);

    it('runs a CKAD drill from F6 to its report: every task with ✓ or ✗, its checks and its model solution', async () => {
      t.keys('F6');
      await t.waitFor(/Exam drill[\s\S]*CKAD/, 'the exam screen');
      t.keys('d');
      await t.waitFor(/Exam tasks/, 'the exam tasks', 180_000);
      await t.waitFor(/EXAM \d:\d\d:\d\d left/, 'the exam clock');
      t.keys('F2');
      await t.waitFor(/off during an exam/, 'F2 saying it is off');
      t.keys('Escape');
      await t.waitFor(/^(?![\s\S]*off during an exam)/, 'the note to close');
      t.keys('F9');
      t.keys('S');
      await t.waitFor(/17 of 17 tasks untouched/, 'the submit question with its counts', 60_000);
      t.keys('y');
      const top = await t.waitFor(/not passed/, 'the report', 180_000);
      expect(top).toMatch(/Domains/);
      // The report is read page by page, as a learner would scroll it.
      let seen = top;
      for (let i = 0; i < 6; i++) {
        t.keys('PageDown');
        await new Promise((r) => setTimeout(r, 200));
        seen += `\n${t.screen()}`;
      }
      expect(seen).toMatch(/✗ \d+\. /);
      expect(seen).toMatch(/ {3}✗ \S/);
      expect(seen).toContain('Model solution:');
      for (const line of seen.split('\n')) expect([...line].length).toBeLessThanOrEqual(cols);
      t.keys('F10');
      await t.waitFor(/outer\$/, 'the outer shell again', 30_000);
    }, 600_000);
  });
}

// Lesson text in the terminal tutor as a person sees it, in tmux at 80×24 and 200×50: the
// cronjobs lesson opened from the lesson list (F4, arrows, Enter) shows its whole title and its
// schedule table as a table, and the status bar is not clipped.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLessons } from '../../src/core/lessons/loader.js';
import { layout } from '../../src/tui/layout.js';
import { BIN } from '../helpers/serve.js';
import { Tmux } from '../helpers/tmux.js';

const lessons = loadLessons();
const cronjobs = lessons.find((l) => l.id === 'cronjobs');
const index = lessons.findIndex((l) => l.id === 'cronjobs');
const homes: string[] = [];
const sessions: Tmux[] = [];
afterAll(() => {
  for (const t of sessions) t.kill();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

/** The tutor started in tmux at this size, on a fresh home: it opens on the first lesson. */
async function tutor(cols: number, rows: number): Promise<Tmux> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-tui-text-'));
  homes.push(home);
  const t = new Tmux(cols, rows, { KUBEDOJO_HOME: home, HOME: home, SHELL: '/bin/bash', KUBECACHEDIR: path.join(home, 'kubecache') }, home);
  sessions.push(t);
  await t.waitFor(/outer\$/, 'the outer shell');
  t.type(`node ${BIN} --speed 30`);
  t.keys('Enter');
  await t.waitFor(/dojo:\S*\$/, 'the sandbox shell prompt', 90_000);
  return t;
}

/** Opens the cronjobs lesson from the list: the first lesson is selected, cronjobs is further down. */
async function openCronjobs(t: Tmux): Promise<string> {
  t.keys('F4');
  await t.waitFor(/Lessons · \d+ of \d+ done/, 'the lesson list');
  for (let i = 0; i < index; i++) t.keys('Down');
  await t.waitFor(new RegExp(`${cronjobs?.summary.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'cronjobs to be chosen');
  t.keys('Enter');
  // Set up once nothing is busy: a busy status ends in "…".
  return t.waitFor(/cronjobs · step 1\/\d (?![^\n]*…)[^\n]*F1 help/, 'the cronjobs lesson, set up', 60_000);
}

/** The lesson pane's text, its border and padding taken off, lines kept. */
function lessonPane(screen: string, cols: number): string[] {
  const width = layout(cols, 24).lesson.width;
  return screen.split('\n').map((l) => [...l].slice(2, width - 1).join('').trimEnd());
}

describe('lesson text in the terminal tutor, in tmux', () => {
  it('at 200×50 shows the cronjobs title on one line and its schedule table as a table', async () => {
    const t = await tutor(200, 50);
    const screen = await openCronjobs(t);
    const pane = lessonPane(screen, 200);
    expect(pane).toContain(cronjobs?.title);
    const header = pane.findIndex((l) => /^schedule\s+│ runs$/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(pane[header + 1]).toMatch(/^─+┼─+$/);
    expect(pane[header + 2]).toMatch(/^\*\/1 \* \* \* \*\s+│ every minute$/);
    expect(pane.join('\n')).not.toMatch(/\| --- \|/);
    const status = screen.trimEnd().split('\n').pop() ?? '';
    expect(status).toMatch(/F1 help {2}F2 hint {2}F3 solution {2}F4 lessons {2}F10 quit {2}F9 focus$/);
    t.keys('F10');
    await t.waitFor(/see you next time/, 'the goodbye', 30_000);
  });

  it('at 80×24 shows the whole title, the table once scrolled to, and a status bar whose labels are whole', async () => {
    const t = await tutor(80, 24);
    const screen = await openCronjobs(t);
    const pane = lessonPane(screen, 80);
    expect(pane.join(' ').replace(/\s+/g, ' ')).toContain(cronjobs?.title);
    const status = screen.trimEnd().split('\n').pop() ?? '';
    expect([...status].length).toBeLessThanOrEqual(80);
    expect(status).not.toContain('…');
    expect(status).toMatch(/cronjobs · step 1\/\d .*F1 help F2 hint F3 solve F4 list( F10 quit)?$/);
    // The pane scrolls a line at a time once it has focus (F9 moves focus from the shell to the lesson).
    t.keys('F9');
    await t.waitFor(/Lesson ●/, 'the lesson pane focused');
    const whole = (screen: string) => lessonPane(screen, 80).some((l, i, all) => /^schedule\s+│ runs$/.test(l) && /^\*\/1 /.test(all[i + 2] ?? ''));
    let table = t.screen();
    for (let i = 0; i < 40 && !whole(table); i++) {
      const before = table;
      t.keys('Down');
      // The next frame: the pane moved up a line.
      for (const deadline = Date.now() + 5_000; table === before && Date.now() < deadline; table = t.screen()) await new Promise((r) => setTimeout(r, 50));
    }
    const scrolled = lessonPane(table, 80);
    const header = scrolled.findIndex((l) => /^schedule\s+│ runs$/.test(l));
    expect(header).toBeGreaterThanOrEqual(0);
    expect(scrolled[header + 1]).toMatch(/^─+┼─+$/);
    expect(scrolled[header + 2]).toMatch(/^\*\/1 \* \* \* \*\s+│ every$/);
    t.keys('F10');
    await t.waitFor(/see you next time/, 'the goodbye', 30_000);
  });
});

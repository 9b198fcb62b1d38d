// A Killercoda scenario played in the terminal tutor as a learner plays it, in tmux: opened from
// the F4 list of a collection, its scripts read and agreed to, each step solved in the shell
// (typed, or put there by the copy key), each step turning ✓ by its verify script, to the finish.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/serve.js';
import { Tmux } from '../helpers/tmux.js';

const collection = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'scenarios', 'garden');
const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-scenario-'));
const t = new Tmux(140, 45, { KUBEDOJO_HOME: home, HOME: home, SHELL: '/bin/bash', KUBECACHEDIR: path.join(home, 'kubecache') }, home);
afterAll(async () => {
  t.keys('F10');
  await t.waitFor(/outer\$ *$/m, 'the outer shell again').catch(() => undefined);
  t.kill();
  rmSync(home, { recursive: true, force: true, maxRetries: 5 });
});

/** The scenario pane's lines (the left part of the screen), where the marks are. */
const pane = () =>
  t
    .screen()
    .split('\n')
    .map((l) => l.slice(0, l.indexOf('│', 1) + 1 || undefined))
    .join('\n');

describe('a Killercoda scenario in the terminal tutor', () => {
  it('lists the collection in F4 beside the lessons, an unplayable one with its reason', async () => {
    await t.waitFor(/outer\$/, 'the outer shell');
    t.type(`node ${BIN} scenario ${collection}`);
    t.keys('Enter');
    await t.waitFor(/Killercoda scenarios/, 'the scenarios in the list', 90_000);
    expect(t.screen()).toMatch(/Water the fern +0\/2/);
    expect(t.screen()).toMatch(/✗ Look around a node +not playable/);
    t.keys('Down');
    await t.waitFor(/Cannot be played here: it logs in to a node with ssh/, 'the reason');
    t.keys('Enter');
    await t.waitFor(/cannot be played here/, 'the scenario refused');
    t.keys('Escape');
    await t.waitFor(/Killercoda scenarios ·/, 'the list again');
    t.keys('Up');
    await t.waitFor(/its scripts are shown before they first run/, 'the playable scenario chosen');
  });

  it('shows every script before any runs, and starts nothing on no', async () => {
    t.keys('Enter');
    await t.waitFor(/Run the scripts of "Water the fern"\?/, 'the consent');
    expect(t.screen()).toContain('── intro-bg.sh · set-up (background) ──');
    expect(t.screen()).toContain('kubectl create namespace garden');
    t.type('n');
    await t.waitFor(/was not started: nothing of it ran/, 'the refusal');
    t.keys('Escape');
    await t.waitFor(/Killercoda scenarios ·/, 'the list again');
    expect(readdirSync(path.join(home, 'sandbox'))).not.toContain('.scenario');
  });

  it('starts on a yes: the set-up runs, the foreground script in the shell, the first step marked not yet tried', async () => {
    t.keys('Enter');
    await t.waitFor(/Run the scripts of "Water the fern"\?/, 'the consent again');
    t.type('y');
    await t.waitFor(/Plant the fern/, 'the first step', 60_000);
    await t.waitFor(/garden set-up typed in your terminal/, 'the foreground script run in the shell', 30_000);
    expect(pane()).toMatch(/○ Plant the fern/);
    expect(pane()).not.toMatch(/\{\{exec\}\}|\{\{copy\}\}|<details>/);
    expect(pane()).toContain('[1] Alt+1 types this into the shell');
  });

  it('marks a wrong try ✗, and ✓ once the step is solved by typing kubectl', async () => {
    t.type('kubectl -n garden run fern --image=nginx:1.25');
    t.keys('Enter');
    await t.waitFor(/✗ Plant the fern/, 'the wrong try marked', 30_000);
    t.type('kubectl -n garden delete pod fern --wait=false; kubectl -n garden run fern --image=nginx:1.27');
    t.keys('Enter');
    await t.waitFor(/✓ Plant the fern/, 'the step passed', 60_000);
    await t.waitFor(/step 2 of 2/, 'the second step');
  });

  it('shows the step\'s solution behind F3 and puts its block into the shell with the copy key', async () => {
    expect(pane()).not.toContain('label pod');
    t.keys('F3');
    await t.waitFor(/Show the solution/, 'the question');
    t.type('y');
    await t.waitFor(/Solution[\s\S]*kubectl -n garden label pod/, 'the solution');
    t.keys('M-1');
    await t.waitFor(/dojo:\S*\$ kubectl -n garden label pod fern care=weekly/, 'the block on the input line');
    t.keys('Enter');
    await t.waitFor(/✓ Tag the fern/, 'the second step passed', 60_000);
    await t.waitFor(/The fern is planted and tagged/, 'the finish text');
    await t.waitFor(/Scenario done/, 'the end');
  });

  it('keeps the finished steps in the learner\'s progress', () => {
    const dir = path.join(home, 'progress', 'learners');
    const record = JSON.parse(readFileSync(path.join(dir, readdirSync(dir)[0]), 'utf8'));
    const kept = record.record.scenarios[path.join(collection, 'water-fern')];
    expect(kept.passed).toEqual([0, 1]);
    expect(kept.finishedAt).toEqual(expect.any(String));
    expect(kept.agreed).toMatch(/^[0-9a-f]{64}$/);
  });
});

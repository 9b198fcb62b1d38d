// How the terminal tutor starts, as a person starts it (in tmux, a fresh data dir): the simulated
// cluster comes up on a thread of its own, and the thread that draws the tutor loads none of the
// simulator's code to start it, so the two load side by side instead of one after the other.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { moduleRecorder, modulesLoaded } from '../helpers/module-recorder.js';
import { BIN } from '../helpers/serve.js';
import { Tmux } from '../helpers/tmux.js';

const dirs: string[] = [];
const sessions: Tmux[] = [];
afterAll(() => {
  for (const t of sessions) t.kill();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// The API server, the cluster's store, controllers, kubelets and kinds, and the certificate library
// the cluster's thread makes its certificates with.
const SIMULATOR = /\/dist\/src\/core\/(apiserver|cluster\/(controllers|kubelet|scheduler|kinds|admission|network))\/|\/dist\/src\/core\/cluster\/(cluster|store|factory|bootstrap|journal|certificates)\.js$|\/dist\/src\/core\/hosting\/(serve|cluster-host|sandboxes)\.js$|\/node_modules\/@peculiar\//;

describe('the terminal tutor starting', () => {
  it('draws the full first frame with the cluster up, and its drawing thread never loads the simulator', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-tui-start-'));
    dirs.push(home);
    const loaded = path.join(home, 'loaded.txt');
    writeFileSync(loaded, '');
    const record = moduleRecorder(home);
    const t = new Tmux(120, 40, { KUBEDOJO_HOME: home, HOME: home, SHELL: '/bin/bash', KUBECACHEDIR: path.join(home, 'kubecache'), KUBEDOJO_LOADED: loaded }, home);
    sessions.push(t);
    await t.waitFor(/outer\$/, 'the outer shell');
    t.type(`node --import ${record} ${BIN}`);
    t.keys('Enter');
    // The full frame: the lesson's text, the shell's prompt, the cluster pane read from the cluster, the status bar.
    await t.waitFor(/(?=[\s\S]*step 1 of \d)(?=[\s\S]*dojo:\S*\$)(?=[\s\S]*PODS \(\d+\))(?=[\s\S]*F1 help)/, 'the full first frame', 90_000);
    t.keys('F10');
    await t.waitFor(/see you next time/, 'the goodbye', 30_000);

    const modules = modulesLoaded(loaded);
    expect(modules.some((m) => m.includes('/dist/src/core/hosting/serve-in-worker.js'))).toBe(true);
    expect(modules.some((m) => m.includes('/dist/src/tui/main.js'))).toBe(true);
    expect(modules.filter((m) => SIMULATOR.test(m))).toEqual([]);
  });
});

// The sandbox shell set up as the CKA and CKAD environments are: `k` is kubectl, Tab completes for
// both against the real cluster, and vim indents YAML with two spaces, after the learner's vimrc.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShellSession } from '../../../src/tui/pty/shell-session.js';
import { screenText } from '../../../src/tui/pty/screen.js';
import { ClusterHost } from '../../../src/core/hosting/cluster-host.js';
import { kubectlEnv, removeKubectlCaches } from '../../helpers/kubectl.js';

let host: ClusterHost;
const dirs: string[] = [];
const sessions: ShellSession[] = [];
beforeAll(async () => {
  host = await ClusterHost.start();
});
afterAll(async () => {
  for (const s of sessions) s.dispose();
  await host?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  removeKubectlCaches();
});

function open(): { shell: ShellSession; home: string } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-exam-shell-'));
  dirs.push(home);
  const sandbox = host.create();
  const shell = new ShellSession({ shell: 'bash', cwd: home, env: { ...kubectlEnv(), HOME: home, KUBECONFIG: sandbox.kubeconfig, KUBEDOJO_PS1: 'dojo$ ' }, cols: 100, rows: 20, frameMs: 5 });
  sessions.push(shell);
  return { shell, home };
}

async function screenShows(s: ShellSession, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screenText(s.screen()).join('\n');
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the screen never showed ${pattern}:\n${text}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

const done = (s: ShellSession) => new Promise<void>((r) => s.once('commandDone', () => r()));

describe('the exam environment shell', () => {
  it('completes a pod name with Tab after `k get po`, as kubectl completion does for k', async () => {
    const { shell } = open();
    const ready = new Promise<void>((r) => shell.once('ready', () => r()));
    shell.start();
    await ready;
    const created = done(shell);
    shell.write('k run tabby-7f9c --image=nginx\r');
    await created;
    await screenShows(shell, /pod\/tabby-7f9c created/);
    shell.write('clear\r');
    await screenShows(shell, /^dojo\$\s*$/m);
    shell.write('k get po \t');
    await screenShows(shell, /dojo\$ k get po tabby-7f9c/);
    const listed = done(shell);
    shell.write('\r');
    await listed;
    expect(await screenShows(shell, /^tabby-7f9c\s+\d\/1/m)).toMatch(/NAME\s+READY\s+STATUS/);
  });

  it('starts vim with two-space, space-only indents for YAML and no automatic indent to pile onto a paste, after the learner\'s own vimrc', async () => {
    const { shell, home } = open();
    writeFileSync(path.join(home, '.vimrc'), 'set number\n');
    const ready = new Promise<void>((r) => shell.once('ready', () => r()));
    shell.start();
    await ready;
    const out = path.join(home, 'settings.txt');
    const quit = done(shell);
    shell.write(`vim -c 'redir! > ${out}' -c 'set shiftwidth? tabstop? expandtab? autoindent? indentexpr? number?' -c 'redir END' -c 'qa!' pod.yaml\r`);
    await quit;
    const settings = readFileSync(out, 'utf8');
    expect(settings).toMatch(/shiftwidth=2/);
    expect(settings).toMatch(/tabstop=2/);
    expect(settings).toMatch(/\bexpandtab/);
    expect(settings).toMatch(/indentexpr=\s*$/m);
    expect(settings).toMatch(/noautoindent/);
    expect(settings).toMatch(/\bnumber/);
  });

  it('keeps a pasted manifest\'s indentation in vim, line for line', async () => {
    const { shell, home } = open();
    const ready = new Promise<void>((r) => shell.once('ready', () => r()));
    shell.start();
    await ready;
    const manifest = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: pasted', 'spec:', '  containers:', '  - name: web', '    image: nginx', '    ports:', '    - containerPort: 80'];
    shell.write('vim pasted.yaml\r');
    await screenShows(shell, /pasted\.yaml/);
    // A paste arrives as one burst of keys, newlines as carriage returns.
    shell.write(`i${manifest.join('\r')}\u001b`);
    const saved = done(shell);
    shell.write(':wq\r');
    await saved;
    expect(readFileSync(path.join(home, 'pasted.yaml'), 'utf8')).toBe(`${manifest.join('\n')}\n`);
  });
});

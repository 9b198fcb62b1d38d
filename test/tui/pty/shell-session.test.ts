// The sandbox shell on a real pseudo-terminal: bytes in, screen lines out, colours, resize,
// full-screen programs, command-finished marks, and a new shell when the old one exits.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ShellSession } from '../../../src/tui/pty/shell-session.js';
import { screenText } from '../../../src/tui/pty/screen.js';

const sessions: ShellSession[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(opts: Partial<ConstructorParameters<typeof ShellSession>[0]> = {}): ShellSession {
  const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-pty-'));
  dirs.push(home);
  const s = new ShellSession({ shell: 'bash', cwd: home, env: { HOME: home, KUBEDOJO_PS1: 'dojo$ ' }, cols: 60, rows: 12, frameMs: 5, ...opts });
  sessions.push(s);
  return s;
}

/** Waits until the screen shows `pattern`, or fails with what it shows. */
async function screenShows(s: ShellSession, pattern: RegExp, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screenText(s.screen());
    if (pattern.test(text.join('\n'))) return text;
    if (Date.now() > deadline) throw new Error(`the screen never showed ${pattern}:\n${text.join('\n')}`);
    await new Promise<void>((r) => s.once('frame', r) && setTimeout(r, 50));
  }
}

function next<K extends 'ready' | 'commandDone' | 'exit' | 'respawn'>(s: ShellSession, event: K): Promise<unknown[]> {
  return new Promise((resolve) => s.once(event, ((...args: unknown[]) => resolve(args)) as never));
}

describe('the sandbox shell', () => {
  it('runs a real shell: typed bytes come back as screen lines, with the command\'s output', async () => {
    const s = open();
    const ready = next(s, 'ready');
    s.start();
    await ready;
    s.write('echo hello from $((6*7))\r');
    const lines = await screenShows(s, /^hello from 42$/m);
    expect(lines.some((l) => l.startsWith('dojo$ echo hello from $((6*7))'))).toBe(true);
  });

  it('reports each finished command with its exit code, its line and what it printed', async () => {
    const s = open();
    const ready = next(s, 'ready');
    s.start();
    await ready;
    // Each command is typed at a drawn prompt, as a person would: typed ahead, the terminal's
    // own echo would land among the command's output.
    const atPrompt = (n: number) => screenShows(s, new RegExp(`^(dojo\\$.*\\n){${n}}dojo\\$ ?$`, 'm'));
    let done = next(s, 'commandDone');
    s.write('true\r');
    expect(await done).toEqual([0, 'true', '']);
    await atPrompt(1);
    done = next(s, 'commandDone');
    s.write('(exit 3)\r');
    expect(await done).toEqual([3, '(exit 3)', '']);
    await atPrompt(2);
    // Semicolons and backslashes survive the mark's escapes.
    done = next(s, 'commandDone');
    s.write("echo 'a;b\\c' ; true\r");
    expect(await done).toEqual([0, "echo 'a;b\\c' ; true", 'a;b\\c']);
  });

  it('keeps colours and attributes as styled spans', async () => {
    const s = open();
    const ready = next(s, 'ready');
    s.start();
    await ready;
    s.write("printf '\\033[1;31mred\\033[0m plain \\033[38;2;1;2;3mrgb\\033[0m\\n'\r");
    await screenShows(s, /^red plain rgb$/m);
    const row = s.screen().lines.find((l) => l.map((x) => x.text).join('') === 'red plain rgb')!;
    expect(row[0]).toEqual({ text: 'red', fg: 1, bold: true });
    expect(row[1]).toEqual({ text: ' plain ' });
    expect(row[2]).toEqual({ text: 'rgb', fg: '#010203' });
  });

  it('follows a resize: the program inside sees the new size', async () => {
    const s = open();
    const ready = next(s, 'ready');
    s.start();
    await ready;
    s.resize(100, 30);
    expect(s.screen().lines).toHaveLength(30);
    s.write('stty size\r');
    await screenShows(s, /^30 100$/m);
  });

  it('draws a full-screen program on the alternate screen and restores the shell after', async () => {
    const s = open();
    const ready = next(s, 'ready');
    s.start();
    await ready;
    s.write('echo before\r');
    await screenShows(s, /^before$/m);
    s.write('less /etc/os-release\r');
    await screenShows(s, /NAME=/);
    expect(screenText(s.screen()).join('\n')).not.toMatch(/^before$/m);
    s.write('q');
    await screenShows(s, /^before$/m);
  });

  it('scrolls back through earlier output and returns to the bottom on a key', async () => {
    const s = open();
    const ready = next(s, 'ready');
    s.start();
    await ready;
    s.write('for i in $(seq 1 40); do echo line$i; done\r');
    await screenShows(s, /^line40$/m);
    s.scroll(20);
    const back = s.screen();
    expect(back.scrolledBack).toBe(20);
    expect(back.cursor).toBeUndefined();
    expect(screenText(back).join('\n')).toMatch(/^line2\d$/m);
    s.write('\r');
    expect(s.screen().scrolledBack).toBe(0);
  });

  it('starts a new shell when the shell exits', async () => {
    const s = open();
    const ready = next(s, 'ready');
    s.start();
    await ready;
    const firstPid = s.pid;
    const exited = next(s, 'exit');
    const respawned = next(s, 'respawn');
    s.write('exit 4\r');
    expect((await exited)[0]).toBe(4);
    await respawned;
    await screenShows(s, /the shell exited; a new one is starting/);
    expect(s.pid).toBeDefined();
    expect(s.pid).not.toBe(firstPid);
    s.write('echo again\r');
    await screenShows(s, /^again$/m);
  });
});

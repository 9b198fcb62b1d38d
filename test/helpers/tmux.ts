// Driving a full-screen program as a person would: a detached tmux session of a given size,
// keys sent with send-keys, the screen read with capture-pane.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export class Tmux {
  readonly name = `kd-${randomBytes(4).toString('hex')}`;
  private readonly socket = `kd-test-${process.pid}`;

  /** Starts an interactive bash (prompt `outer$ `) with these variables, in `cwd`. */
  constructor(cols: number, rows: number, env: Record<string, string>, cwd: string) {
    const rc = path.join(cwd, '.outer-bashrc');
    writeFileSync(rc, `${Object.entries(env).map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`).join('\n')}\nPS1='outer$ '\n`);
    this.tmux(['-f', '/dev/null', 'new-session', '-d', '-s', this.name, '-x', String(cols), '-y', String(rows), '-c', cwd, `bash --rcfile ${rc} --noprofile -i`]);
    this.tmux(['set-option', '-t', this.name, 'window-size', 'manual']);
  }

  tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Types text (literally), or named keys such as F2, Enter, C-c. */
  type(text: string): void {
    this.tmux(['send-keys', '-t', this.name, '-l', text]);
  }

  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  screen(): string {
    return this.tmux(['capture-pane', '-p', '-t', this.name]);
  }

  resize(cols: number, rows: number): void {
    this.tmux(['resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows)]);
  }

  /** Waits until the screen matches, polling; fails showing the last screen. */
  async waitFor(pattern: RegExp, what: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (pattern.test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what} (${pattern}); the screen shows:\n${last}`);
  }

  kill(): void {
    try {
      this.tmux(['kill-server']);
    } catch {
      // Already gone.
    }
  }
}

// The sandbox shell: a real pseudo-terminal (node-pty) whose output is kept by a headless xterm,
// so the tutor can draw the screen (colours, cursor, scroll-back) inside a pane. Frames are
// announced at a throttled rate; the shell is started again when it exits.
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import path from 'node:path';
import * as pty from 'node-pty';
import xterm from '@xterm/headless';
import { readScreen, type Screen } from './screen.js';
import { COMMAND_DONE_OSC, COMMAND_LINE_OSC, commandLineOf, launchShell } from './shell-hooks.js';

const { Terminal } = xterm;

export interface ShellSessionOptions {
  /** The shell to run (default: $SHELL, else bash). */
  shell?: string;
  cwd: string;
  env?: Record<string, string | undefined>;
  cols: number;
  rows: number;
  scrollback?: number;
  /** The least time between two frame events. */
  frameMs?: number;
  /** Start a new shell when this one exits (default true). */
  respawn?: boolean;
}

export interface ShellEvents {
  frame: [];
  /** A command finished and the shell is back at its prompt; the first prompt is `ready`. */
  /** A command finished: its exit status, and its line when the shell said it. */
  commandDone: [exitCode: number, line: string | undefined, output: string | undefined];
  ready: [];
  exit: [exitCode: number, signal: number | undefined];
  respawn: [];
}

export class ShellSession extends EventEmitter<ShellEvents> {
  private readonly term: InstanceType<typeof Terminal>;
  private proc?: pty.IPty;
  private frameTimer?: NodeJS.Timeout;
  private lastFrame = 0;
  private scrolledBack = 0;
  private cursorHidden = false;
  private disposed = false;
  private prompts = 0;
  private lastLine?: string;
  /** The buffer row the last prompt was drawn on: a command's output lies between two prompts. */
  private promptRow?: number;
  private readonly rcDirs: string[] = [];
  cols: number;
  rows: number;

  constructor(private readonly opts: ShellSessionOptions) {
    super();
    this.cols = opts.cols;
    this.rows = opts.rows;
    this.term = new Terminal({ cols: opts.cols, rows: opts.rows, scrollback: opts.scrollback ?? 2000, allowProposedApi: true });
    this.term.parser.registerOscHandler(COMMAND_DONE_OSC, (data) => {
      const m = /^D;?(\d*)/.exec(data);
      if (m) {
        const code = m[1] ? Number(m[1]) : 0;
        // The mark arrives in the same write as the prompt; announce once the prompt is drawn.
        const line = this.lastLine;
        this.lastLine = undefined;
        const output = this.outputSincePrompt();
        queueMicrotask(() => (this.prompts++ === 0 ? this.emit('ready') : this.emit('commandDone', code, line, output)));
      }
      return true;
    });
    this.term.parser.registerOscHandler(COMMAND_LINE_OSC, (data) => {
      this.lastLine = commandLineOf(data);
      return true;
    });
    this.term.parser.registerCsiHandler({ prefix: '?', final: 'h' }, (params) => {
      if (params.includes(25)) this.cursorHidden = false;
      return false;
    });
    this.term.parser.registerCsiHandler({ prefix: '?', final: 'l' }, (params) => {
      if (params.includes(25)) this.cursorHidden = true;
      return false;
    });
    // Answers to the program's queries (cursor position, device attributes) go back to it.
    this.term.onData((d) => this.proc?.write(d));
  }

  start(): this {
    const shell = this.opts.shell || process.env.SHELL || 'bash';
    const env = Object.fromEntries(Object.entries({ ...process.env, ...this.opts.env, TERM: 'xterm-256color', COLORTERM: 'truecolor' }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const launch = launchShell(shell, env);
    if (launch.env.ZDOTDIR && launch.env.ZDOTDIR !== env.ZDOTDIR) this.rcDirs.push(launch.env.ZDOTDIR);
    const rc = launch.args[launch.args.indexOf('--rcfile') + 1];
    if (launch.args.includes('--rcfile') && rc) this.rcDirs.push(path.dirname(rc));
    this.prompts = 0;
    this.proc = pty.spawn(launch.file, launch.args, { name: 'xterm-256color', cols: this.cols, rows: this.rows, cwd: this.opts.cwd, env: launch.env });
    const proc = this.proc;
    proc.onData((data) => {
      this.term.write(data, () => this.scheduleFrame());
    });
    proc.onExit(({ exitCode, signal }) => {
      if (this.proc !== proc) return;
      this.proc = undefined;
      // Flush what the shell wrote last before saying it is gone.
      this.term.write('', () => {
        this.emit('exit', exitCode, signal);
        if (!this.disposed && this.opts.respawn !== false) {
          this.term.write('\r\n\u001b[2m[the shell exited; a new one is starting]\u001b[0m\r\n', () => {
            this.start();
            this.emit('respawn');
          });
        }
      });
    });
    return this;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Keys typed by the learner, as bytes for the terminal. */
  write(data: string): void {
    if (this.scrolledBack) {
      this.scrolledBack = 0;
      this.scheduleFrame();
    }
    this.proc?.write(data);
  }

  resize(cols: number, rows: number): void {
    if (cols === this.cols && rows === this.rows) return;
    this.cols = Math.max(2, cols);
    this.rows = Math.max(1, rows);
    this.term.resize(this.cols, this.rows);
    this.proc?.resize(this.cols, this.rows);
    this.scheduleFrame();
  }

  /** Scrolls the view back (positive) or forward (negative) through the scroll-back. */
  scroll(lines: number): void {
    const max = this.term.buffer.active.baseY;
    this.scrolledBack = Math.max(0, Math.min(max, this.scrolledBack + lines));
    this.scheduleFrame();
  }

  /** True when a full-screen program (vim, less) wants the arrow keys in application mode. */
  get applicationCursorKeys(): boolean {
    return this.term.modes.applicationCursorKeysMode;
  }

  /**
   * What the command just finished printed: the rows between the prompt it was typed at (and the
   * rows its own long line wrapped onto) and the new prompt about to be drawn.
   */
  private outputSincePrompt(): string | undefined {
    const buf = this.term.buffer.active;
    const row = buf.baseY + buf.cursorY;
    const from = this.promptRow;
    this.promptRow = row;
    if (from === undefined || from >= row) return undefined;
    let r = from + 1;
    while (r < row && buf.getLine(r)?.isWrapped) r++;
    const lines: string[] = [];
    for (r = Math.max(r, row - 200); r < row; r++) lines.push(buf.getLine(r)?.translateToString(true) ?? '');
    return lines.join('\n');
  }

  screen(): Screen {
    return readScreen(this.term, this.scrolledBack, this.cursorHidden);
  }

  private scheduleFrame(): void {
    if (this.frameTimer) return;
    const wait = Math.max(0, (this.opts.frameMs ?? 16) - (Date.now() - this.lastFrame));
    this.frameTimer = setTimeout(() => {
      this.frameTimer = undefined;
      this.lastFrame = Date.now();
      this.emit('frame');
    }, wait);
  }

  dispose(): void {
    this.disposed = true;
    if (this.frameTimer) clearTimeout(this.frameTimer);
    const p = this.proc;
    this.proc = undefined;
    try {
      p?.kill('SIGHUP');
    } catch {
      // Already gone.
    }
    this.term.dispose();
    for (const d of this.rcDirs) rmSync(d, { recursive: true, force: true });
  }
}

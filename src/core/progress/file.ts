// The progress file on disk: a lowdb sync adapter whose writes survive a crash (temp file in the
// same folder, fsync, rename over, fsync the folder), a lock so that writers in several processes
// take turns, and the rule that a file we cannot read is put aside, never overwritten.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { SyncAdapter } from 'lowdb';
import { LearnerError } from '../problems.js';
import { isObject, normaliseLearner, normaliseTeams } from './records.js';
import { FORMAT_VERSION, type ProgressFile } from './types.js';

/** How long a writer waits for another to finish before giving up. */
const LOCK_WAIT_MS = 10_000;
/** A lock older than this is left over from a writer that died (a write takes milliseconds). */
const LOCK_STALE_MS = 30_000;

export class ProgressFileAdapter implements SyncAdapter<ProgressFile> {
  readonly lockPath: string;

  constructor(
    readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.lockPath = `${file}.lock`;
  }

  /** The file's content, null when there is none yet; a LearnerError (the file put aside) when it cannot be used. */
  read(): ProgressFile | null {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    return this.parse(text);
  }

  write(data: ProgressFile): void {
    const dir = path.dirname(this.file);
    mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `.${path.basename(this.file)}.${process.pid}.tmp`);
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeAll(fd, `${JSON.stringify(data, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    fsyncDir(dir);
  }

  /** A stamp that changes whenever the file is replaced (every write renames a new file in). */
  stamp(): string {
    try {
      const s = statSync(this.file);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return 'none';
    }
  }

  /** Runs fn while holding the file's lock (a lock file made with O_EXCL, holding our pid). */
  withLock<T>(fn: () => T): T {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const fd = openSync(this.lockPath, 'wx', 0o600);
        try {
          writeAll(fd, String(process.pid));
        } finally {
          closeSync(fd);
        }
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        if (this.breakStaleLock()) continue;
        if (Date.now() > deadline) {
          throw new LearnerError(
            `your progress file is locked by another kubedojo (${this.lockPath})`,
            'Wait for the other kubedojo to finish; if none is running, delete that lock file and try again.',
          );
        }
        sleep(5 + Math.floor(Math.random() * 10));
      }
    }
    try {
      return fn();
    } finally {
      try {
        unlinkSync(this.lockPath);
      } catch {
        // Already broken as stale by another process: nothing to release.
      }
    }
  }

  /** Removes temp files left by writers that were killed mid-write. */
  sweepTemps(): void {
    const dir = path.dirname(this.file);
    const prefix = `.${path.basename(this.file)}.`;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const m = name.startsWith(prefix) && /^(\d+)\.tmp$/.exec(name.slice(prefix.length));
      if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) {
        try {
          unlinkSync(path.join(dir, name));
        } catch {
          // Someone else swept it first.
        }
      }
    }
  }

  private breakStaleLock(): boolean {
    let pid: number;
    let age: number;
    try {
      pid = Number(readFileSync(this.lockPath, 'utf8'));
      age = Date.now() - statSync(this.lockPath).mtimeMs;
    } catch {
      return true; // released meanwhile: try again at once
    }
    // An empty lock is one being written right now, unless it is old.
    const dead = pid > 0 ? pid !== process.pid && !alive(pid) : age > 1_000;
    if (!dead && age < LOCK_STALE_MS) return false;
    try {
      unlinkSync(this.lockPath);
    } catch {
      // Another waiter broke it first.
    }
    return true;
  }

  private parse(text: string): ProgressFile {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      this.putAside('corrupt', 'is not valid JSON');
    }
    if (!isObject(data)) this.putAside('corrupt', 'does not hold a progress record');
    const { version, learners, teams } = data;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) this.putAside('corrupt', 'has no format version');
    if (version > FORMAT_VERSION) this.putAside('newer', `was written by a newer kubedojo (format ${version}; this one reads format ${FORMAT_VERSION})`);
    if (learners !== undefined && !isObject(learners)) this.putAside('corrupt', 'does not hold a progress record');
    const out: ProgressFile = { version: FORMAT_VERSION, learners: {}, teams: normaliseTeams(teams) };
    for (const [id, learner] of Object.entries(learners ?? {})) out.learners[id] = normaliseLearner(learner);
    return out;
  }

  private putAside(kind: 'corrupt' | 'newer', what: string): never {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    let aside = `${this.file}.${kind}-${stamp}`;
    for (let n = 1; existsSync(aside); n++) aside = `${this.file}.${kind}-${stamp}-${n}`;
    try {
      renameSync(this.file, aside);
    } catch (e) {
      throw new LearnerError(
        `your progress file ${this.file} ${what}, and it could not be moved aside (${(e as Error).message})`,
        'Move it somewhere else yourself; kubedojo will then start a new one.',
      );
    }
    throw new LearnerError(
      `your progress file ${this.file} ${what}; it was moved aside to ${aside}, untouched`,
      kind === 'newer'
        ? `Update kubedojo to a version that reads it, and move that file back to ${this.file} to keep your progress; run this version again to start a new record instead.`
        : `Run kubedojo again to start a new record; ${aside} is kept in case you want to repair it and move it back to ${this.file}.`,
    );
  }
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
}

/** Makes the rename itself durable; some platforms (Windows) cannot open a folder, and need not. */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

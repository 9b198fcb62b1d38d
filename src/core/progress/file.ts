// One progress file on disk (a learner's, or a channel's team exercise): replaced whole through a
// synced temp file so a crash leaves the old or the new version (durable-files.ts), a lock so
// that writers in several processes take turns, and the rule that a damaged file is kept aside
// before anything is written in its place.
import { closeSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { LearnerError } from '../problems.js';
import { copyAside, moveAside, privateDir, writeFileDurably } from '../durable-files.js';

/** How long a writer waits for another to finish before giving up. */
const LOCK_WAIT_MS = 10_000;
/** A lock older than this is left over from a writer that died (a write takes milliseconds). */
const LOCK_STALE_MS = 30_000;

export class RecordFile {
  readonly lockPath: string;

  constructor(
    readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.lockPath = `${file}.lock`;
  }

  /** The file's text, undefined when there is none. */
  readText(): string | undefined {
    try {
      return readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Replaces the file with the value as JSON, on disk when this returns. */
  write(value: unknown): void {
    privateDir(path.dirname(this.file));
    writeFileDurably(this.file, `${JSON.stringify(value, null, 2)}\n`);
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

  /** Moves the file aside untouched (it cannot be read at all); returns where, or undefined when another process did first. */
  moveAside(why: string): string | undefined {
    try {
      return moveAside(this.file, why, this.now());
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new LearnerError(`the progress file ${this.file} is damaged, and it could not be moved aside (${(e as Error).message})`, 'Move it somewhere else yourself; kubedojo will then start that record anew.');
    }
  }

  /** Copies the file aside (what could be read of it is about to be written in its place). */
  copyAside(why: string): string {
    return copyAside(this.file, why, this.now());
  }

  /** Runs fn while holding the file's lock (a lock file made with O_EXCL, holding our pid). */
  withLock<T>(fn: () => T): T {
    privateDir(path.dirname(this.file));
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const fd = openSync(this.lockPath, 'wx', 0o600);
        try {
          writeSync(fd, String(process.pid));
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
}

/** Removes temp files and locks left in the folder by writers that were killed mid-write. */
export function sweepLeftovers(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^\..+\.(\d+)\.tmp$/.exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) {
      try {
        unlinkSync(path.join(dir, name));
      } catch {
        // Someone else swept it first.
      }
    }
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

// Files that hold a learner's work (clusters, their logs, progress): private to the user (0600 in
// a 0700 folder), replaced whole through a synced temp file so a crash leaves the old or the new
// version and never a mix, and, when damaged, moved aside under a name no later save reuses.
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';

/** Makes the folder (and its parents) and closes it to everyone but the user. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A folder made by an older kubedojo, or under a looser umask, is closed too.
  chmodSync(dir, 0o700);
}

function tempFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
}

function writeAll(fd: number, data: Buffer): void {
  for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
}

/** Replaces the file with `text`, on disk when this returns. */
export function writeFileDurably(file: string, text: string | Buffer): void {
  const tmp = tempFor(file);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeAll(fd, typeof text === 'string' ? Buffer.from(text) : text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/** Makes a rename or a new file in the folder durable; some platforms cannot open a folder, and need not. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort (Windows)
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export async function fsyncDirAsync(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort (Windows)
  }
}

/** A name beside `file` for a copy kept aside, `<file>.<why>-<time>`, never one already taken. */
export function asideName(file: string, why: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let aside = `${file}.${why}-${stamp}`;
  for (let n = 1; existsSync(aside); n++) aside = `${file}.${why}-${stamp}-${n}`;
  return aside;
}

/** Moves a damaged file aside, untouched; returns where it went. */
export function moveAside(file: string, why: string, now?: Date): string {
  const aside = asideName(file, why, now);
  renameSync(file, aside);
  fsyncDir(path.dirname(file));
  return aside;
}

/** Copies a file aside (its original is about to be rewritten from what could be read of it). */
export function copyAside(file: string, why: string, now?: Date): string {
  const aside = asideName(file, why, now);
  copyFileSync(file, aside);
  chmodSync(aside, 0o600);
  const fd = openSync(aside, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  fsyncDir(path.dirname(file));
  return aside;
}

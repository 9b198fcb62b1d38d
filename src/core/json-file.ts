// A small JSON document on disk, written as the progress file is (temp file, fsync, rename), so a
// crash never leaves half of it. For state that is not a learner's record.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, existsSync } from 'node:fs';
import path from 'node:path';

export class JsonFile<T> {
  private cache?: T;

  constructor(
    readonly file: string,
    private readonly empty: T,
  ) {}

  read(): T {
    if (this.cache !== undefined) return this.cache;
    if (!existsSync(this.file)) return (this.cache = structuredClone(this.empty));
    try {
      this.cache = JSON.parse(readFileSync(this.file, 'utf8')) as T;
    } catch {
      // Unreadable: kept aside for a person, and a fresh document used.
      renameSync(this.file, `${this.file}.corrupt-${Date.now()}`);
      this.cache = structuredClone(this.empty);
    }
    return this.cache;
  }

  update(fn: (current: T) => T): T {
    const next = fn(this.read());
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      const buf = Buffer.from(JSON.stringify(next));
      for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    this.cache = next;
    return next;
  }
}

// What etcd's write-ahead log is to a real cluster: every change is appended to the cluster's log
// and synced to disk before the API server answers the write that made it (the API server's json()
// holds the answer), so a crash at any instant loses nothing a client was told had happened.
//
// Files, for a cluster saved as `<name>.json`:
//   <name>.json  a snapshot (snapshot.ts) at some resourceVersion R
//   <name>.log   the changes after it, one a line: `<crc32 hex> <json>\n`, the JSON being
//                {"rv":N,"r":"apps/deployments","k":"ns/name","o":{…}} (stored) or without "o"
//                (removed); the first line is the header `kubedojo-cluster-log 1`.
// Group commit: the changes made while one sync is under way go to disk together in the next.
// Compaction: once the log is twice the snapshot's size (and over 1 MiB), the state of that
// instant is written as a new snapshot, a slice at a time, while changes go on to
// `<name>.log.next`; once the snapshot is synced and renamed in, the next log is renamed over the
// log. A crash in between leaves both logs, replayed in order; records the snapshot already holds
// are skipped by their resourceVersion. So a compaction holds up no write.
// Start-up: the snapshot, then every record after R in order. A torn last record (the process
// died while appending it, so it was never acknowledged) is cut off. Anything else that cannot
// be read (a bad line between good ones, a malformed object) is left out and reported, and the
// file is kept aside before anything is written over it.
import { closeSync, existsSync, fdatasync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Cluster } from './cluster.js';
import type { KObject } from './kinds/types.js';
import type { Store, StoreJournal } from './store.js';
import { describeLeftOut, objectProblem, parseSnapshot, snapshotOf, usableObjects, type LeftOut, type Snapshot } from './snapshot.js';
import { copyAside, fsyncDir, fsyncDirAsync, privateDir, writeFileDurably } from '../durable-files.js';

const HEADER = 'kubedojo-cluster-log 1\n';
/** The log is compacted once it is larger than this (and than LOG_TO_SNAPSHOT times the snapshot). */
const MIN_COMPACT_BYTES = 1024 * 1024;
/**
 * The log may grow to this many times the snapshot: each compaction rewrites the whole state, so
 * its cost per change stays at half a change's worth, and a restart replays at most this much.
 */
const LOG_TO_SNAPSHOT = 2;

export interface LogRecord {
  rv: number;
  r: string;
  k: string;
  o?: KObject;
}

export interface OpenClusterOptions {
  /** The snapshot file, `<name>.json`; the log is `<name>.log` beside it. */
  file: string;
  /** Makes the cluster: empty (to be filled from the snapshot) or with the default objects. */
  make(empty: boolean): Cluster;
  /**
   * Write a snapshot at once when there is none. Otherwise a cluster never saved is written with
   * its first change: until then it is the default cluster, and writing it would only make many
   * new learners' first commands wait.
   */
  eager?: boolean;
  /** The log is compacted once larger than this and than twice the snapshot (tests make it small). */
  compactBytes?: number;
  now?: () => Date;
}

/** What happened to the saved state on the way in, in words; empty when it all came back. */
export interface Damage {
  /** For the person who runs kubedojo: what happened, where the files are, what to do next. */
  report: string;
  /** For a learner (no paths of the host): what happened to their cluster. */
  learner: string;
}

export interface OpenedCluster {
  cluster: Cluster;
  journal: Journal;
  damage?: Damage;
}

export function logFileOf(file: string): string {
  return file.replace(/\.json$/, '') + '.log';
}

/** Where records go while the log is being compacted into a snapshot. */
export function nextLogOf(logFile: string): string {
  return `${logFile}.next`;
}

/** Opens a saved cluster (or makes a new one) and keeps it on disk from now on. */
export function openCluster(opts: OpenClusterOptions): OpenedCluster {
  const now = opts.now ?? (() => new Date());
  const file = opts.file;
  const logFile = logFileOf(file);
  privateDir(path.dirname(file));
  const problems: string[] = [];
  const aside: string[] = [];
  let lost = false;

  let snapshot: Snapshot | undefined;
  let snapshotBytes = 0;
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    snapshotBytes = text.length;
    const parsed = parseSnapshot(text);
    if ('problem' in parsed) {
      problems.push(`the saved cluster ${file} could not be read: ${parsed.problem}`);
      lost = true;
    } else snapshot = parsed.snapshot;
  }
  const log = readLog(logFile);
  // A compaction under way when the process stopped left the changes made since in the next log.
  const nextFile = nextLogOf(logFile);
  const next = existsSync(nextFile) ? readLog(nextFile) : undefined;
  const records = next ? [...log.records, ...next.records] : log.records;
  const cluster = opts.make(snapshot !== undefined);

  let leftOut: LeftOut[] = [];
  if (snapshot) {
    const usable = usableObjects(cluster, snapshot);
    leftOut = usable.leftOut;
    if (leftOut.length) problems.push(`${count(leftOut.length, 'object')} in the saved cluster ${file} could not be used and ${leftOut.length === 1 ? 'was' : 'were'} left out: ${leftOut.map(describeLeftOut).join('; ')}`);
    cluster.store.load(usable.snapshot);
  }
  // The damaged snapshot is copied aside before anything is written; the original is only ever
  // replaced whole (by the snapshot of what could be read, below), so a crash in between finds
  // it still there and reports it again.
  if (problems.length) aside.push(copyAside(file, 'damaged', now()));

  const base = snapshot?.resourceVersion ?? 0;
  const skipped: LeftOut[] = [];
  let replayed = 0;
  for (const rec of records) {
    if (rec.rv <= base) continue;
    const why = rec.o === undefined ? undefined : objectProblem(cluster, rec.r, rec.k, rec.o);
    if (why) {
      skipped.push({ resource: rec.r, key: rec.k, why });
      continue;
    }
    cluster.store.replay(rec.r, rec.k, rec.o, rec.rv);
    replayed++;
  }
  const badLines = log.badLines + (next?.badLines ?? 0);
  const logProblem = log.problem ?? next?.problem;
  if (badLines || logProblem || skipped.length) {
    for (const f of [logFile, nextFile]) if (existsSync(f)) aside.push(copyAside(f, 'damaged', now()));
    if (logProblem) problems.push(`the cluster's log ${logFile} could not be read: ${logProblem}`);
    if (badLines) problems.push(`${count(badLines, 'change')} in the cluster's log ${logFile} could not be read and ${badLines === 1 ? 'was' : 'were'} skipped`);
    if (skipped.length) problems.push(`${count(skipped.length, 'change')} in the cluster's log ${logFile} held a malformed object and ${skipped.length === 1 ? 'was' : 'were'} skipped: ${skipped.map(describeLeftOut).join('; ')}`);
  } else if (!next && log.tornAt !== undefined) {
    // A record cut short by a crash was never synced, so never acknowledged: drop it quietly, and
    // make sure the next record does not follow it.
    const fd = openSync(logFile, 'r+');
    try {
      ftruncateSync(fd, log.tornAt);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  if (snapshot || replayed) cluster.reloaded();

  const damaged = problems.length > 0;
  const journal = new Journal(cluster, file, logFile, {
    hasBase: snapshot !== undefined,
    logBytes: log.tornAt ?? log.bytes,
    snapshotBytes,
    compactBytes: opts.compactBytes ?? MIN_COMPACT_BYTES,
  });
  // What was read is written out whole at once when no good snapshot stands under it: after
  // damage (copied aside by now), or for a new cluster that is to be saved from the start.
  if (damaged || next || (!snapshot && (opts.eager || replayed))) journal.compactSync();

  let damage: Damage | undefined;
  if (damaged) {
    const kept = lost ? `A fresh cluster took its place${replayed ? `, with the ${count(replayed, 'change')} its log still held` : ''}` : 'Everything else was restored';
    const what = [...leftOut, ...skipped].map(describeLeftOut);
    if (badLines) what.push(`${count(badLines, 'change')} that could not be read`);
    damage = {
      report: `${problems.join('. ')}. ${kept}. What was on disk is kept, untouched, in ${aside.join(' and ')}: look there for anything you miss, and make it again with kubectl.`,
      learner: lost
        ? `Your cluster's saved state was damaged and could not be read, so you start from a fresh cluster${replayed ? ' with only your latest changes' : ''}: make again anything you miss. The damaged copy is kept for whoever runs kubedojo here.`
        : `Part of your cluster's saved state was damaged and left out: ${what.join('; ')}. Everything else was restored: make again anything you miss. The damaged copy is kept for whoever runs kubedojo here.`,
    };
  }
  return { cluster, journal, damage };
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

interface ReadLog {
  records: LogRecord[];
  /** Bytes of the log that hold good records (the header included). */
  bytes: number;
  /** Where a torn last record starts, when there is one. */
  tornAt?: number;
  /** Lines between good records that could not be read. */
  badLines: number;
  /** Why the whole log could not be read. */
  problem?: string;
}

function readLog(file: string): ReadLog {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], bytes: 0, badLines: 0 };
    throw err;
  }
  if (buf.length < HEADER.length && Buffer.from(HEADER).subarray(0, buf.length).equals(buf)) return { records: [], bytes: 0, tornAt: 0, badLines: 0 };
  if (!buf.subarray(0, HEADER.length).equals(Buffer.from(HEADER))) return { records: [], bytes: 0, badLines: 0, problem: 'it does not start with the header of a kubedojo cluster log' };
  const records: LogRecord[] = [];
  let goodEnd = HEADER.length;
  let bad = 0;
  let badSinceGood = 0;
  for (let start = HEADER.length; start < buf.length; ) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl < 0 ? buf.length : nl + 1;
    const rec = nl < 0 ? undefined : parseRecord(buf.subarray(start, nl));
    if (rec) {
      records.push(rec);
      goodEnd = end;
      bad += badSinceGood;
      badSinceGood = 0;
    } else badSinceGood++;
    start = end;
  }
  // Bad lines after the last good record are the torn end of an append that never finished.
  return { records, bytes: goodEnd, tornAt: goodEnd < buf.length ? goodEnd : undefined, badLines: bad };
}

function parseRecord(line: Buffer): LogRecord | undefined {
  if (line.length < 10 || line[8] !== 0x20) return undefined;
  const body = line.subarray(9);
  if (line.subarray(0, 8).toString('latin1') !== crc32hex(body)) return undefined;
  try {
    const rec = JSON.parse(body.toString('utf8')) as LogRecord;
    if (!Number.isSafeInteger(rec.rv) || typeof rec.r !== 'string' || typeof rec.k !== 'string') return undefined;
    return rec;
  } catch {
    return undefined;
  }
}

/** A record as a line of the log (exported for tests that write one by hand). */
export function recordLine(rec: LogRecord): Buffer {
  const body = Buffer.from(JSON.stringify(rec));
  return Buffer.concat([Buffer.from(`${crc32hex(body)} `, 'latin1'), body, NEWLINE]);
}

const NEWLINE = Buffer.from('\n');
const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32hex(buf: Buffer): string {
  let c = -1;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ((c ^ -1) >>> 0).toString(16).padStart(8, '0');
}

interface Waiter {
  upTo: number;
  resolve(): void;
  reject(err: Error): void;
}

const journals = new WeakMap<Cluster, Journal>();
const unsynced = new Set<Journal>();

/**
 * Settles once every change made so far to the cluster (to every journaled cluster of this
 * thread, without one) is on disk; undefined when there is nothing to wait for.
 */
export function durable(cluster?: Cluster): Promise<void> | undefined {
  if (cluster) return journals.get(cluster)?.durable();
  const waits = [...unsynced].map((j) => j.durable()).filter((p) => p !== undefined);
  return waits.length ? Promise.all(waits).then(() => undefined) : undefined;
}

export class Journal implements StoreJournal {
  /** Changes made (appended) and changes on disk, counted from the start. */
  private appended = 0;
  private synced = 0;
  private pending: Buffer[] = [];
  private waiters: Waiter[] = [];
  /** The loop that writes the log; the only code that touches the log's files. */
  private running?: Promise<void>;
  /** A snapshot written while the log goes on (see compactInBackground). */
  private compacting?: Promise<void>;
  private swapReady = false;
  private compactWanted = false;
  /** The log's file descriptor: appends are written at once (into the page cache) and synced off the thread. */
  private fd?: number;
  private handlePath?: string;
  /** Where the next record goes: the log, or the next log while a snapshot is being written. */
  private logPath: string;
  private failed?: Error;
  private closed = false;
  private hasBase: boolean;
  private logBytes: number;
  private snapshotBytes: number;
  private readonly compactBytes: number;
  /** Counts for benchmarks: changes logged, syncs of the log (group commit: fewer than changes), compactions. */
  readonly stats = { changes: 0, syncs: 0, compactions: 0 };

  constructor(
    readonly cluster: Cluster,
    readonly file: string,
    readonly logFile: string,
    state: { hasBase: boolean; logBytes: number; snapshotBytes: number; compactBytes: number },
  ) {
    this.hasBase = state.hasBase;
    this.logBytes = state.logBytes;
    this.snapshotBytes = state.snapshotBytes;
    this.compactBytes = state.compactBytes;
    this.logPath = logFile;
    cluster.store.journal = this;
    journals.set(cluster, this);
  }

  committed(resource: string, key: string, object: KObject | undefined, rv: number): void {
    // Until the cluster has a snapshot on disk, the first compaction writes the whole of it.
    if (this.hasBase) this.pending.push(recordLine(object ? { rv, r: resource, k: key, o: object } : { rv, r: resource, k: key }));
    this.appended++;
    this.stats.changes++;
    this.kick();
  }

  replaced(): void {
    this.compactWanted = true;
    this.appended++;
    this.kick();
  }

  /** Writes a snapshot of the cluster now (and cuts the log back), ahead of any later change. */
  compactNow(): void {
    this.replaced();
  }

  /** compactNow, done before returning (at start-up, before anything else is written). */
  compactSync(): void {
    const text = JSON.stringify(snapshotOf(this.cluster));
    writeFileDurably(this.file, text);
    const fd = openSync(this.logFile, 'w', 0o600);
    try {
      writeSync(fd, HEADER);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    rmSync(nextLogOf(this.logFile), { force: true });
    fsyncDir(path.dirname(this.logFile));
    this.logBytes = HEADER.length;
    this.snapshotBytes = text.length;
    this.hasBase = true;
    this.settle(this.appended);
  }

  /** Settles once everything so far is on disk; undefined when it already is. */
  durable(): Promise<void> | undefined {
    if (this.failed) return Promise.reject(this.failed);
    if (this.synced >= this.appended) return undefined;
    return new Promise((resolve, reject) => this.waiters.push({ upTo: this.appended, resolve, reject }));
  }

  private kick(): void {
    if (this.closed || this.failed) return;
    unsynced.add(this);
    // A microtask later: every change of the current turn goes to disk in one write.
    this.running ??= Promise.resolve().then(() => this.run());
  }

  private async run(): Promise<void> {
    try {
      while (!this.failed && (this.pending.length || this.compactWanted || this.swapReady || this.synced < this.appended)) {
        if (this.swapReady) {
          await this.swapLogs();
          continue;
        }
        if (this.compactWanted || !this.hasBase) {
          await this.compact();
          continue;
        }
        const upTo = this.appended;
        const batch = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
        this.pending = [];
        const fd = await this.log();
        writeAllSync(fd, batch);
        await datasync(fd);
        this.stats.syncs++;
        this.logBytes += batch.length;
        this.settle(upTo);
        // One compaction at a time: the next starts once the last one's logs are swapped.
        if (!this.compacting && !this.swapReady && this.logBytes > Math.max(this.compactBytes, LOG_TO_SNAPSHOT * this.snapshotBytes)) this.compactInBackground();
      }
    } catch (err) {
      this.fail(err as Error);
    } finally {
      this.running = undefined;
      if (this.synced >= this.appended) unsynced.delete(this);
    }
  }

  /**
   * Compaction that holds up no write: from this instant, records go to the next log; the state
   * of this instant is written as the snapshot meanwhile; once it is on disk, the next log
   * replaces the log (swapLogs). A crash before that finds both logs, and replays both.
   */
  private compactInBackground(): void {
    const state = this.cluster.store.capture();
    this.logPath = nextLogOf(this.logFile);
    this.compacting = writeSnapshotAsync(this.file, state)
      .then((bytes) => {
        this.snapshotBytes = bytes;
        this.swapReady = true;
        this.running ??= Promise.resolve().then(() => this.run());
      })
      .catch((err: Error) => this.fail(err))
      .finally(() => (this.compacting = undefined));
  }

  /** The snapshot is on disk: the next log (or, if nothing came since, an empty one) becomes the log. */
  private async swapLogs(): Promise<void> {
    this.swapReady = false;
    // Any record written since the snapshot's instant went to the next log; if none was, the log
    // holds only changes the snapshot has.
    if (this.handlePath === this.logPath) {
      await rename(this.logPath, this.logFile);
      this.handlePath = this.logFile;
    } else {
      this.closeLog();
      await writeFullyTo(this.logFile, HEADER);
      this.logBytes = HEADER.length;
    }
    await fsyncDirAsync(path.dirname(this.logFile));
    this.logPath = this.logFile;
    this.stats.compactions++;
  }

  /** Compaction before anything else is written (a new cluster's first snapshot, a restore, a close). */
  private async compact(): Promise<void> {
    while (this.compacting) await this.compacting;
    if (this.swapReady) await this.swapLogs();
    const upTo = this.appended;
    // The snapshot holds every change made so far, so those not yet in the log need not be.
    this.pending = [];
    this.compactWanted = false;
    // Written a slice at a time, so that a large cluster's snapshot never holds up its API for long.
    const bytes = await writeSnapshotAsync(this.file, this.cluster.store.capture());
    // Everything the log holds is in the snapshot now: start it again from its header.
    const fd = await this.log();
    ftruncateSync(fd, 0);
    writeAllSync(fd, Buffer.from(HEADER));
    await datasync(fd);
    this.logBytes = HEADER.length;
    this.snapshotBytes = bytes;
    this.hasBase = true;
    this.stats.compactions++;
    this.settle(upTo);
  }

  private async log(): Promise<number> {
    if (this.fd !== undefined && this.handlePath === this.logPath) return this.fd;
    this.closeLog();
    const fresh = !existsSync(this.logPath);
    const fd = openSync(this.logPath, 'a', 0o600);
    this.fd = fd;
    this.handlePath = this.logPath;
    if (fresh || fstatSync(fd).size === 0) {
      writeAllSync(fd, Buffer.from(HEADER));
      await datasync(fd);
      await fsyncDirAsync(path.dirname(this.logPath));
      this.logBytes = HEADER.length;
    }
    return fd;
  }

  private closeLog(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.handlePath = undefined;
  }

  private settle(upTo: number): void {
    this.synced = Math.max(this.synced, upTo);
    const ready = this.waiters.filter((w) => w.upTo <= this.synced);
    if (!ready.length) return;
    this.waiters = this.waiters.filter((w) => w.upTo > this.synced);
    for (const w of ready) w.resolve();
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = new Error(`the cluster's changes could not be saved to ${this.logFile}: ${err.message}`);
    console.error(`kubedojo: ${this.failed.message}. The cluster goes on in memory, but nothing it does from now on is saved; stop kubedojo, make room or fix the folder, and start it again.`);
    for (const w of this.waiters.splice(0)) w.reject(this.failed);
    unsynced.delete(this);
  }

  /**
   * Waits for every change to reach disk and stops: with `compact`, the state is written as a
   * snapshot first (a cluster put to sleep wakes from one file).
   */
  async close(opts: { compact?: boolean } = {}): Promise<void> {
    const idle = async () => {
      while (this.running || this.compacting) await Promise.all([this.running, this.compacting]);
    };
    await idle();
    if (opts.compact && !this.failed && this.logBytes > HEADER.length) {
      this.compactNow();
      await idle();
    }
    this.closed = true;
    this.cluster.store.journal = undefined;
    journals.delete(this.cluster);
    unsynced.delete(this);
    this.closeLog();
    if (this.failed) throw this.failed;
  }
}

async function writeFullyTo(file: string, text: string): Promise<void> {
  const handle = await open(file, 'w', 0o600);
  try {
    await writeFully(handle, Buffer.from(text));
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** About this much text is made between two writes of a snapshot (well under a millisecond's work). */
const SLICE_BYTES = 64 * 1024;

/**
 * Writes a captured state as a snapshot file (the same JSON as snapshotOf gives), synced and
 * renamed into place; returns its size. The event loop runs between slices.
 */
async function writeSnapshotAsync(file: string, state: ReturnType<Store['capture']>): Promise<number> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const handle = await open(tmp, 'w', 0o600);
  let bytes = 0;
  let parts: string[] = [];
  let size = 0;
  const put = async (text: string, force = false) => {
    parts.push(text);
    size += text.length;
    if (size < SLICE_BYTES && !force) return;
    const buf = Buffer.from(parts.join(''));
    parts = [];
    size = 0;
    bytes += buf.length;
    await writeFully(handle, buf);
  };
  try {
    await put(`{"kind":"KubedojoClusterSnapshot","version":1,"resourceVersion":${state.resourceVersion},"objects":{`);
    let firstResource = true;
    for (const [resource, list] of state.objects) {
      await put(`${firstResource ? '' : ','}${JSON.stringify(resource)}:[`);
      firstResource = false;
      for (let i = 0; i < list.length; i++) await put(`${i ? ',' : ''}${JSON.stringify(list[i])}`);
      await put(']');
    }
    await put('}}', true);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await fsyncDirAsync(path.dirname(file));
  return bytes;
}

function writeAllSync(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
}

const datasync = (fd: number) => new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));

async function writeFully(handle: FileHandle, buf: Buffer): Promise<void> {
  for (let off = 0; off < buf.length; ) off += (await handle.write(buf, off, buf.length - off)).bytesWritten;
}

// Plumbing between processes made of steps: where a process's output goes (a file, the other
// stream, nowhere), where its input comes from, and pipes that run two processes as one.
import { appendTo, type FileNode } from './fs.js';
import type { ProcessGen, Step, StdinChunk } from './types.js';

export type Gen<T> = Generator<Step, T, StdinChunk | undefined>;

export function* out(data: string | Buffer): Gen<void> {
  if (data.length) yield { kind: 'stdout', data };
}

export function* err(data: string | Buffer): Gen<void> {
  if (data.length) yield { kind: 'stderr', data };
}

export function* sleep(ms: number): Gen<void> {
  yield { kind: 'sleep', ms };
}

/** One chunk of input, or undefined at end of input. */
export function* readChunk(): Gen<Buffer | undefined> {
  const c = yield { kind: 'read' };
  return c === undefined ? undefined : typeof c === 'string' ? Buffer.from(c) : c;
}

/** Everything up to end of input. */
export function* readAll(): Gen<Buffer> {
  const chunks: Buffer[] = [];
  for (;;) {
    const c = yield* readChunk();
    if (c === undefined) return Buffer.concat(chunks);
    chunks.push(c);
  }
}

/**
 * Reads input line by line (each with its newline, the last maybe without). End of input is not
 * remembered: an interactive shell reads on after a loop that read a file to its end.
 */
export class LineReader {
  private buf = '';

  *line(): Gen<string | undefined> {
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        const l = this.buf.slice(0, nl + 1);
        this.buf = this.buf.slice(nl + 1);
        return l;
      }
      const c = yield* readChunk();
      if (c === undefined) {
        const l = this.buf;
        this.buf = '';
        return l || undefined;
      }
      this.buf += c.toString();
    }
  }
}

/**
 * Takes the first line (with its newline) off a queue of chunks. Input is handed to a process a
 * line at a time so that `read`, which a real shell does byte by byte, never takes more than its
 * line from a pipe that later commands go on reading.
 */
export function takeLine(queue: Buffer[]): Buffer | undefined {
  while (queue.length && !queue[0].length) queue.shift();
  const first = queue[0];
  if (!first) return undefined;
  const nl = first.indexOf(10);
  if (nl < 0 || nl === first.length - 1) return queue.shift();
  queue[0] = first.subarray(nl + 1);
  return first.subarray(0, nl + 1);
}

/** Where a file descriptor points. */
export type Sink = { kind: 'fd'; fd: 1 | 2 } | { kind: 'file'; node: FileNode } | { kind: 'null' } | { kind: 'closed' } | { kind: 'hook'; write(data: string | Buffer): void };
export type Source = { kind: 'inherit' } | { kind: 'data'; data: Buffer } | { kind: 'empty' };

/** Plays a process with its stdout/stderr/stdin pointed elsewhere. */
export function* redirected<T>(gen: Gen<T>, stdout: Sink, stderr: Sink, stdin: Source): Gen<T> {
  const queue = stdin.kind === 'data' ? [stdin.data] : [];
  let reply: StdinChunk | undefined;
  for (;;) {
    const r = gen.next(reply);
    reply = undefined;
    if (r.done) return r.value;
    const s = r.value;
    if (s.kind === 'stdout' || s.kind === 'stderr') {
      const sink = s.kind === 'stdout' ? stdout : stderr;
      if (sink.kind === 'fd') yield { kind: sink.fd === 1 ? 'stdout' : 'stderr', data: s.data };
      else if (sink.kind === 'file') appendTo(sink.node, s.data);
      else if (sink.kind === 'hook') sink.write(s.data);
    } else if (s.kind === 'read') {
      if (stdin.kind === 'inherit') reply = yield s;
      else if (stdin.kind === 'data') reply = takeLine(queue);
    } else yield s;
  }
}

/** Runs a process and collects its standard output (command substitution). */
export function* capture<T>(gen: Gen<T>): Gen<{ value: T; stdout: Buffer }> {
  const chunks: Buffer[] = [];
  let reply: StdinChunk | undefined;
  for (;;) {
    const r = gen.next(reply);
    reply = undefined;
    if (r.done) return { value: r.value, stdout: Buffer.concat(chunks) };
    const s = r.value;
    if (s.kind === 'stdout') chunks.push(Buffer.from(s.data));
    else if (s.kind === 'read') reply = yield s;
    else yield s;
  }
}

/**
 * left | right. The right side is driven; when it wants input the left side runs until it writes
 * or ends. When the right side ends first, the left side is killed by SIGPIPE on its next write,
 * as a writer to a closed pipe is, but runs on (and is waited for) until then.
 */
export function* pipe(left: Gen<number>, right: Gen<number>): Gen<number> {
  const buf: Buffer[] = [];
  let leftDone = false;
  let leftReply: StdinChunk | undefined;
  let reply: StdinChunk | undefined;
  try {
    for (;;) {
      const r = right.next(reply);
      reply = undefined;
      if (r.done) {
        while (!leftDone) {
          const l = left.next(leftReply);
          leftReply = undefined;
          if (l.done) break;
          if (l.value.kind === 'stdout') break;
          if (l.value.kind === 'read') leftReply = yield l.value;
          else yield l.value;
        }
        return r.value;
      }
      const s = r.value;
      if (s.kind !== 'read') {
        yield s;
        continue;
      }
      while (!buf.length && !leftDone) {
        const l = left.next(leftReply);
        leftReply = undefined;
        if (l.done) {
          leftDone = true;
          break;
        }
        if (l.value.kind === 'stdout') buf.push(Buffer.from(l.value.data));
        else if (l.value.kind === 'read') leftReply = yield l.value;
        else yield l.value;
      }
      reply = takeLine(buf);
    }
  } finally {
    if (!leftDone) left.return(141);
  }
}

/**
 * Feeds a process its input from a fixed source; 'stream' passes reads to the caller. Errors the
 * caller throws in (an Interrupt for ^C) are passed on to the process.
 */
export function* withStdin(gen: ProcessGen, stdin: Iterable<StdinChunk> | 'stream' | undefined): ProcessGen {
  const it = stdin && stdin !== 'stream' ? stdin[Symbol.iterator]() : undefined;
  const queue: Buffer[] = [];
  let ended = false;
  let reply: StdinChunk | undefined;
  let thrown: { error: unknown } | undefined;
  for (;;) {
    const r = thrown ? gen.throw(thrown.error) : gen.next(reply);
    thrown = undefined;
    reply = undefined;
    if (r.done) return r.value;
    try {
      if (r.value.kind !== 'read') {
        yield r.value;
        continue;
      }
      while (!queue.length && !ended) {
        let c: StdinChunk | undefined;
        if (stdin === 'stream') c = yield r.value;
        else {
          const n = it?.next();
          c = n && !n.done ? n.value : undefined;
        }
        if (c === undefined) ended = stdin !== 'stream';
        if (c === undefined) break;
        queue.push(typeof c === 'string' ? Buffer.from(c) : c);
      }
      reply = takeLine(queue);
    } catch (error) {
      thrown = { error };
    }
  }
}

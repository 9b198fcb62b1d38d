// A container's log, as the kubelet keeps it on disk: lines stamped with the simulated time they
// were written, bounded, readable with --tail, --since, --timestamps and followable.
import type { Output } from './program.js';
import { RecentStrings } from '../recent.js';

const MAX_LINES = 10_000;
/** containerd writes a line that grows past this many bytes without a newline as a partial entry. */
const MAX_LINE_BYTES = 16 * 1024;

export interface LogQuery {
  tailLines?: number;
  sinceTime?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

/** RFC 3339 with nanoseconds, as `kubectl logs --timestamps` prints. */
export function nanoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** Recent line texts, so that the same start-up lines of many containers (every nginx prints its entrypoint's dozen) are held once. */
const recentTexts = new RecentStrings();

/** Up to how many lines a log is copied to fit when it settles. */
const SETTLE_LIMIT = 1024;

/** A line's stream and whether it is a piece of a longer one, packed into a small number. */
const STDERR = 1;
const PARTIAL = 2;

/**
 * A container's lines, held column by column (times, texts, flags) rather than as an object each:
 * a cluster of many containers holds a few dozen start-up lines for every one of them, and a
 * number in an array of numbers costs a third of a line's object.
 */
export class ContainerLog {
  private ats: number[] = [];
  private texts: string[] = [];
  private flags: number[] = [];
  /** How many lines there were when the columns were last made to fit. */
  private settled = 0;
  private partial: Output | undefined;
  /** Made for the first follower: most logs never have one. */
  private followers?: Set<(o: Output) => void>;

  write(o: Output): void {
    // Split into lines; a line without its newline yet waits for the rest.
    const parts = o.text.split('\n');
    parts.forEach((text, i) => {
      const last = i === parts.length - 1;
      if (last && text === '') return;
      const merged = this.partial && this.partial.stream === o.stream ? { ...this.partial, text: this.partial.text + text } : { ...o, text };
      this.partial = undefined;
      if (!last) this.push(merged);
      else if (merged.text.length >= MAX_LINE_BYTES) this.push({ ...merged, partial: true });
      else this.partial = merged;
    });
  }

  /** Whatever is written without a final newline still shows when the container ends. */
  flush(): void {
    if (this.partial) this.push(this.partial);
    this.partial = undefined;
  }

  private push(line: Output): void {
    line.text = recentTexts.get(line.text);
    this.ats.push(line.at);
    this.texts.push(line.text);
    this.flags.push((line.stream === 'stderr' ? STDERR : 0) | (line.partial ? PARTIAL : 0));
    if (this.ats.length > MAX_LINES) {
      const over = this.ats.length - MAX_LINES;
      this.ats.splice(0, over);
      this.texts.splice(0, over);
      this.flags.splice(0, over);
    }
    if (this.followers) for (const f of this.followers) f(line);
  }

  /**
   * The columns without spare room, once the program that writes them has caught up: an array
   * grown by push keeps room for a dozen more lines, more than the few a quiet server writes.
   * Only a short log is copied; a long one's room is small beside it.
   */
  settle(): void {
    const n = this.ats.length;
    if (n === this.settled || n > SETTLE_LIMIT) return;
    this.ats = this.ats.slice();
    this.texts = this.texts.slice();
    this.flags = this.flags.slice();
    this.settled = n;
  }

  follow(fn: (o: Output) => void): () => void {
    const followers = (this.followers ??= new Set());
    followers.add(fn);
    return () => followers.delete(fn);
  }

  read(q: LogQuery = {}): string {
    let picked: number[] = [];
    for (let i = 0; i < this.ats.length; i++) if (q.sinceTime === undefined || this.ats[i] >= q.sinceTime) picked.push(i);
    if (q.tailLines !== undefined) picked = q.tailLines <= 0 ? [] : picked.slice(-q.tailLines);
    let text = picked.map((i) => format(this.line(i), q.timestamps)).join('');
    if (q.limitBytes !== undefined) text = Buffer.from(text).subarray(0, q.limitBytes).toString();
    return text;
  }

  private line(i: number): Output {
    const f = this.flags[i];
    return { at: this.ats[i], stream: f & STDERR ? 'stderr' : 'stdout', text: this.texts[i], ...(f & PARTIAL ? { partial: true } : {}) };
  }
}

export function format(l: Output, timestamps?: boolean): string {
  return `${timestamps ? `${nanoTime(l.at)} ` : ''}${l.text}${l.partial ? '' : '\n'}`;
}

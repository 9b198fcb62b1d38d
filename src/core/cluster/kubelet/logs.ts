// A container's log, as the kubelet keeps it on disk: lines stamped with the simulated time they
// were written, bounded, readable with --tail, --since, --timestamps and followable.
import type { Output } from './program.js';

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

/**
 * Recent line texts, so that the same start-up lines of many containers (every nginx prints its
 * entrypoint's dozen) are held once; bounded, and emptied when full.
 */
const recentTexts = new Map<string, string>();
const MAX_SHARED_TEXTS = 4096;

function sharedText(text: string): string {
  const known = recentTexts.get(text);
  if (known !== undefined) return known;
  if (recentTexts.size >= MAX_SHARED_TEXTS) recentTexts.clear();
  recentTexts.set(text, text);
  return text;
}

/** A line's stream and whether it is a piece of a longer one, packed into a small number. */
const STDERR = 1;
const PARTIAL = 2;

/**
 * A container's lines, held column by column (times, texts, flags) rather than as an object each:
 * a cluster of many containers holds a few dozen start-up lines for every one of them, and a
 * number in an array of numbers costs a third of a line's object.
 */
export class ContainerLog {
  private readonly ats: number[] = [];
  private readonly texts: string[] = [];
  private readonly flags: number[] = [];
  private partial: Output | undefined;
  private readonly followers = new Set<(o: Output) => void>();

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
    line.text = sharedText(line.text);
    this.ats.push(line.at);
    this.texts.push(line.text);
    this.flags.push((line.stream === 'stderr' ? STDERR : 0) | (line.partial ? PARTIAL : 0));
    if (this.ats.length > MAX_LINES) {
      const over = this.ats.length - MAX_LINES;
      this.ats.splice(0, over);
      this.texts.splice(0, over);
      this.flags.splice(0, over);
    }
    for (const f of this.followers) f(line);
  }

  follow(fn: (o: Output) => void): () => void {
    this.followers.add(fn);
    return () => this.followers.delete(fn);
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

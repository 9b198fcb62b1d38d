// Slack's request rules that Bolt leaves to us. A signed request is good for five minutes either
// side of its timestamp: Bolt refuses one older than that but not one from further ahead, and
// anyone who has seen a signed request can send it again inside the window. So a request from the
// future is refused here as Bolt refuses a stale one, and a request already acted on is dropped,
// remembered on disk so that a restart inside the window does not act on it twice.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HTTPModuleFunctions, type HTTPReceiver, type Logger } from '@slack/bolt';
import { privateDir, writeFileDurably } from '../../src/core/index.js';

/** Slack's window: a request's timestamp may differ from our clock by at most this. */
export const WINDOW_MS = 5 * 60_000;
/** How long a request id is remembered: past the window on both sides, with room for clock drift. */
export const REMEMBER_MS = 10 * 60_000;

/**
 * Makes the receiver refuse a request whose timestamp is more than five minutes ahead of our
 * clock, answering as Bolt answers a stale one: 401 with no body, and a warning in the log.
 * Wraps the receiver's request listener, which its server calls for every request.
 */
export function refuseFutureRequests(receiver: HTTPReceiver, logger: Pick<Logger, 'warn'>, now: () => number = Date.now): void {
  const inner = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const header = req.headers['x-slack-request-timestamp'];
    const at = Number(Array.isArray(header) ? header[0] : header);
    if (Number.isFinite(at) && at * 1000 > now() + WINDOW_MS) {
      logger.warn(`Failed to parse and verify the request data: x-slack-request-timestamp is ${Math.round(at - now() / 1000)} s ahead of this machine's clock (more than ${WINDOW_MS / 60_000} minutes); if Slack's requests keep failing, check the clock`);
      // The body is not needed: let it drain so the connection can be used again.
      req.resume();
      HTTPModuleFunctions.buildNoBodyResponse(res, 401);
      return;
    }
    inner(req, res);
  };
}

/**
 * The trigger and event ids of requests acted on in the last ten minutes, kept in a file (only
 * its owner may read it) written whole on every new id, so that what was acted on before a
 * crash is known after it.
 */
export class SeenRequests {
  private readonly seen = new Map<string, number>();

  constructor(
    readonly file: string,
    private readonly now: () => number = Date.now,
  ) {
    let saved: unknown;
    try {
      saved = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // No file yet, or one cut short by a crash mid-write before the rename: start empty.
      saved = {};
    }
    if (saved && typeof saved === 'object') {
      for (const [id, at] of Object.entries(saved as Record<string, unknown>)) if (typeof at === 'number') this.seen.set(id, at);
    }
    this.prune();
  }

  /** True the first time an id is offered (and remembers it); false for a replay. */
  firstTime(id: string): boolean {
    this.prune();
    if (this.seen.has(id)) return false;
    this.seen.set(id, this.now());
    this.save();
    return true;
  }

  private prune(): void {
    const cutoff = this.now() - REMEMBER_MS;
    for (const [id, at] of this.seen) if (at < cutoff) this.seen.delete(id);
  }

  private save(): void {
    privateDir(path.dirname(this.file));
    // A new file renamed over the old: a crash leaves either the old list or the new, never half.
    writeFileDurably(this.file, JSON.stringify(Object.fromEntries(this.seen)));
  }
}

/**
 * Bolt middleware: a request Slack sent once is acted on once. A replay of a signed request (the
 * same trigger or event id, which Slack's own retries of an event also carry) is acknowledged
 * and dropped.
 */
export function dropReplays(seen: SeenRequests) {
  return async ({ body, ack, next }: { body: unknown; ack?: () => Promise<void>; next: () => Promise<void> }) => {
    const b = body as { trigger_id?: string; event_id?: string };
    const id = b.event_id ?? b.trigger_id;
    if (id && !seen.firstTime(id)) {
      await ack?.();
      return;
    }
    await next();
  };
}

// Plain HTTP on an upgrade request's raw socket: error answers before (or instead of) switching
// protocols, and the SPDY side of the handshake (X-Stream-Protocol-Version negotiation).
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, internalError, type Status } from '../../cluster/errors.js';
import { SpdySession, type SpdySessionOptions } from './spdy.js';

/** An HTTP request asking to switch protocols, with its connection and what was read past it. */
export interface Upgrade {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
}

export const UPGRADE_FAILED_PREFIX = 'unable to upgrade connection: ';

export function writeHttp(socket: Duplex, code: number, headers: Record<string, string | string[]>, body: string): void {
  const lines = [`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Unknown'}`];
  const all: Record<string, string | string[]> = { ...headers, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
  for (const [k, v] of Object.entries(all)) for (const one of ([] as string[]).concat(v)) lines.push(`${k}: ${one}`);
  socket.end(lines.join('\r\n') + '\r\n\r\n' + body);
}

export function writeStatus(socket: Duplex, status: Status): void {
  writeHttp(socket, status.code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' }, JSON.stringify(status));
}

/**
 * Answers a failure before the upgrade. A Status is sent as JSON, which clients print as
 * `Error from server (Reason): message`. A kubelet, though, answers some failures in plain text,
 * which the apiserver passes through and client-go prints as `unable to upgrade connection: <text>`
 * (e.g. `container not found ("web")` for a pod that is not running yet); an ApiError whose
 * message already reads that way is sent as that plain text, so kubectl prints the same line.
 */
export function writeError(socket: Duplex, err: unknown): void {
  if (socket.destroyed || !socket.writable) return;
  let status: Status;
  if (err instanceof ApiError) status = err.status;
  else {
    console.error('kubedojo apiserver: internal error in a streaming request:', err);
    status = internalError(err).status;
  }
  if (status.message?.startsWith(UPGRADE_FAILED_PREFIX)) {
    writeHttp(socket, status.code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, status.message.slice(UPGRADE_FAILED_PREFIX.length) + '\n');
    return;
  }
  writeStatus(socket, status);
}

/** True when the request asks to switch to SPDY/3.1 (Upgrade: SPDY/3.1, Connection: Upgrade). */
export function isSpdyRequest(req: IncomingMessage): boolean {
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  const connection = String(req.headers.connection ?? '').toLowerCase();
  return upgrade.split(',').some((u) => u.trim() === 'spdy/3.1') && connection.includes('upgrade');
}

/** X-Stream-Protocol-Version values the client offers, in its order of preference. */
export function streamProtocols(req: IncomingMessage): string[] {
  const raw = req.headers['x-stream-protocol-version'];
  const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return values.flatMap((v) => v.split(',')).map((p) => p.trim()).filter(Boolean);
}

/**
 * Picks the client's most preferred protocol the server speaks (httpstream.Handshake). On failure
 * the client is answered as the kubelet does and undefined is returned.
 */
export function negotiateSpdy(req: IncomingMessage, socket: Duplex, supported: readonly string[]): string | undefined {
  const offered = streamProtocols(req);
  if (!offered.length) {
    writeHttp(socket, 400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'unable to upgrade: X-Stream-Protocol-Version is required\n');
    return undefined;
  }
  const chosen = offered.find((p) => supported.includes(p));
  if (!chosen) {
    writeHttp(
      socket,
      403,
      { 'Content-Type': 'text/plain; charset=utf-8', 'X-Accepted-Stream-Protocol-Versions': [...supported] },
      `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${supported.join(' ')}]\n`,
    );
    return undefined;
  }
  return chosen;
}

/** Switches the socket to SPDY/3.1 and runs a session over it. */
export function upgradeToSpdy(socket: Duplex, head: Buffer, protocol: string, opts: SpdySessionOptions): SpdySession {
  socket.write(['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${protocol}`].join('\r\n') + '\r\n\r\n');
  const session = new SpdySession(
    {
      write: (d) => {
        if (!socket.destroyed) socket.write(d);
      },
      end: () => socket.end(),
    },
    opts,
  );
  socket.on('data', (d: Buffer) => session.receive(d));
  socket.on('end', () => {
    socket.end();
    session.transportClosed();
  });
  socket.on('close', () => session.transportClosed());
  socket.on('error', () => session.transportClosed());
  if (head.length) session.receive(head);
  return session;
}

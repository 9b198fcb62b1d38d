// WebSocket for the streaming subresources. `ws` does RFC 6455 (framing, masking, fragments,
// ping/pong, the closing handshake); what stays here is what the apiserver decides itself: which
// requests are WebSocket upgrades, its answers to a handshake it refuses (in the words of the
// gorilla/websocket upgrader the real apiserver uses), and the subprotocol it chose, which the
// callers negotiate with Kubernetes' own rules before anything is upgraded.
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type RawData, type ServerOptions, type WebSocket } from 'ws';
import type { Upgrade } from './http.js';

export type { WebSocket } from 'ws';

export const CloseCode = { normal: 1000, internalError: 1011 } as const;

/**
 * Messages larger than this close the connection (1009): a runaway client must not eat memory.
 * The same bound as the apiserver's WebSocket server (x/net/websocket's default, 32 MiB).
 */
const MAX_MESSAGE = 32 * 1024 * 1024;

/** The protocol each request was granted, read back by `ws` while it completes the handshake. */
const granted = new WeakMap<IncomingMessage, string>();

// ws reads closeTimeout (see its WebSocketServer options); @types/ws does not declare it yet.
const options: ServerOptions & { closeTimeout: number } = {
  noServer: true,
  clientTracking: false,
  // client-go never asks for permessage-deflate, and the kubelet offers none.
  perMessageDeflate: false,
  maxPayload: MAX_MESSAGE,
  // After our close frame, a peer that never answers is hung up on soon: its session is over.
  closeTimeout: 2000,
  handleProtocols: (_offered, req) => granted.get(req) || false,
};
const server = new WebSocketServer(options);

/** True when the request asks to switch to WebSocket (Upgrade: websocket, Connection: ...upgrade...). */
export function isWebSocketRequest(req: IncomingMessage): boolean {
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  const connection = String(req.headers.connection ?? '').toLowerCase();
  return upgrade === 'websocket' && connection.split(',').some((t) => t.trim() === 'upgrade');
}

/** The subprotocols the client offers, in its order of preference. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const raw = req.headers['sec-websocket-protocol'];
  const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return values.flatMap((v) => v.split(',')).map((p) => p.trim()).filter(Boolean);
}

/**
 * Checks the opening handshake; returns the reason it is unacceptable (answered 400, or 426 for a
 * version we do not speak), or undefined when it is fine. `ws` would refuse the same requests, in
 * its own words; these are the ones kubectl users meet from a real apiserver.
 */
export function handshakeProblem(req: IncomingMessage): { code: number; message: string; headers?: Record<string, string> } | undefined {
  if (req.method !== 'GET') return { code: 400, message: 'websocket: the client is not using the websocket protocol: request method is not GET' };
  if (String(req.headers['sec-websocket-version'] ?? '') !== '13') {
    return { code: 426, message: 'websocket: unsupported version: 13 not found in \'Sec-Websocket-Version\' header', headers: { 'Sec-WebSocket-Version': '13' } };
  }
  const key = String(req.headers['sec-websocket-key'] ?? '');
  if (Buffer.from(key, 'base64').length !== 16) return { code: 400, message: "websocket: not a websocket handshake: 'Sec-WebSocket-Key' header must be Base64 encoded value of 16-byte in length" };
  return undefined;
}

/**
 * Completes the handshake with the protocol already chosen ('' for none) and hands over the
 * connection; `refused` is called instead when the connection went away first.
 */
export function acceptWebSocket(up: Upgrade, protocol: string, open: (ws: WebSocket) => void, refused: () => void = () => {}): void {
  let opened = false;
  up.socket.once('close', () => {
    if (!opened) refused();
  });
  granted.set(up.req, protocol);
  server.handleUpgrade(up.req, up.socket, up.head, (ws) => {
    opened = true;
    // A client's protocol error is answered by `ws` with a close frame; the 'error' event that
    // follows only needs a listener, or it would be thrown.
    ws.on('error', () => {});
    open(ws);
  });
}

/**
 * Calls `cb` with each whole message while the connection is open: after our close frame, data
 * is discarded (RFC 6455 §1.4). A handler that throws is ours, not the client's: that connection
 * is dropped and the server keeps serving the others.
 */
export function onMessage(ws: WebSocket, cb: (data: Buffer, binary: boolean) => void): void {
  ws.on('message', (data: RawData, binary: boolean) => {
    if (ws.readyState !== ws.OPEN) return;
    try {
      cb(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data), binary);
    } catch (err) {
      console.error('kubedojo apiserver: a WebSocket message handler failed:', err);
      ws.close(CloseCode.internalError, 'internal error');
      ws.terminate();
    }
  });
}

/** Sends a message if the connection is still open; later writes are dropped, as the peer is gone. */
export function sendIfOpen(ws: WebSocket, data: Buffer | string): void {
  if (ws.readyState === ws.OPEN) ws.send(data);
}

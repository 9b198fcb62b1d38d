// The server side of RFC 6455, as much of it as the Kubernetes streaming protocols use: the
// opening handshake with subprotocol negotiation, framing with client masking, fragmented
// messages, ping/pong and the closing handshake. No extensions are offered (client-go never asks
// for permessage-deflate), so the RSV bits must be clear.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  noStatus: 1005,
  invalidPayload: 1007,
  tooBig: 1009,
  internalError: 1011,
} as const;

/**
 * Messages larger than this close the connection (1009): a runaway client must not eat memory.
 * The same bound as the apiserver's WebSocket server (x/net/websocket's default, 32 MiB).
 */
export const MAX_MESSAGE = 32 * 1024 * 1024;

export interface WsFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

export class WsProtocolError extends Error {
  constructor(
    message: string,
    readonly code: number = CloseCode.protocolError,
  ) {
    super(message);
  }
}

/** Sec-WebSocket-Accept for a client's Sec-WebSocket-Key. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

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
 * version we do not speak), or undefined when it is fine.
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

/** The 101 response that completes the handshake. */
export function handshakeResponse(req: IncomingMessage, protocol: string | undefined): string {
  const lines = [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${acceptKey(String(req.headers['sec-websocket-key']))}`,
  ];
  if (protocol) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

/** Encodes one frame. Servers never mask; `mask` exists for tests that play the client. */
export function encodeFrame(opcode: number, payload: Buffer, opts: { fin?: boolean; mask?: Buffer; rsv?: number } = {}): Buffer {
  const fin = opts.fin ?? true;
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const maskLen = opts.mask ? 4 : 0;
  const head = Buffer.alloc(2 + ext + maskLen);
  head[0] = (fin ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opcode;
  head[1] = (opts.mask ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(len, 2);
  else if (ext === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!opts.mask) return Buffer.concat([head, payload]);
  opts.mask.copy(head, 2 + ext);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= opts.mask[i & 3];
  return Buffer.concat([head, body]);
}

/** Splits a byte stream into frames, unmasking payloads. Throws WsProtocolError on bad framing. */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): WsFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: WsFrame[] = [];
    for (;;) {
      const b = this.buf;
      if (b.length < 2) break;
      const fin = (b[0] & 0x80) !== 0;
      const rsv = (b[0] >> 4) & 0x7;
      const opcode = b[0] & 0x0f;
      const masked = (b[1] & 0x80) !== 0;
      let len = b[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) break;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) break;
        const big = b.readBigUInt64BE(2);
        if (big > BigInt(MAX_MESSAGE)) throw new WsProtocolError('message too big', CloseCode.tooBig);
        len = Number(big);
        off = 10;
      }
      if (opcode >= 0x8 && (len > 125 || !fin)) throw new WsProtocolError('control frames must be short and unfragmented');
      if (len > MAX_MESSAGE) throw new WsProtocolError('message too big', CloseCode.tooBig);
      const maskOff = off;
      if (masked) off += 4;
      if (b.length < off + len) break;
      const payload = Buffer.from(b.subarray(off, off + len));
      if (masked) for (let i = 0; i < len; i++) payload[i] ^= b[maskOff + (i & 3)];
      frames.push({ fin, rsv, opcode, masked, payload });
      this.buf = b.subarray(off + len);
    }
    return frames;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One server-side WebSocket over an upgraded socket. Messages arrive whole (fragments are joined);
 * pings are answered; close() performs the closing handshake and then ends the socket.
 */
export class WebSocket {
  private readonly parser = new FrameParser();
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private fragmentSize = 0;
  private messageCbs: Array<(data: Buffer, binary: boolean) => void> = [];
  private closeCbs: Array<(code: number, reason: string) => void> = [];
  private closeSent = false;
  private finished = false;
  private closeTimer?: NodeJS.Timeout;

  constructor(
    readonly socket: Duplex,
    head: Buffer = Buffer.alloc(0),
    readonly protocol = '',
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => {
      this.socket.end();
      this.finish(CloseCode.noStatus, '');
    });
    socket.on('close', () => this.finish(CloseCode.noStatus, ''));
    socket.on('error', () => this.finish(CloseCode.noStatus, ''));
    if (head.length) queueMicrotask(() => this.receive(head));
  }

  get open(): boolean {
    return !this.closeSent && !this.finished;
  }

  onMessage(cb: (data: Buffer, binary: boolean) => void): void {
    this.messageCbs.push(cb);
  }

  /** Called once, when the connection is over (closing handshake done, or the socket went away). */
  onClose(cb: (code: number, reason: string) => void): void {
    if (this.finished) cb(CloseCode.noStatus, '');
    else this.closeCbs.push(cb);
  }

  send(data: Buffer | string): void {
    if (!this.open) return;
    const binary = typeof data !== 'string';
    this.socket.write(encodeFrame(binary ? Opcode.binary : Opcode.text, binary ? data : Buffer.from(data)));
  }

  ping(data = Buffer.alloc(0)): void {
    if (this.open) this.socket.write(encodeFrame(Opcode.ping, data));
  }

  /** Starts the closing handshake; the socket ends when the peer answers, or after a grace period. */
  close(code: number = CloseCode.normal, reason = ''): void {
    if (this.closeSent || this.finished) return;
    this.closeSent = true;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.socket.write(encodeFrame(Opcode.close, payload));
    this.closeTimer = setTimeout(() => this.socket.destroy(), 2000);
    this.closeTimer.unref?.();
  }

  private receive(chunk: Buffer): void {
    if (this.finished) return;
    let frames: WsFrame[];
    try {
      frames = this.parser.push(chunk);
    } catch (err) {
      this.fail(err as WsProtocolError);
      return;
    }
    for (const f of frames) {
      try {
        this.frame(f);
      } catch (err) {
        if (err instanceof WsProtocolError) {
          this.fail(err);
          return;
        }
        // Ours, not the client's: drop this connection, keep serving the others.
        console.error('kubedojo apiserver: a WebSocket message handler failed:', err);
        this.fail(new WsProtocolError('internal error', CloseCode.internalError));
        this.socket.destroy();
        return;
      }
      if (this.finished) return;
    }
  }

  private frame(f: WsFrame): void {
    if (f.rsv) throw new WsProtocolError('reserved bits set without a negotiated extension');
    if (!f.masked) throw new WsProtocolError('client frames must be masked');
    switch (f.opcode) {
      case Opcode.ping:
        if (this.open) this.socket.write(encodeFrame(Opcode.pong, f.payload));
        return;
      case Opcode.pong:
        return;
      case Opcode.close: {
        if (f.payload.length === 1) throw new WsProtocolError('close frame with a one-byte payload');
        const code = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : CloseCode.noStatus;
        const reason = f.payload.length > 2 ? f.payload.subarray(2).toString('utf8') : '';
        if (!this.closeSent) {
          this.closeSent = true;
          const echo = f.payload.length >= 2 ? f.payload.subarray(0, 2) : Buffer.alloc(0);
          this.socket.write(encodeFrame(Opcode.close, echo));
        }
        this.socket.end();
        this.finish(code, reason);
        return;
      }
      case Opcode.text:
      case Opcode.binary:
        if (this.fragments.length) throw new WsProtocolError('a new message started before the previous one finished');
        if (f.fin) return this.deliver(f.opcode, f.payload);
        this.fragmentOpcode = f.opcode;
        this.fragments = [f.payload];
        this.fragmentSize = f.payload.length;
        return;
      case Opcode.continuation: {
        if (!this.fragments.length) throw new WsProtocolError('continuation frame without a message to continue');
        this.fragments.push(f.payload);
        this.fragmentSize += f.payload.length;
        if (this.fragmentSize > MAX_MESSAGE) throw new WsProtocolError('message too big', CloseCode.tooBig);
        if (!f.fin) return;
        const whole = Buffer.concat(this.fragments);
        this.fragments = [];
        this.fragmentSize = 0;
        return this.deliver(this.fragmentOpcode, whole);
      }
      default:
        throw new WsProtocolError(`unknown opcode ${f.opcode}`);
    }
  }

  private deliver(opcode: number, data: Buffer): void {
    if (opcode === Opcode.text) {
      try {
        utf8.decode(data);
      } catch {
        throw new WsProtocolError('text message is not valid UTF-8', CloseCode.invalidPayload);
      }
    }
    if (this.closeSent) return; // after our close, data is discarded (RFC 6455 §1.4)
    for (const cb of this.messageCbs) cb(data, opcode === Opcode.binary);
  }

  private fail(err: WsProtocolError): void {
    if (!this.closeSent) this.close(err.code, err.message.slice(0, 120));
    this.socket.end();
    this.finish(err.code, err.message);
  }

  private finish(code: number, reason: string): void {
    if (this.finished) return;
    this.finished = true;
    if (this.closeTimer) clearTimeout(this.closeTimer);
    const cbs = this.closeCbs;
    this.closeCbs = [];
    for (const cb of cbs) cb(code, reason);
  }
}

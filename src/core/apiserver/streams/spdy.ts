// A SPDY/3.1 session, server side, as kubectl's SPDY client (moby/spdystream) speaks it: the
// client opens streams with SYN_STREAM, we accept them with SYN_REPLY (or refuse with RST_STREAM),
// data flows in DATA frames and each side half-closes with FIN. Header blocks are compressed with
// one zlib stream per direction for the whole session, primed with the SPDY/3 dictionary.
//
// The session reads and writes bytes through a small transport, so it runs the same over an
// upgraded TLS socket and inside a WebSocket tunnel (port-forward from kubectl 1.31 on).
import zlib from 'node:zlib';
import { dict } from '../../cluster/own.js';

export const SPDY_VERSION = 3;

export const FrameType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const RstStatus = {
  protocolError: 1,
  invalidStream: 2,
  refusedStream: 3,
  unsupportedVersion: 4,
  cancel: 5,
  internalError: 6,
  flowControlError: 7,
  streamInUse: 8,
  streamAlreadyClosed: 9,
  frameTooLarge: 11,
} as const;

export const GoAwayStatus = { ok: 0, protocolError: 1, internalError: 2 } as const;

const FLAG_FIN = 0x01;
const FLAG_UNIDIRECTIONAL = 0x02;
const SETTINGS_INITIAL_WINDOW_SIZE = 7;
const DEFAULT_WINDOW = 64 * 1024;
/** Larger DATA frames are split; spdystream accepts any size up to 2^24-1. */
const MAX_DATA_FRAME = 32 * 1024;
const ZLIB_WINDOW = 32 * 1024;

/** Header names are lower-case; a value may repeat (sent NUL-separated). */
export type SpdyHeaders = Record<string, string[]>;

// ------------------------------------------------------------------ header compression

/**
 * The SPDY/3 header compression dictionary (draft-mbelshe-httpbis-spdy-00 §2.6.10.1): common
 * header names and tokens, each with a 32-bit length prefix, then a run of status lines, dates
 * and media types without prefixes. Built from its parts; the bytes must match exactly, or the
 * peer's zlib refuses our dictionary id.
 */
export const HEADER_DICTIONARY: Buffer = (() => {
  const words = [
    'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding', 'accept-language',
    'accept-ranges', 'age', 'allow', 'authorization', 'cache-control', 'connection', 'content-base', 'content-encoding',
    'content-language', 'content-length', 'content-location', 'content-md5', 'content-range', 'content-type', 'date', 'etag',
    'expect', 'expires', 'from', 'host', 'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since',
    'last-modified', 'location', 'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer',
    'retry-after', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via', 'warning',
    'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive',
    'origin',
  ];
  const tail =
    '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
    '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
    '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
    'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
    'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,' +
    'publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';
  const parts: Buffer[] = [];
  for (const w of words) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length);
    parts.push(len, Buffer.from(w, 'latin1'));
  }
  parts.push(Buffer.from(tail, 'latin1'));
  return Buffer.concat(parts);
})();

/** The uncompressed name/value block. */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, values] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(values.join('\0'), 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  // Header names are the client's: a map without a prototype, so `constructor` is just a name.
  const headers: SpdyHeaders = dict<string[]>();
  let off = 0;
  const need = (n: number) => {
    if (off + n > block.length) throw new SpdyProtocolError('truncated header block');
  };
  need(4);
  const count = block.readUInt32BE(0);
  off = 4;
  for (let i = 0; i < count; i++) {
    need(4);
    const nl = block.readUInt32BE(off);
    off += 4;
    need(nl);
    const name = block.subarray(off, off + nl).toString('utf8').toLowerCase();
    off += nl;
    need(4);
    const vl = block.readUInt32BE(off);
    off += 4;
    need(vl);
    const value = block.subarray(off, off + vl).toString('utf8');
    off += vl;
    (headers[name] ??= []).push(...value.split('\0'));
  }
  return headers;
}

/**
 * Our side's header compressor. zlib's streaming API is asynchronous, so each block is deflated on
 * its own with the previous 32 KiB of the stream (dictionary + earlier blocks) as its preset
 * dictionary and a sync flush at the end: the peer, inflating one continuous stream, sees exactly
 * what a continuous deflater would have produced (back-references never reach further than that).
 */
export class HeaderCompressor {
  private history: Buffer | undefined;

  compress(headers: SpdyHeaders): Buffer {
    const block = encodeHeaderBlock(headers);
    const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
    let out: Buffer;
    if (!this.history) {
      out = zlib.deflateSync(block, { ...flush, dictionary: HEADER_DICTIONARY });
      this.history = HEADER_DICTIONARY;
    } else {
      out = zlib.deflateRawSync(block, { ...flush, dictionary: this.history });
    }
    this.history = lastBytes(Buffer.concat([this.history, block]), ZLIB_WINDOW);
    return out;
  }
}

/** The peer's header decompressor, the mirror of HeaderCompressor (blocks end on a sync flush). */
export class HeaderDecompressor {
  private history: Buffer | undefined;

  decompress(compressed: Buffer): SpdyHeaders {
    const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
    let block: Buffer;
    try {
      block = this.history
        ? zlib.inflateRawSync(compressed, { ...flush, dictionary: this.history })
        : zlib.inflateSync(compressed, { ...flush, dictionary: HEADER_DICTIONARY });
    } catch (err) {
      throw new SpdyProtocolError(`bad header block: ${(err as Error).message}`);
    }
    this.history = lastBytes(Buffer.concat([this.history ?? HEADER_DICTIONARY, block]), ZLIB_WINDOW);
    return decodeHeaderBlock(block);
  }
}

// ------------------------------------------------------------------ frames

export type SpdyFrame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'synStream'; streamId: number; associatedTo: number; priority: number; fin: boolean; unidirectional: boolean; headers: SpdyHeaders }
  | { type: 'synReply'; streamId: number; fin: boolean; headers: SpdyHeaders }
  | { type: 'rstStream'; streamId: number; status: number }
  | { type: 'settings'; clear: boolean; entries: Array<{ flags: number; id: number; value: number }> }
  | { type: 'ping'; id: number }
  | { type: 'goAway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; fin: boolean; headers: SpdyHeaders }
  | { type: 'windowUpdate'; streamId: number; delta: number }
  | { type: 'unknown'; frameType: number; version: number };

export class SpdyProtocolError extends Error {}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function lastBytes(b: Buffer, n: number): Buffer {
  return b.length <= n ? b : Buffer.from(b.subarray(b.length - n));
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

/** Encodes frames; header blocks go through this direction's compressor. */
export class FrameEncoder {
  private readonly compressor = new HeaderCompressor();

  encode(f: SpdyFrame): Buffer {
    switch (f.type) {
      case 'data': {
        const head = Buffer.alloc(8);
        head.writeUInt32BE(f.streamId & 0x7fffffff, 0);
        head.writeUInt32BE(((f.fin ? FLAG_FIN : 0) << 24) | f.data.length, 4);
        return Buffer.concat([head, f.data]);
      }
      case 'synStream': {
        const fixed = Buffer.alloc(10);
        fixed.writeUInt32BE(f.streamId & 0x7fffffff, 0);
        fixed.writeUInt32BE(f.associatedTo & 0x7fffffff, 4);
        fixed[8] = (f.priority & 0x7) << 5;
        const flags = (f.fin ? FLAG_FIN : 0) | (f.unidirectional ? FLAG_UNIDIRECTIONAL : 0);
        return controlFrame(FrameType.synStream, flags, Buffer.concat([fixed, this.compressor.compress(f.headers)]));
      }
      case 'synReply':
        return controlFrame(FrameType.synReply, f.fin ? FLAG_FIN : 0, Buffer.concat([u32(f.streamId & 0x7fffffff), this.compressor.compress(f.headers)]));
      case 'headers':
        return controlFrame(FrameType.headers, f.fin ? FLAG_FIN : 0, Buffer.concat([u32(f.streamId & 0x7fffffff), this.compressor.compress(f.headers)]));
      case 'rstStream':
        return controlFrame(FrameType.rstStream, 0, Buffer.concat([u32(f.streamId & 0x7fffffff), u32(f.status)]));
      case 'settings': {
        const parts = [u32(f.entries.length)];
        for (const e of f.entries) parts.push(u32(((e.flags & 0xff) << 24) | (e.id & 0xffffff)), u32(e.value));
        return controlFrame(FrameType.settings, f.clear ? 1 : 0, Buffer.concat(parts));
      }
      case 'ping':
        return controlFrame(FrameType.ping, 0, u32(f.id));
      case 'goAway':
        return controlFrame(FrameType.goAway, 0, Buffer.concat([u32(f.lastGoodStreamId & 0x7fffffff), u32(f.status)]));
      case 'windowUpdate':
        return controlFrame(FrameType.windowUpdate, 0, Buffer.concat([u32(f.streamId & 0x7fffffff), u32(f.delta & 0x7fffffff)]));
      case 'unknown':
        throw new Error('cannot encode an unknown frame');
    }
  }
}

/** Splits a byte stream into frames; header blocks go through this direction's decompressor. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private readonly decompressor = new HeaderDecompressor();

  push(chunk: Buffer): SpdyFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: SpdyFrame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + len) break;
      const frame = this.buf.subarray(0, 8 + len);
      this.buf = this.buf.subarray(8 + len);
      frames.push(this.decode(frame));
    }
    return frames;
  }

  private decode(b: Buffer): SpdyFrame {
    const flags = b[4];
    const p = b.subarray(8);
    if ((b[0] & 0x80) === 0) {
      return { type: 'data', streamId: b.readUInt32BE(0) & 0x7fffffff, fin: (flags & FLAG_FIN) !== 0, data: Buffer.from(p) };
    }
    const version = b.readUInt16BE(0) & 0x7fff;
    const type = b.readUInt16BE(2);
    if (version !== SPDY_VERSION) return { type: 'unknown', frameType: type, version };
    const need = (n: number) => {
      if (p.length < n) throw new SpdyProtocolError(`control frame ${type} is too short`);
    };
    const id = () => p.readUInt32BE(0) & 0x7fffffff;
    switch (type) {
      case FrameType.synStream:
        need(10);
        return {
          type: 'synStream',
          streamId: id(),
          associatedTo: p.readUInt32BE(4) & 0x7fffffff,
          priority: p[8] >> 5,
          fin: (flags & FLAG_FIN) !== 0,
          unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0,
          headers: this.decompressor.decompress(p.subarray(10)),
        };
      case FrameType.synReply:
        need(4);
        return { type: 'synReply', streamId: id(), fin: (flags & FLAG_FIN) !== 0, headers: this.decompressor.decompress(p.subarray(4)) };
      case FrameType.headers:
        need(4);
        return { type: 'headers', streamId: id(), fin: (flags & FLAG_FIN) !== 0, headers: this.decompressor.decompress(p.subarray(4)) };
      case FrameType.rstStream:
        need(8);
        return { type: 'rstStream', streamId: id(), status: p.readUInt32BE(4) };
      case FrameType.settings: {
        need(4);
        const count = p.readUInt32BE(0);
        need(4 + count * 8);
        const entries = [];
        for (let i = 0; i < count; i++) {
          const word = p.readUInt32BE(4 + i * 8);
          entries.push({ flags: word >>> 24, id: word & 0xffffff, value: p.readUInt32BE(8 + i * 8) });
        }
        return { type: 'settings', clear: (flags & 1) !== 0, entries };
      }
      case FrameType.ping:
        need(4);
        return { type: 'ping', id: p.readUInt32BE(0) };
      case FrameType.goAway:
        need(4);
        return { type: 'goAway', lastGoodStreamId: id(), status: p.length >= 8 ? p.readUInt32BE(4) : 0 };
      case FrameType.windowUpdate:
        need(8);
        return { type: 'windowUpdate', streamId: id(), delta: p.readUInt32BE(4) & 0x7fffffff };
      default:
        return { type: 'unknown', frameType: type, version };
    }
  }
}

// ------------------------------------------------------------------ session

/** Where the session's bytes go: an upgraded socket, or a WebSocket tunnel. */
export interface SpdyTransport {
  write(data: Buffer): void;
  end(): void;
}

/**
 * One stream opened by the client. The handler must reply() (accept) or reset() (refuse) it;
 * data written before the reply would be dropped by the client.
 */
export class SpdyStream {
  private dataCbs: Array<(d: Buffer) => void> = [];
  private endCbs: Array<() => void> = [];
  private pending: Buffer[] = [];
  private replied = false;
  private localEnded = false;
  private remoteEnded = false;
  private ended = false;
  private resetDone = false;
  /** Bytes received since our last WINDOW_UPDATE for this stream. */
  unacked = 0;
  sendWindow: number;
  private queue: Array<{ data: Buffer; fin: boolean }> = [];

  constructor(
    readonly session: SpdySession,
    readonly id: number,
    readonly headers: SpdyHeaders,
    remoteFin: boolean,
  ) {
    this.sendWindow = session.initialSendWindow;
    if (remoteFin) this.remoteEnded = true;
  }

  /** The first value of a header, by case-insensitive name. */
  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()]?.[0];
  }

  get isReset(): boolean {
    return this.resetDone;
  }

  reply(): void {
    if (this.replied || this.resetDone) return;
    this.replied = true;
    this.session.send({ type: 'synReply', streamId: this.id, fin: false, headers: {} });
    if (this.remoteEnded) this.finishRemote();
  }

  write(data: Buffer): void {
    if (this.localEnded || this.resetDone || !data.length) return;
    if (!this.replied) this.reply();
    for (let off = 0; off < data.length; off += MAX_DATA_FRAME) {
      this.queue.push({ data: data.subarray(off, off + MAX_DATA_FRAME), fin: false });
    }
    this.flush();
  }

  /** Half-closes our side (DATA with FIN). */
  end(): void {
    if (this.localEnded || this.resetDone) return;
    if (!this.replied) this.reply();
    this.localEnded = true;
    this.queue.push({ data: Buffer.alloc(0), fin: true });
    this.flush();
    this.maybeDone();
  }

  /** Tears the stream down both ways (RST_STREAM). */
  reset(status: number = RstStatus.cancel): void {
    if (this.resetDone) return;
    this.resetDone = true;
    this.queue = [];
    this.session.send({ type: 'rstStream', streamId: this.id, status });
    this.finishRemote();
    this.session.forget(this.id);
  }

  onData(cb: (d: Buffer) => void): void {
    this.dataCbs.push(cb);
    if (this.pending.length) {
      const buffered = this.pending;
      this.pending = [];
      for (const d of buffered) cb(d);
    }
  }

  /** Called once when no more data will come: the client's FIN, a reset, or the session's end. */
  onEnd(cb: () => void): void {
    if (this.ended) queueMicrotask(cb);
    else this.endCbs.push(cb);
  }

  /** @internal: the client reset the stream; nothing more goes either way. */
  peerReset(): void {
    this.resetDone = true;
    this.queue = [];
    this.finishRemote();
  }

  /** @internal */
  flush(): void {
    while (this.queue.length) {
      const next = this.queue[0];
      const len = next.data.length;
      if (len && this.session.enforceSendWindow && (this.sendWindow < len || this.session.sendWindow < len)) return;
      this.queue.shift();
      this.sendWindow -= len;
      this.session.sendWindow -= len;
      this.session.send({ type: 'data', streamId: this.id, fin: next.fin, data: next.data });
    }
  }

  /** @internal */
  receive(data: Buffer, fin: boolean): void {
    if (this.remoteEnded || this.resetDone) {
      if (data.length) this.session.streamError(this.id, RstStatus.streamAlreadyClosed);
      return;
    }
    if (data.length) {
      this.session.consumed(this, data.length);
      if (this.dataCbs.length) for (const cb of this.dataCbs) cb(data);
      else this.pending.push(data);
    }
    if (fin) {
      this.remoteEnded = true;
      this.finishRemote();
    }
  }

  /** @internal */
  finishRemote(): void {
    this.remoteEnded = true;
    if (this.ended) return;
    this.ended = true;
    const cbs = this.endCbs;
    this.endCbs = [];
    for (const cb of cbs) cb();
    this.maybeDone();
  }

  private maybeDone(): void {
    if (this.localEnded && this.remoteEnded && !this.queue.length) this.session.forget(this.id);
  }
}

export interface SpdySessionOptions {
  /** Called for each new client stream; reply() or reset() it. */
  onStream: (stream: SpdyStream) => void;
  /** Called once when the transport is gone or the session failed. */
  onClose?: () => void;
}

export class SpdySession {
  private readonly encoder = new FrameEncoder();
  private readonly decoder = new FrameDecoder();
  private readonly streams = new Map<number, SpdyStream>();
  private lastClientStream = 0;
  private closed = false;
  private goneAway = false;
  private sessionUnacked = 0;
  initialSendWindow = DEFAULT_WINDOW;
  sendWindow = DEFAULT_WINDOW;
  /**
   * spdystream, the SPDY client inside kubectl, neither sends WINDOW_UPDATE nor honours ours, so
   * holding data back for a window would stall a `kubectl cp` after 64 KiB. The send window is
   * therefore enforced only once the peer shows it does flow control by sending WINDOW_UPDATE.
   */
  enforceSendWindow = false;

  constructor(
    private readonly transport: SpdyTransport,
    private readonly opts: SpdySessionOptions,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Feeds bytes read from the transport. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames: SpdyFrame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.fail(err instanceof SpdyProtocolError ? GoAwayStatus.protocolError : GoAwayStatus.internalError);
      return;
    }
    for (const f of frames) {
      if (this.closed) return;
      try {
        this.frame(f);
      } catch (err) {
        // Ours, not the client's: this session ends, the server keeps serving the others.
        console.error('kubedojo apiserver: a SPDY stream handler failed:', err);
        this.fail(GoAwayStatus.internalError);
        return;
      }
    }
  }

  /** The transport ended: every open stream ends with it. */
  transportClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.streams.values()]) s.finishRemote();
    this.streams.clear();
    this.opts.onClose?.();
  }

  /** Sends GOAWAY and ends the transport. */
  close(status: number = GoAwayStatus.ok): void {
    if (this.closed) return;
    if (!this.goneAway) {
      this.goneAway = true;
      this.send({ type: 'goAway', lastGoodStreamId: this.lastClientStream, status });
    }
    this.transport.end();
    this.transportClosed();
  }

  /** @internal */
  send(f: SpdyFrame): void {
    if (this.closed) return;
    this.transport.write(this.encoder.encode(f));
  }

  /** @internal */
  forget(id: number): void {
    this.streams.delete(id);
  }

  /** @internal */
  streamError(id: number, status: number): void {
    this.send({ type: 'rstStream', streamId: id, status });
  }

  /** @internal: acknowledges received bytes once half a window has been used. */
  consumed(stream: SpdyStream, n: number): void {
    stream.unacked += n;
    this.sessionUnacked += n;
    if (stream.unacked >= DEFAULT_WINDOW / 2) {
      this.send({ type: 'windowUpdate', streamId: stream.id, delta: stream.unacked });
      stream.unacked = 0;
    }
    if (this.sessionUnacked >= DEFAULT_WINDOW / 2) {
      this.send({ type: 'windowUpdate', streamId: 0, delta: this.sessionUnacked });
      this.sessionUnacked = 0;
    }
  }

  private fail(status: number): void {
    this.close(status);
  }

  private frame(f: SpdyFrame): void {
    switch (f.type) {
      case 'synStream': {
        // Client streams are odd and strictly increasing (SPDY/3 §2.3.2).
        if (f.streamId % 2 === 0 || f.streamId <= this.lastClientStream) {
          this.fail(GoAwayStatus.protocolError);
          return;
        }
        this.lastClientStream = f.streamId;
        if (this.goneAway) {
          this.send({ type: 'rstStream', streamId: f.streamId, status: RstStatus.refusedStream });
          return;
        }
        const stream = new SpdyStream(this, f.streamId, f.headers, f.fin);
        this.streams.set(f.streamId, stream);
        this.opts.onStream(stream);
        return;
      }
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (!s) {
          if (f.streamId !== 0 && (f.data.length || !f.fin)) this.send({ type: 'rstStream', streamId: f.streamId, status: RstStatus.invalidStream });
          return;
        }
        s.receive(f.data, f.fin);
        return;
      }
      case 'rstStream': {
        const s = this.streams.get(f.streamId);
        if (s) {
          this.streams.delete(f.streamId);
          s.peerReset();
        }
        return;
      }
      case 'headers': {
        if (f.fin) this.streams.get(f.streamId)?.receive(Buffer.alloc(0), true);
        return;
      }
      case 'settings':
        for (const e of f.entries) {
          if (e.id === SETTINGS_INITIAL_WINDOW_SIZE) {
            const delta = e.value - this.initialSendWindow;
            this.initialSendWindow = e.value;
            for (const s of this.streams.values()) s.sendWindow += delta;
          }
        }
        return;
      case 'ping':
        // Client pings are odd; answer them. Even ids would be answers to ours (we send none).
        if (f.id % 2 === 1) this.send({ type: 'ping', id: f.id });
        return;
      case 'goAway':
        this.goneAway = true;
        return;
      case 'windowUpdate': {
        this.enforceSendWindow = true;
        if (f.streamId === 0) {
          this.sendWindow += f.delta;
          for (const s of this.streams.values()) s.flush();
        } else {
          const s = this.streams.get(f.streamId);
          if (s) {
            s.sendWindow += f.delta;
            s.flush();
          }
        }
        return;
      }
      case 'synReply':
      case 'unknown':
        // We open no streams, and unknown control frames are ignored (SPDY/3 §2.2.1).
        return;
    }
  }
}

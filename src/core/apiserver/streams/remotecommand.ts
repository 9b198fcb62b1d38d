// exec and attach, as the kubelet's streaming server answers them, over both transports:
//
// - WebSocket (kubectl >= 1.30 tries it first): one message per write, its first byte the
//   channel (0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize); v5.channel.k8s.io adds the close
//   signal [255, channel] so stdin can end without closing the connection.
// - SPDY/3.1 (older kubectl, and the fallback): the client opens one stream per channel, told
//   apart by their `streamType` header, and the server waits until all it asked for are open.
//
// In both, the outcome is written on the error channel: a metav1.Status from v4 on (exit codes
// travel as reason NonZeroExitCode with an ExitCode cause), plain text before that.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../cluster/errors.js';
import type { ExecIO, ExecOutcome } from './runtime.js';
import { acceptWebSocket, CloseCode, handshakeProblem, isWebSocketRequest, offeredProtocols, onMessage, type WebSocket } from './websocket.js';
import { isSpdyRequest, negotiateSpdy, UPGRADE_FAILED_PREFIX, upgradeToSpdy, writeError, writeHttp, type Upgrade } from './http.js';
import type { SpdyStream } from './spdy.js';
import { channelMessage, channelSender } from './channel.js';
import { hasOwn, own } from '../../cluster/own.js';

export interface RemoteCommandOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export type { Upgrade } from './http.js';

export type RemoteCommandKind = { kind: 'exec'; command: string[] } | { kind: 'attach' };

/** SPDY protocols, best first (v5 is v4 over SPDY: its close signal is WebSocket-only). */
export const SPDY_REMOTECOMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'] as const;

interface WsProtocol {
  version: number;
  base64: boolean;
}

/** WebSocket subprotocols: what the kubelet speaks, plus v5 as the apiserver speaks it. */
export const WEBSOCKET_REMOTECOMMAND_PROTOCOLS: Record<string, WsProtocol> = {
  'v5.channel.k8s.io': { version: 5, base64: false },
  'v4.channel.k8s.io': { version: 4, base64: false },
  'v4.base64.channel.k8s.io': { version: 4, base64: true },
  'channel.k8s.io': { version: 1, base64: false },
  'base64.channel.k8s.io': { version: 1, base64: true },
};

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE_SIGNAL = 255;

/** How long the client has to open the streams it asked for (kubelet's streamCreationTimeout). */
const STREAM_CREATION_TIMEOUT_MS = 30_000;
/** How long the apiserver's stream translator takes to reach the kubelet, roughly. */
const TRANSLATOR_DIAL_MS = 20;
/** After the outcome is written, how long the client has to hang up before we do. */
const LINGER_MS = 5_000;

/** A single-consumer queue of byte chunks, read as an async iterable. */
export class ByteQueue implements AsyncIterable<Buffer> {
  private items: Buffer[] = [];
  private done = false;
  private wake?: () => void;

  push(b: Buffer): void {
    if (this.done || !b.length) return;
    this.items.push(b);
    this.wake?.();
  }

  end(): void {
    this.done = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      if (this.items.length) yield this.items.shift()!;
      else if (this.done) return;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }
}

/** Splits a byte stream of concatenated JSON objects (the resize channel) into objects. */
export class JsonObjectSplitter {
  private text = '';

  push(chunk: Buffer | string): unknown[] {
    this.text += chunk.toString();
    const out: unknown[] = [];
    let depth = 0;
    let inString = false;
    let escaped = false;
    let start = -1;
    let consumed = 0;
    for (let i = 0; i < this.text.length; i++) {
      const c = this.text[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{') {
        if (depth++ === 0) start = i;
      } else if (c === '}' && depth > 0 && --depth === 0) {
        try {
          out.push(JSON.parse(this.text.slice(start, i + 1)));
        } catch {
          // a malformed size is skipped, as the kubelet's decoder would stop on it
        }
        consumed = i + 1;
      }
    }
    this.text = depth === 0 ? '' : this.text.slice(consumed);
    return out;
  }
}

type StatusBody = Record<string, unknown> & { status: string; message?: string; reason?: string };

const SUCCESS: StatusBody = { metadata: {}, status: 'Success' };

function internalErrorStatus(message: string): StatusBody {
  return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
}

function exitCodeStatus(code: number, message: string): StatusBody {
  return { metadata: {}, status: 'Failure', message, reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } };
}

/** The Status the kubelet writes on the error stream for an outcome (v4 and later). */
export function outcomeStatus(kind: RemoteCommandKind, outcome: ExecOutcome): StatusBody {
  if ('error' in outcome) {
    return internalErrorStatus(kind.kind === 'exec' ? `error executing command in container: ${outcome.error}` : `error attaching to container: ${outcome.error}`);
  }
  // The kubelet reports no exit code for attach: the session simply ends.
  const code = ((outcome.exitCode % 256) + 256) % 256;
  if (kind.kind === 'attach' || code === 0) return SUCCESS;
  return exitCodeStatus(code, `command terminated with non-zero exit code: error executing command [${kind.command.join(' ')}], exit code ${code}`);
}

/** The Status for a session the runtime could not run: what the kubelet would have answered. */
function failureStatus(failure: unknown): StatusBody {
  if (failure instanceof ApiError) return { metadata: {}, status: 'Failure', message: failure.message, reason: failure.reason, code: failure.code };
  console.error('kubedojo apiserver: the stream runtime failed:', failure);
  return internalErrorStatus((failure as Error)?.message ?? String(failure));
}

/**
 * v5 over WebSocket is the apiserver's own: its stream translator runs client-go's SPDY client
 * against the kubelet and re-encodes how that ended. A command's exit code comes back worded by
 * client-go; any other failure arrives as a plain error and is wrapped as an internal error again
 * (which is why kubectl 1.30+ prints "Internal error occurred: Internal error occurred: ...").
 */
export function translatedStatus(kubelet: StatusBody): StatusBody {
  if (kubelet.status === 'Success') return SUCCESS;
  if (kubelet.reason === 'NonZeroExitCode') {
    const causes = ((kubelet.details as { causes?: Array<{ reason?: string; message?: string }> } | undefined)?.causes ?? []);
    const code = Number(causes.find((c) => c.reason === 'ExitCode')?.message ?? 1);
    return exitCodeStatus(code, `command terminated with non-zero exit code: command terminated with exit code ${code}`);
  }
  return internalErrorStatus(String(kubelet.message ?? ''));
}

/**
 * A kubelet that refuses to upgrade answers in plain text (see http.ts). Through the translator
 * that refusal happens after the client's WebSocket is up, so it is reported on the error channel.
 */
function upgradeRefusal(failure: unknown): StatusBody | undefined {
  if (failure instanceof ApiError && failure.message.startsWith(UPGRADE_FAILED_PREFIX)) return internalErrorStatus(failure.message);
  return undefined;
}

/** What goes on the error channel for a protocol version: JSON from v4, the message before. */
function errorPayload(version: number, status: StatusBody): Buffer | undefined {
  if (version >= 4) return Buffer.from(JSON.stringify(status));
  return status.status === 'Success' ? undefined : Buffer.from(String(status.message ?? ''));
}

/**
 * Holds one session's I/O while the transport catches up: output produced before the client has
 * opened its streams is kept and delivered once they are there.
 */
class Session {
  readonly stdin: ByteQueue | null;
  private out: Array<{ fd: 1 | 2; data: Buffer }> = [];
  private sink?: (fd: 1 | 2, data: Buffer) => void;
  private resizeCbs: Array<(size: { width: number; height: number }) => void> = [];
  private lastSize?: { width: number; height: number };

  private readonly gone = new AbortController();

  constructor(readonly opts: RemoteCommandOptions) {
    this.stdin = opts.stdin ? new ByteQueue() : null;
  }

  /** The client has gone (or was refused): stdin ends and the runtime is told to stop. */
  abort(): void {
    this.stdin?.end();
    this.sink = undefined;
    this.out = [];
    if (!this.gone.signal.aborted) this.gone.abort();
  }

  io(): ExecIO {
    return {
      signal: this.gone.signal,
      stdin: this.stdin,
      stdout: (d) => this.write(1, d),
      stderr: this.opts.stderr && !this.opts.tty ? (d) => this.write(2, d) : null,
      tty: this.opts.tty,
      onResize: (cb) => {
        this.resizeCbs.push(cb);
        if (this.lastSize) cb(this.lastSize);
      },
    };
  }

  connect(sink: (fd: 1 | 2, data: Buffer) => void): void {
    this.sink = sink;
    const held = this.out;
    this.out = [];
    for (const o of held) sink(o.fd, o.data);
  }

  resize(size: unknown): void {
    const s = size as { Width?: unknown; Height?: unknown };
    if (typeof s?.Width !== 'number' || typeof s?.Height !== 'number') return;
    this.lastSize = { width: s.Width, height: s.Height };
    for (const cb of this.resizeCbs) cb(this.lastSize);
  }

  private write(fd: 1 | 2, data: Buffer): void {
    if (!data.length || this.gone.signal.aborted) return;
    if (fd === 1 && !this.opts.stdout) return;
    if (this.sink) this.sink(fd, Buffer.from(data));
    else this.out.push({ fd, data: Buffer.from(data) });
  }
}

/**
 * Serves one exec or attach on an upgrade request. `run` starts the command; if it fails at once
 * with an ApiError (pod not running, container unknown...), that is answered as HTTP before the
 * connection is upgraded, as the kubelet refuses such a request.
 */
export async function serveRemoteCommand(up: Upgrade, opts: RemoteCommandOptions, kind: RemoteCommandKind, run: (io: ExecIO) => Promise<ExecOutcome>): Promise<void> {
  const { req, socket, head } = up;
  const ws = isWebSocketRequest(req);
  let wsProtocol: string | undefined;
  let spdyProtocol: string | undefined;
  if (ws) {
    const problem = handshakeProblem(req);
    if (problem) return writeHttp(socket, problem.code, { 'Content-Type': 'text/plain; charset=utf-8', ...problem.headers }, problem.message + '\n');
    const offered = offeredProtocols(req);
    wsProtocol = offered.length ? offered.find((p) => hasOwn(WEBSOCKET_REMOTECOMMAND_PROTOCOLS, p)) : '';
    if (wsProtocol === undefined) {
      const supported = Object.keys(WEBSOCKET_REMOTECOMMAND_PROTOCOLS);
      return writeHttp(socket, 403, { 'Content-Type': 'text/plain; charset=utf-8' }, `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${supported.join(' ')}]\n`);
    }
  } else if (isSpdyRequest(req)) {
    spdyProtocol = negotiateSpdy(req, socket, SPDY_REMOTECOMMAND_PROTOCOLS);
    if (!spdyProtocol) return;
  } else {
    return writeHttp(socket, 400, { 'Content-Type': 'text/plain; charset=utf-8' }, `unsupported upgrade: ${String(req.headers.upgrade ?? '')}\n`);
  }

  const session = new Session(opts);
  let outcome: ExecOutcome | undefined;
  let failure: unknown;
  let settled = false;
  let onSettled: (() => void) | undefined;
  const running = (async () => run(session.io()))().then(
    (o) => {
      outcome = o;
    },
    (err) => {
      failure = err;
    },
  );
  void running.finally(() => {
    settled = true;
    onSettled?.();
  });
  // Give a runtime that validates before its first await the chance to refuse the request.
  await new Promise<void>((r) => setImmediate(r));
  const translated = ws && own<WsProtocol>(WEBSOCKET_REMOTECOMMAND_PROTOCOLS, wsProtocol!)?.version === 5;
  if (settled && failure !== undefined && !(translated && upgradeRefusal(failure))) {
    session.abort();
    return writeError(socket, failure);
  }

  const finish = (version: number, send: (payload: Buffer | undefined) => void) => {
    let status: StatusBody;
    if (failure === undefined) {
      status = outcomeStatus(kind, outcome!);
      if (translated) status = translatedStatus(status);
    } else status = (translated && upgradeRefusal(failure)) || failureStatus(failure);
    send(errorPayload(version, status));
  };
  const whenSettled = (cb: () => void) => {
    if (settled) cb();
    else onSettled = cb;
  };

  if (ws) serveWebSocket(up, wsProtocol!, opts, session, whenSettled, finish);
  else serveSpdy(socket, head, spdyProtocol!, opts, session, whenSettled, finish);
}

type Finish = (version: number, send: (payload: Buffer | undefined) => void) => void;

function lingerThenDestroy(socket: Duplex): void {
  const t = setTimeout(() => socket.destroy(), LINGER_MS);
  t.unref?.();
  socket.once('close', () => clearTimeout(t));
}

function serveWebSocket(up: Upgrade, protocol: string, opts: RemoteCommandOptions, session: Session, whenSettled: (cb: () => void) => void, finish: Finish): void {
  const p = own<WsProtocol>(WEBSOCKET_REMOTECOMMAND_PROTOCOLS, protocol) ?? { version: 1, base64: false };
  acceptWebSocket(up, protocol, (ws) => connectWebSocket(ws, up.socket, p, opts, session, whenSettled, finish), () => session.abort());
}

function connectWebSocket(ws: WebSocket, socket: Duplex, p: WsProtocol, opts: RemoteCommandOptions, session: Session, whenSettled: (cb: () => void) => void, finish: Finish): void {
  const send = channelSender(ws, p.base64);
  const resize = new JsonObjectSplitter();
  onMessage(ws, (msg) => {
    if (p.version >= 5 && msg[0] === CLOSE_SIGNAL) {
      if (msg[1] === STDIN) session.stdin?.end();
      return;
    }
    const m = channelMessage(msg, p.base64);
    if (m?.channel === STDIN) session.stdin?.push(Buffer.from(m.data));
    else if (m?.channel === RESIZE && opts.tty) for (const size of resize.push(m.data)) session.resize(size);
  });
  ws.on('close', () => session.abort());
  const start = () => {
    if (ws.readyState !== ws.OPEN) return;
    // The hello: an empty message on the lowest channel the client will read.
    send(opts.stdout ? STDOUT : opts.stderr && !opts.tty ? STDERR : ERROR, Buffer.alloc(0));
    session.connect((fd, data) => send(fd, data));
    whenSettled(() => {
      finish(p.version, (payload) => {
        if (payload) send(ERROR, payload);
      });
      ws.close(CloseCode.normal);
      lingerThenDestroy(socket);
    });
  };
  if (p.version < 5) return start();
  // Behind a real apiserver nothing flows until its translator has dialled the kubelet, a few
  // milliseconds after the handshake. client-go 1.30 and 1.31 rely on that: a message that comes
  // before they have set up their streams is dropped ("Unknown stream id 1, discarding message").
  const t = setTimeout(start, TRANSLATOR_DIAL_MS);
  t.unref?.();
}

function serveSpdy(socket: Duplex, head: Buffer, protocol: string, opts: RemoteCommandOptions, session: Session, whenSettled: (cb: () => void) => void, finish: Finish): void {
  const version = protocol === 'channel.k8s.io' ? 1 : Number(/^v(\d)\./.exec(protocol)?.[1] ?? 1);
  const streams: Partial<Record<'error' | 'stdin' | 'stdout' | 'stderr' | 'resize', SpdyStream>> = {};
  const stderrWanted = opts.stderr && !opts.tty;
  const expected = 1 + (opts.stdin ? 1 : 0) + (opts.stdout ? 1 : 0) + (stderrWanted ? 1 : 0) + (opts.tty && version >= 3 ? 1 : 0);
  let received = 0;
  let started = false;
  const spdy = upgradeToSpdy(socket, head, protocol, {
    onStream: (stream) => {
      const type = stream.header('streamtype') as keyof typeof streams | undefined;
      if (!type || !['error', 'stdin', 'stdout', 'stderr', 'resize'].includes(type) || streams[type]) {
        stream.reset();
        return;
      }
      streams[type] = stream;
      stream.reply();
      if (type === 'stdin') {
        stream.onData((d) => session.stdin?.push(d));
        stream.onEnd(() => session.stdin?.end());
      } else if (type === 'resize') {
        const splitter = new JsonObjectSplitter();
        stream.onData((d) => {
          for (const size of splitter.push(d)) session.resize(size);
        });
      }
      if (++received === expected) start();
    },
    onClose: () => session.abort(),
  });
  const timer = setTimeout(() => {
    // kubelet: "timed out waiting for client to create streams"; it just hangs up.
    if (!started) spdy.close();
  }, STREAM_CREATION_TIMEOUT_MS);
  timer.unref?.();

  function start(): void {
    started = true;
    clearTimeout(timer);
    // The v1 protocol closed the server's side of stdin at once (kept for old clients).
    if (version === 1) streams.stdin?.end();
    session.connect((fd, data) => (fd === 1 ? streams.stdout : streams.stderr)?.write(data));
    whenSettled(() => {
      finish(version, (payload) => {
        if (payload) streams.error?.write(payload);
      });
      for (const s of [streams.stdout, streams.stderr, streams.error, streams.stdin, streams.resize]) s?.end();
      lingerThenDestroy(socket);
    });
  }
}

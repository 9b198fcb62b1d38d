// port-forward, as the kubelet's streaming server answers it. kubectl runs everything over one
// SPDY/3.1 session: plainly on the upgraded socket (protocol portforward.k8s.io, kubectl 1.30 and
// before), or tunnelled inside a WebSocket whose binary messages carry the SPDY bytes (subprotocol
// SPDY/3.1+portforward.k8s.io, kubectl 1.31 on). Each forwarded connection is a pair of client
// streams sharing a requestID: `data` carries the bytes, `error` carries a message if it fails.
// Client libraries speak the kubelet's own WebSocket protocol instead (v4.channel.k8s.io, one
// pair of channels per port named in the query), served at the end of this file.
import { createHash } from 'node:crypto';
import { ApiError } from '../../cluster/errors.js';
import type { PodConnection, StreamRuntime } from './runtime.js';
import type { Cluster } from '../../cluster/cluster.js';
import { acceptWebSocket, CloseCode, handshakeProblem, isWebSocketRequest, offeredProtocols, onMessage, sendIfOpen, type WebSocket } from './websocket.js';
import { isSpdyRequest, negotiateSpdy, upgradeToSpdy, writeHttp } from './http.js';
import { SpdySession, type SpdyStream } from './spdy.js';
import type { Upgrade } from './http.js';
import { channelMessage, channelSender } from './channel.js';
import { hasOwn } from '../../cluster/own.js';

export const PORTFORWARD_PROTOCOL = 'portforward.k8s.io';
export const TUNNEL_PREFIX = 'SPDY/3.1+';

const STREAM_CREATION_TIMEOUT_MS = 30_000;

export interface PortForwardTarget {
  runtime: StreamRuntime;
  cluster: Cluster;
  namespace: string;
  pod: string;
  /** The pod's uid: the kubelet names the pod by its sandbox, which we derive from it. */
  podUid: string;
}

interface Pair {
  requestId: string;
  data?: SpdyStream;
  error?: SpdyStream;
  timer: NodeJS.Timeout;
}

export function servePortForward(up: Upgrade, target: PortForwardTarget, query: URLSearchParams = new URLSearchParams()): void {
  const { req, socket, head } = up;
  if (isWebSocketRequest(req)) {
    const problem = handshakeProblem(req);
    if (problem) return writeHttp(socket, problem.code, { 'Content-Type': 'text/plain; charset=utf-8', ...problem.headers }, problem.message + '\n');
    const offered = offeredProtocols(req);
    const protocol = offered.find((p) => p === TUNNEL_PREFIX + PORTFORWARD_PROTOCOL);
    if (!protocol) {
      const channels = offered.length ? offered.find((p) => hasOwn(WEBSOCKET_CHANNEL_PROTOCOLS, p)) : '';
      if (channels !== undefined) return serveChannels(up, channels, target, query);
      const supported = [TUNNEL_PREFIX + PORTFORWARD_PROTOCOL, ...Object.keys(WEBSOCKET_CHANNEL_PROTOCOLS).filter(Boolean)];
      return writeHttp(socket, 403, { 'Content-Type': 'text/plain; charset=utf-8' }, `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${supported.join(' ')}]\n`);
    }
    return acceptWebSocket(up, protocol, (ws) => tunnel(ws, target));
  }
  if (!isSpdyRequest(req)) return writeHttp(socket, 400, { 'Content-Type': 'text/plain; charset=utf-8' }, `unsupported upgrade: ${String(req.headers.upgrade ?? '')}\n`);
  const protocol = negotiateSpdy(req, socket, [PORTFORWARD_PROTOCOL]);
  if (!protocol) return;
  let handler: PortForwardHandler | undefined;
  const session = upgradeToSpdy(socket, head, protocol, { onStream: (s) => handler!.stream(s), onClose: () => handler?.closed() });
  handler = new PortForwardHandler(target, session);
}

/** A SPDY session carried in the binary messages of a WebSocket. */
function tunnel(ws: WebSocket, target: PortForwardTarget): void {
  const session = new SpdySession({ write: (d) => sendIfOpen(ws, d), end: () => ws.close(CloseCode.normal) }, { onStream: (s) => handler.stream(s), onClose: () => handler.closed() });
  const handler = new PortForwardHandler(target, session);
  onMessage(ws, (d) => session.receive(d));
  ws.on('close', () => session.transportClosed());
}

/** Pairs streams by requestID and bridges each complete pair to a connection into the pod. */
class PortForwardHandler {
  private readonly pairs = new Map<string, Pair>();

  constructor(
    private readonly target: PortForwardTarget,
    private readonly session: SpdySession,
  ) {}

  stream(s: SpdyStream): void {
    const port = s.header('port');
    const type = s.header('streamtype');
    // The kubelet refuses malformed streams outright (httpStreamReceived).
    if (!port || !/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535 || (type !== 'data' && type !== 'error')) {
      s.reset();
      return;
    }
    s.reply();
    // Clients before request ids: the error stream's id, and the data stream's id minus two.
    const requestId = s.header('requestid') ?? String(type === 'error' ? s.id : s.id - 2);
    let pair = this.pairs.get(requestId);
    if (!pair) {
      const created: Pair = {
        requestId,
        timer: setTimeout(() => {
          created.error?.write(Buffer.from(`timed out waiting for streams for request ${requestId}`));
          created.error?.end();
          created.data?.end();
          this.pairs.delete(requestId);
        }, STREAM_CREATION_TIMEOUT_MS),
      };
      created.timer.unref?.();
      this.pairs.set(requestId, created);
      pair = created;
    }
    if (pair[type]) {
      s.write(Buffer.from(`error processing stream for request ${requestId}: ${type} stream already assigned`));
      s.end();
      return;
    }
    pair[type] = s;
    if (pair.data && pair.error) {
      clearTimeout(pair.timer);
      this.pairs.delete(requestId);
      this.forward(pair.data, pair.error, Number(port));
    }
  }

  closed(): void {
    for (const p of this.pairs.values()) clearTimeout(p.timer);
    this.pairs.clear();
  }

  private forward(data: SpdyStream, error: SpdyStream, port: number): void {
    const conn = connect(this.target, port);
    if ('error' in conn) {
      error.write(Buffer.from(conn.error));
      error.end();
      data.end();
      return;
    }
    const pod = conn;
    let podEnded = false;
    data.onData((d) => pod.write(d));
    data.onEnd(() => {
      if (!podEnded) pod.end();
    });
    pod.onData((d) => data.write(d));
    pod.onEnd(() => {
      podEnded = true;
      data.end();
      error.end();
    });
  }
}

/**
 * A connection to a port in the pod, or the kubelet's message for why there is none (it names
 * the pod by its sandbox id, which the CRI streaming server passes without a uid).
 */
function connect(t: PortForwardTarget, port: number): PodConnection | { error: string } {
  let conn: PodConnection | { error: string };
  try {
    conn = t.runtime.portForward(t.cluster, t.namespace, t.pod, port);
  } catch (err) {
    if (!(err instanceof ApiError)) console.error('kubedojo apiserver: the stream runtime failed in port-forward:', err);
    conn = { error: err instanceof Error ? err.message : String(err) };
  }
  if (!('error' in conn)) return conn;
  const sandbox = createHash('sha256').update(t.podUid).digest('hex');
  return { error: `error forwarding port ${port} to pod ${sandbox}, uid : ${conn.error}` };
}

// ------------------------------------------------------------------ the kubelet's WebSocket port-forward

/**
 * The kubelet's own WebSocket protocol, which the apiserver proxies for clients other than
 * kubectl (client libraries such as @kubernetes/client-node): the ports are named in the query,
 * and port i gets channel 2i for its data and 2i+1 for its error, each opened with the port
 * number (uint16, little-endian). There is one connection per port, and no half-close.
 */
const WEBSOCKET_CHANNEL_PROTOCOLS: Record<string, { base64: boolean }> = {
  '': { base64: false },
  'v4.channel.k8s.io': { base64: false },
  'v4.base64.channel.k8s.io': { base64: true },
};

function serveChannels(up: Upgrade, protocol: string, target: PortForwardTarget, query: URLSearchParams): void {
  const { socket } = up;
  // The apiserver hands the kubelet `ports` as `port`, which is what the kubelet asks for.
  const raw = query.getAll('ports');
  if (!raw.length) return writeHttp(socket, 400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'query parameter "port" is required\n');
  const ports = raw.flatMap((p) => p.split(',')).map((p) => Number(p.trim()));
  const base64 = WEBSOCKET_CHANNEL_PROTOCOLS[protocol].base64;
  acceptWebSocket(up, protocol, (ws) => forwardChannels(ws, base64, ports, target));
}

function forwardChannels(ws: WebSocket, base64: boolean, ports: number[], target: PortForwardTarget): void {
  const send = channelSender(ws, base64);
  const conns: Array<PodConnection | undefined> = [];
  let open = ports.length;
  const done = () => {
    if (--open === 0) ws.close(CloseCode.normal);
  };
  ports.forEach((port, i) => {
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port);
    send(2 * i, portBytes);
    send(2 * i + 1, portBytes);
    const conn = connect(target, port);
    if ('error' in conn) {
      send(2 * i + 1, Buffer.from(conn.error));
      done();
      return;
    }
    conns[i] = conn;
    conn.onData((d) => send(2 * i, d));
    conn.onEnd(() => {
      conns[i] = undefined;
      done();
    });
  });
  onMessage(ws, (msg) => {
    const m = channelMessage(msg, base64);
    // Only data channels carry the client's bytes; anything else is ignored, as wsstream does.
    if (m && m.channel % 2 === 0 && m.data.length) conns[m.channel / 2]?.write(Buffer.from(m.data));
  });
  ws.on('close', () => {
    for (const c of conns) c?.end();
    conns.length = 0;
  });
}

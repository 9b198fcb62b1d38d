// The kubelet's streaming server, behind the API server's exec, attach and port-forward: a command
// run in a container's context (its filesystem, env, user) on the cluster's clock, the main
// process's output and stdin for attach, and a pod's ports for port-forward, answered by the
// servers that listen there.
import { randomBytes } from 'node:crypto';
import type { ExecIO, ExecOutcome, PodConnection, StreamRuntime } from '../../apiserver/streams/runtime.js';
import type { Clock } from '../clock.js';
import type { Cluster } from '../cluster.js';
import { badRequest } from '../errors.js';
import type { KubeletApi } from '../control-plane.js';
import type { ContainerState, PodState } from './pod-state.js';
import type { HttpRequest, ProcessGen, StdinChunk, Step } from './shell/types.js';
import { Interrupt } from './shell/index.js';

const UPGRADE_FAILED = 'unable to upgrade connection: ';

export class KubeletStreams implements StreamRuntime {
  async exec(cluster: Cluster, namespace: string, pod: string, container: string | undefined, command: string[], io: ExecIO): Promise<ExecOutcome> {
    const { kubelet, c } = running(cluster, namespace, pod, container);
    const clock = cluster.clock;
    const gen = c.process!.spawn(command, { tty: io.tty, stdin: io.stdin ? 'stream' : undefined, now: () => kubelet.now() });
    if ('error' in gen) return { error: `failed to exec in container: failed to start exec "${randomBytes(32).toString('hex')}": ${gen.error}` };
    const exitCode = await play(gen, io, clock);
    return { exitCode };
  }

  async attach(cluster: Cluster, namespace: string, pod: string, container: string | undefined, io: ExecIO): Promise<ExecOutcome> {
    const { kubelet, c } = running(cluster, namespace, pod, container);
    const name = c.name;
    // With a TTY the main process already writes one stream, as its terminal shapes it.
    const write = (stream: 'stdout' | 'stderr', text: string) => {
      const data = Buffer.from(text);
      if (stream === 'stderr' && io.stderr) io.stderr(data);
      else if (stream === 'stdout' || io.tty) io.stdout(data);
    };
    return await new Promise<ExecOutcome>((resolve) => {
      const listeners = (c.attached ??= new Set());
      const listener = (o: { stream: 'stdout' | 'stderr'; text: string }) => write(o.stream, o.text);
      listeners.add(listener);
      const program = c.program;
      const done = () => {
        listeners.delete(listener);
        c.exitWatchers?.delete(done);
        resolve({ exitCode: 0 });
      };
      (c.exitWatchers ??= new Set()).add(done);
      io.signal?.addEventListener('abort', done, { once: true });
      if (!program || program.exit || io.signal?.aborted) done();
      if (io.stdin && c.spec.stdin) {
        void (async () => {
          for await (const chunk of io.stdin!) kubelet.attachInput(namespace, pod, name, chunk);
          // The client closed its stdin: a stdinOnce container reads end of input. The session
          // lasts until the process ends (or the client goes), so its last words still arrive.
          kubelet.attachInput(namespace, pod, name, undefined);
        })();
      }
    });
  }

  portForward(cluster: Cluster, namespace: string, pod: string, port: number): PodConnection | { error: string } {
    const kubelet = cluster.controlPlane?.kubelet;
    const state = kubelet?.pods.get(`${namespace}/${pod}`);
    if (!kubelet || !state) return { error: 'pod does not exist' };
    if (!kubelet.listening(namespace, pod, port)) return { error: refused(state, port) };
    return new ForwardedConnection(kubelet, namespace, pod, port);
  }
}

/** The running container a stream is for, or the kubelet's answer that there is none. */
function running(cluster: Cluster, namespace: string, pod: string, container: string | undefined): { kubelet: KubeletApi; state: PodState; c: ContainerState } {
  const kubelet = cluster.controlPlane?.kubelet;
  const stored = cluster.store.get('/pods', namespace, pod) as { spec?: { nodeName?: string } } | undefined;
  if (stored && !stored.spec?.nodeName) throw badRequest(`pod ${pod} does not have a host assigned`);
  const state = kubelet?.pods.get(`${namespace}/${pod}`);
  if (!kubelet || !state) throw badRequest(`${UPGRADE_FAILED}pod does not exist`);
  const all = [...state.containers, ...state.init];
  const c = container === undefined ? state.containers[0] : all.find((x) => x.name === container);
  if (!c || c.life.phase !== 'running' || !c.process || !c.program || c.program.exit) throw badRequest(`${UPGRADE_FAILED}container not found ("${container ?? c?.name ?? ''}")`);
  return { kubelet, state, c };
}

function refused(state: PodState, port: number): string {
  const id = state.uid.replace(/-/g, '').slice(0, 8);
  return `failed to execute portforward in network namespace "/var/run/netns/cni-${state.uid}": failed to connect to localhost:${port} inside namespace "${id}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `;
}

// ------------------------------------------------------------ playing a process for a client

/**
 * Runs a process to its end on the cluster's clock, streaming its output and feeding it stdin.
 * With a terminal, Ctrl-C typed while the process sleeps (`sleep 60`, `tail -f`, `ping`)
 * interrupts it, as the terminal's line discipline would; other keys wait for the next read.
 */
export async function play(gen: ProcessGen, io: ExecIO, clock: Clock): Promise<number> {
  const stdin = io.stdin ? io.stdin[Symbol.asyncIterator]() : undefined;
  let stdinDone = !stdin;
  let pending: Promise<IteratorResult<Buffer>> | undefined;
  const typeahead: Buffer[] = [];
  const nextChunk = () => (pending ??= stdin!.next());
  // The shell plays the terminal's part itself (echo, line editing, CR LF); a TTY has one stream.
  const out = (data: string | Buffer, err: boolean) => {
    const b = Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (err && !io.tty) io.stderr?.(b);
    else io.stdout(b);
  };
  let reply: StdinChunk | undefined;
  let interrupt = false;
  // A client that goes away ends the process (kubectl killed, the connection dropped).
  const gone = new Promise<void>((resolve) => {
    if (io.signal?.aborted) resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  try {
    for (let n = 0; ; n++) {
      if (io.signal?.aborted) return 130;
      let r: IteratorResult<Step, number>;
      try {
        r = interrupt ? gen.throw(new Interrupt()) : gen.next(reply);
      } catch (e) {
        // A program with no handler for SIGINT dies of it.
        if (e instanceof Interrupt) return 130;
        throw e;
      }
      interrupt = false;
      reply = undefined;
      if (r.done) return r.value;
      const step = r.value;
      if (step.kind === 'stdout' || step.kind === 'stderr') out(step.data, step.kind === 'stderr');
      else if (step.kind === 'sleep') {
        const s = sleep(clock, step.ms);
        let slept = false;
        void s.done.then(() => (slept = true));
        while (!slept && !io.signal?.aborted) {
          if (!io.tty || stdinDone) {
            await Promise.race([s.done, gone]);
            break;
          }
          const got = await Promise.race([s.done.then(() => undefined), gone.then(() => undefined), nextChunk().then((c) => ({ c }))]);
          if (!got) continue;
          pending = undefined;
          if (got.c.done) {
            stdinDone = true;
            continue;
          }
          if (got.c.value.includes(0x03)) {
            out('^C', false);
            interrupt = true;
            break;
          }
          typeahead.push(got.c.value);
        }
        s.cancel();
      } else if (step.kind === 'read') {
        if (typeahead.length) reply = typeahead.shift();
        else {
          const next = stdinDone ? undefined : await Promise.race([nextChunk(), gone.then(() => undefined)]);
          pending = undefined;
          if (!next || next.done) stdinDone = true;
          else reply = next.value;
        }
      }
      // A long loop without sleeps still lets the server breathe.
      if (n % 1000 === 999) await new Promise((r) => setImmediate(r));
    }
  } finally {
    gen.return(130);
  }
}

function sleep(clock: Clock, ms: number): { done: Promise<void>; cancel: () => void } {
  if (!Number.isFinite(ms)) return { done: new Promise(() => {}), cancel: () => {} };
  let cancel = () => {};
  const done = new Promise<void>((resolve) => {
    cancel = clock.after(Math.max(0, ms), resolve);
  });
  return { done, cancel };
}

// ------------------------------------------------------------ port-forward

/**
 * One forwarded connection to a pod's port. HTTP requests on it are parsed and answered by the
 * server listening there (keep-alive included); anything else is echoed back, as a bare TCP
 * service would be in the simplest case.
 */
class ForwardedConnection implements PodConnection {
  private buffer = Buffer.alloc(0);
  private readonly dataCbs: Array<(d: Buffer) => void> = [];
  private readonly endCbs: Array<() => void> = [];
  private ended = false;

  constructor(
    private readonly kubelet: KubeletApi,
    private readonly namespace: string,
    private readonly pod: string,
    private readonly port: number,
  ) {}

  write(data: Buffer): void {
    if (this.ended) return;
    this.buffer = Buffer.concat([this.buffer, data]);
    setImmediate(() => this.answer());
  }

  end(): void {
    setImmediate(() => this.close());
  }

  onData(cb: (d: Buffer) => void): void {
    this.dataCbs.push(cb);
  }

  onEnd(cb: () => void): void {
    this.endCbs.push(cb);
  }

  private send(d: Buffer): void {
    for (const cb of this.dataCbs) cb(d);
  }

  private close(): void {
    if (this.ended) return;
    this.ended = true;
    for (const cb of this.endCbs) cb();
  }

  private answer(): void {
    while (!this.ended && this.buffer.length) {
      const text = this.buffer.toString('latin1');
      if (!/^[A-Z]+ \S+ HTTP\/1\.[01]\r?\n/.test(text)) {
        if (/^[A-Z]{1,10}( \S*)?$/.test(text) && !text.includes('\n')) return; // a request line still arriving
        this.send(this.buffer);
        this.buffer = Buffer.alloc(0);
        return;
      }
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const [requestLine, ...headerLines] = text.slice(0, headEnd).split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of headerLines) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim()] = l.slice(i + 1).trim();
      }
      const length = Number(Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-length')?.[1] ?? 0);
      if (this.buffer.length < headEnd + 4 + length) return;
      const body = this.buffer.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headEnd + 4 + length);
      const [method, target] = requestLine.split(' ');
      const hostHeader = Object.entries(headers).find(([k]) => k.toLowerCase() === 'host')?.[1] ?? `localhost:${this.port}`;
      const path = target.startsWith('http') ? new URL(target).pathname + new URL(target).search : target;
      const req: HttpRequest = { method, url: `http://${hostHeader}${path}`, host: hostHeader.replace(/:\d+$/, ''), ip: '127.0.0.1', port: this.port, path, headers, ...(body ? { body } : {}) };
      const res = this.kubelet.serveHttp(this.namespace, this.pod, this.port, req, '127.0.0.1');
      if ('error' in res) {
        this.close();
        return;
      }
      const bodyBuf = Buffer.isBuffer(res.body) ? res.body : Buffer.from(res.body);
      const close = Object.entries(headers).some(([k, v]) => k.toLowerCase() === 'connection' && v.toLowerCase() === 'close');
      const outHeaders: Record<string, string> = { ...res.headers };
      if (!Object.keys(outHeaders).some((k) => k.toLowerCase() === 'content-length')) outHeaders['Content-Length'] = String(bodyBuf.length);
      const head = [`HTTP/1.1 ${res.status} ${res.statusText ?? ''}`.trimEnd(), ...Object.entries(outHeaders).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
      this.send(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), method === 'HEAD' ? Buffer.alloc(0) : bodyBuf]));
      if (close) {
        this.close();
        return;
      }
    }
  }
}

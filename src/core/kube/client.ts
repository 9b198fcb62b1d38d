// A small Kubernetes API client for the lesson engine: the learner's kubeconfig (any cluster, real
// or simulated) gives the server and credentials; requests are plain JSON over https. A client
// certificate or a token is read from the kubeconfig here (kubeconfig.ts); any other way to
// authenticate goes through @kubernetes/client-node, which knows them all but is loaded only then
// (it takes the better part of a second), as it is for exec.
import { createRequire } from 'node:module';
import https from 'node:https';
import http from 'node:http';
import tls from 'node:tls';
import { PassThrough } from 'node:stream';
import type { KubeConfig, V1Status } from '@kubernetes/client-node';
import { LearnerError } from '../problems.js';
import { connectionOf, kubeconfigFiles, readKubeconfigs, type Connection } from './kubeconfig.js';

type ClientNode = typeof import('@kubernetes/client-node');
const clientNode = (): Promise<ClientNode> => import('@kubernetes/client-node');

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

export interface ApiResource {
  group: string;
  version: string;
  /** Plural resource name: `pods`. */
  name: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  singularName: string;
  verbs: string[];
}

export class ApiStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message?: string; reason?: string } | undefined,
    readonly path: string,
  ) {
    super(body?.message ?? `HTTP ${status} from ${path}`);
  }
}

/** True when the error only says the object is not there. */
function isNotFound(err: unknown): boolean {
  return err instanceof ApiStatusError && err.status === 404;
}

export interface Table {
  columns: string[];
  rows: string[][];
  /** Each row's object, when asked for. */
  objects?: KubeObject[];
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface KubeTarget {
  /** A kubeconfig file; the default loading rules (KUBECONFIG, ~/.kube/config) when absent. */
  kubeconfig?: string;
  context?: string;
}

export class KubeClient {
  readonly server: string;
  private readonly connection: Connection;
  private config?: KubeConfig;
  private agent?: https.Agent;
  private resources?: Promise<ApiResource[]>;

  constructor(private readonly target: KubeTarget = {}) {
    const files = kubeconfigFiles(target.kubeconfig);
    if (!files.length) {
      // No kubeconfig at all: client-node's defaults (the pod's service account, else localhost).
      const host = process.env.KUBERNETES_SERVICE_HOST;
      const server = host ? `https://${host.includes(':') ? `[${host}]` : host}:${process.env.KUBERNETES_SERVICE_PORT}` : 'http://localhost:8080';
      this.connection = { context: target.context ?? '', server, handled: false, insecure: false };
    } else {
      let merged: ReturnType<typeof readKubeconfigs>;
      try {
        merged = readKubeconfigs(files);
      } catch (err) {
        throw new LearnerError(`cannot read the kubeconfig${target.kubeconfig ? ` ${target.kubeconfig}` : ''}: ${(err as Error).message}`, 'Start the simulated cluster with `kubedojo serve`, or pass --kubeconfig FILE for a cluster of your own.');
      }
      this.connection = connectionOf(merged, target.context);
    }
    this.server = this.connection.server;
  }

  /** The name of the context in use. */
  get contextName(): string {
    return this.connection.context;
  }

  /**
   * The kubeconfig as @kubernetes/client-node holds it, loaded on first use (synchronously: what
   * asks for it is rare and not in a hurry). Requests and exec use `kubeConfig()`.
   */
  get kc(): KubeConfig {
    return (this.config ??= this.loadConfig(createRequire(import.meta.url)('@kubernetes/client-node') as ClientNode));
  }

  private async kubeConfig(): Promise<KubeConfig> {
    return (this.config ??= this.loadConfig(await clientNode()));
  }

  private loadConfig(k8s: ClientNode): KubeConfig {
    const kc = new k8s.KubeConfig();
    if (this.target.kubeconfig) kc.loadFromFile(this.target.kubeconfig);
    else kc.loadFromDefault();
    if (this.target.context) kc.setCurrentContext(this.target.context);
    return kc;
  }

  /** TLS and credentials for a request: from the kubeconfig as read here, or through client-node. */
  private async authorize(opts: https.RequestOptions): Promise<void> {
    const c = this.connection;
    if (!c.handled) return (await this.kubeConfig()).applyToHTTPSOptions(opts);
    if (c.token) (opts.headers as Record<string, string>).Authorization = `Bearer ${c.token}`;
    if (!c.server.startsWith('https:')) return;
    // One agent, and one TLS context, for the client's life: connections are kept and reused, and
    // the CA and keys are parsed once, not for each of the dozen requests discovery makes at once.
    // (No cap on sockets: a watch holds one for as long as it lasts.)
    opts.agent = this.agent ??= new https.Agent({
      keepAlive: true,
      secureContext: tls.createSecureContext({ ca: c.ca, cert: c.cert, key: c.key }),
      servername: c.servername,
      rejectUnauthorized: !c.insecure,
    });
  }

  /** The raw request: JSON in and out, an ApiStatusError for any status of 400 and above. */
  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const url = new URL(this.server + path);
    const opts: https.RequestOptions = {
      method,
      headers: { Accept: 'application/json', ...headers },
      timeout: 30_000,
    };
    await this.authorize(opts);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    if (payload !== undefined) {
      (opts.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
      (opts.headers as Record<string, string>)['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise<T>((resolve, reject) => {
      const req = lib.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          if ((res.statusCode ?? 500) >= 400) reject(new ApiStatusError(res.statusCode ?? 500, parsed as { message?: string }, path));
          else resolve(parsed as T);
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`the cluster at ${this.server} did not answer ${method} ${path} within 30 s`)));
      req.on('error', (err) => reject(unreachable(err, this.server)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Every resource the server serves, from discovery (cached for the client's life). */
  apiResources(): Promise<ApiResource[]> {
    this.resources ??= this.discover().catch((err) => {
      this.resources = undefined;
      throw err;
    });
    return this.resources;
  }

  private async discover(): Promise<ApiResource[]> {
    const out: ApiResource[] = [];
    const add = (group: string, version: string, list: { resources: Array<Record<string, unknown>> }) => {
      for (const r of list.resources) {
        const name = r.name as string;
        if (name.includes('/')) continue;
        out.push({
          group,
          version,
          name,
          kind: r.kind as string,
          namespaced: r.namespaced as boolean,
          shortNames: (r.shortNames as string[] | undefined) ?? [],
          singularName: (r.singularName as string | undefined) || (r.kind as string).toLowerCase(),
          verbs: (r.verbs as string[] | undefined) ?? [],
        });
      }
    };
    const core = await this.request<{ resources: Array<Record<string, unknown>> }>('GET', '/api/v1');
    add('', 'v1', core);
    const groups = await this.request<{ groups: Array<{ name: string; preferredVersion: { version: string } }> }>('GET', '/apis');
    await Promise.all(
      groups.groups.map(async (g) => {
        try {
          add(g.name, g.preferredVersion.version, await this.request('GET', `/apis/${g.name}/${g.preferredVersion.version}`));
        } catch {
          // A group whose discovery fails (an aggregated API that is down) only hides its own kinds.
        }
      }),
    );
    return out;
  }

  /** Finds a resource as kubectl does: kind, plural, singular or short name, any case; `deploy.apps` too. */
  async resolve(kind: string): Promise<ApiResource> {
    const [head, ...groupParts] = kind.split('.');
    const group = groupParts.join('.');
    const want = head.toLowerCase();
    const all = await this.apiResources();
    const candidates = all.filter((r) => (!group || r.group === group) && (r.name === want || r.singularName === want || r.kind.toLowerCase() === want || r.shortNames.includes(want)));
    // The core and apps groups win a tie, as kubectl's priority does (events, for one, live in two groups).
    const rank = (r: ApiResource) => (r.group === '' ? 0 : r.group === 'apps' ? 1 : r.group.endsWith('.k8s.io') ? 3 : 2);
    candidates.sort((a, b) => rank(a) - rank(b));
    if (!candidates.length) {
      throw new LearnerError(`the server doesn't have a resource type "${kind}"`, 'Run `kubectl api-resources` to see the kinds this cluster knows.');
    }
    return candidates[0];
  }

  /** The URL path of a resource's collection (or one object of it). */
  static pathOf(r: ApiResource, namespace?: string, name?: string): string {
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${base}${ns}/${r.name}${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  /** One object, or undefined when it does not exist. */
  async get(kind: string, name: string, namespace?: string): Promise<KubeObject | undefined> {
    const r = await this.resolve(kind);
    try {
      return await this.request<KubeObject>('GET', KubeClient.pathOf(r, namespace, name));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async list(kind: string, opts: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {}): Promise<KubeObject[]> {
    const r = await this.resolve(kind);
    const q = new URLSearchParams();
    if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
    if (opts.fieldSelector) q.set('fieldSelector', opts.fieldSelector);
    const qs = q.toString();
    const list = await this.request<{ items?: KubeObject[] }>('GET', KubeClient.pathOf(r, opts.namespace) + (qs ? `?${qs}` : ''));
    return list.items ?? [];
  }

  /**
   * The server's own table of a kind (the columns kubectl prints), for one namespace; with
   * `objects`, each row's whole object too (what a view needs to recompute ages between reads).
   */
  async table(kind: string, namespace?: string, opts: { objects?: boolean } = {}): Promise<Table> {
    const r = await this.resolve(kind);
    const t = await this.request<{ columnDefinitions: Array<{ name: string; priority?: number }>; rows: Array<{ cells: unknown[]; object?: KubeObject }> }>(
      'GET',
      KubeClient.pathOf(r, namespace) + (opts.objects ? '?includeObject=Object' : ''),
      undefined,
      { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    );
    const keep = t.columnDefinitions.map((c, i) => ((c.priority ?? 0) === 0 ? i : -1)).filter((i) => i >= 0);
    const table: Table = { columns: keep.map((i) => t.columnDefinitions[i].name), rows: t.rows.map((row) => keep.map((i) => String(row.cells[i] ?? ''))) };
    if (opts.objects) table.objects = t.rows.map((row) => row.object ?? {});
    return table;
  }

  /**
   * Watches a kind in a namespace and calls `onEvent` for every change, until the signal aborts.
   * A dropped watch is opened again from the last version seen (or listed afresh when too old).
   */
  watch(kind: string, namespace: string | undefined, onEvent: (type: string, obj: KubeObject) => void, signal: AbortSignal): void {
    let version = '';
    let backoff = 500;
    const loop = async () => {
      while (!signal.aborted) {
        try {
          const r = await this.resolve(kind);
          if (!version) {
            const list = await this.request<{ metadata?: { resourceVersion?: string } }>('GET', KubeClient.pathOf(r, namespace));
            version = list.metadata?.resourceVersion ?? '';
          }
          await this.stream(`${KubeClient.pathOf(r, namespace)}?watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(version)}`, signal, (ev: { type: string; object: KubeObject }) => {
            if (ev.type === 'ERROR') {
              version = '';
              return;
            }
            const rv = (ev.object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
            if (rv) version = rv;
            if (ev.type !== 'BOOKMARK') onEvent(ev.type, ev.object);
          });
          backoff = 500;
        } catch {
          if (signal.aborted) return;
          await new Promise((res) => setTimeout(res, backoff));
          backoff = Math.min(backoff * 2, 10_000);
        }
      }
    };
    void loop();
  }

  private async stream(path: string, signal: AbortSignal, onLine: (ev: { type: string; object: KubeObject }) => void): Promise<void> {
    const url = new URL(this.server + path);
    const opts: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' }, signal };
    await this.authorize(opts);
    const lib = url.protocol === 'http:' ? http : https;
    await new Promise<void>((resolve, reject) => {
      const req = lib.request(url, opts, (res) => {
        if ((res.statusCode ?? 500) >= 400) {
          res.resume();
          reject(new ApiStatusError(res.statusCode ?? 500, undefined, path));
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line) onLine(JSON.parse(line));
          }
        });
        res.on('end', () => resolve());
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Server-side apply: creates the object or brings the fields it names to these values. */
  async apply(obj: KubeObject, defaultNamespace?: string): Promise<KubeObject> {
    if (!obj.kind || !obj.apiVersion) throw new LearnerError('a manifest document has no kind or apiVersion', 'Every object needs `apiVersion:` and `kind:`.');
    const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
    const all = await this.apiResources();
    const r = all.find((x) => x.kind === obj.kind && x.group === group) ?? (await this.resolve(group ? `${obj.kind}.${group}` : obj.kind));
    const namespace = r.namespaced ? (obj.metadata?.namespace ?? defaultNamespace ?? 'default') : undefined;
    const name = obj.metadata?.name;
    if (!name) throw new LearnerError(`a ${obj.kind} in the manifest has no metadata.name`, 'Give every object a name.');
    const body = { ...obj, metadata: { ...obj.metadata, ...(namespace ? { namespace } : {}) } };
    const path = `${KubeClient.pathOf({ ...r, version }, namespace, name)}?fieldManager=kubedojo&force=true`;
    return this.request<KubeObject>('PATCH', path, body, { 'Content-Type': 'application/apply-patch+yaml' });
  }

  async delete(kind: string, name: string, namespace?: string): Promise<boolean> {
    const r = await this.resolve(kind);
    try {
      await this.request('DELETE', KubeClient.pathOf(r, namespace, name), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** `kubectl auth can-i`: a SelfSubjectAccessReview, as someone else when `as` is given. */
  async canI(a: { verb: string; resource: string; subresource?: string; name?: string; namespace?: string; as?: string; groups?: string[] }): Promise<boolean> {
    let group = '';
    let resource = a.resource;
    try {
      const r = await this.resolve(a.resource);
      group = r.group;
      resource = r.name;
    } catch {
      // can-i answers for resources the server does not know too (it says no, with a warning).
    }
    const headers: Record<string, string> = {};
    if (a.as) headers['Impersonate-User'] = a.as;
    const review = await this.request<{ status?: { allowed?: boolean } }>(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb: a.verb, resource, group, subresource: a.subresource, name: a.name, namespace: a.namespace } },
      },
      headers,
    );
    return review.status?.allowed === true;
  }

  /** Runs a command in a container through the exec subresource (WebSocket), collecting its output. */
  async exec(namespace: string, pod: string, container: string, command: string[], timeoutMs = 30_000): Promise<ExecResult> {
    const out = new PassThrough();
    const err = new PassThrough();
    const chunks: Buffer[] = [];
    const errChunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    err.on('data', (c: Buffer) => errChunks.push(c));
    const { Exec } = await clientNode();
    const kc = await this.kubeConfig();
    const status = await new Promise<V1Status>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the command in ${pod} did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
      new Exec(kc)
        .exec(namespace, pod, container, command, out, err, null, false, (s) => {
          clearTimeout(timer);
          resolve(s);
        })
        .then((ws) => ws.on('close', () => setTimeout(() => resolve({ status: 'Success' } as V1Status), 50)))
        .catch((e) => {
          clearTimeout(timer);
          reject(e);
        });
    });
    let exitCode = 0;
    if (status.status !== 'Success') {
      const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
      exitCode = cause?.message ? Number(cause.message) : 1;
    }
    return { stdout: Buffer.concat(chunks).toString('utf8'), stderr: Buffer.concat(errChunks).toString('utf8'), exitCode };
  }
}

function unreachable(err: Error, server: string): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    return new LearnerError(`the cluster at ${server} is not reachable (${code})`, 'Is `kubedojo serve` running? Start it in another terminal, or pick another cluster with --kubeconfig/--context.');
  }
  return err;
}

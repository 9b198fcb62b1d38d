// One HTTPS server on loopback hosting many clusters, each under /clusters/<id> with its own
// bearer token. Requests are parsed the way the apiserver's RequestInfoFactory does, then
// answered by the cluster, with content negotiation for Tables and aggregated discovery.
import https from 'node:https';
import { ServerResponse, type IncomingMessage } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { chmodSync, rmSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { stringify as toYaml } from 'yaml';
import { durable } from '../cluster/journal.js';
import { guardLocalApiService, unavailableApiService } from '../cluster/apiservices.js';
import { apiService } from '../cluster/kinds/apiservice.js';
import type { Cluster, DeleteOptions, FieldValidation, PropagationPolicy } from '../cluster/cluster.js';
import {
  ApiError,
  badRequest,
  fieldError,
  forbidden,
  internalError,
  invalid,
  methodNotAllowed,
  notAcceptable,
  notFound,
  resourceNotFound,
  type Status,
} from '../cluster/errors.js';
import type { KindDef, KObject } from '../cluster/kinds/types.js';
import { ALL_VERBS, apiVersionOf } from '../cluster/kinds/types.js';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, groupsOf, SERVER_VERSION } from './discovery.js';
import { decodeObject, decodePatch, patchTypeOf, readBody } from './body.js';
import { partialMetadata, rowOf, table, type IncludeObject } from './table.js';
import { serveWatch } from './watch.js';
import { openapiV2, openapiV3GroupVersion, openapiV3Index, type OpenApiResource } from './openapi.js';
import type { TlsMaterial } from './tls.js';
import { ADMIN, authorize, deniedReason, rbacObjects, rulesFor, type ResourceAttributes, type UserInfo } from '../cluster/rbac.js';
import { deriveClusterKeys, setClusterKeys } from '../cluster/cluster-keys.js';
import { admitCsrCreate } from './certificate-admission.js';
import { Authenticator, effectiveUser, type Authenticated, type HostedCluster } from './authn.js';
import { handleSubresource } from './subresources/index.js';
import { encodeOpenApiV2, OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_RESPONSE } from './openapi-v2-proto.js';
import type { StreamRuntime } from './streams/runtime.js';
import { matchStreamPath, serveStream, STREAM_SUBRESOURCES } from './streams/upgrade.js';
import { writeError } from './streams/http.js';
import { rawJson, serializedJson, type BodyEncoding } from './json-body.js';
import { stringifyJson } from '../cluster/json-text.js';
import { boolParam, int64Param, listResourceVersion, optionalBoolParam, prettyPrint, watchResourceVersion, writeOptions } from './query.js';

/** The verb a request on a subresource is authorised as, by its method. */
const SUBRESOURCE_VERBS: Record<string, string> = { GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** Paths the apiserver serves with or without a trailing slash. */
const ROOTS_WITH_SLASH = new Set(['/api/', '/apis/', '/version/']);

/** The registries that set ReturnDeletedObject: a delete that is done at once answers with the object. */
const RETURNS_DELETED_OBJECT = new Set(['/pods', '/services', '/serviceaccounts', '/persistentvolumes', '/persistentvolumeclaims']);

/** Encoded once per OpenAPI document (documents are cached per set of kinds). */
const protoCache = new WeakMap<object, Buffer>();

export type { HostedCluster } from './authn.js';

export interface ApiServerOptions {
  tls: TlsMaterial;
  host?: string;
  port?: number;
  /** Runs exec, attach and port-forward; without one those subresources are not served. */
  streams?: StreamRuntime;
}

interface Negotiated {
  kind: 'json' | 'table' | 'metadata' | 'discovery';
  tableVersion?: string;
  discoveryVersion?: 'v2' | 'v2beta1';
  contentType: string;
}

export class ApiServer {
  private readonly clusters = new Map<string, HostedCluster>();
  private readonly server: https.Server;
  private address?: AddressInfo;
  /** Runs exec, attach and port-forward (settable after construction). */
  streams?: StreamRuntime;
  /** Upgraded connections, which server.close() would otherwise wait for. */
  private readonly upgraded = new Set<Duplex>();
  private readonly sockets: net.Server[] = [];
  private readonly waitingForDisk = new WeakSet<ServerResponse>();
  private readonly authn = new Authenticator(this.clusters);

  constructor(private readonly opts: ApiServerOptions) {
    this.streams = opts.streams;
    // Client certificates are asked for but not checked at the handshake: which cluster's CA must
    // have signed one is known only from the request's path (authn.ts checks it there).
    this.server = https.createServer({ cert: opts.tls.cert, key: opts.tls.key, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      this.handle(req, res).catch((err) => this.fail(res, err));
    });
    // Keep-alive connections from kubectl are short-lived; don't let them pin the process at exit.
    this.server.keepAliveTimeout = 30_000;
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
    return this.address.port;
  }

  /**
   * Also serves on a Unix socket (0600): the one way out of a kubectl jail, whose own network
   * holds nothing else. Connections are handed to the same HTTPS server.
   */
  async listenSocket(file: string): Promise<void> {
    rmSync(file, { force: true });
    const unix = net.createServer((socket) => this.server.emit('connection', socket));
    await new Promise<void>((resolve, reject) => {
      unix.once('error', reject);
      unix.listen(file, () => {
        unix.off('error', reject);
        resolve();
      });
    });
    chmodSync(file, 0o600);
    this.sockets.push(unix);
  }

  get port(): number {
    if (!this.address) throw new Error('the API server is not listening yet');
    return this.address.port;
  }

  get caCert(): string {
    return this.opts.tls.caCert;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    for (const s of this.upgraded) s.destroy();
    await Promise.all([
      new Promise<void>((resolve) => this.server.close(() => resolve())),
      ...this.sockets.map((u) => new Promise<void>((resolve) => u.close(() => resolve()))),
    ]);
  }

  /** Hosts a cluster under /clusters/<id>; returns its id and the token that opens it. */
  host(cluster: Cluster, id = randomBytes(6).toString('hex'), token = randomBytes(24).toString('base64url')): HostedCluster {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(id)) throw new Error(`cluster id "${id}" must be lower-case letters, digits and '-'`);
    const hosted = { id, token, cluster };
    this.clusters.set(id, hosted);
    setClusterKeys(cluster, deriveClusterKeys(this.opts.tls.key, id));
    return hosted;
  }

  unhost(id: string): void {
    this.clusters.delete(id);
  }

  hosted(id: string): HostedCluster | undefined {
    return this.clusters.get(id);
  }

  serverUrl(id: string): string {
    return `https://127.0.0.1:${this.port}/clusters/${id}`;
  }

  /** A kubeconfig whose context opens this cluster with the default TLS checks of any client. */
  kubeconfig(id: string, context = 'kubedojo', namespace = 'default'): string {
    const hosted = this.clusters.get(id);
    if (!hosted) throw new Error(`no cluster "${id}"`);
    return toYaml({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: context, cluster: { server: this.serverUrl(id), 'certificate-authority-data': Buffer.from(this.opts.tls.caCert).toString('base64') } }],
      contexts: [{ name: context, context: { cluster: context, user: context, namespace } }],
      'current-context': context,
      users: [{ name: context, user: { token: hosted.token } }],
      preferences: {},
    });
  }

  // ------------------------------------------------------------------ dispatch

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const m = /^\/clusters\/([^/]+)(\/.*)?$/.exec(url.pathname) ?? this.byCredentials(req, url.pathname);
    if (!m) {
      if (url.pathname === '/healthz' || url.pathname === '/livez' || url.pathname === '/readyz') return this.text(res, 200, 'ok');
      throw resourceNotFound(url.pathname);
    }
    const path = m[2] ?? '/';
    await this.route(this.authn.authenticate(req, m[1], path), req, res, path, url.searchParams);
  }

  /** A path without the /clusters/<id> prefix is for the cluster whose credential the request carries. */
  private byCredentials(req: IncomingMessage, pathname: string): [string, string, string] | undefined {
    const hosted = this.authn.clusterFor(req);
    return hosted ? [pathname, hosted.id, pathname] : undefined;
  }

  /**
   * Requests that ask to switch protocols: exec, attach and port-forward go to the streaming
   * transports; anything else is answered as the plain request it also is.
   */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.upgraded.add(socket);
    socket.once('close', () => this.upgraded.delete(socket));
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const m = /^\/clusters\/([^/]+)(\/.*)?$/.exec(url.pathname) ?? this.byCredentials(req, url.pathname);
    const stream = this.streams && m ? matchStreamPath(m[2] ?? '/') : undefined;
    if (!m || !stream || !this.streams) {
      const res = new ServerResponse(req);
      res.shouldKeepAlive = false;
      res.assignSocket(socket as Socket);
      res.on('finish', () => socket.end());
      this.handle(req, res).catch((err) => this.fail(res, err));
      return;
    }
    let hosted: HostedCluster;
    let user: UserInfo;
    try {
      const auth = this.authn.authenticate(req, m[1], m[2] ?? '/');
      hosted = auth.hosted;
      user = effectiveUser(req, auth.user ?? ADMIN, hosted.cluster);
    } catch (err) {
      writeError(socket, err);
      return;
    }
    void serveStream({ ...stream, cluster: hosted.cluster, user, runtime: this.streams, req, socket, head, query: url.searchParams });
  }

  private async route(auth: Authenticated, req: IncomingMessage, res: ServerResponse, rawPath: string, q: URLSearchParams): Promise<void> {
    const h = auth.hosted;
    const method = req.method ?? 'GET';
    // The discovery roots and /version answer with a trailing slash too, as the Python client asks.
    const path = ROOTS_WITH_SLASH.has(rawPath) ? rawPath.slice(0, -1) : rawPath;
    const kinds = h.cluster.kinds.all();
    if (path === '/version') return this.json(res, 200, SERVER_VERSION, {}, undefined, 'raw');
    if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(path)) {
      if (q.has('verbose')) return this.text(res, 200, `[+]ping ok\n[+]log ok\n[+]etcd ok\n${path.slice(1).split('/')[0]} check passed\n`);
      return this.text(res, 200, 'ok');
    }
    if (path === '/openapi/v2') {
      const accept = req.headers.accept ?? '';
      const doc = openapiV2(openapiResources(kinds)) as Record<string, unknown>;
      if (accept.includes(OPENAPI_V2_PROTOBUF) || (/protobuf/.test(accept) && !/application\/json/.test(accept))) {
        let pb = protoCache.get(doc);
        if (!pb) protoCache.set(doc, (pb = encodeOpenApiV2(doc)));
        res.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTOBUF_RESPONSE, 'Cache-Control': 'no-cache, private' });
        res.end(pb);
        return;
      }
      return this.json(res, 200, doc, {}, undefined, 'compact');
    }
    if (path === '/openapi/v3') return this.json(res, 200, openapiV3Index(`/clusters/${h.id}`, openapiResources(kinds)), {}, undefined, 'compact');
    if (path.startsWith('/openapi/v3/')) {
      const doc = openapiV3GroupVersion(path.slice('/openapi/v3/'.length), openapiResources(kinds));
      if (!doc) throw resourceNotFound(path);
      return this.json(res, 200, doc, { 'Cache-Control': q.has('hash') ? 'public, immutable' : 'no-cache, private' }, undefined, 'compact');
    }
    if (path === '/api' || path === '/apis') {
      if (method !== 'GET') throw methodNotAllowed();
      const neg = negotiate(req.headers.accept);
      if (neg.kind === 'discovery') {
        return this.json(res, 200, aggregatedDiscovery(kinds, path === '/api', neg.discoveryVersion!), { 'Content-Type': neg.contentType });
      }
      return this.json(res, 200, path === '/api' ? apiVersions() : apiGroupList(kinds));
    }
    const segs = path.split('/').filter(Boolean);
    let group: string;
    let version: string;
    let rest: string[];
    if (segs[0] === 'api') {
      if (segs.length < 2) throw resourceNotFound(path);
      group = '';
      version = segs[1];
      rest = segs.slice(2);
    } else if (segs[0] === 'apis') {
      if (segs.length === 2) {
        const g = groupsOf(kinds).find((x) => x.group === segs[1]);
        if (!g) throw resourceNotFound(path);
        return this.json(res, 200, apiGroup(g));
      }
      if (segs.length < 3) throw resourceNotFound(path);
      group = segs[1];
      version = segs[2];
      rest = segs.slice(3);
    } else {
      throw resourceNotFound(path);
    }
    if (rest.length === 0) {
      if (!kinds.some((k) => k.group === group && k.version === version) && unavailableApiService(h.cluster, group, version)) return this.text(res, 503, 'service unavailable\n');
      const list = apiResourceList(kinds, group, version);
      if (!list) throw resourceNotFound(path);
      return this.json(res, 200, list);
    }
    // RequestInfo: [namespaces/{ns}/]{resource}[/{name}[/{subresource}]]
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && rest.length === 3 && ['status', 'finalize'].includes(rest[2]))) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [resource, name, subresource, ...extra] = rest;
    if (extra.length && subresource !== 'proxy') throw resourceNotFound(path);
    const def = h.cluster.kinds.get(group, version, resource);
    if (!def && unavailableApiService(h.cluster, group, version)) return this.text(res, 503, 'service unavailable\n');
    if (!def) throw resourceNotFound(path);
    if (def.namespaced === false && namespace !== undefined) throw resourceNotFound(path);
    if (name !== undefined && !name) throw resourceNotFound(path);
    if (subresource !== undefined && !(def.subresources ?? []).includes(subresource)) throw resourceNotFound(path);
    const user = this.authorizeRequest(auth, req, q, def, namespace, name, subresource);
    if (this.streams && def.kind === 'Pod' && group === '' && STREAM_SUBRESOURCES.includes(subresource!)) {
      throw badRequest('Upgrade request required');
    }
    if (subresource && subresource !== 'status') {
      return handleSubresource({ cluster: h.cluster, def, namespace, name: name!, subresource, rest: extra, req, res, q, user, json: (code, body) => this.json(res, code, body) });
    }
    await this.resource(h, user, def, namespace, name, subresource, req, res, q);
  }

  /**
   * The learner's own token is the cluster's admin; any other identity (a service account's
   * token, a client certificate, whom --as impersonates) is checked against the cluster's RBAC
   * objects, as a real apiserver does. Returns whom the request acts as.
   */
  private authorizeRequest(auth: Authenticated, req: IncomingMessage, q: URLSearchParams, def: KindDef, namespace: string | undefined, name: string | undefined, subresource: string | undefined): UserInfo {
    const method = req.method ?? 'GET';
    const verb = subresource && subresource !== 'status' ? (SUBRESOURCE_VERBS[method] ?? 'create') : verbOf(method, name, q);
    return this.authorizeAttributes(auth, req, def, verb ? { verb, group: def.group, resource: def.plural, subresource, namespace: def.namespaced ? namespace : undefined, name } : undefined);
  }

  private authorizeAttributes(auth: Authenticated, req: IncomingMessage, def: KindDef, attrs: ResourceAttributes | undefined): UserInfo {
    const cluster = auth.hosted.cluster;
    const user = effectiveUser(req, auth.user ?? ADMIN, cluster);
    if (user === ADMIN || !attrs) return user;
    // Anyone may ask who they are and what they may do (system:basic-user).
    if ((def.group === 'authorization.k8s.io' || def.group === 'authentication.k8s.io') && def.plural.startsWith('selfsubject')) return user;
    const objs = rbacObjects((plural) => cluster.store.list(`rbac.authorization.k8s.io/${plural}`));
    if (!authorize(objs, user, attrs).allowed) throw forbidden({ group: def.group, resource: def.plural }, attrs.name ?? '', deniedReason(user, attrs));
    return user;
  }

  private async resource(
    h: HostedCluster,
    user: UserInfo,
    def: KindDef,
    namespace: string | undefined,
    name: string | undefined,
    subresource: string | undefined,
    req: IncomingMessage,
    res: ServerResponse,
    q: URLSearchParams,
  ): Promise<void> {
    const cluster = h.cluster;
    const method = req.method ?? 'GET';
    const verbs = def.verbs ?? ALL_VERBS;
    const verb = verbOf(method, name, q);
    if (!verb || !verbs.includes(verb)) throw methodNotAllowed();
    const neg = negotiate(req.headers.accept);
    if (neg.kind === 'discovery') throw notAcceptable('only the discovery endpoints serve APIGroupDiscoveryList');
    if (def === apiService && verb !== 'create') guardLocalApiService(cluster, verb, name);
    const include = (q.get('includeObject') as IncludeObject | null) ?? 'Metadata';
    const warnings: string[] = def.deprecationWarning ? [def.deprecationWarning] : [];
    const render = (obj: KObject) =>
      neg.kind === 'table'
        ? table(def, [obj], cluster.ctx, include, neg.tableVersion!, { resourceVersion: obj.metadata.resourceVersion })
        : neg.kind === 'metadata'
          ? partialMetadata(obj)
          : obj;
    const send = (code: number, body: unknown, extra: string[] = []) =>
      this.json(res, code, body, warningHeaders([...warnings, ...extra]), neg.kind === 'json' ? undefined : neg.contentType);

    switch (verb) {
      case 'get':
        return send(200, render(cluster.get(def, namespace, name!)));
      case 'list': {
        const limit = int64Param(q, 'limit');
        listResourceVersion(q, cluster.store.resourceVersion);
        const result = cluster.list(def, namespace, {
          labelSelector: q.get('labelSelector') ?? undefined,
          fieldSelector: q.get('fieldSelector') ?? undefined,
          limit,
          continue: q.get('continue') ?? undefined,
        });
        const meta = { resourceVersion: result.resourceVersion, continue: result.continue, remainingItemCount: result.remainingItemCount };
        if (neg.kind === 'table') return send(200, table(def, result.items, cluster.ctx, include, neg.tableVersion!, meta));
        if (neg.kind === 'metadata') {
          return send(200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta, items: result.items.map(partialMetadata) });
        }
        return send(200, { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: meta, items: result.items });
      }
      case 'watch': {
        const resourceVersion = watchResourceVersion(q);
        const timeoutSeconds = int64Param(q, 'timeoutSeconds');
        const sendable = warnings.filter(headerSafe);
        if (sendable.length) res.setHeader('Warning', sendable.map(warningHeader));
        return serveWatch(
          req,
          res,
          cluster,
          def,
          {
            namespace: def.namespaced ? namespace : undefined,
            labelSelector: q.get('labelSelector') ?? undefined,
            fieldSelector: q.get('fieldSelector') ?? (name ? `metadata.name=${name}` : undefined),
            resourceVersion,
            timeoutSeconds,
            allowWatchBookmarks: boolParam(q, 'allowWatchBookmarks'),
            sendInitialEvents: boolParam(q, 'sendInitialEvents'),
          },
          (type, obj, first) =>
            type === 'BOOKMARK' || neg.kind !== 'table'
              ? neg.kind === 'metadata' && type !== 'BOOKMARK'
                ? partialMetadata(obj)
                : obj
              : table(def, [obj], cluster.ctx, include, neg.tableVersion!, { resourceVersion: obj.metadata.resourceVersion }, first),
          neg.kind === 'json' ? 'application/json' : neg.contentType,
        );
      }
      case 'create': {
        const body = decodeObject(await readBody(req), req.headers['content-type'], def.kind, !!def.crd);
        if (def === apiService) guardLocalApiService(cluster, verb, (body as { metadata?: { name?: unknown } })?.metadata?.name as string | undefined);
        if (def.kind === 'SelfSubjectAccessReview') return send(201, accessReview(cluster, def, body, user));
        if (def.kind === 'SelfSubjectRulesReview') return send(201, rulesReview(cluster, body, user));
        if (def.kind === 'SelfSubjectReview') return send(201, selfSubjectReview(user));
        if (def.kind === 'CertificateSigningRequest') admitCsrCreate(body);
        const result = cluster.create(def, namespace, def.kind === 'CertificateSigningRequest' ? withRequester(body, user) : body, writeOptions(req, q));
        return send(201, render(result.object), result.warnings);
      }
      case 'update': {
        const body = decodeObject(await readBody(req), req.headers['content-type'], def.kind, !!def.crd);
        const result = cluster.update(def, namespace, name!, body, writeOptions(req, q), subresource);
        return send(result.created ? 201 : 200, render(result.object), result.warnings);
      }
      case 'patch': {
        const type = patchTypeOf(req.headers['content-type'], !!def.crd);
        const patch = decodePatch(await readBody(req), type);
        const force = q.get('force');
        if (force !== null && type !== 'apply') throw badRequest('force is only allowed for apply patches');
        const result = cluster.patch(def, namespace, name!, type, patch, { ...writeOptions(req, q), force: boolParam(q, 'force') }, subresource);
        return send(result.created ? 201 : 200, render(result.object), result.warnings);
      }
      case 'delete': {
        const opts = await deleteOptions(req, q);
        const result = cluster.delete(def, namespace, name!, opts);
        const obj = result.object;
        if (obj.metadata.deletionTimestamp && cluster.read(def, namespace, name!)) return send(200, render(obj));
        // Some registries answer a finished delete with the object as it was, not a Status.
        if (RETURNS_DELETED_OBJECT.has(`${def.group}/${def.plural}`)) return send(200, render(obj));
        return send(200, successStatus(def, obj));
      }
      case 'deletecollection': {
        const opts = await deleteOptions(req, q);
        const deleted = cluster.deleteCollection(
          def,
          namespace,
          { labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined },
          opts,
        );
        return send(200, { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(cluster.store.resourceVersion) }, items: deleted });
      }
    }
  }

  // ------------------------------------------------------------------ responses

  /**
   * Answers with JSON, once every change the request's cluster has made so far is on disk (where
   * the cluster keeps a journal): as a real apiserver answers a write only after etcd has it.
   * Reads wait too while changes are in flight, so nothing a client sees can vanish in a crash.
   * Every answer about a cluster's objects comes through here, errors included.
   */
  json(res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}, contentType?: string, encoding: BodyEncoding = 'serialized'): void {
    // A request already answered (its answer waiting for the disk) gets no second one.
    if (this.waitingForDisk.has(res)) return;
    const wait = durable(this.clusterOf(res));
    if (!wait) return this.sendJson(res, code, body, headers, contentType, encoding);
    this.waitingForDisk.add(res);
    wait.then(
      () => this.sendJson(res, code, body, headers, contentType, encoding),
      (err: Error) => {
        const status = new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${err.message}; the change may not survive a restart`, reason: 'InternalError', code: 500 }).status;
        this.sendJson(res, 500, status);
      },
    );
  }

  /** The cluster a request was for, from its path; undefined (every cluster) when the path does not say. */
  private clusterOf(res: ServerResponse): Cluster | undefined {
    const m = /^\/clusters\/([^/?]+)/.exec(res.req?.url ?? '');
    return m ? this.clusters.get(m[1])?.cluster : undefined;
  }

  private sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}, contentType?: string, encoding: BodyEncoding = 'serialized'): void {
    const req = res.req as IncomingMessage | undefined;
    const pretty = prettyPrint(new URL(req?.url ?? '/', 'https://127.0.0.1').searchParams, req?.headers['user-agent']);
    const text = encoding === 'raw' ? rawJson(body) : encoding === 'compact' ? stringifyJson(body) : serializedJson(body, pretty);
    res.writeHead(code, {
      'Content-Type': contentType ?? 'application/json',
      'Cache-Control': 'no-cache, private',
      'X-Kubernetes-Pf-Flowschema-Uid': 'kubedojo',
      ...headers,
    });
    res.end(text);
  }

  text(res: ServerResponse, code: number, body: string): void {
    res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end(body);
  }

  /** One top-level answer for errors: a Status for the API's own, a 500 with a log line for bugs. */
  fail(res: ServerResponse, err: unknown): void {
    let status: Status;
    if (err instanceof ApiError) status = err.status;
    else {
      console.error('kubedojo apiserver: internal error:', err);
      status = internalError(err).status;
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    // As the apiserver does, a Status that asks the client to retry later says so in a header too.
    const retry = status.details?.retryAfterSeconds;
    if (status.code === 406) {
      // Content negotiation's own refusal: with no serializer to write it, the apiserver writes the
      // bare Status struct as raw JSON, so it carries no kind or apiVersion.
      const { kind: _kind, apiVersion: _apiVersion, ...bare } = status;
      return this.json(res, 406, bare, {}, undefined, 'raw');
    }
    this.json(res, status.code, status, retry && retry > 0 ? { 'Retry-After': String(retry) } : {});
  }
}

// ------------------------------------------------------------------ request helpers

/** Answers a SelfSubjectRulesReview: the rules the requester (or whom they impersonate) has. */
function rulesReview(cluster: Cluster, body: unknown, user: UserInfo): object {
  const spec = ((body as { spec?: { namespace?: string } })?.spec ?? {}) as { namespace?: string };
  const objs = rbacObjects((plural) => cluster.store.list(`rbac.authorization.k8s.io/${plural}`));
  const rules = rulesFor(objs, user, spec.namespace ?? 'default');
  return { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status: { ...rules, incomplete: false } };
}

/** Answers a SelfSubjectAccessReview for the requester, or for whom they impersonate (--as). */
function accessReview(cluster: Cluster, def: KindDef, body: unknown, user: UserInfo): object {
  const review = cluster.create(def, undefined, { ...(body as object), metadata: { name: 'review' } }, { dryRun: true, fieldValidation: 'Ignore' }).object;
  const attrs = ((review.spec as Record<string, unknown>)?.resourceAttributes ?? {}) as ResourceAttributes;
  const objs = rbacObjects((plural) => cluster.store.list(`rbac.authorization.k8s.io/${plural}`));
  const nonResource = (review.spec as Record<string, unknown>)?.nonResourceAttributes !== undefined;
  const result = nonResource ? { allowed: user === ADMIN, reason: '' } : authorize(objs, user, attrs);
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: review.spec,
    status: { allowed: result.allowed, ...(result.reason ? { reason: result.reason } : {}) },
  };
}

/** Answers a SelfSubjectReview (`kubectl auth whoami`): the requester as authentication saw them. */
function selfSubjectReview(user: UserInfo): object {
  const userInfo = { username: user.name, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups, ...(user.extra ? { extra: user.extra } : {}) };
  return { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, status: { userInfo } };
}

/** A CertificateSigningRequest names who asked for it: the requester, whatever the body says. */
function withRequester(body: unknown, user: UserInfo): unknown {
  const obj = (body ?? {}) as { spec?: unknown };
  if (!obj.spec || typeof obj.spec !== 'object' || Array.isArray(obj.spec)) return body;
  const spec: Record<string, unknown> = { ...(obj.spec as Record<string, unknown>), username: user.name, groups: user.groups };
  delete spec.uid;
  delete spec.extra;
  if (user.uid) spec.uid = user.uid;
  if (user.extra) spec.extra = user.extra;
  return { ...obj, spec };
}

function verbOf(method: string, name: string | undefined, q: URLSearchParams): string | undefined {
  const watching = boolParam(q, 'watch');
  switch (method) {
    case 'GET':
      return watching ? 'watch' : name ? 'get' : 'list';
    case 'POST':
      return name ? undefined : 'create';
    case 'PUT':
      return name ? 'update' : undefined;
    case 'PATCH':
      return name ? 'patch' : undefined;
    case 'DELETE':
      return name ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const raw = await readBody(req);
  const body = raw.length ? (decodeObject(raw, req.headers['content-type'] ?? 'application/json', 'DeleteOptions') as Record<string, unknown>) : {};
  const policy = (q.get('propagationPolicy') ?? body.propagationPolicy) as PropagationPolicy | undefined;
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw invalid('', 'DeleteOptions', '', [fieldError.notSupported('propagationPolicy', policy, ['Foreground', 'Background', 'Orphan', 'nil'])]);
  }
  const orphan = optionalBoolParam(q, 'orphanDependents') ?? body.orphanDependents;
  const grace = q.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  const dryRun = [...q.getAll('dryRun'), ...(((body.dryRun as string[]) ?? []) as string[])];
  return {
    propagationPolicy: policy ?? (orphan === true ? 'Orphan' : undefined),
    gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
    preconditions: body.preconditions as DeleteOptions['preconditions'],
    dryRun: dryRun.length > 0,
  };
}

function successStatus(def: KindDef, obj: KObject): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: obj.metadata.name, ...(def.group ? { group: def.group } : {}), kind: def.plural, uid: obj.metadata.uid },
  };
}

function warningHeaders(warnings: string[]): Record<string, string[]> {
  const sendable = warnings.filter(headerSafe);
  return sendable.length ? { Warning: sendable.map(warningHeader) } : {};
}

/** The apiserver drops a warning whose text holds a control character (an unknown field "a\nb"). */
function headerSafe(text: string): boolean {
  return !/[\u0000-\u001f\u007f-\u009f]/.test(text);
}

/**
 * One Warning header as the apiserver writes it (RFC 7234's form: code, agent, quoted text): only
 * `"` and `\` are escaped, and the text goes out as its UTF-8 bytes, which Node sends unchanged
 * when handed them as latin1.
 */
export function warningHeader(text: string): string {
  return Buffer.from(`299 - "${text.replace(/["\\]/g, (c) => `\\${c}`)}"`, 'utf8').toString('latin1');
}

/** Reads the Accept header the way the apiserver's negotiation does, for the forms kubectl uses. */
export function negotiate(accept: string | undefined): Negotiated {
  const parts = (accept ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  let sawAcceptable = parts.length === 0;
  for (const part of parts) {
    const [type, ...paramList] = part.split(';').map((s) => s.trim());
    const params = Object.fromEntries(paramList.map((p) => p.split('=').map((s) => s.trim()) as [string, string]));
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*') {
      continue;
    }
    if (params.as === 'Table' && params.g === 'meta.k8s.io' && (params.v === 'v1' || params.v === 'v1beta1')) {
      return { kind: 'table', tableVersion: params.v, contentType: `application/json;as=Table;v=${params.v};g=meta.k8s.io` };
    }
    if ((params.as === 'PartialObjectMetadataList' || params.as === 'PartialObjectMetadata') && params.g === 'meta.k8s.io') {
      return { kind: 'metadata', contentType: `application/json;as=${params.as};v=${params.v ?? 'v1'};g=meta.k8s.io` };
    }
    if (params.as === 'APIGroupDiscoveryList' && params.g === 'apidiscovery.k8s.io' && (params.v === 'v2' || params.v === 'v2beta1')) {
      return { kind: 'discovery', discoveryVersion: params.v, contentType: `application/json;g=apidiscovery.k8s.io;v=${params.v};as=APIGroupDiscoveryList` };
    }
    if (!params.as) sawAcceptable = true;
  }
  if (!sawAcceptable) {
    // Only protobuf or other forms were asked for: say what we do serve.
    if (parts.some((p) => p.startsWith('application/vnd.kubernetes.protobuf'))) return { kind: 'json', contentType: 'application/json' };
    throw notAcceptable(`only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  return { kind: 'json', contentType: 'application/json' };
}

function openapiResources(kinds: readonly KindDef[]): OpenApiResource[] {
  return kinds.map((k) => ({
    group: k.group,
    version: k.version,
    kind: k.kind,
    plural: k.plural,
    namespaced: k.namespaced,
    verbs: k.verbs ?? ALL_VERBS,
    subresources: k.subresources ?? [],
  }));
}

export { rowOf, notFound };

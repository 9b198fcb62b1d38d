// nginx as the image runs it: it reads its configuration (nginx-conf.ts) when it starts and on
// `nginx -s reload`, listens on the ports its servers name, and answers each request by
// server_name and location: return, root, alias, index, try_files, autoindex, add_header,
// default_type, error_page and proxy_pass to one upstream. A configuration it cannot read stops it
// with nginx's [emerg] lines; a reload with one keeps the old configuration.
import type { ImageInfo } from './images.js';
import { httpDate, MIME, nginxError, reply, STATUS } from './http-replies.js';
import { Emerg, loadConfig, portsOf, type Location, type NginxConfig, type Server } from './nginx-conf.js';
import type { ContainerFs } from './shell/fs.js';
import { strftime } from './shell/time-format.js';
import type { HttpRequest, HttpResponse, ProcessContext } from './shell/types.js';
import { own } from '../own.js';

interface Running {
  config: NginxConfig;
  /** The container's open ports, which a reload changes in place. */
  ports: number[];
}

/** The nginx serving from each container filesystem. */
const running = new WeakMap<ContainerFs, Running>();

const CONF = '/etc/nginx/nginx.conf';

/**
 * Configurations read from an image's untouched tree (see serverStart): the same for every
 * container of the image, unless a proxy_pass had its host resolved from the pod.
 */
const imageConfigs = new WeakMap<ContainerFs, NginxConfig>();

function load(ctx: ProcessContext, fs: ContainerFs = ctx.fs): NginxConfig | { emerg: string } {
  const known = fs === ctx.fs ? undefined : imageConfigs.get(fs);
  if (known) return known;
  try {
    const config = loadConfig(fs, () => ctx.net, ctx.namespace);
    if (fs !== ctx.fs && !config.servers.some((s) => s.locations.some((l) => l.proxy))) imageConfigs.set(fs, config);
    return config;
  } catch (e) {
    if (e instanceof Emerg) return { emerg: e.message };
    throw e;
  }
}

/**
 * nginx starting in a container: what it will listen on, or the lines it dies with (its error log
 * line, then its own complaint, both on stderr). `configFrom` is where its files are read when
 * they are the image's own (see serverStart).
 */
export function nginxStart(ctx: ProcessContext, ports: number[], configFrom: ContainerFs = ctx.fs): { listen(): void } | { failure: string[] } {
  const config = load(ctx, configFrom);
  if ('emerg' in config) return { failure: [`${strftime('%Y/%m/%d %H:%M:%S', ctx.now())} [emerg] 1#1: ${config.emerg}`, `nginx: [emerg] ${config.emerg}`] };
  return {
    listen() {
      ports.push(...portsOf(config));
      running.set(ctx.fs, { config, ports });
    },
  };
}

/** `nginx -t`: the check's report and whether it passed. */
export function nginxTest(ctx: ProcessContext): { ok: boolean; text: string } {
  const config = load(ctx);
  if ('emerg' in config) return { ok: false, text: `nginx: [emerg] ${config.emerg}\nnginx: configuration file ${CONF} test failed\n` };
  return { ok: true, text: `nginx: the configuration file ${CONF} syntax is ok\nnginx: configuration file ${CONF} test is successful\n` };
}

/** `nginx -s reload`: the running nginx takes the new configuration, or the error that stops the reload. */
export function nginxReload(ctx: ProcessContext): string | undefined {
  const r = running.get(ctx.fs);
  const config = load(ctx);
  if ('emerg' in config) return `nginx: [emerg] ${config.emerg}\n`;
  if (!r) return 'nginx: [error] invalid PID number "" in "/run/nginx.pid"\n';
  r.config = config;
  r.ports.splice(0, r.ports.length, ...portsOf(config));
  return undefined;
}

// ------------------------------------------------------------ answering

function pickServer(config: NginxConfig, port: number, host: string): Server | undefined {
  const on = config.servers.filter((s) => s.ports.some((p) => p.port === port));
  const named = on.find((s) => s.names.some((n) => n === host || (n.startsWith('*.') && host.endsWith(n.slice(1))) || (n.startsWith('~') && safeTest(n.slice(1), host))));
  return named ?? on.find((s) => s.ports.some((p) => p.port === port && p.defaultServer)) ?? on[0];
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}

/** nginx's choice: an exact match, else the longest prefix unless a regex (in order) matches first. */
export function pickLocation(locations: Location[], uri: string): Location | undefined {
  const exact = locations.find((l) => l.modifier === '=' && l.path === uri);
  if (exact) return exact;
  let best: Location | undefined;
  for (const l of locations) if ((l.modifier === '' || l.modifier === '^~') && uri.startsWith(l.path) && (!best || l.path.length > best.path.length)) best = l;
  if (best?.modifier === '^~') return best;
  const re = locations.find((l) => l.re && l.re.test(uri));
  return re ?? best;
}

interface Exchange {
  ctx: ProcessContext;
  image: ImageInfo;
  req: HttpRequest;
  port: number;
  now: number;
  serverName: string;
}

function headersFor(x: Exchange, extra: Record<string, string> = {}): Record<string, string> {
  return { Server: x.serverName, Date: httpDate(x.now), ...extra, Connection: 'keep-alive' };
}

function errorReply(x: Exchange, status: number, extra: Record<string, string> = {}): HttpResponse {
  return reply(status, nginxError(status, x.serverName), headersFor(x, { 'Content-Type': 'text/html', ...extra }), x.req);
}

function variables(x: Exchange, uri: string, text: string): string {
  const query = (x.req.path || '/').split('?')[1];
  const vars: Record<string, string> = {
    uri, document_uri: uri, request_uri: x.req.path || '/', args: query ?? '', query_string: query ?? '', host: x.req.host, hostname: x.ctx.hostname, server_addr: x.ctx.podIP, server_port: String(x.port),
    scheme: 'http', request_method: x.req.method, server_protocol: 'HTTP/1.1', nginx_version: x.image.version, request: `${x.req.method} ${x.req.path || '/'} HTTP/1.1`, time_iso8601: strftime('%Y-%m-%dT%H:%M:%S+00:00', x.now),
  };
  return text.replace(/\$\{?([a-zA-Z_][a-zA-Z0-9_]*)\}?/g, (m, name: string) => {
    if (name.startsWith('http_')) {
      const want = name.slice(5).replace(/_/g, '-');
      const found = Object.entries(x.req.headers).find(([k]) => k.toLowerCase() === want);
      return found?.[1] ?? '';
    }
    return own<string>(vars, name) ?? (/^\d$/.test(name) ? m : '');
  });
}

function withHeaders(res: HttpResponse, settings: Location['settings']): HttpResponse {
  if (!settings.addHeaders.length || res.status >= 400) return res;
  return { ...res, headers: { ...res.headers, ...Object.fromEntries(settings.addHeaders) } };
}

function returned(x: Exchange, ret: { code: number; text?: string }, uri: string, settings: Location['settings']): HttpResponse {
  const text = ret.text === undefined ? undefined : variables(x, uri, ret.text);
  if ([301, 302, 303, 307, 308].includes(ret.code)) {
    const location = text === undefined ? '' : text.startsWith('/') ? `http://${x.req.host}${x.port === 80 ? '' : `:${x.port}`}${text}` : text;
    return errorReply(x, ret.code, location ? { Location: location } : {});
  }
  if (text === undefined) return ret.code >= 400 || STATUS[ret.code] === undefined ? errorReply(x, ret.code) : reply(ret.code, '', headersFor(x, { 'Content-Type': settings.defaultType }), x.req);
  return reply(ret.code, text, headersFor(x, { 'Content-Type': settings.defaultType }), x.req);
}

function fileReply(x: Exchange, file: string, settings: Location['settings']): HttpResponse | undefined {
  const fs = x.ctx.fs;
  let node;
  try {
    node = fs.stat(file);
  } catch {
    return undefined;
  }
  if (node.type !== 'file') return undefined;
  let body: Buffer;
  try {
    // The workers read as nginx's own user (uid 101).
    body = fs.readFile(file, { uid: 101, gid: 101, groups: [] });
  } catch {
    return errorReply(x, 403);
  }
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  return reply(200, body, headersFor(x, {
    'Content-Type': own<string>(MIME, ext) ?? settings.defaultType,
    'Last-Modified': httpDate(node.mtime),
    ETag: `"${Math.floor(node.mtime / 1000).toString(16)}-${body.length.toString(16)}"`,
    'Accept-Ranges': 'bytes',
  }), x.req);
}

function listing(x: Exchange, dir: string, uri: string): HttpResponse {
  const fs = x.ctx.fs;
  const names = fs.readdir(dir).filter((n) => !n.startsWith('.'));
  const rows: Array<{ name: string; isDir: boolean; mtime: number; size: number }> = names.map((n) => {
    const node = fs.stat(`${dir.replace(/\/$/, '')}/${n}`);
    return { name: n, isDir: node.type === 'dir', mtime: node.mtime, size: node.type === 'file' ? fs.readFile(`${dir.replace(/\/$/, '')}/${n}`).length : 0 };
  });
  rows.sort((a, b) => Number(b.isDir) - Number(a.isDir) || (a.name < b.name ? -1 : 1));
  const line = (r: (typeof rows)[number]) => {
    const shown = r.isDir ? `${r.name}/` : r.name;
    const cut = shown.length > 50 ? `${shown.slice(0, 47)}..&gt;` : shown;
    return `<a href="${encodeURI(shown)}">${cut}</a>${' '.repeat(Math.max(1, 51 - Math.min(shown.length, 50)))}${strftime('%d-%b-%Y %H:%M', r.mtime)} ${(r.isDir ? '-' : String(r.size)).padStart(19)}\r\n`;
  };
  const body = `<html>\r\n<head><title>Index of ${uri}</title></head>\r\n<body>\r\n<h1>Index of ${uri}</h1><hr><pre><a href="../">../</a>\r\n${rows.map(line).join('')}</pre><hr></body>\r\n</html>\r\n`;
  return reply(200, body, headersFor(x, { 'Content-Type': 'text/html' }), x.req);
}

/** The file system path a URI maps to in a location (root appends the URI, alias replaces the prefix). */
function mapPath(loc: Location | undefined, settings: Location['settings'], uri: string): string {
  if (loc?.alias !== undefined && loc.modifier !== '~' && loc.modifier !== '~*') return `${loc.alias}${uri.slice(loc.path.length)}`;
  const root = settings.root.startsWith('/') ? settings.root : `/etc/nginx/${settings.root}`;
  return `${root.replace(/\/$/, '')}${uri}`;
}

function staticAnswer(x: Exchange, loc: Location | undefined, settings: Location['settings'], uri: string): HttpResponse {
  if (x.req.method !== 'GET' && x.req.method !== 'HEAD') return errorReply(x, 405);
  const fs = x.ctx.fs;
  const path = mapPath(loc, settings, uri);
  let node;
  try {
    node = fs.stat(path);
  } catch {
    return errorReply(x, 404);
  }
  if (node.type === 'dir') {
    if (!uri.endsWith('/')) return errorReply(x, 301, { Location: `http://${x.req.host}${x.port === 80 ? '' : `:${x.port}`}${uri}/` });
    for (const index of settings.index) {
      const r = fileReply(x, `${path.replace(/\/$/, '')}/${index}`, settings);
      if (r) return r;
    }
    return settings.autoindex ? listing(x, path, uri) : errorReply(x, 403);
  }
  return fileReply(x, path, settings) ?? errorReply(x, 404);
}

function proxied(x: Exchange, loc: Location, uri: string, config: NginxConfig): HttpResponse {
  const url = loc.proxy!.url;
  const upstream = config.upstreams.get(url.hostname)?.[0];
  const [host, portText] = (upstream ?? url.host).split(':');
  const port = Number(portText || (url.protocol === 'https:' ? 443 : 80));
  const hasPath = /^https?:\/\/[^/]+\//.test(loc.proxy!.raw);
  const query = (x.req.path || '').includes('?') ? (x.req.path || '').slice((x.req.path || '').indexOf('?')) : '';
  const path = hasPath && !loc.re ? `${url.pathname}${uri.slice(loc.path.length)}${query}` : x.req.path || '/';
  const ip = /^\d+(\.\d+){3}$/.test(host) ? host : x.ctx.net.lookup(host)?.addresses[0] ?? x.ctx.net.lookup(`${host}.${x.ctx.namespace}.svc.cluster.local`)?.addresses[0];
  if (!ip) return errorReply(x, 502);
  const res = x.ctx.net.http({ method: x.req.method, url: `http://${host}:${port}${path}`, host, ip, port, path, headers: { ...x.req.headers, Host: upstream ? url.hostname : url.host, Connection: 'close' }, body: x.req.body });
  if ('error' in res) return errorReply(x, res.error === 'timeout' ? 504 : 502);
  return { ...res, headers: { ...res.headers, Server: x.serverName } };
}

/** The answer of the nginx running in this container, or undefined when none has read a config. */
export function nginxAnswer(ctx: ProcessContext, image: ImageInfo, req: HttpRequest, port: number, now: number): HttpResponse | undefined {
  const r = running.get(ctx.fs);
  if (!r) return undefined;
  const x: Exchange = { ctx, image, req, port, now, serverName: `nginx/${image.version}` };
  const server = pickServer(r.config, port, req.host);
  if (!server) return errorReply(x, 404);
  let uri = (req.path || '/').split('?')[0] || '/';
  try {
    uri = decodeURIComponent(uri);
  } catch {
    return errorReply(x, 400);
  }
  let status: number | undefined;
  // Internal redirects (try_files fallback, error_page) go round again, a few times at most.
  for (let round = 0; round < 5; round++) {
    if (server.ret && round === 0) return withHeaders(returned(x, server.ret, uri, server.settings), server.settings);
    const loc = pickLocation(server.locations, uri);
    const settings = loc?.settings ?? server.settings;
    let res: HttpResponse | undefined;
    let redirect: string | undefined;
    if (loc?.ret) res = returned(x, loc.ret, uri, settings);
    else if (loc?.proxy) res = proxied(x, loc, uri, r.config);
    else {
      const tryFiles = loc?.tryFiles ?? (loc ? undefined : server.tryFiles);
      if (tryFiles && tryFiles.length > 1) {
        for (const t of tryFiles.slice(0, -1)) {
          const candidate = variables(x, uri, t);
          const p = mapPath(loc, settings, candidate.replace(/\/$/, '') || '/');
          let node;
          try {
            node = ctx.fs.stat(p);
          } catch {
            continue;
          }
          if (candidate.endsWith('/') ? node.type === 'dir' : node.type === 'file') {
            res = staticAnswer(x, loc, settings, candidate);
            break;
          }
        }
        if (!res) {
          const last = tryFiles[tryFiles.length - 1];
          if (/^=\d+$/.test(last)) res = errorReply(x, Number(last.slice(1)));
          else redirect = variables(x, uri, last);
        }
      } else res = staticAnswer(x, loc, settings, uri);
    }
    if (redirect !== undefined) {
      uri = redirect;
      continue;
    }
    const page = res && status === undefined ? settings.errorPages.get(res.status) : undefined;
    if (res && page && !page.startsWith('http')) {
      status = res.status;
      uri = page;
      continue;
    }
    if (res && status !== undefined) res = { ...res, status, statusText: STATUS[status] ?? '' };
    return withHeaders(res!, settings);
  }
  return errorReply(x, 500);
}

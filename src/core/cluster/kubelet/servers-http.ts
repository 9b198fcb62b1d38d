// How the images' servers answer HTTP and what each writes to its access log: nginx and httpd serve
// files from the container's own filesystem (so a page written with `kubectl exec` or mounted from
// a ConfigMap is what they serve), with their own error pages and headers.
import type { HttpBehaviour, ImageInfo, ImageServer } from './images.js';
import { kuardVersion } from './images/servers.js';
import { strftime } from './shell/time-format.js';
import type { HttpRequest, HttpResponse, ProcessContext } from './shell/types.js';
import { httpDate, MIME, nginxError, reply, STATUS } from './http-replies.js';
import { nginxAnswer, nginxStart } from './servers-nginx.js';
import { own } from '../own.js';
import { normalizePath } from './shell/path.js';
import { pristineFs } from './shell/rootfs.js';

export function header(req: HttpRequest, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers ?? {})) if (k.toLowerCase() === want) return v;
  return undefined;
}

/**
 * A server starting in a container: the ports it will open once its start-up lines are out (nginx
 * reads them from its configuration), or the lines it fails with instead.
 */
export function serverStart(server: ImageServer, image: ImageInfo, ctx: ProcessContext, ports: number[], mountPaths: readonly string[] = ['/']): { listen(): void } | { failure: string[] } {
  if (server.http?.kind === 'static' && server.http.server === 'nginx') {
    // nginx reads only its own files under /etc/nginx at start. Unless a volume is mounted over
    // them, or the container's tree is already built (and may have been changed), the image's
    // untouched tree gives the same configuration: this container's tree is then built only when
    // something looks at it (most of 150,000 nginx pods never are).
    const itsOwn = ctx.fs.materialised || mountPaths.some((m) => overlaps(m, NGINX_DIR));
    return nginxStart(ctx, ports, itsOwn ? ctx.fs : pristineFs(image));
  }
  return { listen: () => ports.push(...server.ports) };
}

/** The server's answer to one request at simulated time `now`. */
export function serverHttp(b: HttpBehaviour, image: ImageInfo, ctx: ProcessContext, argv: string[], req: HttpRequest, port: number, now: number): HttpResponse {
  const path = (req.path || '/').split('?')[0] || '/';
  switch (b.kind) {
    case 'static':
      return (b.server === 'nginx' ? nginxAnswer(ctx, image, req, port, now) : undefined) ?? staticFile(b, image, ctx, req, path, now);
    case 'text':
      return reply(200, b.body, { 'Content-Type': b.contentType, Date: httpDate(now) }, req);
    case 'http-echo': {
      const i = argv.findIndex((a) => a === '-text' || a.startsWith('-text='));
      const text = i < 0 ? '' : argv[i].startsWith('-text=') ? argv[i].slice(6) : argv[i + 1] ?? '';
      return reply(200, `${text.replace(/^["']|["']$/g, '')}\n`, { 'Content-Type': 'text/plain; charset=utf-8', 'X-App-Name': 'http-echo', 'X-App-Version': '1.0.0', Date: httpDate(now) }, req);
    }
    case 'hostname':
      return reply(200, ctx.hostname, { 'Content-Type': 'text/plain; charset=utf-8', Date: httpDate(now) }, req);
    case 'echoserver':
      return reply(200, echo(req, port), { 'Content-Type': 'text/plain', Server: 'nginx/1.10.0', Date: httpDate(now) }, req);
    case 'kuard':
      return kuard(image, ctx, req, path, now);
  }
}

function staticFile(b: Extract<HttpBehaviour, { kind: 'static' }>, image: ImageInfo, ctx: ProcessContext, req: HttpRequest, path: string, now: number): HttpResponse {
  const nginx = b.server === 'nginx';
  const serverName = nginx ? `nginx/${image.version}` : `Apache/${image.version} (Unix)`;
  const error = (status: number) => reply(status, nginx ? nginxError(status, serverName) : apacheError(status, path), { Server: serverName, Date: httpDate(now), 'Content-Type': nginx ? 'text/html' : 'text/html; charset=iso-8859-1', ...(nginx ? { Connection: 'keep-alive' } : {}) }, req);
  if (req.method !== 'GET' && req.method !== 'HEAD') return error(405);
  const fs = ctx.fs;
  let file = `${b.root}${decodeURIComponent(path)}`;
  try {
    if (fs.exists(file) && fs.stat(file).type === 'dir') {
      if (!path.endsWith('/')) return reply(301, nginx ? nginxError(301, serverName) : '', { Server: serverName, Date: httpDate(now), Location: `http://${req.host}${path}/`, 'Content-Type': 'text/html' }, req);
      file = `${file.replace(/\/$/, '')}/${b.index}`;
    }
    if (!fs.exists(file)) return error(404);
    const node = fs.stat(file);
    if (node.type !== 'file') return error(404);
    // The workers read as the server's own user (nginx: uid 101; httpd: www-data).
    const body = fs.readFile(file, { uid: nginx ? 101 : 33, gid: nginx ? 101 : 33, groups: [] });
    const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
    const headers: Record<string, string> = {
      Server: serverName,
      Date: httpDate(now),
      'Content-Type': own<string>(MIME, ext) ?? (nginx ? 'application/octet-stream' : 'text/plain'),
      'Last-Modified': httpDate(node.mtime),
      ...(nginx ? { Connection: 'keep-alive' } : {}),
      ETag: `"${Math.floor(node.mtime / 1000).toString(16)}-${body.length.toString(16)}"`,
      'Accept-Ranges': 'bytes',
    };
    return reply(200, body, headers, req);
  } catch {
    return error(403);
  }
}

function apacheError(status: number, path: string): string {
  const title = `${status} ${STATUS[status] === 'Not Allowed' ? 'Method Not Allowed' : STATUS[status]}`;
  const text = status === 404 ? 'The requested URL was not found on this server.' : status === 403 ? "You don't have permission to access this resource." : `The requested method is not allowed for this URL.`;
  void path;
  return `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>${title}</title>\n</head><body>\n<h1>${title.slice(4)}</h1>\n<p>${text}</p>\n</body></html>\n`;
}

function echo(req: HttpRequest, port: number): string {
  const [p, q] = (req.path || '/').split('?');
  const headers = Object.entries(req.headers ?? {})
    .map(([k, v]) => `${k.toLowerCase()}=${v}`)
    .sort()
    .join('\n');
  return `CLIENT VALUES:\nclient_address=${req.ip}\ncommand=${req.method}\nreal path=${p}\nquery=${q ?? 'nil'}\nrequest_version=1.1\nrequest_uri=http://${req.host}:${port}${req.path}\n\nSERVER VALUES:\nserver_version=nginx: 1.10.0 - lua: 10001\n\nHEADERS RECEIVED:\n${headers}\nBODY:\n${req.body ? req.body : '-no body in request-'}`;
}

function kuard(image: ImageInfo, ctx: ProcessContext, req: HttpRequest, path: string, now: number): HttpResponse {
  const h = { Date: httpDate(now) };
  if (path === '/healthy' || path === '/ready') return reply(200, 'ok', { ...h, 'Content-Type': 'text/plain; charset=utf-8' }, req);
  if (path === '/env/api') return reply(200, JSON.stringify({ commandLine: ['/kuard'], env: ctx.env }), { ...h, 'Content-Type': 'application/json' }, req);
  const page = `<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n  <title>KUAR Demo</title>\n</head>\n<body>\n  <div id="root"></div>\n  <script>var pageContext = {"hostname":"${ctx.hostname}","addrs":["${ctx.podIP}"],"version":"${kuardVersion(image.tag ?? 'blue')}","versionColor":"hsl(18,100%,50%)","requestDump":"${req.method} ${req.path} HTTP/1.1","requestProto":"HTTP/1.1","requestAddr":"${req.ip}"}</script>\n</body>\n</html>\n`;
  return reply(200, page, { ...h, 'Content-Type': 'text/html' }, req);
}

/** The access log line for one request, in the server's own format. */
export function serverAccessLog(format: 'nginx' | 'apache' | 'kuard', req: HttpRequest, res: HttpResponse, clientIP: string, at: number): { stream: 'stdout' | 'stderr'; text: string } {
  const time = strftime('%d/%b/%Y:%H:%M:%S +0000', at);
  const bytes = req.method === 'HEAD' ? 0 : Buffer.byteLength(res.body);
  const q = (v: string | undefined) => `"${v ?? '-'}"`;
  switch (format) {
    case 'nginx':
      return { stream: 'stdout', text: `${clientIP} - - [${time}] "${req.method} ${req.path || '/'} HTTP/1.1" ${res.status} ${bytes} ${q(header(req, 'referer'))} ${q(header(req, 'user-agent'))} ${q(header(req, 'x-forwarded-for'))}` };
    case 'apache':
      return { stream: 'stdout', text: `${clientIP} - - [${time}] "${req.method} ${req.path || '/'} HTTP/1.1" ${res.status} ${bytes || '-'}` };
    case 'kuard':
      return { stream: 'stderr', text: `${strftime('%Y/%m/%d %H:%M:%S', at)} ${clientIP}:${40000 + (at % 20000)} ${req.method} ${req.path || '/'}` };
  }
}

const NGINX_DIR = '/etc/nginx';

/** Whether a mount at `mount` covers `dir` or something inside it. */
function overlaps(mount: string, dir: string): boolean {
  const m = normalizePath(mount);
  return m === '/' || m === dir || m.startsWith(`${dir}/`) || dir.startsWith(`${m}/`);
}

// Programs that open a port of the pod and wait for connections: `nc -l` (busybox's and OpenBSD's
// forms) and Python's `http.server`. They listen through the container's listen hook, so other
// pods, Services, probes and port-forward reach them as they reach an image's own server.
import { err, out, readAll, type Gen } from '../io.js';
import { absPath } from '../path.js';
import type { HttpRequest, HttpResponse, Listener, StdinChunk } from '../types.js';
import type { Program, Sys } from './types.js';
import { fail } from './util.js';
import { strftime } from '../time-format.js';

/** Waits for connections until `done()` says the program has served what it came for. */
function* serveUntil(done: () => boolean): Gen<void> {
  do yield { kind: 'sleep', ms: Infinity, untilWoken: true };
  while (!done());
}

/** A request as it crossed the wire, which nc prints. */
export function rawRequest(req: HttpRequest): string {
  const head = [`${req.method} ${req.path || '/'} HTTP/1.1`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`)];
  return `${head.join('\r\n')}\r\n\r\n${req.body ?? ''}`;
}

/** What a client makes of the bytes a listener wrote back: an HTTP response, or HTTP/0.9 text. */
export function responseFrom(data: Buffer): HttpResponse {
  const text = data.toString('latin1');
  const m = /^HTTP\/\d(?:\.\d)? (\d{3})(?: ([^\r\n]*))?\r?\n/.exec(text);
  if (!m) return { status: 200, statusText: 'OK', headers: {}, body: data };
  const rest = text.slice(m[0].length);
  const end = /\r?\n\r?\n|^\r?\n/.exec(rest);
  const headerText = end ? rest.slice(0, end.index) : rest;
  const headers: Record<string, string> = {};
  for (const line of headerText.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  const bodyStart = end ? m[0].length + end.index + end[0].length : text.length;
  return { status: Number(m[1]), statusText: m[2] ?? '', headers, body: data.subarray(Buffer.byteLength(text.slice(0, bodyStart), 'latin1')) };
}

/** Plays a program to its end at once, with `input` as its stdin: nc -e's handler for one connection. */
function runNow(gen: Gen<number>, input: string): Buffer {
  const chunks: Buffer[] = [];
  let fed = false;
  let reply: StdinChunk | undefined;
  for (let steps = 0; steps < 100_000; steps++) {
    const r = gen.next(reply);
    reply = undefined;
    if (r.done) break;
    if (r.value.kind === 'stdout') chunks.push(Buffer.from(r.value.data));
    else if (r.value.kind === 'read') {
      reply = fed ? undefined : input;
      fed = true;
    } else if (r.value.kind === 'sleep' && r.value.ms === Infinity) {
      gen.return(0);
      break;
    }
  }
  return Buffer.concat(chunks);
}

/** Whether nc's arguments ask it to listen. */
export function ncListens(argv: string[]): boolean {
  return argv.slice(1).some((a) => /^-[a-zA-Z]*l/.test(a) && !a.startsWith('--'));
}

/**
 * nc -l: busybox takes the port with -p (`nc -l -p 8080`, `nc -lk -p 8080`, `-e PROG`); OpenBSD's
 * nc takes it as an operand (`nc -l 8080`). Each connection gets what nc read from its stdin (or
 * what -e's program writes), and nc prints what the client sent; without -k it then exits.
 */
export const ncListen: Program = function* (argv, sys) {
  const gnu = sys.toolset === 'gnu';
  let keep = false;
  let port: string | undefined;
  let execArgv: string[] | undefined;
  let verbose = false;
  const operands: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') {
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 'k') keep = true;
      else if (f === 'v') verbose = true;
      else if ('lnuz46'.includes(f)) continue;
      else if ('pweisq'.includes(f)) {
        const v = a.slice(j + 1) || argv[++i];
        if (v === undefined) return yield* fail(sys, gnu ? `option requires an argument -- '${f}'` : `option requires an argument: ${f}`);
        if (f === 'p') port = v;
        if (f === 'e') execArgv = [v, ...argv.slice(i + 1)];
        if (f === 'e') i = argv.length;
        break;
      } else return yield* fail(sys, gnu ? `invalid option -- '${f}'` : `unrecognized option: ${f}`);
    }
  }
  // OpenBSD's nc: the port is the last operand. busybox treats operands as the peer allowed to connect.
  if (port === undefined && gnu) port = operands[operands.length - 1];
  if (port !== undefined && !/^\d+$/.test(port)) return yield* fail(sys, gnu ? `port number invalid: ${port}` : `invalid port '${port}'`);
  const number = port === undefined ? 0 : Number(port);
  if (number > 65535) return yield* fail(sys, gnu ? `port number too large: ${port}` : `invalid port '${port}'`);
  // Without a port busybox listens on one the kernel picks, which nobody knows to reach.
  if (number === 0) {
    if (verbose) yield* err('listening on [::]:39141 ...\n');
    yield* serveUntil(() => false);
    return 0;
  }
  let served = 0;
  let close: (() => void) | undefined;
  // What nc sends back: its stdin, read once it listens (a job left in the background has none yet).
  let reply: Buffer | undefined;
  const listener: Listener = {
    http(req) {
      served++;
      if (!keep) close?.();
      const data = execArgv ? runNow(sys.exec(execArgv), rawRequest(req)) : reply ?? Buffer.alloc(0);
      return responseFrom(data);
    },
    log: (req) => ({ stream: 'stdout', text: rawRequest(req).replace(/\n$/, '') }),
  };
  const opened = sys.ctx.listen?.(number, listener);
  if (opened === 'in-use') return yield* fail(sys, gnu ? 'Address already in use' : 'bind: Address in use');
  close = opened;
  if (verbose) yield* err(gnu ? `Listening on 0.0.0.0 ${number}\n` : `listening on [::]:${number} ...\n`);
  try {
    if (!execArgv) reply = yield* readAll();
    yield* serveUntil(() => !keep && served > 0);
  } finally {
    close?.();
  }
  return 0;
};

// ------------------------------------------------------------ python -m http.server

const PY_MIME: Record<string, string> = { html: 'text/html', htm: 'text/html', txt: 'text/plain', css: 'text/css', js: 'text/javascript', json: 'application/json', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', svg: 'image/svg+xml', xml: 'application/xml', yaml: 'application/yaml', yml: 'application/yaml', sh: 'application/x-sh', gz: 'application/gzip', tar: 'application/x-tar', py: 'text/x-python', md: 'text/markdown' };

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function pyError(status: number, message: string, explain: string): string {
  return `<!DOCTYPE HTML>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: ${status}</p>\n        <p>Message: ${message}.</p>\n        <p>Error code explanation: ${status} - ${explain}.</p>\n    </body>\n</html>\n`;
}

/** What SimpleHTTPRequestHandler answers for one request under `root`, and the message it logs for an error. */
export function simpleHttp(sys: Sys, root: string, req: HttpRequest, now: number): { res: HttpResponse; error?: string } {
  const server = `SimpleHTTP/0.6 Python/${sys.ctx.image.version}`;
  const date = new Date(now).toUTCString();
  // send_error puts its message in the status line too: `404 File not found`.
  const error = (status: number, statusText: string, message: string, explain: string) => {
    const body = pyError(status, message, explain);
    return { res: { status, statusText, headers: { Server: server, Date: date, Connection: 'close', 'Content-Type': 'text/html;charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) }, body: req.method === 'HEAD' ? '' : body }, error: `code ${status}, message ${message}` };
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return error(501, 'Unsupported method', `Unsupported method ('${req.method}')`, 'Server does not support this operation');
  const urlPath = (req.path || '/').split(/[?#]/)[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    decoded = urlPath;
  }
  const path = absPath(root, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  const fs = sys.fs;
  let node;
  try {
    node = fs.stat(path, sys.user);
  } catch {
    return error(404, 'File not found', 'File not found', 'Nothing matches the given URI');
  }
  try {
    if (node.type === 'dir') {
      if (!urlPath.endsWith('/')) return { res: { status: 301, statusText: 'Moved Permanently', headers: { Server: server, Date: date, Location: `${urlPath}/`, 'Content-Length': '0' }, body: '' } };
      for (const index of ['index.html', 'index.htm']) {
        const p = `${path.replace(/\/$/, '')}/${index}`;
        if (fs.exists(p, sys.user) && fs.stat(p, sys.user).type === 'file') return fileReply(sys, p, server, date, req);
      }
      const names = fs.readdir(path, sys.user).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
      const title = `Directory listing for ${escapeHtml(decoded)}`;
      const items = names.map((name) => {
        const full = `${path.replace(/\/$/, '')}/${name}`;
        let shown = name;
        let link = name;
        const l = fs.lstat(full, sys.user);
        if (l.type === 'dir') {
          shown = `${name}/`;
          link = `${name}/`;
        } else if (l.type === 'symlink') shown = `${name}@`;
        return `<li><a href="${encodeURI(link).replace(/[?#]/g, encodeURIComponent)}">${escapeHtml(shown)}</a></li>`;
      });
      const body = [`<!DOCTYPE HTML>`, `<html lang="en">`, `<head>`, `<meta charset="utf-8">`, `<title>${title}</title>\n</head>`, `<body>\n<h1>${title}</h1>`, `<hr>\n<ul>`, ...items, `</ul>\n<hr>\n</body>\n</html>\n`].join('\n');
      return { res: { status: 200, statusText: 'OK', headers: { Server: server, Date: date, 'Content-type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) }, body: req.method === 'HEAD' ? '' : body } };
    }
    return fileReply(sys, path, server, date, req);
  } catch {
    return error(404, 'File not found', 'File not found', 'Nothing matches the given URI');
  }
}

function fileReply(sys: Sys, path: string, server: string, date: string, req: HttpRequest): { res: HttpResponse } {
  const node = sys.fs.stat(path, sys.user);
  const body = sys.fs.readFile(path, sys.user);
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const type = Object.hasOwn(PY_MIME, ext) && path.includes('.') ? PY_MIME[ext] : 'application/octet-stream';
  return {
    res: {
      status: 200,
      statusText: 'OK',
      headers: { Server: server, Date: date, 'Content-type': type, 'Content-Length': String(body.length), 'Last-Modified': new Date(node.mtime).toUTCString() },
      body: req.method === 'HEAD' ? '' : body,
    },
  };
}

/** python -m http.server [PORT] [-b ADDR] [-d DIR]: serves a directory until stopped. */
function* httpServer(args: string[], sys: Sys, unbuffered: boolean): Gen<number> {
  let port = 8000;
  let bind: string | undefined;
  let dir = sys.cwd;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i]);
    if (a === '-b' || a.startsWith('--bind')) bind = value();
    else if (a === '-d' || a.startsWith('--directory')) dir = absPath(sys.cwd, value() ?? '.');
    else if (a === '--cgi' || a === '--protocol' || a.startsWith('--protocol=')) {
      if (a === '--protocol') i++;
    } else if (/^\d+$/.test(a)) port = Number(a);
    else {
      yield* err(`usage: python -m http.server [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [port]\npython -m http.server: error: argument port: invalid int value: '${a}'\n`);
      return 2;
    }
  }
  // Bound to loopback the server is out of reach of other pods, probes and Services.
  const loopback = bind === '127.0.0.1' || bind === 'localhost' || bind === '::1';
  const host = bind ?? '::';
  const url = host.includes(':') ? `[${host}]` : host;
  const listener: Listener = {
    http: (req, at) => simpleHttp(sys, dir, req, at).res,
    log(req, res, clientIP, at) {
      const when = strftime('%d/%b/%Y %H:%M:%S', at);
      const line = `${clientIP} - - [${when}] "${req.method} ${req.path || '/'} HTTP/1.1" ${res.status} -`;
      const message = res.status >= 400 ? simpleHttp(sys, dir, req, at).error : undefined;
      return { stream: 'stderr', text: message ? `${clientIP} - - [${when}] ${message}\n${line}` : line };
    },
  };
  const close = loopback ? undefined : sys.ctx.listen?.(port, listener);
  if (close === 'in-use') {
    yield* err(`Traceback (most recent call last):\n  File "<frozen runpy>", line 198, in _run_module_as_main\n  File "<frozen runpy>", line 88, in _run_code\n  File "/usr/local/lib/python${sys.ctx.image.version.split('.').slice(0, 2).join('.')}/http/server.py", line 1314, in <module>\n    test(\nOSError: [Errno 98] Address already in use\n`);
    return 1;
  }
  // Python buffers stdout that is not a terminal: the banner shows only when unbuffered.
  if (unbuffered || sys.ctx.tty) yield* out(`Serving HTTP on ${host} port ${port} (http://${url}:${port}/) ...\n`);
  try {
    yield* serveUntil(() => false);
  } finally {
    close?.();
  }
  return 0;
}

/** python / python3: the version, and the modules scenarios run with -m. */
export const pythonProgram: Program = function* (argv, sys) {
  const args = argv.slice(1);
  let unbuffered = !!sys.env.PYTHONUNBUFFERED;
  while (args.length && /^-[uBOsSEIq]+$/.test(args[0])) {
    if (args[0].includes('u')) unbuffered = true;
    args.shift();
  }
  if (args[0] === '-V' || args[0] === '--version') {
    yield* out(`Python ${sys.ctx.image.version}\n`);
    return 0;
  }
  if (args[0] === '-m') {
    const module = args[1];
    if (module === 'http.server') return yield* httpServer(args.slice(2), sys, unbuffered);
    yield* err(`${sys.ctx.image.version.startsWith('2') ? '' : `/usr/local/bin/${sys.name}: `}No module named ${module}\n`);
    return 1;
  }
  if (!args.length) {
    // The interactive interpreter on a terminal; without one it reads the empty stdin and ends.
    yield* readAll();
    return 0;
  }
  if (!args[0].startsWith('-')) {
    const file = absPath(sys.cwd, args[0]);
    if (!sys.fs.exists(file, sys.user)) {
      yield* err(`${sys.name}: can't open file '${file}': [Errno 2] No such file or directory\n`);
      return 2;
    }
  }
  // Other scripts are not run; they end at once, as they always have here.
  return 0;
};

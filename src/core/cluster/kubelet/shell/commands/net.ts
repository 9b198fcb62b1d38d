// The network tools learners use to poke at Services from inside a pod: nslookup, wget, curl,
// ping, nc. Names resolve as the pod's resolver does (/etc/hosts, then the search path of
// /etc/resolv.conf against the cluster DNS), and each tool words failures as the real one.
import { FsError } from '../fs.js';
import { err, out, sleep } from '../io.js';
import type { Gen } from '../io.js';
import { CLUSTER_DNS } from '../rootfs.js';
import type { DnsAnswer, HttpRequest, HttpResponse, NetFailure } from '../types.js';
import type { Program, Sys } from './types.js';
import { ncListen, ncListens } from './listen.js';
import { abs, fail } from './util.js';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * How long a connection to an address that never answers takes to fail without a client timeout:
 * Linux retransmits the SYN six times (tcp_syn_retries) and gives up after 127 seconds.
 */
const CONNECT_GIVES_UP_MS = 127_000;
/** How long getaddrinfo waits on a nameserver that never answers: glibc's 5 s a try, 2 tries. */
const RESOLVER_GIVES_UP_MS = 10_000;
/** busybox nslookup's own resolver: 5 s for all its tries. */
const BUSYBOX_NSLOOKUP_GIVES_UP_MS = 5_000;
/** BIND's nslookup: three tries of 5 s each, one complaint per try. */
const BIND_NSLOOKUP_TRY_MS = 5_000;

function resolvConf(sys: Sys): { search: string[]; ndots: number; nameserver: string } {
  let text = '';
  try {
    text = sys.fs.readFile('/etc/resolv.conf').toString();
  } catch {
    // no resolv.conf: no search path
  }
  const search = /^search\s+(.+)$/m.exec(text)?.[1].trim().split(/\s+/) ?? [];
  const ndots = Number(/ndots:(\d+)/.exec(text)?.[1] ?? 1);
  const nameserver = /^nameserver\s+(\S+)/m.exec(text)?.[1] ?? CLUSTER_DNS;
  return { search, ndots, nameserver };
}

/** The names a resolver asks DNS for, in order. */
export function candidates(name: string, search: string[], ndots: number): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = search.map((s) => `${name}.${s}`);
  return dots >= ndots ? [name, ...searched] : [...searched, name];
}

export function dnsLookup(sys: Sys, name: string): DnsAnswer | undefined {
  const rc = resolvConf(sys);
  for (const c of candidates(name, rc.search, rc.ndots)) {
    const a = sys.ctx.net.lookup(c);
    if (a && (a.addresses.length || a.cname)) return a;
  }
  return undefined;
}

function exactLookup(sys: Sys, name: string): DnsAnswer | undefined {
  const a = sys.ctx.net.lookup(name.replace(/\.$/, ''));
  return a && a.addresses.length ? a : undefined;
}

/** Whether queries to the nameserver are lost on the way (a NetworkPolicy dropping the pod's DNS). */
function dnsDropped(sys: Sys, nameserver: string = resolvConf(sys).nameserver): boolean {
  return sys.ctx.net.resolverAnswers?.(nameserver) === false;
}

function fromHostsFile(sys: Sys, host: string): string | undefined {
  try {
    for (const line of sys.fs.readFile('/etc/hosts').toString().split('\n')) {
      const f = line.replace(/#.*/, '').trim().split(/\s+/);
      if (f.length > 1 && IPV4.test(f[0]) && f.slice(1).includes(host)) return f[0];
    }
  } catch {
    // no /etc/hosts
  }
  return undefined;
}

/**
 * getaddrinfo: /etc/hosts first, then DNS. When the queries are dropped it waits for the resolver
 * to give up, or only `limitMs` when the client stops waiting first ('timeout').
 */
export function* resolveHost(sys: Sys, host: string, limitMs?: number): Gen<string | undefined | 'timeout'> {
  if (IPV4.test(host)) return host;
  const listed = fromHostsFile(sys, host);
  if (listed) return listed;
  if (dnsDropped(sys)) {
    if (limitMs !== undefined && limitMs < RESOLVER_GIVES_UP_MS) {
      yield* sleep(limitMs);
      return 'timeout';
    }
    yield* sleep(RESOLVER_GIVES_UP_MS);
    return undefined;
  }
  return dnsLookup(sys, host)?.addresses[0];
}

const nslookup: Program = function* (argv, sys) {
  const args = argv.slice(1).filter((a) => !a.startsWith('-'));
  const name = args[0];
  if (!name) return yield* fail(sys, 'usage: nslookup HOST [DNS_SERVER]');
  const rc = resolvConf(sys);
  const server = args[1] ?? rc.nameserver;
  const bind = sys.toolset === 'gnu';
  const oldBusybox = !bind && sys.ctx.image.repository.endsWith('/busybox') && /^1\.(2[0-8])(\.|$)/.test(sys.ctx.image.version);
  if (dnsDropped(sys, server)) return yield* nslookupTimedOut(sys, name, server, bind, oldBusybox);
  if (IPV4.test(name)) {
    // Reverse lookups: the cluster DNS answers for Service and pod addresses it knows; keep it simple.
    yield* out(bind ? `** server can't find ${name.split('.').reverse().join('.')}.in-addr.arpa: NXDOMAIN\n\n` : `Server:\t\t${server}\nAddress:\t${server}:53\n\n** server can't find ${name.split('.').reverse().join('.')}.in-addr.arpa: NXDOMAIN\n\n`);
    return 1;
  }
  // busybox 1.29 to 1.33 asked for the name exactly as typed, ignoring the search path: the reason
  // the DNS debugging docs pin busybox:1.28.
  const noSearch = !bind && sys.ctx.image.repository.endsWith('/busybox') && /^1\.(29|3[0-3])(\.|$)/.test(sys.ctx.image.version);
  const answer = noSearch ? exactLookup(sys, name) : dnsLookup(sys, name);
  if (noSearch) {
    let text = `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
    text += answer ? `Name:\t${answer.name}\nAddress: ${answer.addresses[0]}\n\n*** Can't find ${name}: No answer\n\n` : `** server can't find ${name}: NXDOMAIN\n\n*** Can't find ${name}: No answer\n\n`;
    yield* out(text);
    return answer ? 0 : 1;
  }
  if (oldBusybox) {
    let text = `Server:    ${server}\nAddress 1: ${server} kube-dns.kube-system.svc.cluster.local\n\n`;
    if (!answer) {
      yield* out(text);
      yield* err(`nslookup: can't resolve '${name}'\n`);
      return 1;
    }
    text += `Name:      ${name}\n${answer.addresses.map((a, i) => `Address ${i + 1}: ${a} ${answer.name}`).join('\n')}\n`;
    yield* out(text);
    return 0;
  }
  let text = bind ? `Server:\t\t${server}\nAddress:\t${server}#53\n\n` : `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
  if (!answer) {
    text += `** server can't find ${name}: NXDOMAIN\n\n`;
    yield* out(text);
    return 1;
  }
  if (answer.cname) {
    // An ExternalName Service: the alias first, then the addresses of the name it points at.
    text += `${answer.name}\tcanonical name = ${answer.cname}${bind ? '.' : ''}\n`;
    text += answer.addresses.map((a) => `Name:\t${answer.cname}\nAddress: ${a}\n`).join('') + '\n';
    yield* out(text);
    return 0;
  }
  text += answer.addresses.map((a) => `Name:\t${answer.name}\nAddress: ${a}\n`).join('') + '\n';
  yield* out(text);
  return 0;
};

/** nslookup when its queries never come back, in each implementation's words. */
function* nslookupTimedOut(sys: Sys, name: string, server: string, bind: boolean, oldBusybox: boolean): Gen<number> {
  if (bind) {
    for (let i = 0; i < 3; i++) {
      yield* sleep(BIND_NSLOOKUP_TRY_MS);
      yield* out(`;; communications error to ${server}#53: timed out\n`);
    }
    yield* out(';; no servers could be reached\n\n');
    return 1;
  }
  if (oldBusybox) {
    // busybox 1.28 asks the C library, which cannot name the server either.
    yield* sleep(RESOLVER_GIVES_UP_MS);
    yield* out(`Server:    ${server}\nAddress 1: ${server}\n\n`);
    yield* err(`nslookup: can't resolve '${name}'\n`);
    return 1;
  }
  yield* sleep(BUSYBOX_NSLOOKUP_GIVES_UP_MS);
  yield* out(';; connection timed out; no servers could be reached\n\n');
  return 1;
}

interface Url {
  scheme: string;
  host: string;
  port: number;
  path: string;
}

function parseUrl(raw: string): Url | undefined {
  const m = /^(?:([a-z]+):\/\/)?([^/:?#]+)(?::(\d+))?([^#]*)?/i.exec(raw);
  if (!m) return undefined;
  const scheme = (m[1] ?? 'http').toLowerCase();
  return { scheme, host: m[2], port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80, path: m[4] || '/' };
}

function request(sys: Sys, url: Url, ip: string, method: string, headers: Record<string, string>, body?: string): HttpResponse | NetFailure {
  const req: HttpRequest = { method, url: `${url.scheme}://${url.host}${url.port === 80 ? '' : `:${url.port}`}${url.path}`, host: url.host, ip, port: url.port, path: url.path, headers: { Host: url.host, ...headers }, body };
  return sys.ctx.net.http(req);
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Not Allowed', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

const statusText = (r: HttpResponse) => r.statusText ?? STATUS_TEXT[r.status] ?? '';

const wget: Program = function* (argv, sys) {
  let quiet = false;
  let output: string | undefined;
  let spider = false;
  // busybox's -T bounds the connection; without it the kernel gives up first.
  let timeout: number | undefined;
  const headers: Record<string, string> = {};
  const urls: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-O') output = argv[++i];
    else if (a.startsWith('-O')) output = a.slice(2);
    else if (a.startsWith('--output-document=')) output = a.slice(18);
    else if (a === '-T') timeout = Number(argv[++i]);
    else if (a.startsWith('--timeout=')) timeout = Number(a.slice(10));
    else if (a === '--spider') spider = true;
    else if (a === '--header') {
      const [k, ...v] = (argv[++i] ?? '').split(':');
      headers[k.trim()] = v.join(':').trim();
    } else if (/^-[qOS]+/.test(a) && !a.startsWith('--')) {
      if (a.includes('q')) quiet = true;
      const o = a.indexOf('O');
      if (o > 0) output = a.slice(o + 1) || argv[++i];
    } else if (a === '--quiet') quiet = true;
    else if (!a.startsWith('-')) urls.push(a);
  }
  if (!urls.length) return yield* fail(sys, sys.toolset === 'gnu' ? "missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options." : 'missing URL');
  const gnu = sys.toolset === 'gnu';
  let url = parseUrl(urls[0]);
  if (!url) return yield* fail(sys, `bad address '${urls[0]}'`);
  for (let redirects = 0; ; redirects++) {
    const ip = yield* resolveHost(sys, url.host);
    if (!ip || ip === 'timeout') {
      yield* err(gnu ? `wget: unable to resolve host address '${url.host}'\n` : `wget: bad address '${url.host}'\n`);
      return gnu ? 4 : 1;
    }
    if (!quiet) yield* err(gnu ? `Connecting to ${url.host} (${url.host})|${ip}|:${url.port}... ` : `Connecting to ${url.host}${url.port !== 80 ? `:${url.port}` : ''} (${ip}:${url.port})\n`);
    // busybox says only "Wget"; GNU wget gives its version, as servers' access logs show.
    const res = request(sys, url, ip, spider ? 'HEAD' : 'GET', { 'User-Agent': gnu ? 'Wget/1.21.3' : 'Wget', ...headers });
    if ('error' in res) {
      if (res.error === 'timeout') {
        if (timeout !== undefined && timeout * 1000 < CONNECT_GIVES_UP_MS) {
          yield* sleep(timeout * 1000);
          yield* err(gnu ? 'failed: Connection timed out.\n' : 'wget: download timed out\n');
          return gnu ? 4 : 1;
        }
        yield* sleep(CONNECT_GIVES_UP_MS);
        yield* err(gnu ? 'failed: Connection timed out.\n' : `wget: can't connect to remote host (${ip}): Connection timed out\n`);
        return gnu ? 4 : 1;
      }
      const why = res.error === 'refused' ? 'Connection refused' : 'No route to host';
      yield* err(gnu ? `failed: ${why}.\n` : `wget: can't connect to remote host (${ip}): ${why}\n`);
      return gnu ? 4 : 1;
    }
    if (gnu && !quiet) yield* err(`connected.\nHTTP request sent, awaiting response... ${res.status} ${statusText(res)}\n`);
    const location = res.headers.Location ?? res.headers.location;
    if (res.status >= 300 && res.status < 400 && location && redirects < 20) {
      const next = parseUrl(location.startsWith('/') ? `${url.scheme}://${url.host}:${url.port}${location}` : location);
      if (next) {
        url = next;
        continue;
      }
    }
    if (res.status >= 400) {
      yield* err(gnu ? `${new Date(sys.now()).toISOString().slice(0, 19).replace('T', ' ')} ERROR ${res.status}: ${statusText(res)}.\n` : `wget: server returned error: HTTP/1.1 ${res.status} ${statusText(res)}\n`);
      return gnu ? 8 : 1;
    }
    if (spider) {
      if (!quiet) yield* err(gnu ? 'Remote file exists.\n' : 'remote file exists\n');
      return 0;
    }
    const body = typeof res.body === 'string' ? Buffer.from(res.body) : res.body;
    const toStdout = output === '-';
    const file = output ?? (url.path.replace(/[?#].*$/, '').split('/').pop() || 'index.html');
    if (!gnu && !quiet) yield* err(toStdout ? 'writing to stdout\n' : `saving to '${file}'\n`);
    if (toStdout) yield* out(body);
    else {
      try {
        if (!gnu && output === undefined && sys.fs.exists(abs(sys, file), sys.user)) return yield* fail(sys, `can't open '${file}': File exists`);
        sys.fs.writeFile(abs(sys, file), body, sys.user);
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        return yield* fail(sys, gnu ? `${file}: ${e.message}` : `can't open '${file}': ${e.message}`);
      }
    }
    if (!quiet) {
      if (gnu) yield* err(`Length: ${body.length} [${res.headers['Content-Type'] ?? res.headers['content-type'] ?? 'text/html'}]\nSaving to: '${toStdout ? 'STDOUT' : file}'\n\n${(toStdout ? '-' : file).padEnd(20).slice(0, 20)}100%[===================>]     ${body.length}  --.-KB/s    in 0s\n\n`);
      else yield* err(`${(toStdout ? '-' : file).padEnd(20).slice(0, 20)} 100% |********************************| ${String(body.length).padStart(5)}  0:00:00 ETA\n${toStdout ? 'written to stdout' : `'${file}' saved`}\n`);
    }
    return 0;
  }
};

const curl: Program = function* (argv, sys) {
  let silent = false;
  let showError = false;
  let verbose = false;
  let head = false;
  let include = false;
  let failOnError = false;
  let follow = false;
  let output: string | undefined;
  let writeOut: string | undefined;
  let maxTime: number | undefined;
  let connectTimeout: number | undefined;
  let method: string | undefined;
  let data: string | undefined;
  const headers: Record<string, string> = {};
  const urls: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? '';
    if (a === '-o' || a === '--output') output = value();
    else if (a === '-w' || a === '--write-out') writeOut = value();
    else if (a === '-m' || a === '--max-time') maxTime = Number(value());
    else if (a === '--connect-timeout') connectTimeout = Number(value());
    else if (a === '-X' || a === '--request') method = value();
    else if (a === '-H' || a === '--header') {
      const [k, ...v] = value().split(':');
      headers[k.trim()] = v.join(':').trim();
    } else if (a === '-d' || a === '--data' || a === '--data-raw') data = value();
    else if (a === '--silent') silent = true;
    else if (a === '--verbose') verbose = true;
    else if (a === '--head') head = true;
    else if (a === '--include') include = true;
    else if (a === '--fail') failOnError = true;
    else if (a === '--location') follow = true;
    else if (a === '--show-error') showError = true;
    else if (/^-[a-zA-Z]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === 's') silent = true;
        else if (f === 'S') showError = true;
        else if (f === 'v') verbose = true;
        else if (f === 'I') head = true;
        else if (f === 'i') include = true;
        else if (f === 'f') failOnError = true;
        else if (f === 'L') follow = true;
        else if (f === 'o') output = value();
        else if (f === 'm') maxTime = Number(value());
        else if (f === 'w') writeOut = value();
      }
    } else if (!a.startsWith('-')) urls.push(a);
  }
  const say = function* (code: number, message: string): Gen<number> {
    if (!silent || showError) yield* err(`curl: (${code}) ${message}\n`);
    return code;
  };
  if (!urls.length) {
    yield* err("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  let url = parseUrl(urls[0]);
  if (!url) return yield* say(3, 'URL using bad/illegal format or missing URL');
  const progress = !silent && !verbose && output === undefined ? !sys.ctx.tty : !silent && output !== undefined;
  for (let redirects = 0; ; redirects++) {
    // --connect-timeout and --max-time both bound name resolution too.
    const limit = connectTimeout ?? maxTime;
    const ip = yield* resolveHost(sys, url.host, limit === undefined ? undefined : limit * 1000);
    if (ip === 'timeout') return yield* say(28, `Resolving timed out after ${limit! * 1000 + 1} milliseconds`);
    if (!ip) return yield* say(6, `Could not resolve host: ${url.host}`);
    if (verbose) yield* err(`*   Trying ${ip}:${url.port}...\n`);
    const m = method ?? (head ? 'HEAD' : data !== undefined ? 'POST' : 'GET');
    const res = request(sys, url, ip, m, { 'User-Agent': 'curl/8.11.0', Accept: '*/*', ...headers }, data);
    if ('error' in res) {
      if (res.error === 'timeout') {
        if (limit !== undefined && limit * 1000 < CONNECT_GIVES_UP_MS) {
          yield* sleep(limit * 1000);
          return yield* say(28, `${connectTimeout !== undefined ? `Failed to connect to ${url.host} port ${url.port} after ${limit * 1000 + 1} ms: Timeout was reached` : `Connection timed out after ${limit * 1000 + 1} milliseconds`}`);
        }
        yield* sleep(CONNECT_GIVES_UP_MS);
        return yield* say(28, `Failed to connect to ${url.host} port ${url.port} after ${CONNECT_GIVES_UP_MS + 1} ms: Couldn't connect to server`);
      }
      return yield* say(7, `Failed to connect to ${url.host} port ${url.port} after 0 ms: ${res.error === 'refused' ? "Couldn't connect to server" : 'Could not connect to server'}`);
    }
    const reason = statusText(res);
    const headerText = `HTTP/1.1 ${res.status} ${reason}\r\n${Object.entries(res.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    if (verbose) {
      yield* err(`* Connected to ${url.host} (${ip}) port ${url.port}\n* using HTTP/1.x\n> ${m} ${url.path} HTTP/1.1\r\n> Host: ${url.host}${url.port === 80 ? '' : `:${url.port}`}\r\n> User-Agent: curl/8.11.0\r\n> Accept: */*\r\n>\r\n* Request completely sent off\n`);
      yield* err(headerText.split('\r\n').filter((_l, i, all) => i < all.length - 1).map((l) => `< ${l}\r\n`).join(''));
    }
    const location = res.headers.Location ?? res.headers.location;
    if (follow && res.status >= 300 && res.status < 400 && location && redirects < 50) {
      const next = parseUrl(location.startsWith('/') ? `${url.scheme}://${url.host}:${url.port}${location}` : location);
      if (next) {
        url = next;
        continue;
      }
    }
    if (failOnError && res.status >= 400) return yield* say(22, `The requested URL returned error: ${res.status}`);
    const body = head ? Buffer.alloc(0) : typeof res.body === 'string' ? Buffer.from(res.body) : res.body;
    const payload = Buffer.concat([head || include ? Buffer.from(headerText) : Buffer.alloc(0), body]);
    if (progress) {
      const n = String(body.length).padStart(5);
      yield* err(`  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\r100 ${n}  100 ${n}    0     0   ${String(Math.max(1, Math.round(body.length / 1.1))).padStart(4)}k      0 --:--:-- --:--:-- --:--:--  ${String(Math.max(1, Math.round(body.length / 1.1))).padStart(4)}k\n`);
    }
    if (output !== undefined && output !== '-') {
      try {
        sys.fs.writeFile(abs(sys, output), payload, sys.user);
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        return yield* say(23, `Failure writing output to destination, passed ${payload.length} returned 0`);
      }
    } else yield* out(payload);
    if (verbose) yield* err(`* Connection #0 to host ${url.host} left intact\n`);
    if (writeOut !== undefined) {
      yield* out(writeOut.replace(/%\{http_code\}|%\{response_code\}/g, String(res.status)).replace(/%\{size_download\}/g, String(body.length)).replace(/%\{remote_ip\}/g, ip).replace(/%\{time_total\}/g, '0.001234').replace(/\\n/g, '\n'));
    }
    return 0;
  }
};

const ping: Program = function* (argv, sys) {
  let count = Infinity;
  let deadline: number | undefined;
  let host: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-c') count = Number(argv[++i]);
    else if (a.startsWith('-c')) count = Number(a.slice(2));
    else if (a === '-w' || a === '-W') deadline = Number(argv[++i]);
    else if (!a.startsWith('-')) host = a;
  }
  if (!host) return yield* fail(sys, sys.toolset === 'gnu' ? 'usage error: Destination address required' : 'usage: ping HOST');
  const ip = yield* resolveHost(sys, host);
  if (!ip || ip === 'timeout') return yield* fail(sys, sys.toolset === 'gnu' ? `${host}: Name or service not known` : `bad address '${host}'`, sys.toolset === 'gnu' ? 2 : 1);
  const gnu = sys.toolset === 'gnu';
  yield* out(gnu ? `PING ${host} (${ip}) 56(84) bytes of data.\n` : `PING ${host} (${ip}): 56 data bytes\n`);
  const answers = sys.ctx.net.ping(ip);
  let sent = 0;
  let received = 0;
  const times: number[] = [];
  const limit = deadline !== undefined ? Math.min(count, deadline) : count;
  while (sent < limit) {
    const t = 0.05 + ((sent * 37) % 40) / 1000;
    if (answers) {
      times.push(t);
      received++;
      yield* out(gnu ? `64 bytes from ${ip}: icmp_seq=${sent + 1} ttl=63 time=${t.toFixed(3)} ms\n` : `64 bytes from ${ip}: seq=${sent} ttl=63 time=${t.toFixed(3)} ms\n`);
    }
    sent++;
    if (sent < limit) yield* sleep(1000);
    else if (!answers) yield* sleep(1000);
  }
  const loss = Math.round(((sent - received) / Math.max(1, sent)) * 100);
  let text = `\n--- ${host} ping statistics ---\n`;
  if (gnu) text += `${sent} packets transmitted, ${received} received, ${loss}% packet loss, time ${Math.max(0, sent - 1) * 1000}ms\n`;
  else text += `${sent} packets transmitted, ${received} packets received, ${loss}% packet loss\n`;
  if (times.length) {
    const min = Math.min(...times).toFixed(3);
    const max = Math.max(...times).toFixed(3);
    const avg = (times.reduce((a, b) => a + b, 0) / times.length).toFixed(3);
    text += gnu ? `rtt min/avg/max/mdev = ${min}/${avg}/${max}/0.010 ms\n` : `round-trip min/avg/max = ${min}/${avg}/${max} ms\n`;
  }
  yield* out(text);
  return received ? 0 : 1;
};

const nc: Program = function* (argv, sys) {
  if (ncListens(argv)) return yield* ncListen(argv, sys);
  let flags = '';
  let wait: number | undefined;
  const args: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') {
      args.push(a);
      continue;
    }
    // -w takes a number of seconds, given apart (-w 2), joined (-w2) or after other flags (-zw 2).
    const w = /^-([a-vx-zA-Z]*)w(\d*)$/.exec(a);
    if (w) {
      flags += w[1];
      wait = Number(w[2] || argv[++i]);
    } else flags += a.slice(1);
  }
  const [host, port] = args;
  if (!host || !port) return yield* fail(sys, 'usage: nc [OPTIONS] HOST PORT');
  const ip = yield* resolveHost(sys, host);
  if (!ip || ip === 'timeout') return yield* fail(sys, sys.toolset === 'gnu' ? `getaddrinfo for host "${host}" port ${port}: Name or service not known` : `bad address '${host}'`);
  const net = sys.ctx.net;
  let state: 'open' | NetFailure['error'];
  if (net.connect) state = net.connect(ip, Number(port));
  else {
    const r = net.http({ method: 'HEAD', url: `http://${host}:${port}/`, host, ip, port: Number(port), path: '/', headers: {} });
    state = 'error' in r ? r.error : 'open';
  }
  // -w bounds the connect; without it the kernel's retries run out first.
  if (state === 'timeout') yield* sleep(wait !== undefined && Number.isFinite(wait) && wait * 1000 < CONNECT_GIVES_UP_MS ? wait * 1000 : CONNECT_GIVES_UP_MS);
  if (flags.includes('v')) yield* err(state === 'open' ? `${host} (${ip}:${port}) open\n` : `nc: ${host} (${ip}:${port}): ${state === 'refused' ? 'Connection refused' : 'Operation timed out'}\n`);
  else if (state !== 'open' && !flags.includes('z')) yield* err(`nc: can't connect to remote host (${ip}): ${state === 'refused' ? 'Connection refused' : 'Operation timed out'}\n`);
  return state === 'open' ? 0 : 1;
};

export const netPrograms: Record<string, Program> = { nslookup, wget, curl, ping, nc };

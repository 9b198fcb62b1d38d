// nginx's configuration as nginx reads it: /etc/nginx/nginx.conf and what it includes (a ConfigMap
// mounted at conf.d/default.conf), parsed and checked with nginx's own [emerg] messages, then
// turned into the servers, their ports and locations that servers-nginx.ts answers with. Known
// directives that change nothing here are accepted where nginx allows them.
import type { ContainerFs } from './shell/fs.js';
import type { ProcessContext } from './shell/types.js';
import { own } from '../own.js';

export interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
  file: string;
  line: number;
}

export class Emerg extends Error {}

const MAIN_CONF = '/etc/nginx/nginx.conf';

// ------------------------------------------------------------ reading the files

/** nginx keeps a backslash except before a quote, a backslash, t, r or n (so regexes keep theirs). */
function unescape(c: string): string {
  if (c === '"' || c === "'" || c === '\\') return c;
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : `\\${c}`;
}

/** Splits a config file into directives, or throws nginx's [emerg] for what it cannot parse. */
export function parseConf(text: string, file: string): Directive[] {
  let i = 0;
  let line = 1;
  const where = () => `in ${file}:${line}`;
  const word = (): { text: string; kind: 'word' | ';' | '{' | '}' } | undefined => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i])) if (text[i++] === '\n') line++;
      if (text[i] === '#') {
        while (i < text.length && text[i] !== '\n') i++;
        continue;
      }
      break;
    }
    if (i >= text.length) return undefined;
    const c = text[i];
    if (c === ';' || c === '{' || c === '}') {
      i++;
      return { text: c, kind: c };
    }
    if (c === '"' || c === "'") {
      let s = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) s += unescape(text[++i]);
        else {
          if (text[i] === '\n') line++;
          s += text[i];
        }
        i++;
      }
      if (i >= text.length) throw new Emerg(`unexpected end of file, expecting ";" or "}" ${where()}`);
      i++;
      return { text: s, kind: 'word' };
    }
    let s = '';
    while (i < text.length && !/[\s;{}]/.test(text[i])) {
      if (text[i] === '\\' && i + 1 < text.length) s += unescape(text[++i]);
      else s += text[i];
      i++;
    }
    return { text: s, kind: 'word' };
  };
  const block = (depth: number): Directive[] => {
    const list: Directive[] = [];
    let words: string[] = [];
    let startLine = line;
    for (;;) {
      const t = word();
      if (!t) {
        if (words.length) throw new Emerg(`unexpected end of file, expecting ";" or "}" ${where()}`);
        if (depth > 0) throw new Emerg(`unexpected end of file, expecting "}" ${where()}`);
        return list;
      }
      if (t.kind === 'word') {
        if (!words.length) startLine = line;
        words.push(t.text);
        continue;
      }
      if (t.kind === '}') {
        if (words.length) throw new Emerg(`unexpected "}" ${where()}`);
        if (depth === 0) throw new Emerg(`unexpected "}" ${where()}`);
        return list;
      }
      if (!words.length) throw new Emerg(`unexpected "${t.text}" ${where()}`);
      const d: Directive = { name: words[0], args: words.slice(1), file, line: startLine };
      if (t.kind === '{') d.block = block(depth + 1);
      list.push(d);
      words = [];
    }
  };
  return block(0);
}

/** The files an include names, in the order nginx reads them (a glob matches in name order). */
function includeFiles(fs: ContainerFs, pattern: string): string[] {
  const slash = pattern.lastIndexOf('/');
  const dir = slash > 0 ? pattern.slice(0, slash) : '/';
  const name = pattern.slice(slash + 1);
  if (!/[*?[]/.test(name)) return [pattern];
  const re = new RegExp(`^${name.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  try {
    return fs.readdir(dir).filter((n) => re.test(n)).sort().map((n) => `${dir}/${n}`);
  } catch {
    return [];
  }
}

function readConf(fs: ContainerFs, path: string, from?: Directive): Directive[] {
  let text: string;
  try {
    const node = fs.stat(path);
    if (node.type === 'dir') throw new Error('dir');
    text = fs.readFile(path).toString();
  } catch {
    throw new Emerg(`open() "${path}" failed (2: No such file or directory)${from ? ` in ${from.file}:${from.line}` : ''}`);
  }
  return expand(fs, parseConf(text, path));
}

function expand(fs: ContainerFs, list: Directive[]): Directive[] {
  const out: Directive[] = [];
  for (const d of list) {
    if (d.name === 'include') {
      if (d.args.length !== 1) throw new Emerg(`invalid number of arguments in "include" directive in ${d.file}:${d.line}`);
      for (const f of includeFiles(fs, d.args[0].startsWith('/') ? d.args[0] : `/etc/nginx/${d.args[0]}`)) out.push(...readConf(fs, f, d));
      continue;
    }
    out.push(d.block ? { ...d, block: d.name === 'types' ? d.block : expand(fs, d.block) } : d);
  }
  return out;
}

// ------------------------------------------------------------ where each directive may stand

type Context = 'main' | 'events' | 'http' | 'server' | 'location' | 'upstream' | 'if' | 'types' | 'map' | 'limit_except';

const ANY_HTTP: Context[] = ['http', 'server', 'location'];
const WHERE: Record<string, Context[]> = {
  user: ['main'], worker_processes: ['main'], pid: ['main'], daemon: ['main'], worker_rlimit_nofile: ['main'], load_module: ['main'], events: ['main'], http: ['main'], stream: ['main'], env: ['main'], master_process: ['main'],
  error_log: ['main', 'http', 'server', 'location'],
  worker_connections: ['events'], use: ['events'], multi_accept: ['events'],
  server: ['http', 'upstream'], upstream: ['http'], types: ANY_HTTP, map: ['http'], log_format: ['http'], server_names_hash_bucket_size: ['http'], resolver: ANY_HTTP, resolver_timeout: ANY_HTTP,
  listen: ['server'], server_name: ['server'], location: ['server', 'location'],
  root: [...ANY_HTTP, 'if'], alias: ['location'], index: ANY_HTTP, return: ['server', 'location', 'if'], rewrite: ['server', 'location', 'if'], try_files: ['server', 'location'], set: ['server', 'location', 'if'], if: ['server', 'location'],
  proxy_pass: ['location', 'if', 'limit_except'], proxy_set_header: ANY_HTTP, proxy_http_version: ANY_HTTP, proxy_redirect: ANY_HTTP, proxy_read_timeout: ANY_HTTP, proxy_connect_timeout: ANY_HTTP, proxy_send_timeout: ANY_HTTP, proxy_buffering: ANY_HTTP, proxy_cache: ANY_HTTP, proxy_hide_header: ANY_HTTP, proxy_pass_header: ANY_HTTP,
  fastcgi_pass: ['location', 'if'], fastcgi_param: ANY_HTTP, fastcgi_index: ANY_HTTP, grpc_pass: ['location', 'if'],
  add_header: [...ANY_HTTP, 'if'], expires: [...ANY_HTTP, 'if'], default_type: ANY_HTTP, autoindex: ANY_HTTP, error_page: [...ANY_HTTP, 'if'], access_log: [...ANY_HTTP, 'if', 'limit_except'], sendfile: [...ANY_HTTP, 'if'], tcp_nopush: ANY_HTTP, tcp_nodelay: ANY_HTTP,
  keepalive_timeout: ANY_HTTP, keepalive: ['upstream'], least_conn: ['upstream'], ip_hash: ['upstream'], client_max_body_size: ANY_HTTP, client_body_buffer_size: ANY_HTTP, server_tokens: ANY_HTTP, charset: [...ANY_HTTP, 'if'], etag: ANY_HTTP,
  gzip: [...ANY_HTTP, 'if'], gzip_types: ANY_HTTP, gzip_min_length: ANY_HTTP, gzip_comp_level: ANY_HTTP, gzip_vary: ANY_HTTP, gzip_proxied: ANY_HTTP, gzip_disable: ANY_HTTP,
  allow: [...ANY_HTTP, 'limit_except'], deny: [...ANY_HTTP, 'limit_except'], auth_basic: [...ANY_HTTP, 'limit_except'], auth_basic_user_file: [...ANY_HTTP, 'limit_except'], limit_except: ['location'], internal: ['location'],
  ssl_certificate: ['http', 'server'], ssl_certificate_key: ['http', 'server'], ssl_protocols: ['http', 'server'], ssl_ciphers: ['http', 'server'], ssl_session_cache: ['http', 'server'], ssl_session_timeout: ['http', 'server'], ssl_prefer_server_ciphers: ['http', 'server'],
  real_ip_header: ANY_HTTP, set_real_ip_from: ANY_HTTP, stub_status: ['server', 'location'], absolute_redirect: ANY_HTTP, port_in_redirect: ANY_HTTP, server_name_in_redirect: ANY_HTTP, log_not_found: ANY_HTTP, open_file_cache: ANY_HTTP, types_hash_max_size: ANY_HTTP,
  sub_filter: ANY_HTTP, sub_filter_once: ANY_HTTP, underscores_in_headers: ['http', 'server'], large_client_header_buffers: ['http', 'server'], client_header_timeout: ['http', 'server'], client_body_timeout: ANY_HTTP, send_timeout: ANY_HTTP, reset_timedout_connection: ANY_HTTP,
};

function check(list: Directive[], ctx: Context): void {
  for (const d of list) {
    if (ctx === 'types' || ctx === 'map') continue;
    const allowed = own<Context[]>(WHERE, d.name);
    if (!allowed && ctx === 'upstream') continue;
    if (!allowed) throw new Emerg(`unknown directive "${d.name}" in ${d.file}:${d.line}`);
    if (!allowed.includes(ctx)) throw new Emerg(`"${d.name}" directive is not allowed here in ${d.file}:${d.line}`);
    const blocky = ['events', 'http', 'server', 'location', 'upstream', 'if', 'types', 'map', 'limit_except', 'stream'].includes(d.name) && !(d.name === 'server' && ctx === 'upstream');
    if (blocky && !d.block) throw new Emerg(`directive "${d.name}" has no opening "{" in ${d.file}:${d.line}`);
    if (!blocky && d.block) throw new Emerg(`directive "${d.name}" is not terminated by ";" in ${d.file}:${d.line}`);
    if (d.block) check(d.block, (d.name === 'stream' ? 'main' : d.name) as Context);
  }
}

// ------------------------------------------------------------ what the config means

interface Settings {
  root: string;
  index: string[];
  defaultType: string;
  autoindex: boolean;
  addHeaders: Array<[string, string]>;
  errorPages: Map<number, string>;
}

export interface Location {
  modifier: '' | '=' | '~' | '~*' | '^~';
  path: string;
  re?: RegExp;
  settings: Settings;
  alias?: string;
  ret?: { code: number; text?: string };
  proxy?: { url: URL; raw: string };
  tryFiles?: string[];
}

export interface Server {
  ports: Array<{ port: number; defaultServer: boolean }>;
  names: string[];
  settings: Settings;
  ret?: { code: number; text?: string };
  tryFiles?: string[];
  locations: Location[];
}

export interface NginxConfig {
  servers: Server[];
  upstreams: Map<string, string[]>;
}

function settingsFrom(list: Directive[], base: Settings): Settings {
  const s: Settings = { ...base, addHeaders: base.addHeaders, errorPages: new Map(base.errorPages) };
  let ownHeaders: Array<[string, string]> | undefined;
  for (const d of list) {
    if (d.name === 'root') s.root = d.args[0] ?? s.root;
    else if (d.name === 'index') s.index = d.args;
    else if (d.name === 'default_type') s.defaultType = d.args[0] ?? s.defaultType;
    else if (d.name === 'autoindex') s.autoindex = d.args[0] === 'on';
    else if (d.name === 'add_header' && d.args.length >= 2) (ownHeaders ??= []).push([d.args[0], d.args[1]]);
    else if (d.name === 'error_page' && d.args.length >= 2) for (const code of d.args.slice(0, -1)) if (/^\d+$/.test(code)) s.errorPages.set(Number(code), d.args[d.args.length - 1]);
  }
  // add_header at a level replaces (does not add to) what an outer level set, as in nginx.
  if (ownHeaders) s.addHeaders = ownHeaders;
  return s;
}

function returnOf(d: Directive): { code: number; text?: string } {
  if (d.args.length < 1 || d.args.length > 2) throw new Emerg(`invalid number of arguments in "return" directive in ${d.file}:${d.line}`);
  if (/^\d+$/.test(d.args[0])) {
    const code = Number(d.args[0]);
    if (code > 999) throw new Emerg(`invalid return code "${d.args[0]}" in ${d.file}:${d.line}`);
    return { code, text: d.args[1] };
  }
  if (/^(https?:\/\/|\$scheme)/.test(d.args[0])) return { code: 302, text: d.args[0] };
  throw new Emerg(`invalid return code "${d.args[0]}" in ${d.file}:${d.line}`);
}

function locationOf(d: Directive, base: Settings): Location {
  const [a, b] = d.args;
  const modifier = (b !== undefined ? a : '') as Location['modifier'];
  const path = b !== undefined ? b : a;
  if (path === undefined || !['', '=', '~', '~*', '^~'].includes(modifier)) throw new Emerg(`invalid location modifier "${a}" in ${d.file}:${d.line}`);
  const block = d.block ?? [];
  const loc: Location = { modifier, path, settings: settingsFrom(block, base) };
  if (modifier === '~' || modifier === '~*') {
    try {
      loc.re = new RegExp(path, modifier === '~*' ? 'i' : '');
    } catch {
      throw new Emerg(`pcre2_compile() failed: bad regular expression in "${path}" in ${d.file}:${d.line}`);
    }
  }
  for (const x of block) {
    if (x.name === 'alias') loc.alias = x.args[0];
    else if (x.name === 'return') loc.ret = returnOf(x);
    else if (x.name === 'try_files') loc.tryFiles = x.args;
    else if (x.name === 'proxy_pass') {
      if (x.args.length !== 1) throw new Emerg(`invalid number of arguments in "proxy_pass" directive in ${x.file}:${x.line}`);
      let url: URL;
      try {
        url = new URL(x.args[0]);
      } catch {
        throw new Emerg(`invalid URL prefix in ${x.file}:${x.line}`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Emerg(`invalid URL prefix in ${x.file}:${x.line}`);
      loc.proxy = { url, raw: x.args[0] };
    }
  }
  return loc;
}

function listenOf(d: Directive): { port: number; defaultServer: boolean } {
  const spec = d.args[0];
  if (spec === undefined) throw new Emerg(`invalid number of arguments in "listen" directive in ${d.file}:${d.line}`);
  const m = /^(?:(?:\[[^\]]*\]|[^:[\]]+):)?(\d+)$/.exec(spec) ?? /^([^:]+)$/.exec(spec);
  let port = m && /^\d+$/.test(m[1]) ? Number(m[1]) : 80;
  if (!m) throw new Emerg(`host not found in "${spec}" of the "listen" directive in ${d.file}:${d.line}`);
  if (!/^\d+$/.test(m[1])) port = 80;
  if (port < 1 || port > 65535) throw new Emerg(`invalid port in "${spec}" of the "listen" directive in ${d.file}:${d.line}`);
  const known = ['default_server', 'default', 'ssl', 'http2', 'reuseport', 'ipv6only=on', 'ipv6only=off', 'proxy_protocol', 'deferred', 'bind'];
  for (const p of d.args.slice(1)) if (!known.includes(p) && !/^(backlog|rcvbuf|sndbuf)=/.test(p)) throw new Emerg(`invalid parameter "${p}" in ${d.file}:${d.line}`);
  return { port, defaultServer: d.args.includes('default_server') || d.args.includes('default') };
}

/** The whole configuration from the main file, checked as nginx checks it at start. */
/** `net` is asked for only when an upstream must be resolved (making a pod's network costs). */
export function loadConfig(fs: ContainerFs, net?: () => ProcessContext['net'], namespace = 'default'): NginxConfig {
  const main = readConf(fs, MAIN_CONF);
  check(main, 'main');
  const http = main.filter((d) => d.name === 'http');
  if (http.length > 1) throw new Emerg(`"http" directive is duplicate in ${http[1].file}:${http[1].line}`);
  const base: Settings = { root: 'html', index: ['index.html'], defaultType: 'text/plain', autoindex: false, addHeaders: [], errorPages: new Map() };
  const httpBlock = http[0]?.block ?? [];
  const httpSettings = settingsFrom(httpBlock, base);
  const upstreams = new Map<string, string[]>();
  for (const u of httpBlock.filter((d) => d.name === 'upstream')) upstreams.set(u.args[0] ?? '', (u.block ?? []).filter((d) => d.name === 'server').map((d) => d.args[0] ?? ''));
  const servers: Server[] = [];
  const names = new Map<string, Directive>();
  for (const d of httpBlock.filter((x) => x.name === 'server')) {
    const block = d.block ?? [];
    const settings = settingsFrom(block, httpSettings);
    const server: Server = { ports: [], names: [], settings, locations: [] };
    for (const x of block) {
      if (x.name === 'listen') server.ports.push(listenOf(x));
      else if (x.name === 'server_name') server.names.push(...x.args);
      else if (x.name === 'return') server.ret = returnOf(x);
      else if (x.name === 'try_files') server.tryFiles = x.args;
      else if (x.name === 'location') server.locations.push(locationOf(x, settings));
    }
    // nginx run as root listens on 80 when a server names no port.
    if (!server.ports.length) server.ports.push({ port: 80, defaultServer: false });
    for (const l of server.locations) {
      const key = `${l.modifier}${l.path}`;
      const dup = names.get(`${servers.length}:${key}`);
      if (dup) throw new Emerg(`duplicate location "${l.path}" in ${dup.file}:${dup.line}`);
      names.set(`${servers.length}:${key}`, d);
    }
    for (const { port, defaultServer } of server.ports) {
      if (!defaultServer) continue;
      const other = servers.find((s) => s.ports.some((p) => p.port === port && p.defaultServer));
      if (other) throw new Emerg(`a duplicate default server for 0.0.0.0:${port} in ${d.file}:${d.line}`);
    }
    servers.push(server);
  }
  // Upstream host names are resolved once, at start, as nginx does.
  for (const s of servers) {
    for (const l of s.locations) {
      if (!l.proxy) continue;
      const host = l.proxy.url.hostname;
      if (upstreams.has(host)) continue;
      if (!resolve(host, net?.(), namespace)) {
        const d = locationDirective(httpBlock, l);
        throw new Emerg(`host not found in upstream "${l.proxy.url.host}"${d ? ` in ${d.file}:${d.line}` : ''}`);
      }
    }
  }
  return { servers, upstreams };
}

function locationDirective(http: Directive[], l: Location): Directive | undefined {
  for (const s of http.filter((d) => d.name === 'server')) for (const d of s.block ?? []) if (d.name === 'location' && d.args[d.args.length - 1] === l.path) return (d.block ?? []).find((x) => x.name === 'proxy_pass');
  return undefined;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** A name as the container's resolver finds it: as given, then along the pod's search path. */
function resolve(host: string, net: ProcessContext['net'] | undefined, namespace: string): string | undefined {
  if (IPV4.test(host)) return host;
  if (host === 'localhost') return '127.0.0.1';
  if (!net) return undefined;
  const names = host.endsWith('.') ? [host.slice(0, -1)] : [`${host}.${namespace}.svc.cluster.local`, `${host}.svc.cluster.local`, `${host}.cluster.local`, host];
  for (const n of names) {
    const a = net.lookup(n);
    if (a?.addresses.length) return a.addresses[0];
  }
  return undefined;
}

/** Every port the servers listen on. */
export function portsOf(config: NginxConfig): number[] {
  return [...new Set(config.servers.flatMap((s) => s.ports.map((p) => p.port)))];
}

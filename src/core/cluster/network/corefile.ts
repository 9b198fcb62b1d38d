// A Corefile read as CoreDNS reads it: server blocks for zones, and in each the plugins that shape
// an answer (rewrite, hosts, kubernetes, forward, reload). Other plugins are known and accepted;
// an unknown one, a brace left open or a plugin without the arguments it needs is an error in
// CoreDNS's words, which keeps the last good configuration loaded. Pure: text in, config out.

/** A `rewrite name` rule: how a query's name is changed before the other plugins see it. */
export interface RewriteRule {
  match: 'exact' | 'prefix' | 'suffix' | 'substring' | 'regex';
  from: string;
  to: string;
}

export interface HostsPlugin {
  /** Names (fully qualified, lower case, no trailing dot) and their addresses. */
  entries: Map<string, string[]>;
  /** Zones whose names not listed go on to the next plugin; without it they fail here. */
  fallthrough?: string[];
}

export interface KubernetesPlugin {
  /** The zones it answers for: cluster.local and any others listed on its line. */
  zones: string[];
  fallthrough?: string[];
}

export interface ServerBlock {
  /** The zones the block serves, lower case, no trailing dot ('' for the root). */
  zones: string[];
  rewrites: RewriteRule[];
  hosts?: HostsPlugin;
  kubernetes?: KubernetesPlugin;
  /** Where names no other plugin answered go (`forward . /etc/resolv.conf`): the upstream resolvers. */
  forward?: { from: string; to: string[] };
  /** How often the reload plugin looks for a changed Corefile, if it is on. */
  reloadMs?: number;
}

export interface DnsConfig {
  blocks: ServerBlock[];
}

export type ParsedCorefile = { ok: true; config: DnsConfig } | { ok: false; error: string };

/** The plugins CoreDNS is built with (plugin.cfg): any other directive is unknown to it. */
const PLUGINS = new Set([
  'root', 'metadata', 'geoip', 'cancel', 'tls', 'timeouts', 'multisocket', 'reload', 'nsid', 'bufsize', 'bind', 'debug', 'trace', 'ready',
  'health', 'pprof', 'prometheus', 'errors', 'log', 'dnstap', 'local', 'dns64', 'acl', 'any', 'chaos', 'loadbalance', 'tsig', 'cache',
  'rewrite', 'header', 'dnssec', 'autopath', 'minimal', 'template', 'transfer', 'hosts', 'route53', 'azure', 'clouddns', 'k8s_external',
  'kubernetes', 'file', 'auto', 'secondary', 'etcd', 'loop', 'forward', 'grpc', 'erratic', 'whoami', 'on', 'sign', 'view',
  // The Corefile's own: snippets imported by name.
  'import',
]);

const DEFAULT_RELOAD_MS = 30_000;

interface Token {
  text: string;
  line: number;
}

/**
 * Words by line; a brace is one only as a word of its own (`{1}` in a rewrite is part of its
 * word); a word starting with `#` starts a comment; quotes keep spaces in a word.
 */
function tokenize(text: string): Token[][] {
  const lines: Token[][] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const words: Token[] = [];
    const re = /"([^"]*)"|(\S+)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(raw))) {
      if (m[2]?.startsWith('#')) break;
      words.push({ text: m[1] ?? m[2], line: i + 1 });
    }
    if (words.length) lines.push(words);
  });
  return lines;
}

class CorefileError extends Error {}

/** Go's time.Duration in a Corefile (`30s`, `1m`, `1m30s`), in ms. */
function duration(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!m || !text) return undefined;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

/** A zone or name as CoreDNS compares them: lower case, without the root's trailing dot. */
export function normalName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** A server block's key (`.:53`, `example.org`, `dns://example.org:53`) as a zone. */
function zoneOfKey(key: string): string {
  return normalName(key.replace(/^dns:\/\//, '').replace(/:\d+$/, ''));
}

/** Parses a Corefile found at `path` (for its error messages). */
export function parseCorefile(text: string, path = 'Corefile'): ParsedCorefile {
  const lines = tokenize(text);
  let i = 0;
  const fail = (line: number, what: string): never => {
    throw new CorefileError(`${path}:${line} - Error during parsing: ${what}`);
  };
  const argErr = (t: Token): never => fail(t.line, `Wrong argument count or unexpected line ending after '${t.text}'`);
  /** The lines of a `{ … }` block opened at the end of the current line, up to its closing brace. */
  const body = (opener: Token): Token[][] => {
    const inner: Token[][] = [];
    let depth = 1;
    while (i < lines.length) {
      const l = lines[i++];
      if (l.length === 1 && l[0].text === '}') {
        depth--;
        if (depth === 0) return inner;
      } else if (l[l.length - 1].text === '{') depth++;
      inner.push(l);
    }
    return fail(opener.line, 'Unexpected EOF');
  };
  try {
    const blocks: ServerBlock[] = [];
    while (i < lines.length) {
      const head = lines[i++];
      if (head[head.length - 1].text !== '{') fail(head[0].line, `Unknown directive '${head[0].text}'`);
      const keys = head.slice(0, -1).flatMap((t) => t.text.split(',')).filter(Boolean);
      if (!keys.length) fail(head[0].line, "Unexpected token '{', expecting address");
      const block: ServerBlock = { zones: keys.map(zoneOfKey), rewrites: [] };
      const inner = body(head[head.length - 1]);
      for (let j = 0; j < inner.length; j++) {
        const line = inner[j];
        const [directive, ...args] = line;
        const opens = args.length > 0 && args[args.length - 1].text === '{';
        const words = (opens ? args.slice(0, -1) : args).map((t) => t.text);
        // The lines of this directive's own block, if it opened one.
        const sub: Token[][] = [];
        if (opens) {
          let depth = 1;
          while (++j < inner.length) {
            const l = inner[j];
            if (l.length === 1 && l[0].text === '}' && --depth === 0) break;
            if (l[l.length - 1].text === '{') depth++;
            sub.push(l);
          }
        }
        if (!PLUGINS.has(directive.text)) fail(directive.line, `Unknown directive '${directive.text}'`);
        plugin(block, directive, words, sub, argErr, fail);
      }
      blocks.push(block);
    }
    return { ok: true, config: { blocks } };
  } catch (e) {
    if (e instanceof CorefileError) return { ok: false, error: e.message };
    throw e;
  }
}

type Fail = (line: number, what: string) => never;

function plugin(block: ServerBlock, directive: Token, words: string[], sub: Token[][], argErr: (t: Token) => never, fail: Fail): void {
  switch (directive.text) {
    case 'rewrite':
      // The block form (`rewrite stop { name … / answer name … }`) holds its rule on its first line.
      block.rewrites.push(rewriteRule(directive, sub.length ? [...words, ...sub[0].map((t) => t.text)] : words, argErr, fail));
      return;
    case 'hosts': {
      const hosts: HostsPlugin = block.hosts ?? { entries: new Map() };
      for (const l of sub) {
        if (l[0].text === 'fallthrough') {
          hosts.fallthrough = l.length > 1 ? l.slice(1).map((t) => normalName(t.text)) : [''];
          continue;
        }
        if (['ttl', 'reload', 'no_reverse'].includes(l[0].text)) continue;
        if (!/^[\d.:a-fA-F]+$/.test(l[0].text) || !l[0].text.match(/[.:]/)) fail(l[0].line, `Unknown property '${l[0].text}'`);
        if (l.length < 2) argErr(l[0]);
        for (const n of l.slice(1)) hosts.entries.set(normalName(n.text), [...(hosts.entries.get(normalName(n.text)) ?? []), l[0].text]);
      }
      block.hosts = hosts;
      return;
    }
    case 'kubernetes': {
      const zones = words.length ? words.map(normalName) : block.zones;
      const k: KubernetesPlugin = { zones: zones.filter((z) => !z.endsWith('in-addr.arpa') && !z.endsWith('ip6.arpa')) };
      for (const l of sub) if (l[0].text === 'fallthrough') k.fallthrough = l.length > 1 ? l.slice(1).map((t) => normalName(t.text)) : [''];
      block.kubernetes = k;
      return;
    }
    case 'forward':
      if (words.length < 2) argErr(directive);
      block.forward = { from: normalName(words[0]), to: words.slice(1) };
      return;
    case 'reload': {
      const interval = words[0] === undefined ? DEFAULT_RELOAD_MS : duration(words[0]);
      if (interval === undefined) fail(directive.line, `invalid duration "${words[0]}"`);
      // The plugin refuses intervals under two seconds.
      if (interval! < 2000) fail(directive.line, `interval value must be greater or equal to 2s`);
      block.reloadMs = interval;
      return;
    }
    default:
  }
}

function rewriteRule(directive: Token, words: string[], argErr: (t: Token) => never, fail: Fail): RewriteRule {
  let w = words;
  // `rewrite stop name …` / `rewrite continue name …`: the flow is the first word when given.
  if (w[0] === 'stop' || w[0] === 'continue') w = w.slice(1);
  if (w[0] !== 'name') {
    // Types other than name (class, type, edns0, ttl…) change what this simulation does not show.
    if (!['class', 'type', 'edns0', 'ttl', 'cname', 'rcode'].includes(w[0] ?? '')) fail(directive.line, `invalid rule type "${w[0] ?? ''}"`);
    return { match: 'exact', from: '\0', to: '\0' };
  }
  w = w.slice(1);
  const kinds: RewriteRule['match'][] = ['exact', 'prefix', 'suffix', 'substring', 'regex'];
  const match = kinds.includes(w[0] as RewriteRule['match']) ? (w.shift() as RewriteRule['match']) : 'exact';
  if (w.length < 2) argErr(directive);
  const [from, to] = w;
  if (match === 'regex') {
    try {
      new RegExp(from);
    } catch {
      fail(directive.line, `invalid regex pattern in a name rule: ${from}`);
    }
  }
  const fix = (s: string) => (match === 'exact' || match === 'regex' ? normalName(s) : s.toLowerCase());
  return { match, from: match === 'regex' ? from : fix(from), to: fix(to) };
}

/** The name after the first rewrite rule that matches it (a rule stops the others, as by default). */
export function rewriteName(rules: readonly RewriteRule[], name: string): string {
  for (const r of rules) {
    switch (r.match) {
      case 'exact':
        if (name === r.from) return r.to;
        break;
      case 'prefix':
        if (name.startsWith(r.from)) return r.to + name.slice(r.from.length);
        break;
      case 'suffix':
        if (name.endsWith(r.from.replace(/\.$/, ''))) return name.slice(0, name.length - r.from.replace(/\.$/, '').length) + r.to.replace(/\.$/, '');
        break;
      case 'substring':
        if (name.includes(r.from)) return name.replace(r.from, r.to);
        break;
      case 'regex': {
        // CoreDNS matches the name with its trailing dot; {1} stands for the first group.
        const m = new RegExp(r.from).exec(`${name}.`) ?? new RegExp(r.from).exec(name);
        if (m) return normalName(r.to.replace(/\{(\d+)\}/g, (_, n: string) => m[Number(n)] ?? ''));
        break;
      }
    }
  }
  return name;
}

/** Whether `name` is `zone` or under it ('' is the root, which holds every name). */
export function inZone(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}

/** The server block that serves a name: the one with the most specific zone. */
export function blockFor(config: DnsConfig, name: string): ServerBlock | undefined {
  let best: { block: ServerBlock; len: number } | undefined;
  for (const block of config.blocks) {
    for (const z of block.zones) if (inZone(name, z) && (!best || z.length > best.len)) best = { block, len: z.length };
  }
  return best?.block;
}

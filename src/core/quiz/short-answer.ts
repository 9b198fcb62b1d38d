// Judging a typed short answer as a person would: case, spacing, punctuation, a leading article,
// a plural s and hyphen-or-space do not matter; a kubectl command is compared word by word with
// its flags in any order and any spelling; a small typo is "close", not "wrong".
import type { ShortItem } from './types.js';

export type ShortVerdict = 'correct' | 'close' | 'wrong';

export function shortAnswerVerdict(given: string, item: ShortItem): ShortVerdict {
  const rights = [item.answer, ...(item.accept ?? [])].filter((r) => typeof r === 'string' && r.trim());
  if (!given.trim()) return 'wrong';
  let close = false;
  for (const right of rights) {
    const v = isCommand(right) || isCommand(given) ? commandVerdict(given, right) : textVerdict(given, right);
    if (v === 'correct') return 'correct';
    if (v === 'close') close = true;
  }
  return close ? 'close' : 'wrong';
}

/** Lower case words without articles, punctuation, hyphens or plural endings. */
export function normalizeAnswer(s: string): string {
  const words = s
    .toLowerCase()
    .replace(/[’'`"“”]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map(singular);
  while (words.length > 1 && ['the', 'a', 'an'].includes(words[0])) words.shift();
  return words.join(' ');
}

function singular(w: string): string {
  if (w.length <= 3) return w;
  if (/ies$/.test(w)) return w.slice(0, -3) + 'y';
  if (/(ss|sh|ch|x)es$/.test(w)) return w.slice(0, -2);
  if (/[^su]s$/.test(w)) return w.slice(0, -1);
  return w;
}

function textVerdict(given: string, right: string): ShortVerdict {
  const g = normalizeAnswer(given);
  const r = normalizeAnswer(right);
  if (g === r || g.replace(/ /g, '') === r.replace(/ /g, '')) return 'correct';
  return nearMiss(g, r) ? 'close' : 'wrong';
}

/** Within the typo budget: one edit up to 6 letters, two beyond; or one misspelt word of several. */
function nearMiss(g: string, r: string): boolean {
  // A wrong letter in a two- or three-letter name (po/pv, sa/sc) is a different name.
  if (r.replace(/ /g, '').length < 4) return false;
  const budget = r.length <= 6 ? 1 : 2;
  if (damerauLevenshtein(g, r) <= budget) return true;
  const gw = g.split(' ');
  const rw = r.split(' ');
  if (gw.length !== rw.length || gw.length < 2) return false;
  const differ = gw.map((w, i) => [w, rw[i]] as const).filter(([a, b]) => a !== b);
  return differ.length === 1 && wordTypo(differ[0][0], differ[0][1]);
}

function wordTypo(a: string, b: string): boolean {
  if (b.length < 4) return false;
  return damerauLevenshtein(a, b) <= (b.length <= 6 ? 1 : 2);
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function damerauLevenshtein(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

// ---- commands ----

function isCommand(s: string): boolean {
  return /^\s*(?:\$\s*)?(?:kubectl|k)\s/.test(s);
}

const RESOURCES: Record<string, string> = {};
for (const [canonical, ...aliases] of [
  ['pods', 'pod', 'po'],
  ['services', 'service', 'svc'],
  ['deployments', 'deployment', 'deploy', 'deployments.apps'],
  ['replicasets', 'replicaset', 'rs'],
  ['replicationcontrollers', 'replicationcontroller', 'rc'],
  ['namespaces', 'namespace', 'ns'],
  ['nodes', 'node', 'no'],
  ['configmaps', 'configmap', 'cm'],
  ['secrets', 'secret'],
  ['serviceaccounts', 'serviceaccount', 'sa'],
  ['persistentvolumes', 'persistentvolume', 'pv'],
  ['persistentvolumeclaims', 'persistentvolumeclaim', 'pvc'],
  ['daemonsets', 'daemonset', 'ds'],
  ['statefulsets', 'statefulset', 'sts'],
  ['jobs', 'job'],
  ['cronjobs', 'cronjob', 'cj'],
  ['ingresses', 'ingress', 'ing'],
  ['endpoints', 'endpoint', 'ep'],
  ['events', 'event', 'ev'],
  ['horizontalpodautoscalers', 'horizontalpodautoscaler', 'hpa'],
  ['networkpolicies', 'networkpolicy', 'netpol'],
  ['storageclasses', 'storageclass', 'sc'],
  ['resourcequotas', 'resourcequota', 'quota'],
  ['limitranges', 'limitrange', 'limits'],
  ['roles', 'role'],
  ['rolebindings', 'rolebinding'],
  ['clusterroles', 'clusterrole'],
  ['clusterrolebindings', 'clusterrolebinding'],
  ['customresourcedefinitions', 'customresourcedefinition', 'crd', 'crds'],
  ['componentstatuses', 'componentstatus', 'cs'],
  ['poddisruptionbudgets', 'poddisruptionbudget', 'pdb'],
  ['priorityclasses', 'priorityclass', 'pc'],
  ['certificatesigningrequests', 'certificatesigningrequest', 'csr'],
])
  for (const name of [canonical, ...aliases]) RESOURCES[name] = canonical;

function resource(token: string): string {
  return token
    .split(',')
    .map((t) => RESOURCES[t.toLowerCase()] ?? t)
    .join(',');
}

// Short flags and their long names; `logs -f` follows, elsewhere -f is a file.
const SHORT: Record<string, string> = { n: 'namespace', o: 'output', l: 'selector', f: 'filename', A: 'all-namespaces', i: 'stdin', t: 'tty', c: 'container', w: 'watch', R: 'recursive', L: 'label-columns', k: 'kustomize', p: 'previous', h: 'help' };
const VALUED = new Set(['namespace', 'output', 'selector', 'filename', 'container', 'label-columns', 'kustomize', 'image', 'replicas', 'port', 'target-port', 'type', 'context', 'kubeconfig', 'cluster', 'user', 'from-literal', 'from-file', 'from-env-file', 'restart', 'field-selector', 'sort-by', 'template', 'labels', 'env', 'name', 'to-revision', 'revision', 'tail', 'since', 'timeout', 'grace-period', 'protocol', 'schema', 'role', 'clusterrole', 'serviceaccount', 'verb', 'resource', 'as', 'current-replicas', 'min', 'max', 'cpu-percent', 'limits', 'requests', 'overrides', 'create-namespace', 'subresource', 'for', 'hard', 'schedule', 'address', 'key', 'cert', 'docker-server', 'docker-username', 'docker-password', 'docker-email', 'external-name', 'tcp', 'class', 'rule', 'default-backend', 'annotation', 'group']);
const SHORT_VALUED = new Set(['n', 'o', 'l', 'f', 'c', 'L', 'k']);

interface Parsed {
  positional: string[];
  flags: string[];
}

/** Splits like a shell: quotes group words and are dropped. */
function tokenize(s: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let last = -1;
  for (const m of s.matchAll(re)) {
    const piece = m[1] ?? m[2] ?? m[3];
    if (last === m.index && out.length) out[out.length - 1] += piece;
    else out.push(piece);
    last = m.index! + m[0].length;
  }
  return out;
}

function parseCommand(s: string): Parsed {
  const tokens = tokenize(s.trim().replace(/^\$\s*/, ''));
  if (tokens[0] === 'k' || tokens[0] === 'kubectl') tokens.shift();
  const positional: string[] = [];
  const flags: string[] = [];
  const verb = tokens.find((t) => !t.startsWith('-')) ?? '';
  let rest = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (rest) {
      positional.push(t);
      continue;
    }
    if (t === '--') {
      rest = true;
      positional.push(t);
      continue;
    }
    if (/^--[^=]+=/.test(t)) {
      const eq = t.indexOf('=');
      flags.push(`--${t.slice(2, eq)}=${t.slice(eq + 1)}`);
      continue;
    }
    if (t.startsWith('--')) {
      const name = t.slice(2);
      if (VALUED.has(name) && i + 1 < tokens.length) flags.push(`--${name}=${tokens[++i]}`);
      else flags.push(`--${name}`);
      continue;
    }
    if (/^-[A-Za-z]/.test(t)) {
      const letters = t.slice(1);
      const first = letters[0];
      const long = (l: string) => (l === 'f' && verb === 'logs' ? 'follow' : l === 'p' && verb === 'port-forward' ? 'p' : SHORT[l] ?? l);
      if (SHORT_VALUED.has(first) && !(first === 'f' && verb === 'logs')) {
        let value = letters.slice(1).replace(/^=/, '');
        if (!value && i + 1 < tokens.length) value = tokens[++i];
        flags.push(`--${long(first)}=${value}`);
        continue;
      }
      // Bundled booleans: -it is -i -t.
      for (const l of letters) flags.push(`--${long(l)}`);
      continue;
    }
    positional.push(t);
  }
  // Resource types: right after the verb (and after rollout's or set's sub-verb), and TYPE/NAME anywhere.
  const typed = new Set([1]);
  if (['rollout', 'set', 'create'].includes(positional[0] ?? '')) typed.add(2);
  const norm = positional.map((p, i) => {
    if (p.includes('/') && !p.startsWith('-')) {
      const [type, ...name] = p.split('/');
      if (RESOURCES[type.toLowerCase()]) return `${RESOURCES[type.toLowerCase()]}/${name.join('/')}`;
    }
    return typed.has(i) ? resource(p) : p;
  });
  // `get pod/x` and `get pod x` say the same.
  const split: string[] = [];
  for (const [i, p] of norm.entries()) {
    const m = /^([a-z]+)\/(.+)$/.exec(p);
    if (m && typed.has(i) && Object.values(RESOURCES).includes(m[1])) split.push(m[1], m[2]);
    else split.push(p);
  }
  return { positional: split, flags: flags.map(normalFlagValue).sort() };
}

function normalFlagValue(f: string): string {
  const m = /^--(output|namespace)=(.*)$/.exec(f);
  return m ? `--${m[1]}=${m[2].toLowerCase()}` : f;
}

function commandVerdict(given: string, right: string): ShortVerdict {
  if (!isCommand(given) || !isCommand(right)) return 'wrong';
  const g = parseCommand(given);
  const r = parseCommand(right);
  const gTokens = [...g.positional, '|', ...g.flags];
  const rTokens = [...r.positional, '|', ...r.flags];
  if (gTokens.join(' ') === rTokens.join(' ')) return 'correct';
  // One token off by a typo, everything else the same.
  if (gTokens.length === rTokens.length) {
    const differ = gTokens.map((t, i) => [t, rTokens[i]] as const).filter(([a, b]) => a !== b);
    if (differ.length === 1 && wordTypo(differ[0][0], differ[0][1])) return 'close';
    // A misspelt flag sorts elsewhere: compare the positional part and the flag sets.
    if (g.positional.join(' ') === r.positional.join(' ') && g.flags.length === r.flags.length) {
      const missing = r.flags.filter((f) => !g.flags.includes(f));
      const extra = g.flags.filter((f) => !r.flags.includes(f));
      if (missing.length === 1 && extra.length === 1 && wordTypo(extra[0], missing[0])) return 'close';
    }
  }
  return 'wrong';
}

// Small text tools for generated items: plain text from inline Markdown, word-level comparison
// (so "k" is not found inside "kafkas"), hiding a term in its own definition, topic guessing.

/** Inline Markdown to plain text: emphasis, code ticks, links and <br> go. */
export function plain(s: string): string {
  return s
    .replace(/<br\s*\/?>/gi, '; ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/__([^_]+)__/g, '$1')
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Lower case words, punctuation and hyphens folded to spaces, plurals folded to singular. */
export function words(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map(singular);
}

export function singular(w: string): string {
  if (w.length <= 3) return w;
  if (/ies$/.test(w)) return w.slice(0, -3) + 'y';
  if (/(ss|sh|ch|x)es$/.test(w)) return w.slice(0, -2);
  if (/[^su]s$/.test(w)) return w.slice(0, -1);
  return w;
}

/** Whether the word sequence of `needle` occurs in `hay`. */
export function containsWords(hay: string, needle: string): boolean {
  const h = words(hay);
  const n = words(needle);
  if (!n.length) return false;
  for (let i = 0; i + n.length <= h.length; i++) if (n.every((w, k) => h[i + k] === w)) return true;
  // "kube-proxy" written "kubeproxy", "ReplicaSet" written "replica set".
  const joined = n.join('');
  for (let size = 1; size <= 3; size++) for (let i = 0; i + size <= h.length; i++) if (h.slice(i, i + size).join('') === joined) return true;
  return false;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replace the term (and its plural, hyphen and spacing variants) with a blank. */
export function mask(text: string, term: string): string {
  const parts = term
    .trim()
    .split(/[\s-]+/)
    .filter(Boolean)
    .map((w, i, a) => {
      const stem = escape(i === a.length - 1 ? singularKeepCase(w) : w);
      return i === a.length - 1 ? `${stem}(?:s|es)?` : stem;
    });
  if (!parts.length) return text;
  const body = parts.join('[\\s-]?');
  const re = new RegExp(`(\\*\\*|__|\`)?(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])(\\*\\*|__|\`)?`, 'giu');
  return text.replace(re, '___');
}

function singularKeepCase(w: string): string {
  const s = singular(w.toLowerCase());
  return w.slice(0, s.length);
}

/** FNV-1a: a stable order for distractors and choice positions. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function wordCount(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

// Most specific first: "service account" is RBAC, not services; "cron job" is not jobs.
const TOPICS: [RegExp, string][] = [
  [/\b(?:kube-?)?scheduler\b|\betcd\b|\bkubelet\b|\bkublet\b|kube-?proxy|api ?server|controller[ -]?manager|master node|control plane|container runtime|\bcri\b|\bcni\b/i, 'architecture'],
  [/\bcron ?jobs?\b|\bcj\b/i, 'cronjobs'],
  [/\bstateful ?sets?\b|\bsts\b/i, 'statefulsets'],
  [/\bdaemon ?sets?\b|\bds\b/i, 'daemonsets'],
  [/\breplica ?sets?\b|replication ?controllers?|\brs\b|\brc\b/i, 'replicasets'],
  [/service ?accounts?|\brbac\b|\broles?\b|role ?bindings?|clusterroles?|authoriz|authentic|admission/i, 'rbac'],
  [/security ?context|\bsecurity\b|privileged|runasuser/i, 'security'],
  [/config ?maps?|\bcm\b/i, 'configmaps'],
  [/\bsecrets?\b/i, 'secrets'],
  [/ingress/i, 'ingress'],
  [/persistent ?volume|\bpvc?\b|storage ?class|\bstorage\b|\bcsi/i, 'storage'],
  [/\bvolumes?\b/i, 'volumes'],
  [/\bjobs?\b/i, 'jobs'],
  [/probe|liveness|readiness|health ?check|aliveness/i, 'health-checks'],
  [/resource ?quota|\bquotas?\b|limit ?ranges?/i, 'quotas'],
  [/\brequests?\b.*\blimits?\b|\blimits?\b|\bcpu\b|\bmemory\b|resource (?:usage|requests)/i, 'resources'],
  [/taint|toleration|toleranc|node ?selector|affinity|\bschedul|\bdrain|cordon|bin ?packing/i, 'scheduling'],
  [/crash ?loop|image ?pull|troubleshoot|debug/i, 'troubleshooting'],
  [/kubeconfig|\bcontexts?\b|\.kube\/config/i, 'kubeconfig'],
  [/\bnamespaces?\b|\bns\b/i, 'namespaces'],
  [/\bdns\b|coredns|resolv/i, 'dns'],
  [/annotation/i, 'annotations'],
  [/\blabels?\b|selector/i, 'labels'],
  [/deployments?|rollout|rollback|\bdeploy\b/i, 'deployments'],
  [/\bservices?\b|\bsvc\b|clusterip|nodeport|load ?balancer|externalname|headless|endpoints?\b|\bep\b/i, 'services'],
  [/\bpods?\b|\bpo\b|containers?\b/i, 'pods'],
  [/\bnodes?\b|\bno\b/i, 'nodes'],
  [/manifest|\byaml\b/i, 'manifests'],
  [/kubectl/i, 'kubectl'],
];

/** The first text that names a topic decides it; architecture when none does. */
export function guessTopic(...texts: string[]): string {
  for (const t of texts) for (const [re, topic] of TOPICS) if (re.test(t)) return topic;
  return 'architecture';
}

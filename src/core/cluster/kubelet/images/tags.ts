// Which tags a repository has, described by rules rather than lists: release series with their
// last patch release, named tags, and variant suffixes. `nginx:1.25.3-alpine` passes,
// `nginx:lates` and `nginx:1.999` do not, as on the real registry.

export interface TagRule {
  /** Floating or named tags: latest, stable, alpine… */
  names: readonly string[];
  /**
   * Release series and the highest value of the next version component: { '1.25': 5 } accepts
   * 1, 1.25 and 1.25.0 to 1.25.5; { '20': 18 } accepts 20, 20.0 to 20.18 and any patch of those.
   */
  series?: Readonly<Record<string, number>>;
  /** Suffixes after '-': 1.25-alpine, stable-perl. */
  variants?: readonly string[];
  /** Version tags may start with 'v' (traefik v3.1) or must (cadvisor v0.22.0). */
  vPrefix?: 'optional' | 'required';
  /** When set, the only tags there are (sample images). */
  exact?: readonly string[];
}

export interface TagMatch {
  /** The version the tag points at: 1.25.5 for 1.25, the current release for latest. */
  version: string;
  variant?: string;
}

const MAX_PATCH = 40;

export function matchTag(rule: TagRule, tag: string, current: string, named: Readonly<Record<string, string>> = {}): TagMatch | undefined {
  if (rule.exact) return rule.exact.includes(tag) ? { version: named[tag] ?? versionFromTag(tag, current) } : undefined;
  const direct = baseMatch(rule, tag, current, named);
  if (direct) return direct;
  for (const variant of [...(rule.variants ?? [])].sort((a, b) => b.length - a.length)) {
    if (!tag.endsWith(`-${variant}`)) continue;
    const base = baseMatch(rule, tag.slice(0, -variant.length - 1), current, named);
    if (base) return { ...base, variant };
  }
  return undefined;
}

function baseMatch(rule: TagRule, tag: string, current: string, named: Readonly<Record<string, string>>): TagMatch | undefined {
  if (rule.names.includes(tag)) return { version: named[tag] ?? current, variant: rule.variants?.includes(tag) ? tag : undefined };
  let v = tag;
  if (rule.vPrefix === 'required' && !v.startsWith('v')) return undefined;
  if (rule.vPrefix && v.startsWith('v')) v = v.slice(1);
  if (!/^\d+(\.\d+){0,2}$/.test(v) || !rule.series) return undefined;
  const full = expandVersion(rule.series, v);
  return full ? { version: full } : undefined;
}

/** The release a version tag names, or undefined when the registry has no such tag. */
function expandVersion(series: Readonly<Record<string, number>>, v: string): string | undefined {
  const parts = v.split('.').map(Number);
  const keys = Object.keys(series).sort(compareVersions);
  for (const key of [...keys].reverse()) {
    const k = key.split('.').map(Number);
    // The tag is a prefix of the series: "1" of "1.25" names the newest 1.x series.
    if (parts.length < k.length) {
      if (parts.every((p, i) => p === k[i])) return [...k, series[key]].join('.');
      continue;
    }
    if (!k.every((p, i) => p === parts[i])) continue;
    const next = parts[k.length];
    if (next === undefined) return [...k, series[key]].join('.');
    if (next > series[key]) return undefined;
    const after = parts[k.length + 1];
    if (after !== undefined && (k.length > 1 || after > MAX_PATCH)) return undefined;
    return v;
  }
  return undefined;
}

function versionFromTag(tag: string, current: string): string {
  return /^v?\d+(\.\d+)*$/.test(tag) ? tag.replace(/^v/, '') : current;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

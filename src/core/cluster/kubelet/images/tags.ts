// Which tags a repository has, described by a rule rather than a list (a list ages with every
// release): version tags of a plausible shape from the oldest release the registry keeps up to a
// little past the release `latest` points at, floating names, and variant suffixes built from the
// base distributions the image is published on. `nginx:1.29-alpine` and `httpd:trixie` pass;
// `nginx:lates` and `nginx:1.999` do not, as on the real registry.

export interface VersionRule {
  /** The oldest release the registry still has: older version tags do not exist. */
  oldest: string;
  /**
   * The last patch release of older series, as far as known: a floating series tag (`1.25`) points
   * at it. A series not listed points at its `.0`, or at the current release for its own series.
   */
  lastPatch?: Readonly<Record<string, number>>;
  /** How far past the current release a version tag may go: majors (fast-moving projects) and minors. */
  ahead?: { major?: number; minor?: number };
  /** The largest minor and patch numbers a version can have (no project releases 1.999). */
  maxMinor?: number;
  maxPatch?: number;
}

export interface TagRule {
  /** Floating or named tags: latest, stable, mainline, lts… */
  names: readonly string[];
  versions?: VersionRule;
  /** The distributions the image is built on, as tag suffixes name them: alpine, trixie, bookworm, jammy… */
  distros?: readonly string[];
  /** The image's own flavours, which combine with a distribution: slim, perl, otel, management… */
  flavours?: readonly string[];
  /** Version tags may start with 'v' (traefik v3.1) or must (cadvisor v0.22.0). */
  vPrefix?: 'optional' | 'required';
  /** When set, the only tags there are (sample images, pinned components). */
  exact?: readonly string[];
}

export interface TagMatch {
  /** The version the tag points at: 1.25.5 for 1.25, the current release for latest. */
  version: string;
  variant?: string;
}

/** Debian's releases by codename, newest first, as the official images name their variants. */
export const DEBIAN = ['trixie', 'bookworm', 'bullseye', 'buster', 'stretch'] as const;
/** Alpine as a variant: `alpine`, or pinned to a release (`alpine3.22`). */
export const ALPINE = ['alpine'] as const;
const ALPINE_PINNED = /^alpine3\.(?:[4-9]|[12]\d)$/;
/** Ubuntu's releases by codename, as images built on Ubuntu name their variants. */
export const UBUNTU = ['questing', 'plucky', 'noble', 'jammy', 'focal', 'bionic'] as const;

const MAX_MINOR = 40;
const MAX_PATCH = 40;

export function matchTag(rule: TagRule, tag: string, current: string, named: Readonly<Record<string, string>> = {}): TagMatch | undefined {
  if (rule.exact) return rule.exact.includes(tag) ? { version: named[tag] ?? versionFromTag(tag, current) } : undefined;
  const direct = baseMatch(rule, tag, current, named);
  if (direct) return direct;
  // A variant on its own is a floating tag of the current release (nginx:alpine, httpd:trixie).
  if (isVariant(rule, tag)) return { version: named[tag] ?? current, variant: tag };
  // Otherwise a base and a variant: 1.29-alpine, stable-alpine-slim, 3.13-slim-bookworm.
  const parts = tag.split('-');
  for (let i = parts.length - 1; i >= 1; i--) {
    const variant = parts.slice(i).join('-');
    if (!isVariant(rule, variant)) continue;
    const base = baseMatch(rule, parts.slice(0, i).join('-'), current, named);
    if (base) return { version: named[tag] ?? base.version, variant };
  }
  return undefined;
}

/** A suffix made of at most one distribution and at most one of the image's flavours, in either order. */
function isVariant(rule: TagRule, variant: string): boolean {
  const segments = splitVariant(variant);
  if (!segments || segments.length > 2) return false;
  const distro = (s: string) => (rule.distros ?? []).includes(s) || ((rule.distros ?? []).includes('alpine') && ALPINE_PINNED.test(s));
  const flavour = (s: string) => (rule.flavours ?? []).includes(s);
  const distros = segments.filter(distro).length;
  const flavours = segments.filter((s) => !distro(s) && flavour(s)).length;
  return distros + flavours === segments.length && distros <= 1 && flavours <= 1;
}

/** The segments of a variant; a flavour may itself hold a dash (debian-12), so known ones are kept whole. */
function splitVariant(variant: string): string[] | undefined {
  if (!variant) return undefined;
  return variant.split('-').reduce<string[]>((acc, s) => {
    // `debian-12` and the like: a word followed by its number.
    if (/^\d+$/.test(s) && acc.length) acc[acc.length - 1] += `-${s}`;
    else acc.push(s);
    return acc;
  }, []);
}

function baseMatch(rule: TagRule, tag: string, current: string, named: Readonly<Record<string, string>>): TagMatch | undefined {
  if (rule.names.includes(tag)) return { version: named[tag] ?? (/^\d+(\.\d+)+$/.test(tag) ? tag : current) };
  let v = tag;
  if (rule.vPrefix === 'required' && !v.startsWith('v')) return undefined;
  if (rule.vPrefix && v.startsWith('v')) v = v.slice(1);
  if (!/^\d+(\.\d+){0,2}$/.test(v) || !rule.versions) return undefined;
  return plausibleVersion(rule.versions, v, current);
}

/**
 * The release a version tag names, if the registry can have it: not older than the oldest kept,
 * not past what follows the current release, with minor and patch numbers of a sane size. A
 * shorter tag floats: it names the newest release it is a prefix of.
 */
function plausibleVersion(rule: VersionRule, v: string, current: string): TagMatch | undefined {
  const parts = v.split('.').map(Number);
  const cur = current.split('.').map(Number);
  const [major, minor, patch] = parts;
  const aheadMajor = rule.ahead?.major ?? 0;
  const aheadMinor = rule.ahead?.minor ?? 2;
  if (compareVersions(v, rule.oldest.split('.').slice(0, parts.length).join('.')) < 0) return undefined;
  if (major > cur[0] + aheadMajor) return undefined;
  if (minor !== undefined) {
    if (minor > (rule.maxMinor ?? MAX_MINOR)) return undefined;
    if (major === cur[0] && minor > (cur[1] ?? 0) + aheadMinor) return undefined;
    if (major > cur[0] && minor > aheadMinor) return undefined;
  }
  if (patch !== undefined && patch > (rule.maxPatch ?? MAX_PATCH)) return undefined;
  return { version: floating(rule, parts, cur) };
}

/** What a version tag points at: itself when complete, else the newest release of its series. */
function floating(rule: VersionRule, parts: number[], cur: number[]): string {
  const depth = cur.length;
  if (parts.length >= depth) return parts.join('.');
  // A prefix of the current release floats to it (1 and 1.29 of 1.29.1).
  if (parts.every((p, i) => p === cur[i])) return cur.join('.');
  const series = parts.join('.');
  const known = rule.lastPatch?.[series];
  if (known !== undefined && parts.length === depth - 1) return `${series}.${known}`;
  // The newest known series under a bare major (node 20 → 20.18 …), else its first release.
  if (parts.length === 1 && rule.lastPatch) {
    const under = Object.keys(rule.lastPatch)
      .filter((k) => k.split('.')[0] === series)
      .sort(compareVersions)
      .pop();
    if (under) return [under, rule.lastPatch[under]].join('.').split('.').slice(0, depth).join('.');
  }
  return [...parts, ...Array(depth - parts.length).fill(0)].join('.');
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

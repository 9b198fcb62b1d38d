// The image catalog: resolves what a pod spec names to an image the simulated nodes can pull, or
// to the error a real node would report (InvalidImageName, ErrImagePull's containerd message).
import { createHash } from 'node:crypto';
import { CATALOG, catalogKey, KNOWN_REGISTRIES, type RepoEntry, type TagFacts } from './images/catalog.js';
import { DISTROS } from './images/distros.js';
import { accessDenied, noSuchHost, notFound, tokenRefused } from './images/pull-errors.js';
import { parseReference, type ImageReference } from './images/reference.js';
import { DEBIAN, matchTag, UBUNTU } from './images/tags.js';
import type { Distro, ImageInfo } from './images/types.js';
import { own } from '../own.js';

export type { Distro, HttpBehaviour, ImageInfo, ImageServer, LogLine, ShellFlavour, StartupContext } from './images/types.js';
export { parseReference, type ImageReference } from './images/reference.js';

export type ImageFailureReason = 'NotFound' | 'Unauthorized' | 'NoSuchHost' | 'InvalidImageName';

export type ImageResolution = { ok: true; image: ImageInfo } | { ok: false; reason: ImageFailureReason; message: string };

/** Images are shared by every container that uses them, so each is built once. */
const resolved = new Map<string, ImageInfo>();
/** Digests handed out so far, so `image: nginx@sha256:…` copied from a pod status resolves. */
const byDigest = new Map<string, ImageInfo>();

export function resolveImage(image: string): ImageResolution {
  const parsed = parseReference(image);
  if (!parsed.ok) return { ok: false, reason: 'InvalidImageName', message: parsed.message };
  const ref = parsed.ref;
  const cached = resolved.get(ref.normalized);
  if (cached) return { ok: true, image: cached };
  // A mirror's name for a repository (public.ecr.aws/docker/library/nginx) is the same repository.
  const repoKey = catalogKey(ref.repository);
  const entry = own<(typeof CATALOG)[string]>(CATALOG, repoKey);
  if (!entry) return unknownRepository(ref);
  let info: ImageInfo | undefined;
  if (ref.digest) {
    const known = byDigest.get(ref.digest) ?? findDigest(entry, repoKey, ref);
    if (known && catalogKey(known.repository) === repoKey) info = { ...known, ref: ref.normalized, repository: ref.repository, id: `${ref.repository}@${ref.digest}` };
    // A digest copied from the registry (one this cluster never handed out) is some build of the
    // repository: the current one, as far as anything here can tell.
    else if (!known && SHA256.test(ref.digest)) info = { ...buildImage(entry, ref, { tag: entry.current, version: entry.current, os: entry.os }), digest: ref.digest, id: `${ref.repository}@${ref.digest}` };
  } else {
    const m = matchTag(entry.tags, ref.tag!, entry.current, entry.named);
    if (m) info = buildImage(entry, ref, { tag: ref.tag!, version: m.version, variant: m.variant, os: osOf(entry, m.variant) });
  }
  if (!info) return { ok: false, reason: 'NotFound', message: notFound(ref) };
  resolved.set(ref.normalized, info);
  byDigest.set(info.digest, info);
  return { ok: true, image: info };
}

function unknownRepository(ref: ImageReference): ImageResolution {
  if (!KNOWN_REGISTRIES.includes(ref.domain)) return { ok: false, reason: 'NoSuchHost', message: noSuchHost(ref) };
  if (ref.domain === 'docker.io') return { ok: false, reason: 'Unauthorized', message: accessDenied(ref) };
  if (ref.domain === 'ghcr.io' || ref.domain === 'quay.io') return { ok: false, reason: 'Unauthorized', message: tokenRefused(ref) };
  return { ok: false, reason: 'NotFound', message: notFound(ref) };
}

/** A digest not seen yet may still be one of the repository's named tags (latest and the like). */
function findDigest(entry: RepoEntry, repoKey: string, ref: ImageReference): ImageInfo | undefined {
  for (const tag of entry.tags.exact ?? [...entry.tags.names, ...(entry.tags.distros ?? [])]) {
    const r = resolveImage(`${repoKey}:${tag}`);
    if (r.ok && r.image.digest === ref.digest) return r.image;
  }
  return undefined;
}

const SHA256 = /^sha256:[0-9a-f]{64}$/;

/** The distribution a variant is built on: alpine, a Debian or Ubuntu codename, busybox's libcs. */
function osOf(entry: RepoEntry, variant: string | undefined): Distro {
  if (!variant) return entry.os;
  const parts = variant.split('-');
  const has = (words: readonly string[]) => parts.some((p) => words.includes(p));
  if (parts.some((p) => p.startsWith('alpine'))) return 'alpine';
  if (has(['musl', 'glibc', 'uclibc'])) return 'busybox';
  if (has(UBUNTU)) return 'ubuntu';
  if (parts.some((p) => p.startsWith('oracle'))) return 'oraclelinux';
  if (has(DEBIAN) || has(['slim', 'debian'])) return 'debian';
  return entry.os;
}

export function digestOf(normalized: string): string {
  return `sha256:${createHash('sha256').update(`kubedojo:${normalized}`).digest('hex')}`;
}

function buildImage(entry: RepoEntry, ref: ImageReference, t: TagFacts): ImageInfo {
  const c = entry.config(t);
  const distro = DISTROS[t.os];
  const size = sizeFor(entry, t);
  const without = new Set(c.without ?? []);
  const commands = [...new Set([...distro.commands, ...(c.extra ?? [])])].filter((x) => !without.has(x));
  const digest = digestOf(ref.normalized);
  return {
    ref: ref.normalized,
    repository: ref.repository,
    tag: ref.tag,
    digest,
    id: `${ref.repository}@${digest}`,
    size,
    // Proportional to size, within what a kind node on a good connection takes.
    pullMs: Math.min(6000, Math.round(1000 + size / 80_000)),
    memoryBytes: entry.memory,
    version: t.version,
    variant: t.variant,
    entrypoint: c.entrypoint ?? [],
    cmd: c.cmd,
    workingDir: c.workingDir ?? '/',
    env: c.env ?? {},
    user: c.user ?? '',
    exposedPorts: c.ports ?? [],
    os: t.os,
    shell: commands.includes('bash') && !distro.shell ? 'bash' : distro.shell,
    commands,
    server: c.server,
    overlay: c.overlay,
  };
}

function sizeFor(entry: RepoEntry, t: TagFacts): number {
  const v = t.variant ?? '';
  if (t.os === 'alpine' && entry.os !== 'alpine') return entry.sizes?.alpine ?? Math.round(entry.size * 0.3);
  if (v.includes('slim')) return entry.sizes?.slim ?? Math.round(entry.size * 0.4);
  return entry.size;
}

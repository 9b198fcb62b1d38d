// containerd's pull failures, word for word as the kubelet relays them in events and
// `kubectl describe`: the text learners will later search for when a real pull fails.
import type { ImageReference } from './reference.js';

export type PullFailureReason = 'NotFound' | 'Unauthorized' | 'NoSuchHost';

const prefix = (n: string, code: string) => `rpc error: code = ${code} desc = failed to pull and unpack image "${n}": failed to resolve reference "${n}": `;

/** The tag or digest is not in a repository that exists. */
export function notFound(ref: ImageReference): string {
  return `${prefix(ref.normalized, 'NotFound')}${ref.normalized}: not found`;
}

/** Docker Hub answers an unknown repository as if it were private. */
export function accessDenied(ref: ImageReference): string {
  return `${prefix(ref.normalized, 'Unknown')}pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
}

/** ghcr.io and quay.io refuse the anonymous token for a repository they do not have. */
export function tokenRefused(ref: ImageReference): string {
  const p = prefix(ref.normalized, 'Unknown');
  if (ref.domain === 'quay.io') return `${p}unexpected status from HEAD request to https://quay.io/v2/${ref.path}/manifests/${ref.digest ?? ref.tag}: 401 UNAUTHORIZED`;
  const scope = encodeURIComponent(`repository:${ref.path}:pull`);
  return `${p}failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${ref.domain}/token?scope=${scope}&service=${ref.domain}: 401 Unauthorized`;
}

/** A registry host nobody resolves (a made-up or mistyped registry). */
export function noSuchHost(ref: ImageReference): string {
  const host = ref.domain.replace(/:\d+$/, '');
  const manifest = `${ref.domain}/v2/${ref.path}/manifests/${ref.digest ?? ref.tag}`;
  if (host === 'localhost' || host === '127.0.0.1') {
    const port = /:(\d+)$/.exec(ref.domain)?.[1] ?? '443';
    return `${prefix(ref.normalized, 'Unknown')}failed to do request: Head "http://${manifest}": dial tcp 127.0.0.1:${port}: connect: connection refused`;
  }
  return `${prefix(ref.normalized, 'Unknown')}failed to do request: Head "https://${manifest}": dial tcp: lookup ${host} on 172.18.0.1:53: no such host`;
}

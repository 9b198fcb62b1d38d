// Discovery documents: the legacy per-group-version lists and the aggregated list kubectl 1.27+
// asks for first (apidiscovery.k8s.io v2beta1 up to 1.29, v2 after). kubectl builds its
// RESTMapper, short names and `api-resources` output from these.
import type { KindDef } from '../cluster/kinds/types.js';
import { ALL_VERBS } from '../cluster/kinds/types.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.1',
  gitCommit: '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T08:19:08Z',
  goVersion: 'go1.24.2',
  compiler: 'gc',
  platform: 'linux/amd64',
};

interface SubresourceInfo {
  kind: { group: string; version: string; kind: string } | 'self';
  verbs: string[];
}

/** What each subresource answers with, as a real apiserver lists it. */
const SUBRESOURCES: Record<string, SubresourceInfo> = {
  status: { kind: 'self', verbs: ['get', 'patch', 'update'] },
  scale: { kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
  log: { kind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] },
  exec: { kind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] },
  attach: { kind: { group: '', version: 'v1', kind: 'PodAttachOptions' }, verbs: ['create', 'get'] },
  portforward: { kind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' }, verbs: ['create', 'get'] },
  proxy: { kind: { group: '', version: 'v1', kind: 'PodProxyOptions' }, verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  eviction: { kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
  binding: { kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
  ephemeralcontainers: { kind: 'self', verbs: ['get', 'patch', 'update'] },
  resize: { kind: 'self', verbs: ['get', 'patch', 'update'] },
  finalize: { kind: { group: '', version: 'v1', kind: 'Namespace' }, verbs: ['update'] },
  token: { kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] },
  approval: { kind: 'self', verbs: ['get', 'patch', 'update'] },
};

export interface GroupVersions {
  group: string;
  versions: string[];
}

/** Groups in the order the kinds were registered (core first), each with its versions. */
export function groupsOf(kinds: readonly KindDef[]): GroupVersions[] {
  const out: GroupVersions[] = [];
  for (const k of kinds) {
    let g = out.find((x) => x.group === k.group);
    if (!g) out.push((g = { group: k.group, versions: [] }));
    if (!g.versions.includes(k.version)) g.versions.push(k.version);
  }
  return out;
}

function verbsOf(k: KindDef): string[] {
  return [...(k.verbs ?? ALL_VERBS)].sort();
}

export function apiVersions(): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '172.18.0.2:6443' }],
  };
}

export function apiGroupList(kinds: readonly KindDef[]): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupsOf(kinds)
      .filter((g) => g.group !== '')
      .map((g) => apiGroup(g)),
  };
}

export function apiGroup(g: GroupVersions): object {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: g.group, versions, preferredVersion: versions[0] };
}

export function apiResourceList(kinds: readonly KindDef[], group: string, version: string): object | undefined {
  const mine = kinds.filter((k) => k.group === group && k.version === version);
  if (!mine.length && !(group === '' && version === 'v1')) return undefined;
  const resources: object[] = [];
  for (const k of mine) {
    resources.push({
      name: k.plural,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: verbsOf(k),
      ...(k.shortNames?.length ? { shortNames: k.shortNames } : {}),
      ...(k.categories?.length ? { categories: k.categories } : {}),
      storageVersionHash: storageVersionHash(k),
    });
    for (const sub of k.subresources ?? []) {
      const info = SUBRESOURCES[sub];
      if (!info) continue;
      const kind = info.kind === 'self' ? { group: k.group, version: k.version, kind: k.kind } : info.kind;
      resources.push({
        name: `${k.plural}/${sub}`,
        singularName: '',
        namespaced: k.namespaced,
        ...(kind.group !== k.group ? { group: kind.group, version: kind.version } : {}),
        kind: kind.kind,
        verbs: info.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

/**
 * The aggregated discovery document for `/api` (core only) or `/apis` (every other group), in
 * the apidiscovery version the client asked for.
 */
export function aggregatedDiscovery(kinds: readonly KindDef[], legacy: boolean, discoveryVersion: 'v2' | 'v2beta1'): object {
  const items = groupsOf(kinds)
    .filter((g) => (legacy ? g.group === '' : g.group !== ''))
    .map((g) => ({
      metadata: legacy ? { creationTimestamp: null } : { name: g.group, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: kinds
          .filter((k) => k.group === g.group && k.version === v)
          .map((k) => ({
            resource: k.plural,
            responseKind: { group: k.group, version: k.version, kind: k.kind },
            scope: k.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: k.singular,
            verbs: verbsOf(k),
            ...(k.shortNames?.length ? { shortNames: k.shortNames } : {}),
            ...(k.categories?.length ? { categories: k.categories } : {}),
            ...(k.subresources?.length
              ? {
                  subresources: k.subresources
                    .filter((s) => SUBRESOURCES[s])
                    .map((s) => {
                      const info = SUBRESOURCES[s];
                      const kind = info.kind === 'self' ? { group: k.group, version: k.version, kind: k.kind } : info.kind;
                      return { subresource: s, responseKind: kind, verbs: info.verbs };
                    }),
                }
              : {}),
          })),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${discoveryVersion}`, metadata: {}, items };
}

/** A stable hash per kind, as the apiserver publishes for storage-version migration. */
function storageVersionHash(k: KindDef): string {
  let h = 0x811c9dc5;
  for (const ch of `${k.group}/${k.version}/${k.kind}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return Buffer.from(h.toString(16).padStart(8, '0')).toString('base64').slice(0, 11) + '=';
}

// A pod's volumes as the kubelet sets them up on its node: made once per pod from what the API
// holds at that moment, then mounted into each container that names them, so all its containers
// share one emptyDir. Claims and host paths have their own lives, longer than any one pod.
import type { ConfigMap, DownwardAPIVolumeFile, KeyToPath, Pod, PersistentVolumeClaim, Secret, Volume as VolumeSpec, VolumeMount } from 'kubernetes-types/core/v1.js';
import type { Cluster } from '../cluster.js';
import { containerNamed, nodeAllocatable, resourceFieldValue } from './container-env.js';
import { dirNode, type ContainerFs, type DirNode, type FsNode } from './shell/fs.js';
import { emptyDirVolume, keyedVolume } from './shell/volumes.js';
import { dict, hasOwn, own } from '../own.js';
import { projectedServiceAccountToken } from '../service-account-tokens.js';
import type { KObject } from '../kinds/types.js';

interface Volume {
  root: DirNode;
  readOnly: boolean;
  source: string;
  fstype: string;
}

export interface PodVolumes {
  readonly namespace: string;
  mount(fs: ContainerFs, mount: VolumeMount): void;
  /**
   * Brings ConfigMap, Secret and projected volumes up to date with the API, as the kubelet's
   * periodic sync does: the new files replace the old at once (the `..data` link swap), in the
   * same directory the containers already mount. A file mounted with subPath is a copy and stays.
   */
  refresh(now: number): void;
}

const DISK = { source: '/dev/sda1', fstype: 'ext4' };
const TMPFS = { source: 'tmpfs', fstype: 'tmpfs' };

export function podVolumes(cluster: Cluster, pod: Pod, opts: { now: number; claims: Map<string, DirNode>; hostPaths: Map<string, DirNode>; podIP: string }): PodVolumes {
  const ns = pod.metadata?.namespace ?? '';
  const now = opts.now;
  const fsGroup = pod.spec?.securityContext?.fsGroup;
  // Made when the first volume is (a node holds many pods whose volumes nobody looks into).
  let built: Map<string, Volume> | undefined;
  /** How to make each keyed volume's root again from what the API holds now. */
  let remake: Map<string, (at: number) => DirNode> | undefined;
  const volumes = pod.spec?.volumes ?? [];
  const configMap = (name: string | undefined) => cluster.store.get('/configmaps', ns, name ?? '') as ConfigMap | undefined;
  const secret = (name: string | undefined) => cluster.store.get('/secrets', ns, name ?? '') as Secret | undefined;
  // The node's allocatable stands for the limits a container does not set.
  const allocatable = () => nodeAllocatable(cluster.store, pod.spec?.nodeName);
  // Each volume is made when a container first looks into its filesystem: most never do, and a
  // node holds many pods. The pod's containers then share what was made.
  const volume = (name: string): Volume | undefined => {
    // The last of a name, as a map of them would keep.
    let v: VolumeSpec | undefined;
    for (const x of volumes) if (x.name === name) v = x;
    if (!v) return undefined;
    const made = built?.get(name);
    if (made) return made;
    let vol: Volume | undefined;
    if (v.emptyDir) vol = { root: emptyDirVolume({ now, fsGroup }), readOnly: false, ...(v.emptyDir.medium === 'Memory' ? TMPFS : DISK) };
    else if (v.configMap) {
      const source = v.configMap;
      const make = (at: number) => {
        const files = selectKeys(configMapFiles(configMap(source.name)), source.items);
        return keyedVolume(files.files, { now: at, defaultMode: source.defaultMode, fsGroup, modes: files.modes });
      };
      (remake ??= new Map()).set(name, make);
      vol = { root: make(now), readOnly: true, ...DISK };
    } else if (v.secret) {
      const source = v.secret;
      const make = (at: number) => {
        const files = selectKeys(secretFiles(secret(source.secretName)), source.items);
        return keyedVolume(files.files, { now: at, defaultMode: source.defaultMode, fsGroup, modes: files.modes, tmpfs: true });
      };
      (remake ??= new Map()).set(name, make);
      vol = { root: make(now), readOnly: true, ...TMPFS };
    } else if (v.downwardAPI) {
      const files = downward(pod, v.downwardAPI.items ?? [], opts.podIP, allocatable());
      vol = { root: keyedVolume(files.files, { now, defaultMode: v.downwardAPI.defaultMode, fsGroup, modes: files.modes }), readOnly: true, ...DISK };
    } else if (v.projected) {
      const projected = v.projected;
      const token = new Map<string, string>();
      const make = (at: number) => {
        const files = dict<string | Buffer>();
        const modes = dict<number>();
        for (const s of projected.sources ?? []) {
          let part: { files: Record<string, string | Buffer>; modes: Record<string, number> } | undefined;
          if (s.configMap) part = selectKeys(configMapFiles(configMap(s.configMap.name)), s.configMap.items);
          else if (s.secret) part = selectKeys(secretFiles(secret(s.secret.name)), s.secret.items);
          else if (s.downwardAPI) part = downward(pod, s.downwardAPI.items ?? [], opts.podIP, allocatable());
          else if (s.serviceAccountToken) {
            // The token is kept across refreshes: a new one is only minted when it nears expiry.
            const path = s.serviceAccountToken.path ?? 'token';
            // Signed by the cluster's service-account key, so it authenticates as the pod's account.
            if (!token.has(path)) token.set(path, projectedServiceAccountToken(cluster, pod as KObject, now, s.serviceAccountToken.expirationSeconds));
            part = { files: { [path]: token.get(path)! }, modes: {} };
          }
          if (part) {
            Object.assign(files, part.files);
            Object.assign(modes, part.modes);
          }
        }
        return keyedVolume(files, { now: at, defaultMode: projected.defaultMode, fsGroup, modes, tmpfs: true });
      };
      (remake ??= new Map()).set(name, make);
      vol = { root: make(now), readOnly: true, ...TMPFS };
    } else if (v.persistentVolumeClaim) {
      const pvc = cluster.store.get('/persistentvolumeclaims', ns, v.persistentVolumeClaim.claimName) as PersistentVolumeClaim | undefined;
      const key = `${ns}/${v.persistentVolumeClaim.claimName}/${pvc?.metadata?.uid ?? ''}`;
      let root = opts.claims.get(key);
      if (!root) opts.claims.set(key, (root = emptyDirVolume({ now, fsGroup })));
      vol = { root, readOnly: !!v.persistentVolumeClaim.readOnly, ...DISK };
    } else if (v.hostPath) {
      const key = `${pod.spec?.nodeName}:${v.hostPath.path}`;
      let root = opts.hostPaths.get(key);
      if (!root) opts.hostPaths.set(key, (root = dirNode(now)));
      vol = { root, readOnly: false, ...DISK };
    } else {
      // Kinds of volume with nothing to show inside (nfs, csi…) mount as an empty directory.
      vol = { root: dirNode(now, 0o777), readOnly: false, ...DISK };
    }
    (built ??= new Map()).set(name, vol);
    return vol;
  };
  return {
    namespace: ns,
    refresh(at) {
      for (const [name, make] of remake ?? []) {
        const vol = built?.get(name);
        if (!vol) continue;
        const next = make(at);
        if (sameFiles(vol.root, next)) continue;
        vol.root.entries.clear();
        for (const [k, e] of next.entries) vol.root.entries.set(k, e);
        vol.root.mtime = at;
      }
    },
    mount(fs, m) {
      const vol = volume(m.name);
      if (!vol) return;
      const readOnly = vol.readOnly || !!m.readOnly;
      if (!m.subPath) {
        fs.mount(m.mountPath, vol.root, { readOnly, source: vol.source, fstype: vol.fstype });
        return;
      }
      const node = lookup(vol.root, m.subPath);
      if (node?.type === 'file') {
        // A single key mounted as a file: a copy, which is why it does not follow updates.
        fs.place(m.mountPath, { ...node });
        return;
      }
      let dir = node?.type === 'dir' ? node : undefined;
      if (!dir && !vol.readOnly) dir = makeDirs(vol.root, m.subPath, fs.now());
      if (dir) fs.mount(m.mountPath, dir, { readOnly, source: vol.source, fstype: vol.fstype });
    },
  };
}

/** True when two keyed volumes hold the same files (their timestamped data directories aside). */
function sameFiles(a: DirNode, b: DirNode): boolean {
  const data = (d: DirNode) => {
    const link = d.entries.get('..data') as { target?: string } | undefined;
    const dir = link?.target ? (d.entries.get(link.target) as DirNode | undefined) : undefined;
    return dir ? flatten(dir, '') : '';
  };
  return data(a) === data(b);
}

function flatten(d: DirNode, prefix: string): string {
  return [...d.entries]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([k, e]) => (e.type === 'dir' ? flatten(e as DirNode, `${prefix}${k}/`) : `${prefix}${k}:${e.type === 'file' ? `${(e as { mode: number }).mode}:${Buffer.from((e as { data: string | Buffer }).data).toString('base64')}` : ''}`))
    .join('\n');
}

function configMapFiles(cm: ConfigMap | undefined): Record<string, string | Buffer> {
  const out = dict<string | Buffer>();
  for (const [k, v] of Object.entries(cm?.data ?? {})) out[k] = v;
  for (const [k, v] of Object.entries(cm?.binaryData ?? {})) out[k] = Buffer.from(v, 'base64');
  return out;
}

function secretFiles(s: Secret | undefined): Record<string, string | Buffer> {
  const out = dict<string | Buffer>();
  for (const [k, v] of Object.entries(s?.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(s?.stringData ?? {})) out[k] = v;
  return out;
}

/** items: only the keys listed, at their paths, with their own modes. */
function selectKeys(all: Record<string, string | Buffer>, items: KeyToPath[] | undefined): { files: Record<string, string | Buffer>; modes: Record<string, number> } {
  if (!items?.length) return { files: all, modes: {} };
  const files = dict<string | Buffer>();
  const modes = dict<number>();
  for (const it of items) {
    if (!hasOwn(all, it.key)) continue;
    files[it.path] = all[it.key];
    if (it.mode !== undefined) modes[it.path] = it.mode;
  }
  return { files, modes };
}

function downward(pod: Pod, items: DownwardAPIVolumeFile[], podIP: string, allocatable: Record<string, string | number>): { files: Record<string, string>; modes: Record<string, number> } {
  const files = dict<string>();
  const modes = dict<number>();
  const map = (m: Record<string, string> | undefined) =>
    Object.keys(m ?? {})
      .sort()
      .map((k) => `${k}="${m![k]}"`)
      .join('\n');
  for (const it of items) {
    let value = '';
    const path: string | undefined = it.fieldRef?.fieldPath;
    const meta = pod.metadata ?? {};
    if (path === 'metadata.labels') value = map(meta.labels);
    else if (path === 'metadata.annotations') value = map(meta.annotations);
    else if (path) {
      const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
      if (m) value = own<string>(m[1] === 'labels' ? meta.labels : meta.annotations, m[2]) ?? '';
      else if (path === 'metadata.name') value = meta.name ?? '';
      else if (path === 'metadata.namespace') value = meta.namespace ?? '';
      else if (path === 'metadata.uid') value = meta.uid ?? '';
      else if (path === 'spec.nodeName') value = pod.spec?.nodeName ?? '';
      else if (path === 'spec.serviceAccountName') value = pod.spec?.serviceAccountName ?? '';
      else if (path === 'status.podIP') value = podIP;
    } else if (it.resourceFieldRef) {
      const r = it.resourceFieldRef;
      value = resourceFieldValue(containerNamed(pod, r.containerName ?? '') ?? pod.spec?.containers[0], r, allocatable) ?? '';
    }
    files[it.path] = value;
    if (it.mode !== undefined) modes[it.path] = it.mode;
  }
  return { files, modes };
}

/** A path inside a volume's tree, following the ..data links keyed volumes are made of. */
function lookup(root: DirNode, path: string, depth = 0): FsNode | undefined {
  let node: FsNode = root;
  const parts = path.split('/').filter((p) => p && p !== '.');
  for (let i = 0; i < parts.length; i++) {
    if (node.type !== 'dir') return undefined;
    const next: FsNode | undefined = node.entries.get(parts[i]);
    if (!next) return undefined;
    if (next.type === 'symlink' && depth < 8) {
      const target = [...parts.slice(0, i), next.target, ...parts.slice(i + 1)].join('/');
      return lookup(root, target, depth + 1);
    }
    node = next;
  }
  return node;
}

function makeDirs(root: DirNode, path: string, now: number): DirNode {
  let dir = root;
  for (const part of path.split('/').filter(Boolean)) {
    let next = dir.entries.get(part);
    if (!next || next.type !== 'dir') dir.entries.set(part, (next = dirNode(now, 0o755, 0, root.gid)));
    dir = next as DirNode;
  }
  return dir;
}


// Volume contents as the kubelet lays them out, to be mounted into containers' filesystems. The
// same tree object is mounted in every container of the pod, so writes are shared.
import { strftime } from './time-format.js';
import type { DirNode, FsNode } from './fs.js';

/** An emptyDir: world-writable, or group-owned by fsGroup with the setgid bit so new files keep the group. */
export function emptyDirVolume(opts: { now: number; fsGroup?: number }): DirNode {
  const group = opts.fsGroup !== undefined;
  return { type: 'dir', entries: new Map(), mode: group ? 0o2777 : 0o777, uid: 0, gid: opts.fsGroup ?? 0, mtime: opts.now };
}

/**
 * A ConfigMap, Secret, projected or downwardAPI volume: the files live in a timestamped directory,
 * `..data` points at it, and each key is a symlink through `..data`. Updates swap `..data`
 * atomically, which is why the layout looks like this on a real node. Secrets and projected
 * tokens live on tmpfs (`tmpfs: true`), which shows as a sticky, world-writable root.
 */
export function keyedVolume(files: Record<string, string | Buffer>, opts: { now: number; defaultMode?: number; fsGroup?: number; modes?: Record<string, number>; tmpfs?: boolean }): DirNode {
  const gid = opts.fsGroup ?? 0;
  const stamp = `..${strftime('%Y_%m_%d_%H_%M_%S', opts.now)}.${String(opts.now % 1000).padStart(3, '0')}${String(Math.abs(hash(Object.keys(files).join(','))) % 1_000_000).padStart(6, '0')}`;
  const data: DirNode = { type: 'dir', entries: new Map(), mode: 0o755, uid: 0, gid, mtime: opts.now };
  const root: DirNode = { type: 'dir', entries: new Map(), mode: (opts.tmpfs ? 0o1777 : 0o777) | (opts.fsGroup !== undefined ? 0o2000 : 0), uid: 0, gid, mtime: opts.now };
  const topLevel = new Set<string>();
  for (const [key, content] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    // Keys with a path (items[].path: conf/app.yaml) get directories under the data directory.
    const parts = key.split('/');
    let dir = data;
    for (const part of parts.slice(0, -1)) {
      let next = dir.entries.get(part);
      if (!next) {
        next = { type: 'dir', entries: new Map(), mode: 0o755, uid: 0, gid, mtime: opts.now };
        dir.entries.set(part, next);
      }
      dir = next as DirNode;
    }
    const mode = opts.modes?.[key] ?? opts.defaultMode ?? 0o644;
    // With fsGroup the kubelet makes files group-readable for the group.
    const fileMode = opts.fsGroup !== undefined ? mode | 0o040 : mode;
    dir.entries.set(parts[parts.length - 1], { type: 'file', data: content, mode: fileMode, uid: 0, gid, mtime: opts.now });
    topLevel.add(parts[0]);
  }
  root.entries.set(stamp, data);
  root.entries.set('..data', link(stamp, opts.now));
  for (const name of topLevel) root.entries.set(name, link(`..data/${name}`, opts.now));
  return root;
}

function link(target: string, now: number): FsNode {
  return { type: 'symlink', target, mode: 0o777, uid: 0, gid: 0, mtime: now };
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

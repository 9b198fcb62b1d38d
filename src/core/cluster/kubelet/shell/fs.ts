// A container's filesystem in memory: the image's tree, built only when something first looks at
// it (a cluster may hold 150,000 containers and few are ever exec'd into), with volumes mounted on
// top. Permission, read-only and ownership rules are the kernel's, so what a learner sees under a
// securityContext is what a real node would show.
import { baseName, dirName, joinPath, normalizePath } from './path.js';
import type { User } from './user.js';

export interface Meta {
  /** Permission bits including setuid/setgid/sticky (0o7777). */
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
}
export interface DirNode extends Meta {
  type: 'dir';
  entries: Map<string, FsNode>;
}
export interface FileNode extends Meta {
  type: 'file';
  /** A function computes the content when read (the files under /proc). */
  data: Buffer | string | (() => Buffer | string);
  /** The program this executable runs: a command name, or 'busybox' for the multi-call binary. */
  program?: string;
}
export interface LinkNode extends Meta {
  type: 'symlink';
  target: string;
}
/** main-stdout/main-stderr: the container's main process's streams (/proc/1/fd/1), which `kubectl logs` shows. */
export type Device = 'null' | 'zero' | 'random' | 'tty' | 'stdin' | 'stdout' | 'stderr' | 'main-stdout' | 'main-stderr';
export interface DevNode extends Meta {
  type: 'dev';
  device: Device;
}
export type FsNode = DirNode | FileNode | LinkNode | DevNode;

const MESSAGES = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EROFS: 'Read-only file system',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Symbolic link loop',
  EXDEV: 'Invalid cross-device link',
  EINVAL: 'Invalid argument',
  EBUSY: 'Resource busy',
} as const;
export type FsErrorCode = keyof typeof MESSAGES;

export class FsError extends Error {
  constructor(readonly code: FsErrorCode, readonly path: string) {
    super(MESSAGES[code]);
  }
}

export interface MountInfo {
  path: string;
  root: DirNode;
  readOnly: boolean;
  /** What `df` and /proc/mounts call it: overlay, tmpfs, /dev/sda1… */
  source: string;
  fstype: string;
}

/** Where written bytes go: a regular file, or a device the caller turns into a stream. */
export type WriteTarget = { kind: 'file'; node: FileNode } | { kind: 'device'; device: Device };

const ROOT: User = { uid: 0, gid: 0, groups: [] };

interface Frame {
  node: FsNode;
  path: string;
  mount: MountInfo;
}

interface Resolved {
  node: FsNode | undefined;
  parent: DirNode;
  name: string;
  path: string;
  /** The mount the node (or the name to be created) lives in. */
  mount: MountInfo;
}

export interface FsOptions {
  now: () => number;
  readOnlyRoot?: boolean;
}

export function bytesOf(node: FileNode): Buffer {
  const d = typeof node.data === 'function' ? node.data() : node.data;
  return typeof d === 'string' ? Buffer.from(d) : d;
}

export function sizeOf(node: FsNode): number {
  if (node.type === 'dir') return 4096;
  if (node.type === 'symlink') return Buffer.byteLength(node.target);
  if (node.type === 'dev') return 0;
  if (typeof node.data === 'string') return Buffer.byteLength(node.data);
  if (typeof node.data === 'function') return 0; // as /proc reports its files
  return node.data.length;
}

/** The kernel's rwx check; root passes except for running a file nobody may execute. */
export function permits(user: User, node: Meta & { type: string }, want: 4 | 2 | 1): boolean {
  if (user.uid === 0) return want !== 1 || node.type === 'dir' || (node.mode & 0o111) !== 0;
  if (node.uid === user.uid) return ((node.mode >> 6) & want) !== 0;
  if (node.gid === user.gid || user.groups.includes(node.gid)) return ((node.mode >> 3) & want) !== 0;
  return (node.mode & want) !== 0;
}

export class ContainerFs {
  private tree?: DirNode;
  private readonly mounts = new Map<string, MountInfo>();
  private rootMount?: MountInfo;

  constructor(private readonly build: () => DirNode, private readonly opts: FsOptions) {}

  /** Whether the image's tree has been built (servers read defaults without building it). */
  get materialised(): boolean {
    return this.tree !== undefined;
  }

  private get root(): DirNode {
    if (!this.tree) {
      this.tree = this.build();
      this.rootMount = { path: '/', root: this.tree, readOnly: !!this.opts.readOnlyRoot, source: 'overlay', fstype: 'overlay' };
      const pending = [...this.mounts.values()].sort((a, b) => a.path.length - b.path.length);
      this.mounts.clear();
      for (const m of pending) this.attach(m);
    }
    return this.tree;
  }

  now(): number {
    return this.opts.now();
  }

  /** Attaches a subtree shared with other containers (a volume); its own writes show everywhere it is mounted. */
  mount(path: string, root: DirNode, opts: { readOnly?: boolean; source?: string; fstype?: string } = {}): void {
    const m: MountInfo = { path: normalizePath(path), root, readOnly: !!opts.readOnly, source: opts.source ?? 'tmpfs', fstype: opts.fstype ?? 'tmpfs' };
    if (this.tree) this.attach(m);
    else this.mounts.set(m.path, m);
  }

  mountTable(): MountInfo[] {
    void this.root;
    return [this.rootMount!, ...[...this.mounts.values()].sort((a, b) => a.path.localeCompare(b.path))];
  }

  /** The mount holding a path, for df. */
  mountOf(path: string): MountInfo {
    return this.resolve(path, ROOT, true).mount;
  }

  /** Mount points are kept by their physical path: /var/run/secrets is /run/secrets where /var/run is a link. */
  private attach(m: MountInfo): void {
    const parent = dirName(m.path);
    const name = baseName(m.path);
    if (!name) return;
    try {
      this.mkdir(parent, ROOT, { parents: true });
      const real = this.resolve(parent, ROOT, true);
      const dir = real.node as DirNode;
      const path = joinPath(real.path, name);
      if (!this.mounts.has(path) && dir.entries.get(name)?.type !== 'dir') dir.entries.set(name, dirNode(this.now()));
      this.mounts.set(path, { ...m, path });
    } catch {
      // A mount point under a read-only volume cannot be made; the kubelet would fail the pod earlier.
    }
  }

  private resolve(path: string, user: User, followLast: boolean, depth = 0): Resolved {
    if (depth > 40) throw new FsError('ELOOP', path);
    const root = this.root;
    const stack: Frame[] = [{ node: root, path: '/', mount: this.rootMount! }];
    const parts = normalizeSlashes(path).split('/').filter((p) => p !== '' && p !== '.');
    for (let i = 0; i < parts.length; i++) {
      const cur = stack[stack.length - 1];
      if (cur.node.type !== 'dir') throw new FsError('ENOTDIR', path);
      if (!permits(user, cur.node, 1)) throw new FsError('EACCES', path);
      const part = parts[i];
      if (part === '..') {
        if (stack.length > 1) stack.pop();
        continue;
      }
      const childPath = joinPath(cur.path, part);
      const mounted = this.mounts.get(childPath);
      const child = mounted ? mounted.root : cur.node.entries.get(part);
      const last = i === parts.length - 1;
      if (!child) {
        if (last) return { node: undefined, parent: cur.node, name: part, path: childPath, mount: cur.mount };
        throw new FsError('ENOENT', path);
      }
      if (child.type === 'symlink' && (!last || followLast)) {
        const rest = parts.slice(i + 1).join('/');
        const base = child.target.startsWith('/') ? child.target : `${cur.path}/${child.target}`;
        return this.resolve(rest ? `${base}/${rest}` : base, user, followLast, depth + 1);
      }
      stack.push({ node: child, path: childPath, mount: mounted ?? cur.mount });
    }
    const top = stack[stack.length - 1];
    const parent = stack.length > 1 ? (stack[stack.length - 2].node as DirNode) : (top.node as DirNode);
    return { node: top.node, parent, name: parts.length ? parts[parts.length - 1] : '', path: top.path, mount: top.mount };
  }

  private existing(path: string, user: User, follow: boolean): Resolved & { node: FsNode } {
    const r = this.resolve(path, user, follow);
    if (!r.node) throw new FsError('ENOENT', path);
    return r as Resolved & { node: FsNode };
  }

  /** The node a path names, following symlinks. */
  stat(path: string, user: User = ROOT): FsNode {
    return this.existing(path, user, true).node;
  }

  lstat(path: string, user: User = ROOT): FsNode {
    return this.existing(path, user, false).node;
  }

  exists(path: string, user: User = ROOT): boolean {
    try {
      return this.resolve(path, user, true).node !== undefined;
    } catch {
      return false;
    }
  }

  /** The physical path, symlinks resolved. */
  realpath(path: string, user: User = ROOT): string {
    return this.existing(path, user, true).path;
  }

  readFile(path: string, user: User = ROOT): Buffer {
    const node = this.stat(path, user);
    if (node.type === 'dir') throw new FsError('EISDIR', path);
    if (!permits(user, node, 4)) throw new FsError('EACCES', path);
    if (node.type === 'dev') return Buffer.alloc(0);
    if (node.type === 'symlink') throw new FsError('ELOOP', path);
    return bytesOf(node);
  }

  readdir(path: string, user: User = ROOT): string[] {
    const r = this.existing(path, user, true);
    if (r.node.type !== 'dir') throw new FsError('ENOTDIR', path);
    if (!permits(user, r.node, 4)) throw new FsError('EACCES', path);
    return [...r.node.entries.keys()].sort();
  }

  /** Opens for writing, creating the file as `user` would (owner, group, setgid inheritance). */
  openWrite(path: string, user: User = ROOT, opts: { append?: boolean; exclusive?: boolean; mode?: number } = {}): WriteTarget {
    const r = this.resolve(path, user, true);
    if (r.node) {
      if (opts.exclusive) throw new FsError('EEXIST', path);
      if (r.node.type === 'dir') throw new FsError('EISDIR', path);
      if (r.node.type === 'dev') return { kind: 'device', device: r.node.device };
      if (r.node.type !== 'file') throw new FsError('EINVAL', path);
      if (r.mount.readOnly) throw new FsError('EROFS', path);
      if (!permits(user, r.node, 2)) throw new FsError('EACCES', path);
      if (!opts.append) r.node.data = '';
      r.node.mtime = this.now();
      return { kind: 'file', node: r.node };
    }
    const node = this.create(r, user, { type: 'file', data: '', mode: opts.mode ?? 0o644 }) as FileNode;
    return { kind: 'file', node };
  }

  writeFile(path: string, data: string | Buffer, user: User = ROOT, opts: { append?: boolean; mode?: number } = {}): void {
    const t = this.openWrite(path, user, opts);
    if (t.kind === 'file') appendTo(t.node, data);
  }

  mkdir(path: string, user: User = ROOT, opts: { parents?: boolean; mode?: number } = {}): void {
    if (opts.parents) {
      let at = '';
      for (const part of normalizePath(path).split('/').filter(Boolean)) {
        at += `/${part}`;
        const r = this.resolve(at, user, true);
        if (r.node) {
          if (r.node.type !== 'dir') throw new FsError('ENOTDIR', at);
          continue;
        }
        this.create(r, user, { type: 'dir', entries: new Map(), mode: opts.mode ?? 0o755 });
      }
      return;
    }
    const r = this.resolve(path, user, false);
    if (r.node) throw new FsError('EEXIST', path);
    this.create(r, user, { type: 'dir', entries: new Map(), mode: opts.mode ?? 0o755 });
  }

  symlink(target: string, path: string, user: User = ROOT): void {
    const r = this.resolve(path, user, false);
    if (r.node) throw new FsError('EEXIST', path);
    this.create(r, user, { type: 'symlink', target, mode: 0o777 });
  }

  /** Places a copy of a node (cp, mv across mounts, tar extraction). */
  place(path: string, node: FsNode, user: User = ROOT, opts: { keepOwner?: boolean } = {}): void {
    const r = this.resolve(path, user, false);
    if (r.node?.type === 'dir') throw new FsError('EISDIR', path);
    if (r.mount.readOnly) throw new FsError('EROFS', path);
    if (!permits(user, r.parent, 2)) throw new FsError('EACCES', path);
    if (r.node && !permits(user, r.node, 2) && r.node.type === 'file') throw new FsError('EACCES', path);
    const owner = opts.keepOwner && user.uid === 0 ? {} : this.ownership(r.parent, user, node.type === 'dir');
    r.parent.entries.set(r.name, { ...node, ...owner } as FsNode);
    r.parent.mtime = this.now();
  }

  /** Removes a file, link or (recursive, or empty) directory. */
  remove(path: string, user: User = ROOT, opts: { recursive?: boolean } = {}): void {
    const r = this.existing(path, user, false);
    if (r.path === '/' || [...this.mounts.keys()].includes(r.path)) throw new FsError('EBUSY', path);
    if (r.mount.readOnly) throw new FsError('EROFS', path);
    this.checkRemovable(r.parent, r.node, user, path);
    if (r.node.type === 'dir') {
      if (r.node.entries.size && !opts.recursive) throw new FsError('ENOTEMPTY', path);
      if (opts.recursive) this.emptyDir(r.node, user, path);
    }
    r.parent.entries.delete(r.name);
    r.parent.mtime = this.now();
  }

  private emptyDir(dir: DirNode, user: User, path: string): void {
    for (const [name, child] of dir.entries) {
      const p = joinPath(path, name);
      this.checkRemovable(dir, child, user, p);
      if (child.type === 'dir') this.emptyDir(child, user, p);
      dir.entries.delete(name);
    }
  }

  private checkRemovable(parent: DirNode, node: FsNode, user: User, path: string): void {
    if (!permits(user, parent, 2) || !permits(user, parent, 1)) throw new FsError('EACCES', path);
    // The sticky bit (/tmp): only the owner of a file or of the directory may remove it.
    if (parent.mode & 0o1000 && user.uid !== 0 && node.uid !== user.uid && parent.uid !== user.uid) throw new FsError('EPERM', path);
  }

  rename(from: string, to: string, user: User = ROOT): void {
    const src = this.existing(from, user, false);
    let dst = this.resolve(to, user, true);
    if (dst.node?.type === 'dir') dst = this.resolve(joinPath(dst.path, src.name), user, false);
    if (src.mount !== dst.mount) throw new FsError('EXDEV', to);
    if (src.mount.readOnly) throw new FsError('EROFS', from);
    this.checkRemovable(src.parent, src.node, user, from);
    if (!permits(user, dst.parent, 2)) throw new FsError('EACCES', to);
    if (dst.node?.type === 'dir') throw new FsError('EISDIR', to);
    src.parent.entries.delete(src.name);
    dst.parent.entries.set(dst.name, src.node);
    src.parent.mtime = dst.parent.mtime = this.now();
  }

  chmod(path: string, mode: number, user: User = ROOT): void {
    const r = this.existing(path, user, true);
    if (r.mount.readOnly) throw new FsError('EROFS', path);
    if (user.uid !== 0 && r.node.uid !== user.uid) throw new FsError('EPERM', path);
    r.node.mode = mode & 0o7777;
  }

  chown(path: string, uid: number, gid: number, user: User = ROOT): void {
    const r = this.existing(path, user, true);
    if (r.mount.readOnly) throw new FsError('EROFS', path);
    if (user.uid !== 0) throw new FsError('EPERM', path);
    r.node.uid = uid;
    r.node.gid = gid;
  }

  /** touch on an existing file: needs write permission or ownership. */
  touch(path: string, user: User = ROOT, mtime = this.now()): void {
    const r = this.resolve(path, user, true);
    if (!r.node) {
      this.openWrite(path, user);
      return;
    }
    if (r.mount.readOnly) throw new FsError('EROFS', path);
    if (user.uid !== 0 && r.node.uid !== user.uid && !permits(user, r.node, 2)) throw new FsError('EACCES', path);
    r.node.mtime = mtime;
  }

  private create(r: Resolved, user: User, node: Omit<DirNode, keyof Meta> & { mode: number } | Omit<FileNode, keyof Meta> & { mode: number } | Omit<LinkNode, keyof Meta> & { mode: number }): FsNode {
    if (r.mount.readOnly) throw new FsError('EROFS', r.path);
    if (!permits(user, r.parent, 2)) throw new FsError('EACCES', r.path);
    const owner = this.ownership(r.parent, user, node.type === 'dir');
    const created = { ...node, ...owner, mode: node.mode | (owner.setgid ? 0o2000 : 0), mtime: this.now() } as FsNode & { setgid?: boolean };
    delete created.setgid;
    r.parent.entries.set(r.name, created);
    r.parent.mtime = this.now();
    return created;
  }

  /** A new node is the creator's, except that a setgid directory (an fsGroup volume) hands down its group. */
  private ownership(parent: DirNode, user: User, isDir: boolean): { uid: number; gid: number; setgid: boolean } {
    const inherit = (parent.mode & 0o2000) !== 0;
    return { uid: user.uid, gid: inherit ? parent.gid : user.gid, setgid: inherit && isDir };
  }
}

function normalizeSlashes(p: string): string {
  return p.replace(/\/+/g, '/');
}

export function appendTo(node: FileNode, data: string | Buffer): void {
  const cur = typeof node.data === 'function' ? node.data() : node.data;
  if (typeof cur === 'string' && typeof data === 'string') node.data = cur + data;
  else node.data = Buffer.concat([Buffer.from(cur), Buffer.from(data)]);
}

/** Builders for trees made in code (image layouts, volumes, tests). */
export function dirNode(mtime: number, mode = 0o755, uid = 0, gid = 0): DirNode {
  return { type: 'dir', entries: new Map(), mode, uid, gid, mtime };
}

// A container's root filesystem: the distribution's layout and tools, the image's own files, and
// what the kubelet and runtime add (/etc/hosts, /etc/hostname, /etc/resolv.conf, /dev, /proc).
import type { ImageInfo } from '../images.js';
import { binDir, groupText, osRelease, passwdOf, passwdText } from './distro-files.js';
import { ContainerFs, dirNode, type DevNode, type DirNode, type FileNode, type FsNode, type Meta } from './fs.js';
import { imageFiles } from './image-files.js';
import { KERNEL, MACHINE } from './kernel.js';
import type { Process } from './types.js';
import { commandsOf } from './toolbox.js';

export const CLUSTER_DNS = '10.96.0.10';
export const CLUSTER_DOMAIN = 'cluster.local';

export interface PodFacts {
  hostname: string;
  podIP: string;
  namespace: string;
  /** spec.hostAliases, appended to /etc/hosts as the kubelet does. */
  hostAliases?: Array<{ ip: string; hostnames: string[] }>;
  /** The subdomain a StatefulSet pod gets (hostname.subdomain.ns.svc.cluster.local in /etc/hosts). */
  subdomain?: string;
}

export interface ContainerFsOptions {
  image: ImageInfo;
  pod: PodFacts;
  now: () => number;
  readOnlyRoot?: boolean;
  /** The container's processes, for /proc. */
  processes?: () => Process[];
  /** Called as the tree is first built, to mount volumes then rather than for every container at start. */
  beforeBuild?: (fs: ContainerFs) => void;
}

/** A container's filesystem; the tree is built the first time something looks at it. Mount volumes with `fs.mount`. */
export function containerFs(opts: ContainerFsOptions): ContainerFs {
  const fs: ContainerFs = new ContainerFs(() => {
    opts.beforeBuild?.(fs);
    return imageTree(opts, fs);
  }, { now: opts.now, readOnlyRoot: opts.readOnlyRoot });
  return fs;
}

/** Each image's tree as no container has touched it, for reading what only the image decides. */
const pristine = new WeakMap<ImageInfo, ContainerFs>();

/** The image's untouched tree, built once per image; read it, never write it. */
export function pristineFs(image: ImageInfo): ContainerFs {
  let fs = pristine.get(image);
  if (!fs) pristine.set(image, (fs = containerFs({ image, pod: { hostname: 'localhost', podIP: '127.0.0.1', namespace: 'default' }, now: () => 0, readOnlyRoot: true })));
  return fs;
}

export function resolvConf(namespace: string): string {
  return `search ${namespace}.svc.${CLUSTER_DOMAIN} svc.${CLUSTER_DOMAIN} ${CLUSTER_DOMAIN}\nnameserver ${CLUSTER_DNS}\noptions ndots:5\n`;
}

export function hostsFile(pod: PodFacts): string {
  const fqdn = pod.subdomain ? `${pod.hostname}.${pod.subdomain}.${pod.namespace}.svc.${CLUSTER_DOMAIN}\t` : '';
  let text =
    '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
    `${pod.podIP}\t${fqdn}${pod.hostname}\n`;
  if (pod.hostAliases?.length) {
    text += '\n# Entries added by HostAliases.\n';
    for (const a of pod.hostAliases) text += `${a.ip}\t${a.hostnames.join('\t')}\n`;
  }
  return text;
}

const LAYOUT: Record<string, string[]> = {
  busybox: ['bin', 'dev', 'etc', 'home', 'lib', 'lib64', 'proc', 'root', 'sys', 'tmp', 'usr/sbin', 'var/spool/mail', 'var/www'],
  alpine: ['bin', 'dev', 'etc/apk', 'home', 'lib', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'sbin', 'srv', 'sys', 'tmp', 'usr/bin', 'usr/lib', 'usr/local/bin', 'usr/sbin', 'usr/share', 'var/cache', 'var/log', 'var/lib', 'var/tmp', 'var/run'],
  gnu: ['boot', 'dev', 'etc', 'home', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'srv', 'sys', 'tmp', 'usr/bin', 'usr/lib', 'usr/lib64', 'usr/local/bin', 'usr/local/sbin', 'usr/sbin', 'usr/share', 'var/cache', 'var/lib', 'var/log', 'var/tmp', 'var/run'],
  scratch: ['dev', 'etc', 'proc', 'sys'],
};

function imageTree(opts: ContainerFsOptions, fs: ContainerFs): DirNode {
  const { image, pod } = opts;
  const t = opts.now();
  const root = dirNode(t);
  const os = image.os;
  const gnu = !['busybox', 'alpine', 'scratch'].includes(os);
  const layout = gnu ? LAYOUT.gnu : LAYOUT[os];
  for (const d of layout) mkdirs(root, d, t);
  setMode(root, 'tmp', 0o1777);
  if (os !== 'scratch') setMode(root, 'root', 0o700);
  if (gnu) {
    for (const [name, target] of [['bin', 'usr/bin'], ['sbin', 'usr/sbin'], ['lib', 'usr/lib'], ['lib64', 'usr/lib64']]) root.entries.set(name, link(target, t));
  }
  if (os === 'alpine' || gnu) {
    const varDir = root.entries.get('var') as DirNode;
    varDir.entries.set('run', link('/run', t));
  }

  // The tools: busybox links every applet to one binary; elsewhere each is its own file.
  if (os !== 'scratch') {
    for (const name of commandsOf(image)) {
      if (name === '[[' ) continue;
      const dir = binDir(os, name);
      if (os === 'busybox' || os === 'alpine') put(root, `${dir}/${name}`, program('busybox', t));
      else if (name === 'sh' && image.shell === 'dash') {
        put(root, '/usr/bin/dash', program('dash', t));
        put(root, '/usr/bin/sh', link('dash', t));
      } else put(root, `${dir}/${name}`, program(name, t));
    }
    if (os === 'busybox' || os === 'alpine') put(root, '/bin/busybox', program('busybox', t));
  }

  // Distribution files.
  if (os !== 'scratch') {
    put(root, '/etc/passwd', file(passwdText(passwdOf(image)), t));
    put(root, '/etc/group', file(groupText(image), t));
    put(root, '/etc/shadow', file(passwdOf(image).map((e) => `${e.name}:*:19000:0:99999:7:::\n`).join(''), t, 0o640));
    const release = osRelease(image);
    if (release) put(root, '/etc/os-release', file(release, t));
    if (os === 'alpine') put(root, '/etc/alpine-release', file(`${/\d/.test(image.version) && image.repository.endsWith('/alpine') ? image.version : '3.20.3'}\n`, t));
    if (os === 'debian') put(root, '/etc/debian_version', file('12.8\n', t));
    put(root, '/etc/profile', file('export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n', t));
  }

  // The image's own files.
  for (const [path, f] of Object.entries(imageFiles(image))) {
    put(root, path, f.link !== undefined ? link(f.link, t) : f.program ? { ...program(f.program, t), data: f.data, mode: f.mode ?? 0o755 } : file(f.data, t, f.mode ?? 0o644));
  }
  if (image.workingDir && image.workingDir !== '/') mkdirs(root, image.workingDir.slice(1), t);

  // What the runtime and kubelet bind-mount into every container.
  put(root, '/etc/hostname', file(`${pod.hostname}\n`, t));
  put(root, '/etc/hosts', file(hostsFile(pod), t));
  put(root, '/etc/resolv.conf', file(resolvConf(pod.namespace), t));
  const devs: Array<[string, DevNode['device'], number]> = [['null', 'null', 0o666], ['zero', 'zero', 0o666], ['random', 'random', 0o666], ['urandom', 'random', 0o666], ['tty', 'tty', 0o666], ['stdin', 'stdin', 0o666], ['stdout', 'stdout', 0o666], ['stderr', 'stderr', 0o666]];
  for (const [name, device, mode] of devs) put(root, `/dev/${name}`, { type: 'dev', device, mode, uid: 0, gid: 0, mtime: t });
  mkdirs(root, 'dev/pts', t);
  mkdirs(root, 'dev/shm', t);
  setMode(root, 'dev/shm', 0o1777);
  put(root, '/dev/termination-log', file('', t, 0o666));
  procFiles(root, opts, fs, t);
  return root;
}

function procFiles(root: DirNode, opts: ContainerFsOptions, fs: ContainerFs, t: number): void {
  const cpuinfo = Array.from({ length: MACHINE.cpus }, (_, i) => `processor\t: ${i}\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\ncpu MHz\t\t: 2200.000\ncpu cores\t: ${MACHINE.cpus}\n\n`).join('');
  put(root, '/proc/cpuinfo', file(cpuinfo, t, 0o444));
  put(root, '/proc/version', file(`${KERNEL.sysname} version ${KERNEL.release} (buildd@lcy02-amd64-001) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) ${KERNEL.version}\n`, t, 0o444));
  put(root, '/proc/meminfo', dynamic(() => {
    const total = MACHINE.memoryKiB;
    const free = Math.round(total * 0.42);
    return `MemTotal:       ${String(total).padStart(8)} kB\nMemFree:        ${String(free).padStart(8)} kB\nMemAvailable:   ${String(Math.round(total * 0.71)).padStart(8)} kB\nBuffers:        ${String(215_344).padStart(8)} kB\nCached:         ${String(Math.round(total * 0.25)).padStart(8)} kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n`;
  }, t));
  put(root, '/proc/mounts', dynamic(() => fs.mountTable().map((m) => `${m.source} ${m.path} ${m.fstype} ${m.readOnly ? 'ro' : 'rw'},relatime 0 0\n`).join(''), t));
  put(root, '/proc/uptime', dynamic(() => {
    const up = (opts.now() % 10_000_000) / 1000 + 86_400;
    return `${up.toFixed(2)} ${(up * 3.6).toFixed(2)}\n`;
  }, t));
  put(root, '/proc/loadavg', file('0.18 0.22 0.19 1/312 42\n', t, 0o444));
  if (opts.processes) {
    const list = opts.processes;
    put(root, '/proc/1/cmdline', dynamic(() => (list().find((p) => p.pid === 1)?.argv ?? []).map((a) => `${a}\0`).join(''), t));
    for (const [fd, device] of [['1', 'main-stdout'], ['2', 'main-stderr']] as const) put(root, `/proc/1/fd/${fd}`, { type: 'dev', device, mode: 0o620, uid: 0, gid: 0, mtime: t });
    put(root, '/proc/1/status', dynamic(() => `Name:\t${(list().find((p) => p.pid === 1)?.argv[0] ?? '').split('/').pop()}\nState:\tS (sleeping)\nPid:\t1\nPPid:\t0\n`, t));
  }
}

function mkdirs(root: DirNode, path: string, t: number): DirNode {
  let dir = root;
  for (const part of path.split('/').filter(Boolean)) {
    let next = dir.entries.get(part);
    if (next?.type === 'symlink') {
      // /bin → usr/bin and the like: follow within the tree.
      next = lookup(root, next.target.startsWith('/') ? next.target : `${pathOf(root, dir)}/${next.target}`);
    }
    if (!next || next.type !== 'dir') {
      next = dirNode(t);
      dir.entries.set(part, next);
    }
    dir = next as DirNode;
  }
  return dir;
}

function lookup(root: DirNode, path: string): FsNode | undefined {
  let node: FsNode | undefined = root;
  for (const part of path.split('/').filter(Boolean)) {
    if (node?.type !== 'dir') return undefined;
    node = node.entries.get(part);
    if (node?.type === 'symlink') node = lookup(root, node.target.startsWith('/') ? node.target : path.slice(0, path.lastIndexOf(part)) + node.target);
  }
  return node;
}

/** The path of a directory inside the tree (only used for relative links, which sit at the top). */
function pathOf(root: DirNode, dir: DirNode): string {
  if (dir === root) return '';
  for (const [name, n] of root.entries) if (n === dir) return `/${name}`;
  return '';
}

function put(root: DirNode, path: string, node: FsNode): void {
  const i = path.lastIndexOf('/');
  const dir = mkdirs(root, path.slice(0, i), node.mtime);
  dir.entries.set(path.slice(i + 1), node);
}

function setMode(root: DirNode, path: string, mode: number): void {
  const n = lookup(root, path);
  if (n) n.mode = mode;
}

const meta = (t: number, mode: number): Meta => ({ mode, uid: 0, gid: 0, mtime: t });

function file(data: string, t: number, mode = 0o644): FileNode {
  return { type: 'file', data, ...meta(t, mode) };
}

function dynamic(fn: () => string, t: number): FileNode {
  return { type: 'file', data: fn, ...meta(t, 0o444) };
}

function program(name: string, t: number): FileNode {
  return { type: 'file', data: `\x7fELF ${name}\n`, program: name, ...meta(t, 0o755) };
}

function link(target: string, t: number): FsNode {
  return { type: 'symlink', target, ...meta(t, 0o777) };
}

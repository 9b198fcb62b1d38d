// The base layers images are built on: which shell is /bin/sh and which tools come installed.
// The differences are what learners trip on: Debian-based images have no ping, wget or ps, busybox
// has wget and nslookup but no curl.
import type { Distro, ShellFlavour } from './types.js';

/** busybox applets the simulation implements. */
const BUSYBOX = [
  'busybox', 'sh', 'ash', 'echo', 'printf', 'cat', 'ls', 'env', 'printenv', 'hostname', 'date', 'ps', 'df', 'id', 'whoami',
  'uname', 'pwd', 'mkdir', 'touch', 'rm', 'rmdir', 'cp', 'mv', 'ln', 'chmod', 'chown', 'head', 'tail', 'wc', 'grep', 'sort',
  'uniq', 'cut', 'tr', 'tee', 'sleep', 'nslookup', 'wget', 'ping', 'nc', 'tar', 'kill', 'which', 'true', 'false', 'test', '[',
  '[[', 'basename', 'dirname', 'seq', 'free', 'uptime', 'nproc', 'find', 'sed', 'xargs', 'base64',
] as const;

/** coreutils, grep, sed, tar, findutils, hostname and debianutils: a slim Debian. procps is not there. */
const GNU = [
  'sh', 'bash', 'echo', 'printf', 'cat', 'ls', 'env', 'printenv', 'hostname', 'date', 'df', 'id', 'whoami', 'uname', 'pwd',
  'mkdir', 'touch', 'rm', 'rmdir', 'cp', 'mv', 'ln', 'chmod', 'chown', 'head', 'tail', 'wc', 'grep', 'sort', 'uniq', 'cut',
  'tr', 'tee', 'sleep', 'tar', 'which', 'true', 'false', 'test', '[', 'basename', 'dirname', 'seq', 'nproc', 'find', 'sed',
  'xargs', 'base64',
] as const;

export const PROCPS = ['ps', 'free', 'uptime', 'kill'] as const;

export interface DistroSpec {
  shell: ShellFlavour | null;
  commands: readonly string[];
  /** Whose versions of the tools: their messages differ. */
  toolset: 'busybox' | 'gnu' | 'none';
}

export const DISTROS: Record<Distro, DistroSpec> = {
  busybox: { shell: 'sh', commands: BUSYBOX, toolset: 'busybox' },
  alpine: { shell: 'sh', commands: BUSYBOX, toolset: 'busybox' },
  debian: { shell: 'dash', commands: GNU, toolset: 'gnu' },
  ubuntu: { shell: 'dash', commands: [...GNU, ...PROCPS], toolset: 'gnu' },
  centos: { shell: 'bash', commands: [...GNU, ...PROCPS, 'curl'], toolset: 'gnu' },
  oraclelinux: { shell: 'bash', commands: GNU, toolset: 'gnu' },
  scratch: { shell: null, commands: [], toolset: 'none' },
};

export function toolsetOf(os: Distro): DistroSpec['toolset'] {
  return DISTROS[os].toolset;
}

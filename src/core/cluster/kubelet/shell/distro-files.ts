// The files a distribution puts in /etc that learners read: who the users are, which release
// this is. Kept per distribution so `cat /etc/os-release` tells Debian from Alpine.
import type { Distro, ImageInfo } from '../images.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

const p = (line: string): PasswdEntry => {
  const [name, , uid, gid, gecos, home, shell] = line.split(':');
  return { name, uid: Number(uid), gid: Number(gid), gecos, home, shell };
};

const BUSYBOX_PASSWD = ['root:x:0:0:root:/root:/bin/sh', 'daemon:x:1:1:daemon:/usr/sbin:/bin/false', 'bin:x:2:2:bin:/bin:/bin/false', 'sys:x:3:3:sys:/dev:/bin/false', 'sync:x:4:100:sync:/bin:/bin/sync', 'mail:x:8:8:mail:/var/spool/mail:/bin/false', 'www-data:x:33:33:www-data:/var/www:/bin/false', 'operator:x:37:37:Operator:/var:/bin/false', 'nobody:x:65534:65534:nobody:/home:/bin/false'];
const ALPINE_PASSWD = ['root:x:0:0:root:/root:/bin/sh', 'bin:x:1:1:bin:/bin:/sbin/nologin', 'daemon:x:2:2:daemon:/sbin:/sbin/nologin', 'lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin', 'sync:x:5:0:sync:/sbin:/bin/sync', 'shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown', 'halt:x:7:0:halt:/sbin:/sbin/halt', 'mail:x:8:12:mail:/var/mail:/sbin/nologin', 'news:x:9:13:news:/usr/lib/news:/sbin/nologin', 'uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin', 'cron:x:16:16:cron:/var/spool/cron:/sbin/nologin', 'ftp:x:21:21::/var/lib/ftp:/sbin/nologin', 'sshd:x:22:22:sshd:/dev/null:/sbin/nologin', 'games:x:35:35:games:/usr/games:/sbin/nologin', 'ntp:x:123:123:NTP:/var/empty:/sbin/nologin', 'guest:x:405:100:guest:/dev/null:/sbin/nologin', 'nobody:x:65534:65534:nobody:/:/sbin/nologin'];
const DEBIAN_PASSWD = ['root:x:0:0:root:/root:/bin/bash', 'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin', 'bin:x:2:2:bin:/bin:/usr/sbin/nologin', 'sys:x:3:3:sys:/dev:/usr/sbin/nologin', 'sync:x:4:65534:sync:/bin:/bin/sync', 'games:x:5:60:games:/usr/games:/usr/sbin/nologin', 'man:x:6:12:man:/var/cache/man:/usr/sbin/nologin', 'lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin', 'mail:x:8:8:mail:/var/mail:/usr/sbin/nologin', 'news:x:9:9:news:/var/spool/news:/usr/sbin/nologin', 'uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin', 'proxy:x:13:13:proxy:/bin:/usr/sbin/nologin', 'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin', 'backup:x:34:34:backup:/var/backups:/usr/sbin/nologin', 'list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin', 'irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin', '_apt:x:42:65534::/nonexistent:/usr/sbin/nologin', 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin'];
const CENTOS_PASSWD = ['root:x:0:0:root:/root:/bin/bash', 'bin:x:1:1:bin:/bin:/sbin/nologin', 'daemon:x:2:2:daemon:/sbin:/sbin/nologin', 'adm:x:3:4:adm:/var/adm:/sbin/nologin', 'lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin', 'sync:x:5:0:sync:/sbin:/bin/sync', 'shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown', 'halt:x:7:0:halt:/sbin:/sbin/halt', 'mail:x:8:12:mail:/var/spool/mail:/sbin/nologin', 'operator:x:11:0:operator:/root:/sbin/nologin', 'games:x:12:100:games:/usr/games:/sbin/nologin', 'ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin', 'nobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin'];

const PASSWD: Record<Distro, string[]> = { busybox: BUSYBOX_PASSWD, alpine: ALPINE_PASSWD, debian: DEBIAN_PASSWD, ubuntu: DEBIAN_PASSWD, centos: CENTOS_PASSWD, oraclelinux: CENTOS_PASSWD, scratch: [] };

/** Users images add for their own program. */
const IMAGE_USERS: Array<[RegExp, string]> = [
  [/\/nginx$|hello-kiamol$/, 'nginx:x:101:101:nginx user:/nonexistent:/bin/false'],
  [/\/redis$/, 'redis:x:999:999::/home/redis:/usr/sbin/nologin'],
  [/\/postgres$/, 'postgres:x:999:999::/var/lib/postgresql:/bin/bash'],
  [/\/mysql$/, 'mysql:x:999:999::/var/lib/mysql:/bin/bash'],
  [/\/mongo$/, 'mongodb:x:999:999::/home/mongodb:/bin/sh'],
  [/\/memcached$/, 'memcache:x:11211:11211::/home/memcache:/bin/sh'],
  [/\/node$|node-hello$/, 'node:x:1000:1000::/home/node:/bin/bash'],
  [/\/ubuntu$/, 'ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash'],
];

export function passwdOf(image: ImageInfo): PasswdEntry[] {
  const base = PASSWD[image.os].map(p);
  for (const [re, line] of IMAGE_USERS) if (re.test(image.repository)) base.splice(base.length - 1, 0, p(line));
  return base;
}

export function passwdText(entries: PasswdEntry[]): string {
  return entries.map((e) => `${e.name}:x:${e.uid}:${e.gid}:${e.gecos}:${e.home}:${e.shell}\n`).join('');
}

/** Groups: every user's primary group, named after it, plus the distribution's few shared ones. */
export function groupText(image: ImageInfo): string {
  const seen = new Set<number>();
  const lines: string[] = [];
  const extra = image.os === 'alpine' || image.os === 'busybox' ? ['wheel:x:10:root', 'users:x:100:'] : ['users:x:100:'];
  for (const e of passwdOf(image)) {
    if (seen.has(e.gid)) continue;
    seen.add(e.gid);
    lines.push(`${e.gid === 65534 ? (image.os === 'debian' || image.os === 'ubuntu' ? 'nogroup' : 'nobody') : e.name}:x:${e.gid}:`);
  }
  return [...lines.slice(0, -1), ...extra, lines[lines.length - 1]].map((l) => `${l}\n`).join('');
}

export function groupsOf(image: ImageInfo): Array<{ name: string; gid: number }> {
  return groupText(image)
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => ({ name: l.split(':')[0], gid: Number(l.split(':')[2]) }));
}

export function osRelease(image: ImageInfo): string | undefined {
  const repo = image.repository;
  switch (image.os) {
    case 'alpine': {
      const v = repo.endsWith('/alpine') ? image.version : '3.20.3';
      return `NAME="Alpine Linux"\nID=alpine\nVERSION_ID=${v}\nPRETTY_NAME="Alpine Linux v${v.split('.').slice(0, 2).join('.')}"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n`;
    }
    case 'debian':
      return 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n';
    case 'ubuntu': {
      const v = repo.endsWith('/ubuntu') && /^\d/.test(image.version) ? image.version : '22.04';
      const names: Record<string, string> = { '14.04': 'Trusty Tahr', '16.04': 'Xenial Xerus', '18.04': 'Bionic Beaver', '20.04': 'Focal Fossa', '22.04': 'Jammy Jellyfish', '24.04': 'Noble Numbat', '24.10': 'Oracular Oriole' };
      const full = names[v] ?? 'Plucky Puffin';
      const code = full.split(' ')[0].toLowerCase();
      const lts = v.endsWith('.04') && Number(v.split('.')[0]) % 2 === 0;
      return `PRETTY_NAME="Ubuntu ${v}${lts ? ' LTS' : ''}"\nNAME="Ubuntu"\nVERSION_ID="${v}"\nVERSION="${v}${lts ? ' LTS' : ''} (${full})"\nVERSION_CODENAME=${code}\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\nBUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nUBUNTU_CODENAME=${code}\n`;
    }
    case 'centos': {
      const major = image.version.split('.')[0];
      return `NAME="CentOS Linux"\nVERSION="${major}"\nID="centos"\nID_LIKE="rhel fedora"\nVERSION_ID="${major}"\nPLATFORM_ID="platform:el${major}"\nPRETTY_NAME="CentOS Linux ${major}"\nANSI_COLOR="0;31"\nCPE_NAME="cpe:/o:centos:centos:${major}"\nHOME_URL="https://centos.org/"\nBUG_REPORT_URL="https://bugs.centos.org/"\n`;
    }
    case 'oraclelinux':
      return 'NAME="Oracle Linux Server"\nVERSION="9.5"\nID="ol"\nID_LIKE="fedora"\nVARIANT="Server"\nVARIANT_ID="server"\nVERSION_ID="9.5"\nPLATFORM_ID="platform:el9"\nPRETTY_NAME="Oracle Linux Server 9.5"\nANSI_COLOR="0;31"\nCPE_NAME="cpe:/o:oracle:linux:9:5:server"\nHOME_URL="https://linux.oracle.com/"\n';
    default:
      return undefined;
  }
}

/** Where a distribution keeps its command-line tools. */
export function binDir(os: Distro, name: string): string {
  if (os === 'alpine') {
    if (['ping', 'ls', 'cat', 'echo', 'date', 'df', 'hostname', 'kill', 'mkdir', 'mv', 'cp', 'rm', 'rmdir', 'ln', 'chmod', 'chown', 'ps', 'pwd', 'sed', 'sleep', 'tar', 'touch', 'true', 'false', 'uname', 'grep', 'sh', 'ash', 'busybox', 'gzip', 'gunzip', 'zcat'].includes(name)) return '/bin';
    return '/usr/bin';
  }
  if (os === 'busybox') return '/bin';
  return '/usr/bin';
}

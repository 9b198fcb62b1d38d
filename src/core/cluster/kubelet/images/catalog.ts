// The repositories a learner meets, with the tags each really has and the config each tag's image
// carries (entrypoint, cmd, env, user, ports), as `docker inspect` would show it.
import { agnhostServer, cadvisorServer, componentServer, echoServer, fluentdServer, haproxyServer, httpdServer, httpEchoServer, kuardServer, mariadbServer, mongoServer, mysqlServer, nginxServer, postgresServer, quietServer, rabbitmqServer, redisServer, textServer, traefikServer } from './servers.js';
import { ALPINE, compareVersions, DEBIAN, UBUNTU, type TagRule } from './tags.js';
import type { Distro, ImageServer } from './types.js';
import { own } from '../../own.js';

export interface TagFacts {
  tag: string;
  version: string;
  variant?: string;
  os: Distro;
}

export interface ImageConfig {
  entrypoint?: string[];
  cmd: string[];
  workingDir?: string;
  env?: Record<string, string>;
  user?: string;
  ports?: number[];
  server?: ImageServer;
  overlay?: string;
  /** Programs the image adds to its distribution, and ones it lacks. */
  extra?: readonly string[];
  without?: readonly string[];
}

export interface RepoEntry {
  tags: TagRule;
  /** The release `latest` points at. */
  current: string;
  /** Releases other named tags point at (stable, lts…). */
  named?: Record<string, string>;
  os: Distro;
  /** Compressed size of the default variant, and of others when they differ. */
  size: number;
  sizes?: Partial<Record<'alpine' | 'slim' | 'busybox', number>>;
  memory: number;
  config(t: TagFacts): ImageConfig;
}

export const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Ubuntu's release numbers, YY.04 and YY.10, from one year to another. */
const ubuntuReleases = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => [`${from + i}.04`, `${from + i}.10`]).flat();
const WGET_CURL_PROCPS = ['curl', 'wget', 'ps', 'free', 'uptime', 'kill'] as const;

const NJS: Record<string, string> = { '1.19': '0.5.0', '1.20': '0.5.3', '1.21': '0.7.3', '1.22': '0.7.9', '1.23': '0.7.11', '1.24': '0.7.12', '1.25': '0.8.4', '1.26': '0.8.5', '1.27': '0.8.7', '1.28': '0.8.10', '1.29': '0.9.1' };

function nginxConfig(t: TagFacts): ImageConfig {
  const alpine = t.os === 'alpine';
  const series = t.version.split('.').slice(0, 2).join('.');
  const modern = compareVersions(t.version, '1.19') >= 0;
  const env: Record<string, string> = { PATH, NGINX_VERSION: t.version };
  if (NJS[series]) env.NJS_VERSION = NJS[series];
  // Debian-based images follow Debian's releases: trixie from 1.29.1 on.
  const codename = compareVersions(t.version, '1.29.1') >= 0 ? 'trixie' : 'bookworm';
  env.PKG_RELEASE = alpine ? '1' : modern ? `1~${t.variant && DEBIAN.includes(t.variant as (typeof DEBIAN)[number]) ? t.variant : codename}` : '1~jessie';
  return {
    entrypoint: modern ? ['/docker-entrypoint.sh'] : undefined,
    cmd: ['nginx', '-g', 'daemon off;'],
    env,
    ports: [80],
    server: nginxServer(t.version, alpine),
    overlay: 'nginx',
    // curl came with the entrypoint-era images; the older ones had no HTTP client at all.
    extra: modern ? ['curl'] : [],
  };
}

const KUBE_TAGS = ['v1.33.1', 'v1.33.0', 'v1.32.5', 'v1.31.9', 'v1.30.13', 'v1.29.14', 'v1.28.15', 'v1.27.16'];

/** A control-plane or add-on image: distroless, one program that serves its health endpoints. */
function component(program: string, tags: string[], size: number, memory: number, entrypoint: string[], ports: number[]): RepoEntry {
  return {
    tags: { names: [], exact: tags },
    current: tags[0],
    os: 'scratch',
    size,
    memory,
    config: () => ({ entrypoint, cmd: [], env: { PATH }, ports, server: componentServer(program, ports) }),
  };
}

export const CATALOG: Record<string, RepoEntry> = {
  'docker.io/library/nginx': {
    tags: {
      names: ['latest', 'stable', 'mainline'],
      versions: {
        oldest: '1.7',
        lastPatch: { '1.7': 12, '1.9': 15, '1.10': 3, '1.11': 13, '1.12': 2, '1.13': 12, '1.14': 2, '1.15': 12, '1.16': 1, '1.17': 10, '1.18': 0, '1.19': 10, '1.20': 2, '1.21': 6, '1.22': 1, '1.23': 4, '1.24': 0, '1.25': 5, '1.26': 2, '1.27': 3, '1.28': 0 },
        maxPatch: 20,
      },
      distros: [...DEBIAN, ...ALPINE],
      flavours: ['slim', 'perl', 'otel'],
    },
    current: '1.29.1',
    named: { stable: '1.28.0' },
    os: 'debian',
    size: 72_099_410,
    sizes: { alpine: 20_445_862 },
    memory: 4_718_592,
    config: nginxConfig,
  },
  'docker.io/library/busybox': {
    tags: {
      names: ['latest', 'stable', 'unstable'],
      versions: { oldest: '1.24', lastPatch: { '1.24': 2, '1.25': 1, '1.26': 2, '1.27': 2, '1.28': 4, '1.29': 3, '1.30': 1, '1.31': 1, '1.32': 1, '1.33': 1, '1.34': 1, '1.35': 0, '1.36': 1 }, maxPatch: 9 },
      flavours: ['musl', 'glibc', 'uclibc'],
    },
    current: '1.37.0',
    named: { stable: '1.36.1' },
    os: 'busybox',
    size: 2_155_122,
    memory: 393_216,
    config: () => ({ cmd: ['sh'], env: { PATH } }),
  },
  'docker.io/library/alpine': {
    tags: {
      names: ['latest', 'edge'],
      versions: { oldest: '3.4', lastPatch: { '3.4': 6, '3.5': 3, '3.6': 5, '3.7': 3, '3.8': 5, '3.9': 6, '3.10': 9, '3.11': 13, '3.12': 12, '3.13': 12, '3.14': 10, '3.15': 11, '3.16': 9, '3.17': 10, '3.18': 12, '3.19': 8, '3.20': 7, '3.21': 4 }, maxPatch: 20 },
    },
    current: '3.22.1',
    os: 'alpine',
    size: 3_623_807,
    memory: 393_216,
    config: () => ({ cmd: ['/bin/sh'], env: { PATH } }),
  },
  'docker.io/library/redis': {
    tags: {
      names: ['latest'],
      versions: { oldest: '3.2', lastPatch: { '3.2': 12, '4.0': 14, '5.0': 14, '6.0': 20, '6.2': 19, '7.0': 15, '7.2': 10, '7.4': 5, '8.0': 3 }, ahead: { major: 1 } },
      distros: [...DEBIAN, ...ALPINE],
    },
    current: '8.2.1',
    os: 'debian',
    size: 45_044_118,
    sizes: { alpine: 16_938_422 },
    memory: 3_565_158,
    config: (t) => ({
      entrypoint: ['docker-entrypoint.sh'],
      cmd: ['redis-server'],
      workingDir: '/data',
      env: { PATH, GOSU_VERSION: '1.17', REDIS_VERSION: t.version },
      ports: [6379],
      server: redisServer(t.version),
    }),
  },
  'docker.io/library/httpd': {
    tags: { names: ['latest'], versions: { oldest: '2.2', lastPatch: { '2.2': 34 }, maxPatch: 80 }, distros: [...DEBIAN, ...ALPINE] },
    current: '2.4.65',
    os: 'debian',
    size: 58_020_011,
    sizes: { alpine: 21_344_780 },
    memory: 8_912_896,
    config: (t) => ({
      cmd: ['httpd-foreground'],
      workingDir: '/usr/local/apache2',
      env: { PATH: `/usr/local/apache2/bin:${PATH}`, HTTPD_PREFIX: '/usr/local/apache2', HTTPD_VERSION: t.version, HTTPD_PATCHES: '' },
      ports: [80],
      server: httpdServer(t.version),
      overlay: 'httpd',
    }),
  },
  'docker.io/library/ubuntu': {
    // Ubuntu releases every April and October: YY.04 and YY.10, named by codename too.
    tags: { names: ['latest', 'rolling', 'devel', 'trusty', 'xenial', 'bionic', 'focal', 'jammy', 'noble', 'oracular', 'plucky', 'questing', ...ubuntuReleases(14, 26)] },
    current: '24.04',
    named: { rolling: '25.04', devel: '25.10', trusty: '14.04', xenial: '16.04', bionic: '18.04', focal: '20.04', jammy: '22.04', noble: '24.04', oracular: '24.10', plucky: '25.04', questing: '25.10' },
    os: 'ubuntu',
    size: 29_754_290,
    memory: 1_048_576,
    config: () => ({ cmd: ['/bin/bash'], env: { PATH } }),
  },
  'docker.io/library/debian': {
    tags: {
      names: ['latest', 'stable', 'oldstable', 'oldoldstable', 'testing', 'unstable', 'sid', 'forky', 'trixie', 'bookworm', 'bullseye', 'buster', 'stretch', 'jessie'],
      versions: { oldest: '7', lastPatch: { '7': 11, '8': 11, '9': 13, '10': 13, '11': 11, '12': 11 }, ahead: { major: 1 }, maxMinor: 20 },
      flavours: ['slim', 'backports'],
    },
    current: '13.1',
    named: { oldstable: '12.11', bookworm: '12.11', oldoldstable: '11.11', bullseye: '11.11', buster: '10.13', stretch: '9.13', jessie: '8.11', testing: '14', forky: '14', unstable: 'sid', sid: 'sid' },
    os: 'debian',
    size: 48_480_136,
    sizes: { slim: 28_230_412 },
    memory: 1_048_576,
    config: () => ({ cmd: ['bash'], env: { PATH } }),
  },
  'docker.io/library/centos': {
    tags: { names: ['latest'], exact: ['latest', '6', '7', '8', 'centos6', 'centos7', 'centos8', '7.9.2009', 'centos7.9.2009', '8.4.2105', 'centos8.4.2105', '8.3.2011', '6.10'] },
    current: '8.4.2105',
    named: { '7': '7.9.2009', centos7: '7.9.2009', '7.9.2009': '7.9.2009', 'centos7.9.2009': '7.9.2009', '6': '6.10', centos6: '6.10', '6.10': '6.10', '8.3.2011': '8.3.2011' },
    os: 'centos',
    size: 83_518_086,
    memory: 1_048_576,
    config: () => ({ cmd: ['/bin/bash'], env: { PATH } }),
  },
  'docker.io/library/node': {
    tags: {
      names: ['latest', 'lts', 'current'],
      // A new major every six months: node 25 and 26 are as plausible as 24.
      versions: { oldest: '4', lastPatch: { '4': 9, '6': 17, '8': 17, '10': 24, '12': 22, '14': 21, '16': 20, '18': 20, '20': 19, '21': 7, '22': 19, '23': 11 }, ahead: { major: 2, minor: 20 } },
      distros: [...DEBIAN, ...ALPINE],
      flavours: ['slim'],
    },
    current: '24.8.0',
    named: { lts: '22.19.0' },
    os: 'debian',
    size: 397_181_442,
    sizes: { alpine: 47_920_311, slim: 70_811_590 },
    memory: 36_700_160,
    config: (t) => ({
      entrypoint: ['docker-entrypoint.sh'],
      cmd: ['node'],
      env: { PATH, NODE_VERSION: t.version, YARN_VERSION: '1.22.22' },
      extra: t.os === 'debian' && !t.variant?.includes('slim') ? WGET_CURL_PROCPS : [],
    }),
  },
  'docker.io/library/python': {
    tags: {
      names: ['latest'],
      versions: { oldest: '2.7', lastPatch: { '2.7': 18, '3.5': 10, '3.6': 15, '3.7': 17, '3.8': 20, '3.9': 23, '3.10': 18, '3.11': 13, '3.12': 11 } },
      distros: [...DEBIAN, ...ALPINE],
      flavours: ['slim'],
    },
    current: '3.13.7',
    os: 'debian',
    size: 370_114_227,
    sizes: { alpine: 18_310_043, slim: 45_322_108 },
    memory: 9_437_184,
    config: (t) => ({
      cmd: ['python3'],
      env: { PATH: `/usr/local/bin:${PATH.replace('/usr/local/bin:', '')}`, LANG: 'C.UTF-8', PYTHON_VERSION: t.version },
      extra: t.os === 'debian' && !t.variant?.includes('slim') ? WGET_CURL_PROCPS : [],
    }),
  },
  'docker.io/library/postgres': {
    tags: {
      names: ['latest'],
      versions: { oldest: '9.6', lastPatch: { '9': 24, '10': 23, '11': 22, '12': 22, '13': 22, '14': 19, '15': 14, '16': 10 }, ahead: { major: 1 } },
      distros: [...DEBIAN, ...ALPINE],
    },
    current: '17.6',
    os: 'debian',
    size: 158_330_416,
    sizes: { alpine: 103_214_561 },
    memory: 39_845_888,
    config: (t) => {
      const major = t.version.split('.')[0];
      return {
        entrypoint: ['docker-entrypoint.sh'],
        cmd: ['postgres'],
        env: { PATH: `${PATH}:/usr/lib/postgresql/${major}/bin`, GOSU_VERSION: '1.17', LANG: 'en_US.utf8', PG_MAJOR: major, PG_VERSION: `${t.version}-1.pgdg120+1`, PGDATA: '/var/lib/postgresql/data' },
        ports: [5432],
        server: postgresServer(t.version),
      };
    },
  },
  'docker.io/library/mysql': {
    tags: {
      names: ['latest', 'lts', 'innovation'],
      versions: { oldest: '5.5', lastPatch: { '5.5': 62, '5.6': 51, '5.7': 44, '8.0': 43, '8.4': 6, '9.0': 1, '9.1': 0, '9.2': 0, '9.3': 0 }, ahead: { major: 1 }, maxPatch: 70 },
      flavours: ['oracle', 'oraclelinux9', 'oraclelinux8', 'debian'],
    },
    current: '9.4.0',
    named: { lts: '8.4.6' },
    os: 'oraclelinux',
    size: 168_210_345,
    memory: 377_487_360,
    config: (t) => ({
      entrypoint: ['docker-entrypoint.sh'],
      cmd: ['mysqld'],
      env: { PATH, GOSU_VERSION: '1.17', MYSQL_MAJOR: t.version.split('.').slice(0, 2).join('.'), MYSQL_VERSION: `${t.version}-1.el9`, MYSQL_SHELL_VERSION: `${t.version}-1.el9` },
      ports: [3306, 33060],
      server: mysqlServer(t.version),
    }),
  },
  'docker.io/library/mongo': {
    tags: { names: ['latest'], versions: { oldest: '3.6', lastPatch: { '3.6': 23, '4.0': 28, '4.2': 24, '4.4': 29, '5.0': 31, '6.0': 25, '7.0': 24 }, ahead: { major: 1 } }, distros: UBUNTU },
    current: '8.0.13',
    os: 'ubuntu',
    size: 254_830_176,
    memory: 167_772_160,
    config: (t) => ({
      entrypoint: ['docker-entrypoint.sh'],
      cmd: ['mongod'],
      env: { PATH, GOSU_VERSION: '1.17', JSYAML_VERSION: '3.13.1', MONGO_PACKAGE: 'mongodb-org', MONGO_REPO: 'repo.mongodb.org', MONGO_MAJOR: t.version.split('.').slice(0, 2).join('.'), MONGO_VERSION: t.version, HOME: '/data/db' },
      ports: [27017],
      server: mongoServer(),
    }),
  },
  'docker.io/library/memcached': {
    tags: { names: ['latest'], versions: { oldest: '1.4', lastPatch: { '1.4': 39, '1.5': 22 }, maxPatch: 60 }, distros: [...DEBIAN, ...ALPINE] },
    current: '1.6.39',
    os: 'debian',
    size: 31_410_502,
    sizes: { alpine: 4_430_128 },
    memory: 1_992_294,
    config: (t) => ({
      entrypoint: ['docker-entrypoint.sh'],
      cmd: ['memcached'],
      user: 'memcache',
      env: { PATH, MEMCACHED_VERSION: t.version },
      ports: [11211],
      server: quietServer('memcached', [11211]),
    }),
  },
  'docker.io/library/traefik': {
    tags: { names: ['latest'], versions: { oldest: '1.7', lastPatch: { '1.7': 34, '2.8': 8, '2.9': 10, '2.10': 7, '2.11': 28, '3.0': 4, '3.1': 7, '3.2': 5, '3.3': 7, '3.4': 5 } }, vPrefix: 'optional' },
    current: '3.5.0',
    os: 'alpine',
    size: 45_812_399,
    memory: 31_457_280,
    config: (t) => ({ entrypoint: ['/entrypoint.sh'], cmd: ['traefik'], env: { PATH }, ports: [80], server: traefikServer(t.version) }),
  },
  'docker.io/library/mariadb': {
    tags: { names: ['latest', 'lts'], versions: { oldest: '10.0', lastPatch: { '10.4': 34, '10.5': 29, '10.6': 23, '10.11': 14, '11.4': 8 }, ahead: { major: 1 }, maxPatch: 50 }, distros: UBUNTU, flavours: ['ubi', 'ubi9'] },
    current: '11.8.3',
    named: { lts: '11.8.3' },
    os: 'ubuntu',
    size: 117_284_311,
    memory: 94_371_840,
    config: (t) => ({
      entrypoint: ['docker-entrypoint.sh'],
      cmd: ['mariadbd'],
      env: { PATH, GOSU_VERSION: '1.17', LANG: 'C.UTF-8', MARIADB_VERSION: `1:${t.version}+maria~ubu2404` },
      ports: [3306],
      server: mariadbServer(t.version),
    }),
  },
  'docker.io/library/rabbitmq': {
    tags: { names: ['latest', 'management'], versions: { oldest: '3.8', lastPatch: { '3.8': 34, '3.9': 29, '3.10': 25, '3.11': 28, '3.12': 14, '3.13': 7, '4.0': 9 }, ahead: { major: 1 } }, distros: [...ALPINE, ...UBUNTU], flavours: ['management'] },
    current: '4.1.4',
    os: 'ubuntu',
    size: 99_804_236,
    sizes: { alpine: 62_113_870 },
    memory: 125_829_120,
    config: (t) => ({
      entrypoint: ['docker-entrypoint.sh'],
      cmd: ['rabbitmq-server'],
      env: { PATH: `/opt/rabbitmq/sbin:${PATH}`, RABBITMQ_VERSION: t.version, RABBITMQ_DATA_DIR: '/var/lib/rabbitmq', RABBITMQ_HOME: '/opt/rabbitmq', HOME: '/var/lib/rabbitmq', LANG: 'C.UTF-8' },
      ports: t.variant?.includes('management') || t.tag === 'management' ? [4369, 5671, 5672, 15671, 15672, 15691, 15692, 25672] : [4369, 5671, 5672, 15691, 15692, 25672],
      server: rabbitmqServer(t.version, !!t.variant?.includes('management')),
    }),
  },
  'docker.io/library/haproxy': {
    tags: { names: ['latest', 'lts'], versions: { oldest: '1.5', lastPatch: { '1.8': 31, '2.0': 35, '2.2': 34, '2.4': 30, '2.6': 22, '2.8': 15, '3.0': 11, '3.1': 8 }, ahead: { minor: 3 }, maxPatch: 50 }, distros: [...DEBIAN, ...ALPINE] },
    current: '3.2.4',
    named: { lts: '3.2.4' },
    os: 'debian',
    size: 42_310_212,
    sizes: { alpine: 13_455_023 },
    memory: 8_388_608,
    config: (t) => ({
      entrypoint: ['docker-entrypoint.sh'],
      cmd: ['haproxy', '-f', '/usr/local/etc/haproxy/haproxy.cfg'],
      workingDir: '/var/lib/haproxy',
      user: 'haproxy',
      env: { PATH, HAPROXY_VERSION: t.version },
      server: haproxyServer(t.version),
    }),
  },
  'docker.io/library/fluentd': {
    // Tags carry the image's own revision after the version: v1.19.0-1.0, v1.19-1, v1.19-debian-1.
    tags: { names: ['latest', 'edge'], versions: { oldest: '1.3', lastPatch: { '1.14': 6, '1.15': 3, '1.16': 9, '1.17': 1, '1.18': 0 }, ahead: { minor: 2 }, maxPatch: 12 }, vPrefix: 'required', flavours: ['1', '1.0', 'debian', 'debian-1', 'debian-1.0', 'arm64-debian-1', 'amd64-debian-1'] },
    current: '1.19.0',
    os: 'debian',
    size: 88_121_334,
    memory: 62_914_560,
    config: (t) => ({
      entrypoint: ['/bin/entrypoint.sh'],
      cmd: ['fluentd'],
      user: 'fluent',
      env: { PATH, FLUENTD_CONF: 'fluent.conf', LD_PRELOAD: '', GEM_HOME: '/fluentd/vendor/bundle', FLUENTD_VERSION: t.version },
      ports: [24224, 5140],
      server: fluentdServer(t.version),
    }),
  },
  // curl, and nothing else to do: without arguments it says how to ask for help, and ends.
  'docker.io/curlimages/curl': {
    tags: { names: ['latest'], versions: { oldest: '7.72.0', lastPatch: { '7.88': 1, '8.0': 1, '8.1': 2, '8.2': 1, '8.4': 0, '8.5': 0, '8.6': 0, '8.7': 1, '8.8': 0, '8.9': 1, '8.10': 1, '8.11': 1, '8.12': 1, '8.13': 0, '8.14': 1 }, maxMinor: 90, maxPatch: 5 } },
    current: '8.15.0',
    os: 'alpine',
    size: 9_821_411,
    memory: 1_048_576,
    config: () => ({ entrypoint: ['/entrypoint.sh'], cmd: ['curl'], user: 'curl_user', env: { PATH, CURL_CA_BUNDLE: '/cacert.pem' }, extra: ['curl'] }),
  },
  // The network trouble-shooting toolbox: its default shell ends at once without a terminal.
  'docker.io/nicolaka/netshoot': {
    tags: { names: ['latest'], versions: { oldest: '0.1', ahead: { minor: 2 }, maxPatch: 0 }, vPrefix: 'required' },
    current: '0.14',
    os: 'alpine',
    size: 214_330_120,
    memory: 2_097_152,
    config: () => ({ cmd: ['zsh'], env: { PATH }, extra: ['bash', 'zsh', 'curl', 'wget', 'nslookup', 'ping', 'nc'] }),
  },
  // kind's own components, so the kube-system pods a fresh cluster shows keep running.
  'registry.k8s.io/etcd': component('etcd', ['3.5.21-0', '3.5.16-0', '3.5.15-0', '3.5.12-0'], 23_652_416, 45_000_000, ['etcd'], [2379, 2380, 2381]),
  'registry.k8s.io/kube-apiserver': component('kube-apiserver', KUBE_TAGS, 30_064_422, 250_000_000, ['kube-apiserver'], [6443]),
  'registry.k8s.io/kube-controller-manager': component('kube-controller-manager', KUBE_TAGS, 27_668_432, 60_000_000, ['kube-controller-manager'], [10257]),
  'registry.k8s.io/kube-scheduler': component('kube-scheduler', KUBE_TAGS, 21_784_720, 25_000_000, ['kube-scheduler'], [10259]),
  'registry.k8s.io/kube-proxy': component('kube-proxy', KUBE_TAGS, 31_886_812, 20_000_000, ['/usr/local/bin/kube-proxy'], [10249, 10256]),
  'registry.k8s.io/coredns/coredns': component('coredns', ['v1.12.0', 'v1.11.3', 'v1.11.1', 'v1.10.1'], 20_939_036, 15_000_000, ['/coredns'], [53, 8080, 8181, 9153]),
  'docker.io/kindest/kindnetd': component('kindnetd', ['v20250512-df8de77b', 'v20241212-9f82dd49', 'v20240813-c6f155d6'], 44_375_501, 12_000_000, ['/bin/kindnetd'], []),
  // Killercoda's pod network (Canal: Calico's policy with flannel's routes) and its controllers.
  'docker.io/calico/node': component('start_runit', ['v3.29.3', 'v3.29.1', 'v3.28.2'], 145_000_000, 60_000_000, ['start_runit'], [9099]),
  'docker.io/calico/kube-controllers': component('kube-controllers', ['v3.29.3', 'v3.29.1', 'v3.28.2'], 34_000_000, 15_000_000, ['/usr/bin/kube-controllers'], []),
  'docker.io/kindest/local-path-provisioner': component('local-path-provisioner', ['v20250214-acbabc1a', 'v20241212-8ac705d0'], 22_541_737, 10_000_000, ['local-path-provisioner'], []),
  'registry.k8s.io/pause': {
    tags: { names: ['latest'], exact: ['latest', '3.10', '3.9', '3.8', '3.7', '3.6', '3.5', '3.4.1', '3.3', '3.2', '3.1', '3.0', '2.0'] },
    current: '3.10',
    os: 'scratch',
    size: 320_368,
    memory: 262_144,
    config: () => ({ entrypoint: ['/pause'], cmd: [], user: '65535:65535', server: quietServer('pause', []) }),
  },
  'registry.k8s.io/e2e-test-images/agnhost': {
    tags: { names: [], versions: { oldest: '2.10', ahead: { minor: 5 }, maxMinor: 70, maxPatch: 0 } },
    current: '2.56',
    os: 'alpine',
    size: 51_286_930,
    memory: 8_388_608,
    config: () => ({ entrypoint: ['/agnhost'], cmd: [], env: { PATH }, server: agnhostServer(), extra: ['curl', 'bash'] }),
  },
  'gcr.io/kuar-demo/kuard-amd64': {
    tags: { names: [], exact: ['blue', 'green', 'purple', '1', '2', '3'] },
    current: '1',
    os: 'alpine',
    size: 10_858_134,
    memory: 5_242_880,
    // kuard is a Go binary on alpine, running as nobody; `kubectl exec -it kuard -- ash` works.
    config: (t) => ({ cmd: ['/kuard'], user: 'nobody:nobody', env: { PATH }, server: kuardServer(t.tag), overlay: 'kuard' }),
  },
  'docker.io/kiamol/ch02-hello-kiamol': {
    tags: { names: [], exact: ['latest'] },
    current: '1.21.6',
    os: 'alpine',
    size: 9_471_862,
    memory: 3_145_728,
    config: () => ({ ...nginxConfig({ tag: 'latest', version: '1.21.6', variant: 'alpine', os: 'alpine' }), overlay: 'hello-kiamol' }),
  },
  // The memory and CPU exercises of the Kubernetes docs.
  'docker.io/polinux/stress': {
    tags: { names: [], exact: ['latest', '1.0.4'] },
    current: '1.0.4',
    os: 'alpine',
    size: 4_041_495,
    memory: 393_216,
    config: () => ({ cmd: ['stress', '--help'], env: { PATH }, extra: ['stress'] }),
  },
  'docker.io/vish/stress': {
    tags: { names: [], exact: ['latest'] },
    current: '0.1',
    os: 'scratch',
    size: 1_622_120,
    memory: 393_216,
    config: () => ({ entrypoint: ['/stress'], cmd: ['-logtostderr'], extra: ['stress'] }),
  },
  'docker.io/kiamol/ch03-sleep': {
    tags: { names: [], exact: ['latest'] },
    current: '3.15',
    os: 'alpine',
    size: 3_420_133,
    memory: 393_216,
    config: () => ({ cmd: ['sleep', '3000'], env: { PATH } }),
  },
  // The book's chapter 3 pair: a random-number API and the web page that calls it by Service name.
  'docker.io/kiamol/ch03-numbers-api': {
    tags: { names: [], exact: ['latest'] },
    current: '1.0',
    os: 'alpine',
    size: 38_012_510,
    memory: 20_971_520,
    config: () => ({ entrypoint: ['dotnet', 'Numbers.Api.dll'], cmd: [], workingDir: '/app', env: { PATH }, ports: [80], server: textServer('dotnet', 80, '42', 'Numbers.Api.dll') }),
  },
  'docker.io/kiamol/ch03-numbers-web': {
    tags: { names: [], exact: ['latest'] },
    current: '1.0',
    os: 'alpine',
    size: 40_128_760,
    memory: 25_165_824,
    config: () => ({ entrypoint: ['dotnet', 'Numbers.Web.dll'], cmd: [], workingDir: '/app', env: { PATH }, ports: [80], server: textServer('dotnet', 80, '<html><head><title>Random Number Generator</title></head><body><h1>Random Number Generator</h1><form method="post"><button>Go</button></form></body></html>\n', 'Numbers.Web.dll') }),
  },
  'gcr.io/google-samples/node-hello': {
    tags: { names: [], exact: ['1.0'] },
    current: '1.0',
    os: 'debian',
    size: 256_134_012,
    memory: 18_874_368,
    config: () => ({
      cmd: ['/bin/sh', '-c', 'node server.js'],
      env: { PATH, NPM_CONFIG_LOGLEVEL: 'info', NODE_VERSION: '4.4.2' },
      ports: [8080],
      server: textServer('node', 8080, 'Hello Kubernetes!', 'server.js'),
      overlay: 'node-hello',
      extra: [...WGET_CURL_PROCPS],
    }),
  },
  'registry.k8s.io/echoserver': {
    tags: { names: [], exact: ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10'] },
    current: '1.4',
    os: 'debian',
    size: 46_175_040,
    memory: 5_242_880,
    config: () => ({ cmd: ['/usr/sbin/run.sh'], env: { PATH }, ports: [8080], server: echoServer() }),
  },
  // The autoscaling walkthrough's php-apache: every request does some arithmetic and says OK!
  'registry.k8s.io/hpa-example': {
    tags: { names: ['latest'], exact: ['latest'] },
    current: 'latest',
    os: 'debian',
    size: 183_049_478,
    memory: 12_582_912,
    config: () => ({ cmd: ['apache2-foreground'], env: { PATH }, ports: [80], server: textServer('apache2-foreground', 80, 'OK!') }),
  },
  'docker.io/google/cadvisor': {
    // The Docker Hub repository stopped at v0.33; newer releases moved to gcr.io.
    tags: { names: ['latest', 'canary'], versions: { oldest: '0.20', lastPatch: { '0.20': 5, '0.21': 1, '0.22': 0, '0.23': 8, '0.24': 1, '0.25': 0, '0.26': 3, '0.27': 4, '0.28': 5, '0.29': 2, '0.30': 2, '0.31': 0, '0.32': 0 }, ahead: { minor: 0 }, maxPatch: 8 }, vPrefix: 'required' },
    current: '0.33.0',
    os: 'busybox',
    size: 15_121_404,
    memory: 31_457_280,
    config: (t) => ({ entrypoint: ['/usr/bin/cadvisor', '-logtostderr'], cmd: [], env: { PATH }, ports: [8080], server: cadvisorServer(t.version) }),
  },
  'docker.io/hashicorp/http-echo': {
    tags: { names: ['latest'], exact: ['latest', '0.2.1', '0.2.2', '0.2.3', '1.0', '1.0.0'] },
    current: '1.0.0',
    os: 'scratch',
    size: 3_212_810,
    memory: 2_621_440,
    config: () => ({ entrypoint: ['/http-echo'], cmd: [], ports: [5678], server: httpEchoServer() }),
  },
  'docker.io/bitnami/kubectl': {
    tags: { names: ['latest'], versions: { oldest: '1.24', lastPatch: { '1.24': 17, '1.25': 16, '1.26': 15, '1.27': 16, '1.28': 15, '1.29': 15, '1.30': 14, '1.31': 12, '1.32': 8 } }, flavours: ['debian-12'] },
    current: '1.33.4',
    os: 'debian',
    size: 85_302_755,
    memory: 20_971_520,
    config: (t) => ({
      entrypoint: ['kubectl'],
      cmd: ['--help'],
      user: '1001',
      env: { PATH: `/opt/bitnami/kubectl/bin:${PATH}`, HOME: '/', OS_ARCH: 'amd64', OS_FLAVOUR: 'debian-12', OS_NAME: 'linux', APP_VERSION: t.version, BITNAMI_APP_NAME: 'kubectl' },
    }),
  },
};

/** Other names of the same repositories (the old Kubernetes registry, other registries an image is published on). */
export const ALIASES: Record<string, string> = {
  'public.ecr.aws/nginx/nginx': 'docker.io/library/nginx',
  'quay.io/curl/curl': 'docker.io/curlimages/curl',
  'ghcr.io/nicolaka/netshoot': 'docker.io/nicolaka/netshoot',
  'k8s.gcr.io/pause': 'registry.k8s.io/pause',
  'gcr.io/google_containers/pause': 'registry.k8s.io/pause',
  'k8s.gcr.io/echoserver': 'registry.k8s.io/echoserver',
  'k8s.gcr.io/hpa-example': 'registry.k8s.io/hpa-example',
  'gcr.io/google_containers/echoserver': 'registry.k8s.io/echoserver',
  'k8s.gcr.io/e2e-test-images/agnhost': 'registry.k8s.io/e2e-test-images/agnhost',
  // The busybox the Kubernetes docs' probe examples pull.
  'registry.k8s.io/busybox': 'docker.io/library/busybox',
  'k8s.gcr.io/busybox': 'docker.io/library/busybox',
};

/**
 * Registries that serve Docker Hub's repositories under their own names (Amazon's and Google's
 * mirrors, Docker Hub's own registry host): the same images, whatever the prefix.
 */
const HUB_MIRRORS: ReadonlyArray<readonly [prefix: string, hub: string]> = [
  ['public.ecr.aws/docker/library/', 'docker.io/library/'],
  ['public.ecr.aws/bitnami/', 'docker.io/bitnami/'],
  ['mirror.gcr.io/', 'docker.io/'],
  ['registry-1.docker.io/', 'docker.io/'],
];

/** The catalog's name for a repository named through a mirror or an alias. */
export function catalogKey(repository: string): string {
  const alias = own<string>(ALIASES, repository);
  if (alias) return alias;
  for (const [prefix, hub] of HUB_MIRRORS) {
    if (!repository.startsWith(prefix)) continue;
    const onHub = hub + repository.slice(prefix.length);
    return own<string>(ALIASES, onHub) ?? onHub;
  }
  return repository;
}

/** Registries that exist; a repository unknown on them fails differently from an unknown host. */
export const KNOWN_REGISTRIES = ['docker.io', 'gcr.io', 'registry.k8s.io', 'k8s.gcr.io', 'quay.io', 'ghcr.io', 'mcr.microsoft.com', 'public.ecr.aws', 'mirror.gcr.io', 'registry-1.docker.io', 'us-docker.pkg.dev', 'registry.gitlab.com'];

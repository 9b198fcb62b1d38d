// The servers images run by default, and what they print when they start, in each program's own
// log format, so `kubectl logs` after `kubectl run nginx --image=nginx` reads like a real node's.
import { KERNEL, MACHINE } from '../shell/kernel.js';
import { strftime } from '../shell/time-format.js';
import { compareVersions } from './tags.js';
import type { ImageServer, LogLine, StartupContext } from './types.js';

const out = (text: string, atMs = 0): LogLine => ({ stream: 'stdout', text, atMs });
const err = (text: string, atMs = 0): LogLine => ({ stream: 'stderr', text, atMs });
const goTime = (ms: number) => strftime('%Y/%m/%d %H:%M:%S', ms);

export function nginxServer(version: string, alpine: boolean): ImageServer {
  const modern = compareVersions(version, '1.19') >= 0;
  return {
    program: 'nginx',
    ports: [80],
    http: { kind: 'static', root: '/usr/share/nginx/html', server: 'nginx', index: 'index.html' },
    accessLog: 'nginx',
    handlesTerm: true,
    preamble: () => (modern ? nginxEntrypointLines(version) : []),
    startup(ctx) {
      // Images before the entrypoint scripts logged at "warn", so nothing showed at start-up.
      if (!modern) return [];
      const t = goTime(ctx.now + 20);
      const gcc = alpine ? 'gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309) ' : 'gcc 12.2.0 (Debian 12.2.0-14) ';
      const lines = [
        'using the "epoll" event method',
        `nginx/${version}`,
        `built by ${gcc}`,
        `OS: ${KERNEL.sysname} ${KERNEL.release}`,
        'getrlimit(RLIMIT_NOFILE): 1048576:1048576',
        'start worker processes',
        ...Array.from({ length: MACHINE.cpus }, (_, i) => `start worker process ${29 + i}`),
      ];
      return lines.map((l) => err(`${t} [notice] 1#1: ${l}`, 20));
    },
  };
}

function nginxEntrypointLines(version: string): LogLine[] {
  const e = '/docker-entrypoint.sh';
  const lines = [
    `${e}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`,
    `${e}: Looking for shell scripts in /docker-entrypoint.d/`,
    `${e}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh`,
    '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
    '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
    ...(compareVersions(version, '1.25') >= 0 ? [`${e}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh`] : []),
    `${e}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh`,
    ...(compareVersions(version, '1.21') >= 0 ? [`${e}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh`] : []),
    `${e}: Configuration complete; ready for start up`,
  ];
  return lines.map((l) => out(l, 10));
}

export function httpdServer(version: string): ImageServer {
  return {
    program: 'httpd-foreground',
    ports: [80],
    http: { kind: 'static', root: '/usr/local/apache2/htdocs', server: 'apache', index: 'index.html' },
    accessLog: 'apache',
    handlesTerm: true,
    startup(ctx) {
      const warn = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ctx.podIP}. Set the 'ServerName' directive globally to suppress this message`;
      const t = `${strftime('%a %b %d %H:%M:%S', ctx.now + 30)}.${String(((ctx.now + 30) % 1000) * 1000 + 412).padStart(6, '0')} ${strftime('%Y', ctx.now)}`;
      return [
        err(warn, 10),
        err(warn, 20),
        err(`[${t}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/${version} (Unix) configured -- resuming normal operations`, 30),
        err(`[${t}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`, 30),
      ];
    },
  };
}

export function redisServer(version: string): ImageServer {
  return {
    program: 'redis-server',
    ports: [6379],
    handlesTerm: true,
    startup(ctx) {
      const t = (d: number) => strftime('%d %b %Y %H:%M:%S', ctx.now + d) + `.${String((ctx.now + d) % 1000).padStart(3, '0')}`;
      const v72 = compareVersions(version, '7.2') >= 0;
      const star = v72 ? '*' : '#';
      return [
        out(`1:C ${t(5)} ${star} oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`, 5),
        out(`1:C ${t(5)} ${star} Redis version=${version}, bits=64, commit=00000000, modified=0, pid=1, just started`, 5),
        out(`1:C ${t(5)} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`, 5),
        out(`1:M ${t(6)} * monotonic clock: POSIX clock_gettime`, 6),
        out(`1:M ${t(6)} * Running mode=standalone, port=6379.`, 6),
        out(`1:M ${t(7)} ${v72 ? '*' : '#'} Server initialized`, 7),
        out(`1:M ${t(7)} * Ready to accept connections${v72 ? ' tcp' : ''}`, 7),
      ];
    },
  };
}

export function kuardServer(tag: string): ImageServer {
  return {
    program: 'kuard',
    ports: [8080],
    http: { kind: 'kuard' },
    accessLog: 'kuard',
    handlesTerm: true,
    startup(ctx) {
      const t = goTime(ctx.now);
      const stars = '*'.repeat(70);
      const config = ['{', '  "address": ":8080",', '  "debug": false,', '  "debug-sitedata-dir": "./sitedata",', '  "keygen": {', '    "enable": false,', '    "exit-code": 0,', '    "exit-on-complete": false,', '    "memq-queue": "",', '    "memq-server": "",', '    "num-to-gen": 0,', '    "time-to-run": 0', '  },', '  "liveness": {', '    "fail-next": 0', '  },', '  "readiness": {', '    "fail-next": 0', '  },', '  "tls-address": ":8443",', '  "tls-dir": "/tls"', '}'];
      return [
        `${t} Starting kuard version: ${kuardVersion(tag)}`,
        `${t} ${stars}`,
        `${t} * WARNING: This server may expose sensitive`,
        `${t} * and secret information. Be careful.`,
        `${t} ${stars}`,
        `${t} Config: `,
        ...config,
        `${t} Could not find certificates to serve TLS`,
        `${t} Serving on HTTP on :8080`,
      ].map((l) => err(l, 15));
    },
  };
}

export function kuardVersion(tag: string): string {
  return /^\d+$/.test(tag) ? `v0.${6 + Number(tag)}.0-${tag}` : `v0.10.0-${tag}`;
}

export function textServer(program: string, port: number, body: string, requiresArg?: string): ImageServer {
  return { program, requiresArg, ports: [port], http: { kind: 'text', body, contentType: 'text/plain' }, handlesTerm: true, startup: () => [] };
}

export function echoServer(): ImageServer {
  return { program: 'run.sh', ports: [8080], http: { kind: 'echoserver' }, accessLog: 'nginx', handlesTerm: true, startup: () => [] };
}

export function httpEchoServer(): ImageServer {
  return {
    program: 'http-echo',
    ports: [5678],
    http: { kind: 'http-echo' },
    handlesTerm: true,
    requiredEnv: undefined,
    startup: (ctx) => [err(`${goTime(ctx.now)} [INFO] server is listening on :5678`, 5)],
  };
}

export function cadvisorServer(version: string): ImageServer {
  return {
    program: 'cadvisor',
    ports: [8080],
    http: { kind: 'text', body: '<a href="/containers/">Temporary Redirect</a>.\n\n', contentType: 'text/html; charset=utf-8' },
    handlesTerm: true,
    startup(ctx) {
      const t = (d: number) => `I${strftime('%m%d %H:%M:%S', ctx.now + d)}.${String(((ctx.now + d) % 1000) * 1000 + 518).padStart(6, '0')}`;
      return [
        err(`${t(10)}       1 storagedriver.go:50] Caching stats in memory for 2m0s`, 10),
        err(`${t(40)}       1 manager.go:140] cAdvisor running in container: "/"`, 40),
        err(`${t(90)}       1 cadvisor.go:155] Starting cAdvisor version: v${version}-d7af3ec on port 8080`, 90),
      ];
    },
  };
}

export function agnhostServer(): ImageServer {
  return {
    program: 'agnhost',
    requiresArg: 'netexec',
    ports: [8080],
    http: { kind: 'hostname' },
    handlesTerm: true,
    startup(ctx) {
      const t = `I${strftime('%m%d %H:%M:%S', ctx.now)}.${String((ctx.now % 1000) * 1000 + 104).padStart(6, '0')}`;
      return [err(`${t}       1 log.go:245] Started HTTP server on port 8080`, 5), err(`${t}       1 log.go:245] Started UDP server on port  8081`, 5)];
    },
  };
}

export function postgresServer(version: string): ImageServer {
  const major = version.split('.')[0];
  return {
    program: 'postgres',
    ports: [5432],
    handlesTerm: true,
    requiredEnv: {
      anyOf: ['POSTGRES_PASSWORD', 'POSTGRES_HOST_AUTH_METHOD'],
      exitCode: 1,
      complaint: () =>
        [
          'Error: Database is uninitialized and superuser password is not specified.',
          '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
          '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
          '',
          '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all',
          '       connections without a password. This is *not* recommended.',
          '',
          '       See PostgreSQL documentation about "trust":',
          '       https://www.postgresql.org/docs/current/auth-trust.html',
        ].map((l) => err(l)),
    },
    startup(ctx) {
      const t = (d: number) => `${strftime('%Y-%m-%d %H:%M:%S', ctx.now + d)}.${String((ctx.now + d) % 1000).padStart(3, '0')} UTC`;
      return [
        out('The files belonging to this database system will be owned by user "postgres".', 50),
        out('This user must also own the server process.', 50),
        out('', 50),
        out('PostgreSQL init process complete; ready for start up.', 2500),
        out('', 2500),
        err(`${t(2600)} [1] LOG:  starting PostgreSQL ${version} (Debian ${version}-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`, 2600),
        err(`${t(2601)} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432`, 2601),
        err(`${t(2601)} [1] LOG:  listening on IPv6 address "::", port 5432`, 2601),
        err(`${t(2603)} [1] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"`, 2603),
        err(`${t(2610)} [${Number(major) + 48}] LOG:  database system was shut down at ${strftime('%Y-%m-%d %H:%M:%S', ctx.now + 2400)} UTC`, 2610),
        err(`${t(2615)} [1] LOG:  database system is ready to accept connections`, 2615),
      ];
    },
  };
}

export function mysqlServer(version: string): ImageServer {
  const t = (ctx: StartupContext, d = 0) => `${strftime('%Y-%m-%d %H:%M:%S', ctx.now + d)}+00:00`;
  const started = (ctx: StartupContext) => [
    err(`${t(ctx)} [Note] [Entrypoint]: Entrypoint script for MySQL Server ${version}-1.el9 started.`),
    err(`${t(ctx)} [Note] [Entrypoint]: Switching to dedicated user 'mysql'`),
    err(`${t(ctx)} [Note] [Entrypoint]: Entrypoint script for MySQL Server ${version}-1.el9 started.`),
  ];
  return {
    program: 'mysqld',
    ports: [3306, 33060],
    handlesTerm: true,
    requiredEnv: {
      anyOf: ['MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'],
      exitCode: 1,
      complaint: (ctx) => [
        ...started(ctx),
        err(`${t(ctx)} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified`),
        err('    You need to specify one of the following as an environment variable:'),
        err('    - MYSQL_ROOT_PASSWORD'),
        err('    - MYSQL_ALLOW_EMPTY_PASSWORD'),
        err('    - MYSQL_RANDOM_ROOT_PASSWORD'),
      ],
    },
    startup: (ctx) => [
      ...started(ctx),
      err(`${t(ctx)} [Note] [Entrypoint]: Initializing database files`, 100),
      err(`${t(ctx, 9000)} [Note] [Entrypoint]: MySQL init process done. Ready for start up.`, 9000),
      err(`${strftime('%Y-%m-%dT%H:%M:%S', ctx.now + 9500)}.${String((ctx.now + 9500) % 1000).padStart(3, '0')}000Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '${version}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`, 9500),
    ],
  };
}

export function mongoServer(): ImageServer {
  return {
    program: 'mongod',
    ports: [27017],
    handlesTerm: true,
    startup(ctx) {
      const d = `${strftime('%Y-%m-%dT%H:%M:%S', ctx.now + 400)}.${String((ctx.now + 400) % 1000).padStart(3, '0')}+00:00`;
      return [
        out(`{"t":{"$date":"${d}"},"s":"I",  "c":"NETWORK",  "id":23015,   "ctx":"listener","msg":"Listening on","attr":{"address":"0.0.0.0"}}`, 400),
        out(`{"t":{"$date":"${d}"},"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":"Waiting for connections","attr":{"port":27017,"ssl":"off"}}`, 400),
      ];
    },
  };
}

/** A Kubernetes component: its health and readiness endpoints answer "ok" on every port. */
export function componentServer(program: string, ports: number[]): ImageServer {
  return { program, ports, http: { kind: 'text', body: 'ok', contentType: 'text/plain; charset=utf-8' }, handlesTerm: true, startup: () => [] };
}

export function quietServer(program: string, ports: number[]): ImageServer {
  return { program, ports, handlesTerm: true, startup: () => [] };
}

export function traefikServer(version: string): ImageServer {
  return {
    program: 'traefik',
    ports: [80, 8080],
    handlesTerm: true,
    startup(ctx) {
      const t = strftime('%Y-%m-%dT%H:%M:%SZ', ctx.now + 10);
      return [
        out(`${t} INF Traefik version ${version} built on 2024-11-20T10:02:55Z version=${version}`, 10),
        out(`${t} INF Starting provider aggregator *aggregator.ProviderAggregator`, 12),
      ];
    },
  };
}

/** fluentd with the image's own config: it forwards on 24224 and writes what it receives to stdout. */
export function fluentdServer(version: string): ImageServer {
  return {
    program: 'fluentd',
    ports: [24224, 5140],
    handlesTerm: true,
    startup(ctx) {
      const t = (d: number) => `${strftime('%Y-%m-%d %H:%M:%S', ctx.now + d)} +0000`;
      return [
        out(`${t(300)} [info]: init supervisor logger path=nil rotate_age=nil rotate_size=nil`, 300),
        out(`${t(310)} [info]: parsing config file is succeeded path="/fluentd/etc/fluent.conf"`, 310),
        out(`${t(320)} [info]: gem 'fluentd' version '${version}'`, 320),
        out(`${t(400)} [info]: using configuration file: <ROOT>`, 400),
        out(`${t(500)} [info]: starting fluentd-${version} pid=7 ruby="3.2.8"`, 500),
        out(`${t(900)} [info]: #0 listening port port=24224 bind="0.0.0.0"`, 900),
        out(`${t(950)} [info]: #0 fluentd worker is now running worker=0`, 950),
      ];
    },
  };
}

/** MariaDB's entrypoint: like MySQL's, it refuses to initialise without a root password choice. */
export function mariadbServer(version: string): ImageServer {
  const t = (ctx: StartupContext, d = 0) => `${strftime('%Y-%m-%d %H:%M:%S', ctx.now + d)}+00:00`;
  const started = (ctx: StartupContext) => [err(`${t(ctx)} [Note] [Entrypoint]: Entrypoint script for MariaDB Server 1:${version}+maria~ubu2404 started.`)];
  return {
    program: 'mariadbd',
    ports: [3306],
    handlesTerm: true,
    requiredEnv: {
      anyOf: ['MARIADB_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD_HASH', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'MARIADB_RANDOM_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'],
      exitCode: 1,
      complaint: (ctx) => [
        ...started(ctx),
        err(`${t(ctx)} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified`),
        err('\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD'),
      ],
    },
    startup: (ctx) => [
      ...started(ctx),
      err(`${t(ctx, 100)} [Note] [Entrypoint]: Initializing database files`, 100),
      err(`${t(ctx, 4000)} [Note] [Entrypoint]: MariaDB init process done. Ready for start up.`, 4000),
      err(`${strftime('%Y-%m-%d %H:%M:%S', ctx.now + 4500)} 0 [Note] mariadbd: ready for connections.`, 4500),
      err(`Version: '${version}-MariaDB-ubu2404'  socket: '/run/mysqld/mysqld.sock'  port: 3306  mariadb.org binary distribution`, 4500),
    ],
  };
}

/** RabbitMQ: AMQP on 5672; the management variant serves its UI on 15672 too. */
export function rabbitmqServer(version: string, management: boolean): ImageServer {
  return {
    program: 'rabbitmq-server',
    ports: management ? [5672, 15672] : [5672],
    ...(management ? { http: { kind: 'text' as const, body: '<!DOCTYPE html>\n<html>\n  <head>\n    <title>RabbitMQ Management</title>\n  </head>\n</html>\n', contentType: 'text/html' } } : {}),
    handlesTerm: true,
    startup(ctx) {
      const t = (d: number) => `${strftime('%Y-%m-%d %H:%M:%S', ctx.now + d)}.${String((ctx.now + d) % 1000).padStart(3, '0')}000+00:00`;
      const plugins = management ? 3 : 0;
      return [
        out(`${t(2000)} [notice] <0.44.0> Logging: configured log handlers are now ACTIVE`, 2000),
        out(`${t(2100)} [info] <0.241.0> Starting RabbitMQ ${version} on Erlang 27.3.4`, 2100),
        out(`${t(5200)} [info] <0.688.0> Ready to start client connection listeners`, 5200),
        out(`${t(5250)} [info] <0.733.0> started TCP listener on [::]:5672`, 5250),
        out(`${t(5400)} [info] <0.613.0> Server startup complete; ${plugins} plugins started.`, 5400),
      ];
    },
  };
}

/** HAProxy: the image ships no configuration, so it stops at once unless one is mounted. */
export function haproxyServer(version: string): ImageServer {
  const path = '/usr/local/etc/haproxy/haproxy.cfg';
  return {
    program: 'haproxy',
    ports: [],
    handlesTerm: true,
    requiredConfig: {
      path,
      exitCode: 1,
      complaint: () => [
        err(`[NOTICE]   (1) : haproxy version is ${version}`),
        err(`[ALERT]    (1) : config : Cannot open configuration file/directory ${path} : No such file or directory`),
      ],
      // Each `bind` line's port (`bind *:80`, `bind :8404`).
      ports: (text) => [...new Set([...text.matchAll(/^\s*bind\s+\S*:(\d+)/gm)].map((m) => Number(m[1])))],
    },
    startup: () => [err(`[NOTICE]   (1) : New worker (8) forked`, 20), err('[NOTICE]   (1) : Loading success.', 20)],
  };
}

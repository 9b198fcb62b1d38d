import { describe, expect, it } from 'vitest';
import { containerFs, emptyDirVolume, keyedVolume, run, findProgram } from '../../../../../src/core/cluster/kubelet/shell/index.js';
import { context, image, play, sh, START } from './support.js';

const nonRoot = { uid: 1000, gid: 3000, groups: [2000] };

describe('files a container starts with', () => {
  it('has the pod hostname, hosts file and cluster resolver', () => {
    expect(play(['cat', '/etc/hostname']).stdout).toBe('web-0\n');
    expect(play(['cat', '/etc/resolv.conf']).stdout).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(play(['cat', '/etc/hosts']).stdout).toContain('# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n');
    expect(play(['cat', '/etc/hosts']).stdout).toMatch(/\n10\.244\.1\.7\tweb-0\n$/);
  });

  it('tells Debian from Alpine in /etc/os-release', () => {
    expect(play(['cat', '/etc/os-release'], { image: 'nginx:1.27' }).stdout).toContain('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"');
    expect(play(['cat', '/etc/os-release'], { image: 'alpine:3.20' }).stdout).toContain('ID=alpine');
  });

  it('serves the nginx welcome page from its web root', () => {
    expect(play(['cat', '/usr/share/nginx/html/index.html'], { image: 'nginx:1.27' }).stdout).toContain('<h1>Welcome to nginx!</h1>');
  });
});

describe('ls', () => {
  it('lists one name a line without a terminal and in columns with one', () => {
    expect(play(['ls', '/']).stdout).toBe('bin\ndev\netc\nhome\nlib\nlib64\nproc\nroot\nsys\ntmp\nusr\nvar\n');
    expect(play(['ls', '/'], { tty: true }).stdout).toBe('bin    etc    lib    proc   sys    usr\r\ndev    home   lib64  root   tmp    var\r\n');
  });

  it('shows busybox long format with owner names from /etc/passwd', () => {
    const r = sh('mkdir /tmp/d && echo hello > /tmp/d/f && chown 33:33 /tmp/d/f && ls -l /tmp/d');
    expect(r.stdout).toBe('total 4\n-rw-r--r--    1 www-data www-data         6 Nov 23 09:55 f\n');
  });

  it('shows GNU long format on Debian, aligned, with dot entries for -la', () => {
    const r = sh('mkdir /tmp/d && echo hello > /tmp/d/f && ls -la /tmp/d', { image: 'nginx:1.27' });
    expect(r.stdout).toBe('total 12\ndrwxr-xr-x 2 root root 4096 Nov 23 09:55 .\ndrwxrwxrwt 3 root root 4096 Nov 23 09:55 ..\n-rw-r--r-- 1 root root    6 Nov 23 09:55 f\n');
  });

  it('words a missing path as each toolset does', () => {
    expect(play(['ls', '/nope']).stderr).toBe('ls: /nope: No such file or directory\n');
    const gnu = play(['ls', '/nope'], { image: 'nginx:1.27' });
    expect(gnu.stderr).toBe("ls: cannot access '/nope': No such file or directory\n");
    expect(gnu.code).toBe(2);
  });
});

describe('environment and identity', () => {
  it('prints the environment and single variables', () => {
    const env = { PATH: '/usr/bin:/bin', HOSTNAME: 'web-0', GREETING: 'hello', HOME: '/root' };
    expect(play(['env'], { env }).stdout).toBe('PATH=/usr/bin:/bin\nHOSTNAME=web-0\nGREETING=hello\nHOME=/root\n');
    expect(play(['printenv', 'GREETING'], { env }).stdout).toBe('hello\n');
    expect(play(['printenv', 'MISSING'], { env }).code).toBe(1);
  });

  it('answers hostname and hostname -i from the pod', () => {
    expect(play(['hostname']).stdout).toBe('web-0\n');
    expect(play(['hostname', '-i']).stdout).toBe('10.244.1.7\n');
  });

  it('shows uid, gid and supplementary groups from the security context', () => {
    expect(play(['id']).stdout).toBe('uid=0(root) gid=0(root) groups=0(root),10(wheel)\n');
    expect(play(['id'], { user: nonRoot }).stdout).toBe('uid=1000 gid=3000 groups=2000,3000\n');
    expect(play(['whoami'], { user: nonRoot }).stderr).toBe('whoami: unknown uid 1000\n');
    expect(play(['whoami'], { image: 'nginx:1.27', user: { uid: 101, gid: 101, groups: [] } }).stdout).toBe('nginx\n');
  });

  it('prints the date in the default format and in +FORMAT', () => {
    expect(play(['date']).stdout).toBe('Mon Nov 23 09:55:12 UTC 2026\n');
    expect(play(['date', '+%Y-%m-%dT%H:%M:%S']).stdout).toBe('2026-11-23T09:55:12\n');
    expect(play(['date', '-u', '+%s']).stdout).toBe(`${Math.floor(START / 1000)}\n`);
  });

  it('lists processes in busybox and procps formats', () => {
    const processes = [{ pid: 1, argv: ['sh', '-c', 'sleep 3600'], uid: 0, startedAt: START }];
    expect(play(['ps'], { processes }).stdout).toBe('PID   USER     TIME  COMMAND\n    1 root      0:00 sh -c sleep 3600\n    7 root      0:00 ps\n');
    expect(play(['ps', '-ef'], { processes, image: 'ubuntu:22.04' }).stdout).toBe('UID          PID    PPID  C STIME TTY          TIME CMD\nroot           1       0  0 09:55 ?        00:00:00 sh -c sleep 3600\nroot           7       0  0 09:55 ?        00:00:00 ps -ef\n');
  });

  it('reports the kernel with uname', () => {
    expect(play(['uname', '-r']).stdout).toBe('6.8.0-1017-gcp\n');
    expect(play(['uname']).stdout).toBe('Linux\n');
  });
});

describe('sleep', () => {
  it('takes suffixes and infinity', () => {
    expect(play(['sleep', '2m']).elapsed).toBe(120_000);
    expect(play(['sleep', '1.5']).elapsed).toBe(1_500);
    expect(play(['sleep', 'infinity'], { until: 10_000 }).code).toBeUndefined();
    expect(play(['sleep', 'x']).stderr).toBe("sleep: invalid number 'x'\n");
    expect(play(['sleep', 'x'], { image: 'nginx:1.27' }).stderr).toBe("sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n");
  });
});

describe('permissions', () => {
  it('refuses a non-root user writing under /etc', () => {
    const r = play(['touch', '/etc/x'], { user: nonRoot });
    expect(r.stderr).toBe('touch: /etc/x: Permission denied\n');
    expect(r.code).toBe(1);
    expect(play(['touch', '/etc/x'], { image: 'nginx:1.27', user: nonRoot }).stderr).toBe("touch: cannot touch '/etc/x': Permission denied\n");
    expect(sh('echo x > /etc/x', { user: nonRoot }).stderr).toBe("sh: can't create /etc/x: Permission denied\n");
  });

  it('lets anyone write /tmp', () => {
    expect(sh('echo hi > /tmp/mine && cat /tmp/mine && ls -ln /tmp/mine', { user: nonRoot }).stdout).toBe('hi\n-rw-r--r--    1 1000     3000             3 Nov 23 09:55 /tmp/mine\n');
  });

  it('keeps a read-only root filesystem read-only', () => {
    const { ctx, clock } = context();
    const fs = containerFs({ image: image('busybox:1.36'), pod: { hostname: 'web-0', podIP: '10.244.1.7', namespace: 'default' }, now: () => clock.t, readOnlyRoot: true });
    expect(sh('touch /tmp/x', { fs }).stderr).toBe('touch: /tmp/x: Read-only file system\n');
    void ctx;
  });
});

describe('volumes', () => {
  function podFs(volumes: (fs: ReturnType<typeof containerFs>) => void) {
    const fs = containerFs({ image: image('busybox:1.36'), pod: { hostname: 'web-0', podIP: '10.244.1.7', namespace: 'default' }, now: () => START });
    volumes(fs);
    return fs;
  }

  it('shows ConfigMap keys as files, read-only', () => {
    const fs = podFs((f) => f.mount('/etc/config', keyedVolume({ 'app.properties': 'color=blue\n', mode: 'debug' }, { now: START }), { readOnly: true }));
    expect(sh('cat /etc/config/mode; echo; ls /etc/config', { fs }).stdout).toBe('debug\napp.properties\nmode\n');
    expect(sh('echo x > /etc/config/mode', { fs }).stderr).toBe("sh: can't create /etc/config/mode: Read-only file system\n");
  });

  it('shares an emptyDir between two containers of a pod', () => {
    const shared = emptyDirVolume({ now: START });
    const writer = podFs((f) => f.mount('/cache', shared));
    const reader = podFs((f) => f.mount('/data', shared));
    sh('echo from-writer > /cache/note', { fs: writer });
    expect(sh('cat /data/note', { fs: reader }).stdout).toBe('from-writer\n');
  });

  it('gives files written to an fsGroup volume the volume group', () => {
    const fs = podFs((f) => f.mount('/data/demo', emptyDirVolume({ now: START, fsGroup: 2000 })));
    expect(sh('echo hello > /data/demo/testfile; ls -ln /data/demo/testfile', { fs, user: { uid: 1000, gid: 3000, groups: [2000] } }).stdout).toBe('-rw-r--r--    1 1000     2000             6 Nov 23 09:55 /data/demo/testfile\n');
  });
});

describe('text tools', () => {
  it('greps with -i, -v and -c', () => {
    const text = 'printf "Alpha\\nbeta\\nALPHA\\n" > /tmp/t; ';
    expect(sh(`${text}grep -i alpha /tmp/t`).stdout).toBe('Alpha\nALPHA\n');
    expect(sh(`${text}grep -v -i alpha /tmp/t`).stdout).toBe('beta\n');
    expect(sh(`${text}grep -c Alpha /tmp/t`).stdout).toBe('1\n');
    expect(sh(`${text}grep nothing /tmp/t`).code).toBe(1);
  });

  it('follows a growing file with tail -f', () => {
    const r = sh('(for i in 1 2 3; do echo line$i >> /tmp/log; sleep 1; done) ; tail -n 1 -f /tmp/log', { until: 5_000 });
    expect(r.stdout).toBe('line3\n');
    expect(r.code).toBeUndefined();
  });

  it('tees to a file and stdout', () => {
    const r = sh('echo hi | tee /tmp/copy; cat /tmp/copy');
    expect(r.stdout).toBe('hi\nhi\n');
  });
});

describe('finding programs before a container starts', () => {
  it('finds what the image has and explains what it lacks as the runtime does', () => {
    const { ctx } = context({ image: 'nginx:1.27' });
    expect(findProgram('nginx', ctx)).toEqual({ ok: true, path: '/usr/sbin/nginx' });
    expect(findProgram('sh', ctx).ok).toBe(true);
    expect(findProgram('ping', ctx)).toEqual({ ok: false, message: 'exec: "ping": executable file not found in $PATH' });
    expect(ctx.fs.materialised).toBe(false);
    expect(findProgram('/bin/nope', ctx)).toEqual({ ok: false, message: 'exec: "/bin/nope": stat /bin/nope: no such file or directory' });
  });

  it('finds nothing at all in a distroless image but its own program', () => {
    const { ctx } = context({ image: 'registry.k8s.io/pause:3.9' });
    expect(findProgram('sh', ctx).ok).toBe(false);
    expect(findProgram('/pause', ctx).ok).toBe(true);
  });

  it('runs a command of the image directly without building its filesystem', () => {
    const { ctx } = context();
    const gen = run(['sleep', '10'], ctx);
    expect(gen.next().value).toEqual({ kind: 'sleep', ms: 10_000 });
    expect(ctx.fs.materialised).toBe(false);
  });
});

describe('stress', () => {
  it('holds the memory it was asked for until it ends', () => {
    const memory: number[] = [];
    const busybox = image('busybox:1.36');
    const withStress = { ...busybox, commands: [...busybox.commands, 'stress'] };
    const r = play(['stress', '--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1', '--timeout', '5'], { imageInfo: withStress, memory });
    expect(r.stderr).toBe('stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\nstress: info: [1] successful run completed in 5s\n');
    expect(memory).toEqual([250 * 1024 * 1024, 0]);
    expect(r.elapsed).toBe(5000);
  });
});

describe('scripts and the image’s own programs', () => {
  it('runs an executable script by its #! line, and sh with a script file', () => {
    const r = sh('printf "#!/bin/sh\\necho args: \\$@\\n" > /tmp/s.sh; chmod +x /tmp/s.sh; /tmp/s.sh a b; sh /tmp/s.sh c; cd /tmp && ./s.sh d');
    expect(r.stdout).toBe('args: a b\nargs: c\nargs: d\n');
  });

  it('refuses to run a file without execute permission', () => {
    const r = sh('echo "echo hi" > /tmp/n.sh; /tmp/n.sh');
    expect(r.stderr).toBe('sh: /tmp/n.sh: Permission denied\n');
    expect(r.code).toBe(126);
  });

  it('answers nginx -v and redis-cli ping', () => {
    expect(play(['nginx', '-v'], { image: 'nginx:1.27' }).stderr).toBe('nginx version: nginx/1.27.3\n');
    expect(play(['redis-cli', 'ping'], { image: 'redis:7.4' }).stdout).toBe('PONG\n');
  });
});

describe('ps aux with procps', () => {
  it('lines its columns up under the header', () => {
    const processes = [{ pid: 1, argv: ['node', 'server.js'], uid: 1000, startedAt: START, rssBytes: 40 * 1024 * 1024, vszBytes: 600 * 1024 * 1024 }];
    const r = play(['ps', 'aux'], { image: 'gcr.io/google-samples/node-hello:1.0', processes, user: { uid: 1000, gid: 0, groups: [] } });
    expect(r.stdout).toBe(
      'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n' +
        'node           1  0.0  0.3 614400 40960 ?        Ss   09:55   0:00 node server.js\n' +
        'node           7  0.0  0.0   4199   977 ?        S    09:55   0:00 ps aux\n',
    );
  });
});

describe('the main process’s streams', () => {
  it('takes what an exec writes to /proc/1/fd/1 into the container log', () => {
    const mainOutput: string[] = [];
    const processes = [{ pid: 1, argv: ['sleep', '3600'], uid: 0, startedAt: START }];
    const { clock } = context();
    const fs = containerFs({ image: image('busybox:1.36'), pod: { hostname: 'web-0', podIP: '10.244.1.7', namespace: 'default' }, now: () => clock.t, processes: () => processes });
    const r = sh('echo to-the-log > /proc/1/fd/1; echo oops 2> /proc/1/fd/2 >&2; cat /proc/1/cmdline | tr "\\0" " "', { fs, mainOutput });
    expect(mainOutput).toEqual(['stdout:to-the-log\n', 'stderr:oops\n']);
    expect(r.stdout).toBe('sleep 3600 ');
  });
});

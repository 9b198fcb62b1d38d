// Programs as the real images have them: timeout, gzip, date's ISO forms, sed's command
// splitting, and the one-liners scenarios run inside containers, on busybox and on Debian.
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { run, type Listener } from '../../../../../src/core/cluster/kubelet/shell/index.js';
import type { ImageInfo } from '../../../../../src/core/cluster/kubelet/images.js';
import { context, image, network, play, sh, START } from './support.js';

const DEBIAN = { image: 'nginx:1.27' };

describe('timeout', () => {
  it('stops a command that runs too long: coreutils exits 124, busybox with the signal\'s 128+15', () => {
    const gnu = sh('timeout 2 sleep 10; echo "status $?"', DEBIAN);
    expect(gnu.stdout).toBe('status 124\n');
    expect(gnu.elapsed).toBe(2000);
    const bb = sh('timeout 2 sleep 10; echo "status $?"');
    expect(bb.stdout).toBe('status 143\n');
    expect(bb.elapsed).toBe(2000);
  });

  it('passes on the status of a command that ends in time', () => {
    expect(sh('timeout 5 sh -c "sleep 1; exit 3"; echo $?', DEBIAN).stdout).toBe('3\n');
    expect(sh('timeout 5 echo hi; echo $?').stdout).toBe('hi\n0\n');
  });

  it('sends the signal -s names, with durations in suffixed and fractional forms', () => {
    expect(sh('timeout -s KILL 2s sleep 10; echo $?', DEBIAN).stdout).toBe('137\n');
    expect(sh('timeout -s KILL 2s sleep 10; echo $?').stdout).toBe('137\n');
    expect(sh('timeout -s SIGINT 0.5m sleep 100; echo $?').stdout).toBe('130\n');
    expect(sh('timeout -s SIGINT 0.5m sleep 100; echo $?').elapsed).toBe(30_000);
    expect(sh('timeout --signal=HUP 1 sleep 3; echo $?', DEBIAN).stdout).toBe('124\n');
  });

  it('keeps coreutils\' --preserve-status, -k and -v, and refuses them on busybox as it has no long options', () => {
    expect(sh('timeout --preserve-status 1 sleep 5; echo $?', DEBIAN).stdout).toBe('143\n');
    const v = sh('timeout -v -k 1 1 sleep 5; echo $?', DEBIAN);
    expect(v.stderr).toBe("timeout: sending signal TERM to command 'sleep'\n");
    expect(v.stdout).toBe('124\n');
    expect(sh('timeout -k 1 1 sleep 5; echo $?').stdout).toBe('143\n');
    const bb = sh('timeout --preserve-status 1 sleep 5; echo $?');
    expect(bb.stderr).toMatch(/^timeout: unrecognized option: -\nBusyBox v1\.37\.0/);
    expect(bb.stdout).toBe('1\n');
  });

  it('says what is wrong with its arguments', () => {
    const gnu = sh('timeout abc sleep 1; echo $?', DEBIAN);
    expect(gnu.stderr).toBe("timeout: invalid time interval 'abc'\nTry 'timeout --help' for more information.\n");
    expect(gnu.stdout).toBe('125\n');
    expect(sh('timeout 5 nope; echo $?').stdout).toBe('127\n');
  });
});

describe('date', () => {
  // START is Mon 23 Nov 2026 09:55:12 UTC.
  it('prints ISO 8601 at each precision with -I, on coreutils and busybox alike', () => {
    for (const opts of [{}, DEBIAN]) {
      expect(play(['date', '-Is'], opts).stdout).toBe('2026-11-23T09:55:12+00:00\n');
      expect(play(['date', '-I'], opts).stdout).toBe('2026-11-23\n');
      expect(play(['date', '-Iminutes'], opts).stdout).toBe('2026-11-23T09:55+00:00\n');
      expect(play(['date', '-Ih'], opts).stdout).toBe('2026-11-23T09+00:00\n');
      expect(play(['date', '-Ins'], opts).stdout).toBe('2026-11-23T09:55:12,000000000+00:00\n');
      expect(play(['date', '-u', '-R'], opts).stdout).toBe('Mon, 23 Nov 2026 09:55:12 +0000\n');
    }
  });

  it('reads coreutils\' long options, which busybox refuses', () => {
    expect(play(['date', '--iso-8601=seconds'], DEBIAN).stdout).toBe('2026-11-23T09:55:12+00:00\n');
    expect(play(['date', '--rfc-3339=seconds'], DEBIAN).stdout).toBe('2026-11-23 09:55:12+00:00\n');
    expect(play(['date', '--utc', '+%F %T'], DEBIAN).stdout).toBe('2026-11-23 09:55:12\n');
    const bb = play(['date', '--iso-8601']);
    expect(bb.stderr).toMatch(/^date: unrecognized option: iso-8601\nBusyBox/);
    expect(bb.code).toBe(1);
  });

  it('shows the time -d describes, in the forms each accepts', () => {
    expect(play(['date', '-d', '@0', '+%F %T'], DEBIAN).stdout).toBe('1970-01-01 00:00:00\n');
    expect(play(['date', '-d', '@86400', '-Is']).stdout).toBe('1970-01-02T00:00:00+00:00\n');
    expect(play(['date', '-d', '2024-02-29 12:30', '+%s']).stdout).toBe(`${Date.UTC(2024, 1, 29, 12, 30) / 1000}\n`);
    expect(play(['date', '-d', '1 hour ago', '+%H:%M'], DEBIAN).stdout).toBe('08:55\n');
    expect(play(['date', '--date=tomorrow', '+%A'], DEBIAN).stdout).toBe('Tuesday\n');
    expect(play(['date', '-d', '+2 days', '+%F'], DEBIAN).stdout).toBe('2026-11-25\n');
    expect(play(['date', '-d', '2026-01-31 1 month', '+%F'], DEBIAN).stdout).toBe('2026-03-03\n');
    const bad = play(['date', '-d', 'next blue moon'], DEBIAN);
    expect(bad.stderr).toBe("date: invalid date 'next blue moon'\n");
    expect(bad.code).toBe(1);
    expect(play(['date', '-d', '1 hour ago']).stderr).toBe("date: invalid date '1 hour ago'\n");
  });

  it('honours GNU format flags and %:z', () => {
    expect(play(['date', '+%-d/%-m %_H|%e|%^a|%:z'], DEBIAN).stdout).toBe('23/11  9|23|MON|+00:00\n');
    expect(play(['date', '+%-H'], DEBIAN).stdout).toBe('9\n');
  });
});

describe('gzip, gunzip and zcat', () => {
  it('replaces a file with real gzip bytes that the host\'s zlib opens, and back', () => {
    for (const opts of [{}, DEBIAN]) {
      const r = sh('echo hello world > /tmp/f && gzip /tmp/f && ls /tmp && cat /tmp/f.gz', opts);
      expect(r.stdout.startsWith('f.gz\n')).toBe(true);
      const bytes = r.stdoutBytes.subarray(5);
      expect(gunzipSync(bytes).toString()).toBe('hello world\n');
      expect(sh('echo hello world > /tmp/f && gzip /tmp/f && gunzip /tmp/f.gz && ls /tmp && cat /tmp/f', opts).stdout).toBe('f\nhello world\n');
    }
  });

  it('keeps the input with -k, writes to stdout with -c, and zcat reads it', () => {
    const r = sh('echo abc > /tmp/a && gzip -k /tmp/a && ls /tmp && zcat /tmp/a.gz && gzip -c /tmp/a | gunzip -c && gzip -dc /tmp/a.gz');
    expect(r.stdout).toBe('a\na.gz\nabc\nabc\nabc\n');
    expect(r.code).toBe(0);
  });

  it('compresses standard input to standard output, and decompresses what the host made', () => {
    const r = play(['gzip'], { stdin: ['some log lines\n'] });
    expect(gunzipSync(r.stdoutBytes).toString()).toBe('some log lines\n');
    expect(play(['zcat'], { stdin: [gzipSync('from the host\n')], image: 'python:3.12' }).stdout).toBe('from the host\n');
  });

  it('refuses to overwrite without -f and says a file is not gzip, in each family\'s words', () => {
    const gnu = sh('echo x > /tmp/a; echo y > /tmp/a.gz; gzip /tmp/a; echo $?; gzip -f /tmp/a; echo $?; echo z > /tmp/b.gz; gunzip /tmp/b.gz; echo $?', DEBIAN);
    expect(gnu.stderr).toBe('gzip: /tmp/a.gz already exists;\tnot overwritten\ngzip: /tmp/b.gz: not in gzip format\n');
    expect(gnu.stdout).toBe('2\n0\n1\n');
    const bb = sh('echo x > /tmp/a; echo y > /tmp/a.gz; gzip /tmp/a; echo $?; echo z > /tmp/b.gz; gunzip /tmp/b.gz; echo $?; gunzip /tmp/nope.gz');
    expect(bb.stderr).toBe("gzip: can't open '/tmp/a.gz': File exists\ngunzip: invalid magic\ngunzip: can't open '/tmp/nope.gz': No such file or directory\n");
    expect(bb.stdout).toBe('1\n1\n');
  });

  it('makes a .tar.gz with tar -z that gunzip and tar -t both read', () => {
    const r = sh('mkdir /tmp/d && echo hi > /tmp/d/x && cd /tmp && tar -czf d.tar.gz d && gunzip -c d.tar.gz | tar -t && tar -tzf d.tar.gz');
    expect(r.stdout).toBe('d/\nd/x\nd/\nd/x\n');
    expect(r.code).toBe(0);
  });
});

describe('sed', () => {
  // [script, input, output] on both families: where sed splits commands, and what it runs.
  const both: Array<[string[], string, string]> = [
    [['s/a;b/OK/'], 'xa;by\n', 'xOKy\n'],
    [['s/a\\;b/OK/'], 'a;b\n', 'OK\n'],
    [['s/[;]/,/g'], 'a;b;c\n', 'a,b,c\n'],
    [['s/x/1/;s/y/2/'], 'xy\n', '12\n'],
    [['y/;:/,./'], 'a;b:c\n', 'a,b.c\n'],
    [['s|/usr/local|/opt|'], 'PATH=/usr/local/bin\n', 'PATH=/opt/bin\n'],
    [['s/\\(foo\\)-\\([0-9]*\\)/\\2:\\1/'], 'foo-42\n', '42:foo\n'],
    [['-E', 's/(foo)-([0-9]+)/\\2:\\1/'], 'foo-42\n', '42:foo\n'],
    [['s/[[:digit:]]\\+/N/g'], 'a1b22\n', 'aNbN\n'],
    [['-n', '/start/,/end/p'], 'a\nstart\nb\nend\nc\n', 'start\nb\nend\n'],
    [['2,3d'], '1\n2\n3\n4\n', '1\n4\n'],
    [['$!d'], '1\n2\n3\n', '3\n'],
    [['-n', '$='], 'a\nb\nc\n', '3\n'],
    [['/^#/d;/^$/d'], '# c\n\nkey=v\n', 'key=v\n'],
    [['s/.*/"&"/'], 'hi\n', '"hi"\n'],
    [['2q'], '1\n2\n3\n', '1\n2\n'],
    [['-e', 's/a/b/', '-e', 's/b/c/'], 'a\n', 'c\n'],
    [['/b/{s/b/B/;p}'], 'a\nb\n', 'a\nB\nB\n'],
    [[':a;N;$!ba;s/\\n/,/g'], 'a\nb\nc\n', 'a,b,c\n'],
    [['s/o/0/2'], 'foo boo\n', 'fo0 boo\n'],
    [['1!G;h;$!d'], '1\n2\n3\n', '3\n2\n1\n'],
    [['s/x/y/'], 'no newline at end', 'no newline at end'],
  ];
  for (const [args, input, output] of both) {
    it(`sed ${args.join(' ')} gives what sed gives`, () => {
      for (const opts of [{}, DEBIAN]) {
        const r = play(['sed', ...args], { ...opts, stdin: [input] });
        expect(r.stderr).toBe('');
        expect(r.stdout).toBe(output);
      }
    });
  }

  it('appends, inserts and changes lines, GNU one-liner style', () => {
    expect(play(['sed', '1i header; still header'], { ...DEBIAN, stdin: ['a\n'] }).stdout).toBe('header; still header\na\n');
    expect(play(['sed', '$a\\footer'], { ...DEBIAN, stdin: ['a\n'] }).stdout).toBe('a\nfooter\n');
    expect(play(['sed', '/b/c\\changed'], { stdin: ['a\nb\n'] }).stdout).toBe('a\nchanged\n');
  });

  it('edits in place with -i, keeping a backup with a suffix', () => {
    const r = sh("printf 'listen 80;\\n' > /tmp/c && sed -i.bak 's/listen 80;/listen 8080;/' /tmp/c && cat /tmp/c /tmp/c.bak", DEBIAN);
    expect(r.stdout).toBe('listen 8080;\nlisten 80;\n');
  });

  it('reads a delimiter inside a bracket expression as busybox does, while GNU ends the expression there', () => {
    expect(play(['sed', 's/[/]/X/'], { stdin: ['a/b\n'] }).stdout).toBe('aXb\n');
    const gnu = play(['sed', 's/[/]/X/'], { ...DEBIAN, stdin: ['a/b\n'] });
    expect(gnu.stderr).toBe("sed: -e expression #1, char 7: unknown option to `s'\n");
    expect(gnu.code).toBe(1);
  });

  it('says what is wrong with a script', () => {
    const gnu = play(['sed', 's/a/b'], { ...DEBIAN, stdin: ['a\n'] });
    expect(gnu.stderr).toBe("sed: -e expression #1, char 5: unterminated `s' command\n");
    expect(play(['sed', 'k'], { ...DEBIAN, stdin: ['a\n'] }).stderr).toBe("sed: -e expression #1, char 1: unknown command: `k'\n");
    expect(play(['sed', 'y/ab/c/'], { stdin: ['a\n'] }).stderr).toBe('sed: strings for y command are different lengths\n');
  });
});

describe('listening programs', () => {
  /** Starts argv with a listen hook, plays it until it waits for a connection, and hands over the port's listener. */
  function listening(argv: string[], opts: { image?: string; imageInfo?: ImageInfo; stdin?: string[] } = {}) {
    const { ctx } = context({ image: opts.image, imageInfo: opts.imageInfo, stdin: opts.stdin });
    const ports = new Map<number, Listener>();
    ctx.listen = (port, l) => {
      if (ports.has(port)) return 'in-use';
      ports.set(port, l);
      return () => ports.delete(port);
    };
    const gen = run(argv, ctx);
    let output = '';
    let code: number | undefined;
    const step = () => {
      for (let r = gen.next(); ; r = gen.next()) {
        if (r.done) {
          code = r.value;
          return;
        }
        if (r.value.kind === 'stdout' || r.value.kind === 'stderr') output += r.value.data.toString();
        if (r.value.kind === 'sleep' && r.value.untilWoken) return;
      }
    };
    step();
    const request = (port: number, path = '/') => {
      const l = ports.get(port);
      if (!l) return undefined;
      const req = { method: 'GET', url: `http://10.244.1.7:${port}${path}`, host: '10.244.1.7', ip: '10.244.1.7', port, path, headers: { Host: `10.244.1.7:${port}` } };
      const res = l.http(req, START);
      const log = l.log?.(req, res, '10.244.2.3', START);
      step();
      return { res, log };
    };
    return { ports, request, output: () => output, code: () => code };
  }

  it('nc -l -p answers one connection with its stdin and exits; -lk keeps listening', () => {
    const once = listening(['sh', '-c', 'echo hi | nc -l -p 9000']);
    expect([...once.ports.keys()]).toEqual([9000]);
    const r = once.request(9000, '/x');
    expect(r?.res.body.toString()).toBe('hi\n');
    expect(r?.log?.text).toBe('GET /x HTTP/1.1\r\nHost: 10.244.1.7:9000\r\n\r');
    expect(once.code()).toBe(0);
    expect(once.ports.size).toBe(0);
    const kept = listening(['nc', '-lk', '-p', '9000'], { stdin: ['HTTP/1.1 204 No Content\r\n\r\n'] });
    expect(kept.request(9000)?.res.status).toBe(204);
    expect(kept.request(9000)?.res.status).toBe(204);
    expect(kept.code()).toBe(undefined);
  });

  it('nc -e runs the program for each connection with the request as its input', () => {
    const nc = listening(['nc', '-lk', '-p', '7000', '-e', 'sh', '-c', 'head -1; echo; echo served']);
    const r = nc.request(7000, '/hello');
    expect(r?.res.body.toString()).toBe('GET /hello HTTP/1.1\r\n\nserved\n');
  });

  it('takes the port as an operand in OpenBSD nc, and refuses a port already taken', () => {
    // Debian with netcat-openbsd installed.
    const debian = image('debian:12');
    const bsd = listening(['nc', '-l', '8081'], { imageInfo: { ...debian, commands: [...debian.commands, 'nc'] } });
    expect([...bsd.ports.keys()]).toEqual([8081]);
    // busybox reads the operand as the peer allowed in, and listens on a port nobody knows.
    expect(listening(['nc', '-l', '8081']).ports.size).toBe(0);
    const twice = listening(['sh', '-c', 'nc -lk -p 80 & nc -l -p 80; echo "status $?"']);
    expect(twice.output()).toBe('nc: bind: Address in use\nstatus 1\n');
  });

  it('python -m http.server listens on 8000 by default and not at all when bound to loopback', () => {
    const py = listening(['python3', '-m', 'http.server'], { image: 'python:3.12' });
    expect([...py.ports.keys()]).toEqual([8000]);
    const res = py.request(8000, '/nope')?.res;
    expect(res?.status).toBe(404);
    expect(py.request(8000, '/etc/')?.res.body.toString()).toContain('<li><a href="hostname">hostname</a></li>');
    const local = listening(['python3', '-u', '-m', 'http.server', '--bind', '127.0.0.1', '9090'], { image: 'python:3.12' });
    expect(local.ports.size).toBe(0);
    expect(local.output()).toBe('Serving HTTP on 127.0.0.1 port 9090 (http://127.0.0.1:9090/) ...\n');
  });
});

describe('awk', () => {
  const cases: Array<[string, string[], string, string]> = [
    ['prints a field', ['{print $1}'], 'x y z\na b c\n', 'x\na\n'],
    ['splits on -F', ['-F:', '{print $1, $NF}'], 'root:x:0:0:root:/root:/bin/sh\n', 'root /bin/sh\n'],
    ['counts with NR in END', ['END {print NR}'], 'a\nb\nc\n', '3\n'],
    ['sums a column', ['{s += $2} END {printf "%.1f\\n", s}'], 'a 1.5\nb 2\n', '3.5\n'],
    ['filters by regex and comparison', ['/err/ && $2 > 10 {print $1}'], 'e1 5 err\nx 20 err\ne3 12 err\nok 30 fine\n', 'x\ne3\n'],
    ['counts with an array', ['{c[$1]++} END {for (k in c) print k, c[k]}'], 'a\nb\na\n', 'a 2\nb 1\n'],
    ['uses string functions', ['{print toupper(substr($0, 1, 3)), length($0), index($0, "lo")}'], 'hello\n', 'HEL 5 4\n'],
    ['substitutes with gsub', ['{gsub(/o/, "0"); print}'], 'foo boo\n', 'f00 b00\n'],
    ['runs BEGIN alone without reading input', ['BEGIN {x = 2 ^ 10; print x, x / 3}'], '', '1024 341.333\n'],
    ['takes -v variables and prints NF', ['-v', 'want=2', 'NF == want {print "two:", $0}'], 'a b\nc\nd e\n', 'two: a b\ntwo: d e\n'],
    ['loops and branches', ['{for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? " " : "\\n")}'], '1 2 3\n', '3 2 1\n'],
    ['prints a whole line for a bare pattern', ['NR==2'], 'a\nb\nc\n', 'b\n'],
    ['reads bare length as the line\'s', ['length > 2 {print length}'], 'ab\nabcd\n', '4\n'],
  ];
  for (const [what, args, input, output] of cases) {
    it(`${what}, as busybox awk and Debian's mawk do`, () => {
      for (const opts of [{}, DEBIAN]) {
        const r = play(['awk', ...args], { ...opts, stdin: [input] });
        expect(r.stderr).toBe('');
        expect(r.stdout).toBe(output);
      }
    });
  }

  it('reads the pod\'s files as scenarios do with it', () => {
    expect(sh("awk -F: '$3 == 0 {print $1}' /etc/passwd").stdout).toBe('root\n');
    expect(sh("cat /etc/resolv.conf | awk '/nameserver/ {print $2}'").stdout).toBe('10.96.0.10\n');
  });
});

describe('one-liners scenarios run inside containers', () => {
  it('xargs takes -I, -n and quoted input', () => {
    expect(sh('seq 3 | xargs -I{} echo n{}').stdout).toBe('n1\nn2\nn3\n');
    expect(sh('seq 5 | xargs -n 2 echo', DEBIAN).stdout).toBe('1 2\n3 4\n5\n');
    expect(sh("printf '\"a b\" c\\n' | xargs -n1 echo").stdout).toBe('a b\nc\n');
    expect(sh('echo /etc/hostname | xargs cat').stdout).toBe('web-0\n');
  });

  it('stat prints the permissions, owner and size a scenario checks', () => {
    for (const opts of [{}, DEBIAN]) {
      expect(sh("echo hello > /tmp/f && chmod 640 /tmp/f && stat -c '%a %U:%G %s %n' /tmp/f", opts).stdout).toBe('640 root:root 6 /tmp/f\n');
    }
    expect(sh('stat /etc/hostname', DEBIAN).stdout).toMatch(/^ {2}File: \/etc\/hostname\n {2}Size: 6 +\tBlocks: 8 +IO Block: 4096 {3}regular file\n/);
    expect(sh('stat /nope', DEBIAN).stderr).toBe("stat: cannot statx '/nope': No such file or directory\n");
  });

  it('has du, readlink, the checksum tools and expr in both families, and rev in busybox', () => {
    for (const opts of [{}, DEBIAN]) {
      expect(sh('mkdir /tmp/d && echo hi > /tmp/d/a && du -s /tmp/d', opts).stdout).toBe('8\t/tmp/d\n');
      expect(sh('echo -n hello | md5sum', opts).stdout).toBe('5d41402abc4b2a76b9719d911017c592  -\n');
      expect(sh('echo -n hello > /tmp/h && sha256sum /tmp/h', opts).stdout).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  /tmp/h\n');
      expect(sh('expr 3 + 4 \\* 2; expr length hello; expr 5 \\> 9; echo $?', opts).stdout).toBe('11\n5\n0\n1\n');
      expect(sh('ln -s /etc/hostname /tmp/l && readlink /tmp/l && readlink -f /tmp/l', opts).stdout).toBe('/etc/hostname\n/etc/hostname\n');
    }
    expect(sh('echo abc | rev').stdout).toBe('cba\n');
    expect(sh('echo abc | rev', DEBIAN).stderr).toBe('sh: 1: rev: not found\n');
  });
});

describe('parameter expansion beyond POSIX', () => {
  it('takes substrings and replaces patterns in busybox ash and bash, while dash calls it a bad substitution', () => {
    expect(sh('v=kubernetes; echo ${v:0:4} ${v:4} ${v: -3} ${v/e/E} ${v//e/E} ${v/#kube/K}').stdout).toBe('kube rnetes tes kubErnetes kubErnEtEs Krnetes\n');
    expect(play(['bash', '-c', 'i=2; v=abcdef; echo ${v:$i:2} ${v:1:-1}'], DEBIAN).stdout).toBe('cd bcde\n');
    const dash = sh('v=abc; echo ${v:0:1}; echo after', DEBIAN);
    expect(dash.stderr).toBe('sh: 1: Bad substitution\n');
    expect(dash.code).toBe(2);
  });
});

describe('here-strings', () => {
  it('feed a word and a newline to a command in busybox ash and bash', () => {
    expect(sh('tr a-z A-Z <<< "hello $HOSTNAME"').stdout).toBe('HELLO WEB-0\n');
    expect(play(['bash', '-c', 'read a b <<< "one two"; echo $b'], DEBIAN).stdout).toBe('two\n');
    expect(sh('cat <<< hi', DEBIAN).stderr).toBe('sh: 1: Syntax error: redirection unexpected\n');
  });
});

describe('the pod network from inside', () => {
  const world = { services: { 'kubernetes.default.svc.cluster.local': '10.96.0.1' }, pods: {}, servers: {} };

  it('shows the pod IP on eth0 with busybox ip and ifconfig, which Debian images lack', () => {
    const addr = sh('ip addr show');
    expect(addr.stdout).toContain('inet 10.244.1.7/24 brd 10.244.1.255 scope global eth0\n');
    expect(sh('ip route').stdout).toBe('default via 10.244.1.1 dev eth0 \n10.244.1.0/24 via 10.244.1.1 dev eth0 src 10.244.1.7 \n10.244.1.1 dev eth0 scope link src 10.244.1.7 \n');
    expect(sh("ifconfig eth0 | grep 'inet addr'").stdout).toBe('          inet addr:10.244.1.7  Bcast:10.244.1.255  Mask:255.255.255.0\n');
    expect(sh('ip a', DEBIAN).stderr).toBe('sh: 1: ip: not found\n');
  });

  it('looks names up with getent hosts through the search path, in Debian images', () => {
    const r = sh('getent hosts kubernetes.default; getent hosts web-0; getent hosts nope; echo $?', { ...DEBIAN, net: network(world) });
    expect(r.stdout).toBe('10.96.0.1       kubernetes.default.svc.cluster.local\n10.244.1.7      web-0\n2\n');
    expect(sh('getent passwd nginx', DEBIAN).stdout).toBe('nginx:x:101:101:nginx user:/nonexistent:/bin/false\n');
  });
});

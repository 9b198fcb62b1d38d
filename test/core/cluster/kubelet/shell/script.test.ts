import { describe, expect, it } from 'vitest';
import { Interrupt, run, runToEnd } from '../../../../../src/core/cluster/kubelet/shell/index.js';
import { context, play, sh } from './support.js';

describe('sh -c scripts on the simulated clock', () => {
  it('echoes, then sleeps for an hour without ending', () => {
    const r = sh('echo hello; sleep 3600', { until: 3599_000 });
    expect(r.stdout).toBe('hello\n');
    expect(r.code).toBeUndefined();
    const done = sh('echo hello; sleep 3600');
    expect(done.code).toBe(0);
    expect(done.elapsed).toBe(3600_000);
  });

  it('exits with the status exit gives it', () => {
    expect(sh('exit 1').code).toBe(1);
    expect(sh('echo start; exit 3; echo never').stdout).toBe('start\n');
    expect(sh('false').code).toBe(1);
    expect(sh('true').code).toBe(0);
  });

  it('prints the date on every turn of a while loop', () => {
    const r = sh('while true; do echo "$(date) hi"; sleep 5; done', { until: 12_000 });
    expect(r.stdout).toBe('Mon Nov 23 09:55:12 UTC 2026 hi\nMon Nov 23 09:55:17 UTC 2026 hi\nMon Nov 23 09:55:22 UTC 2026 hi\n');
  });

  it('counts like the logging docs counter, one line a second', () => {
    const r = sh('i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done', { until: 2_500 });
    expect(r.stdout).toBe('0: Mon Nov 23 09:55:12 UTC 2026\n1: Mon Nov 23 09:55:13 UTC 2026\n2: Mon Nov 23 09:55:14 UTC 2026\n');
  });

  it('runs a for loop over words', () => {
    const r = sh('for i in 1 2 3; do echo $i; sleep 1; done');
    expect(r.stdout).toBe('1\n2\n3\n');
    expect(r.elapsed).toBe(3000);
    expect(r.timeline.map(([t]) => t)).toEqual([0, 1, 2]);
  });

  it('sees the pod hostname in $HOSTNAME', () => {
    expect(sh('echo $HOSTNAME').stdout).toBe('web-0\n');
  });

  it('makes and removes the liveness file on schedule', () => {
    const r = sh('touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600', { until: 10_000 });
    expect(r.fs.exists('/tmp/healthy')).toBe(true);
    const later = sh('touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600', { until: 31_000 });
    expect(later.fs.exists('/tmp/healthy')).toBe(false);
  });

  it('waits for a service with until and nslookup, as init containers do', () => {
    const r = sh('until nslookup myservice; do echo waiting for myservice; sleep 2; done', { until: 5_000 });
    expect(r.stdout.match(/waiting for myservice/g)).toHaveLength(3);
    expect(r.stdout).toContain("** server can't find myservice: NXDOMAIN");
  });

  it('chains with && and || and keeps $?', () => {
    expect(sh('false && echo yes || echo no').stdout).toBe('no\n');
    expect(sh('true && echo yes || echo no').stdout).toBe('yes\n');
    expect(sh('false; echo $?').stdout).toBe('1\n');
    expect(sh('(exit 7); echo $?').stdout).toBe('7\n');
  });

  it('expands variables with defaults, lengths and trims', () => {
    expect(sh('echo ${NOPE:-fallback} ${#HOSTNAME}').stdout).toBe('fallback 5\n');
    expect(sh('f=app.tar.gz; echo ${f%.gz} ${f%%.*} ${f#*.}').stdout).toBe('app.tar app tar.gz\n');
    expect(sh('x=; echo "[${x:-d}]" "[${x-d}]"').stdout).toBe('[d] []\n');
  });

  it('quotes: single quotes keep $, double quotes expand, backslash escapes', () => {
    expect(sh(`x=1; echo '$x' "$x" \\$x "a  b"`).stdout).toBe('$x 1 $x a  b\n');
    expect(sh('x="a   b"; echo $x; echo "$x"').stdout).toBe('a b\na   b\n');
  });

  it('substitutes commands with $() and backticks, nested', () => {
    expect(sh('echo "host: $(hostname)" `echo tick`').stdout).toBe('host: web-0 tick\n');
    expect(sh('echo $(echo $(echo deep))').stdout).toBe('deep\n');
  });

  it('does arithmetic', () => {
    expect(sh('echo $((2+3*4)) $(( (2+3)*4 )) $((10/3)) $((10%3)) $((1<2))').stdout).toBe('14 20 3 1 1\n');
    expect(sh('i=5; i=$((i-1)); echo $i').stdout).toBe('4\n');
  });

  it('branches with if/elif/else and test', () => {
    const script = 'for n in 1 5 9; do if [ $n -lt 3 ]; then echo low; elif [ $n -lt 7 ]; then echo mid; else echo high; fi; done';
    expect(sh(script).stdout).toBe('low\nmid\nhigh\n');
    expect(sh('if [ -f /etc/hostname ]; then echo yes; fi').stdout).toBe('yes\n');
    expect(sh('test -d /nope || echo missing').stdout).toBe('missing\n');
  });

  it('matches case patterns', () => {
    expect(sh('for x in a.txt b.log c; do case $x in *.txt) echo text;; *.log|*.err) echo log;; *) echo other;; esac; done').stdout).toBe('text\nlog\nother\n');
  });

  it('pipes output between commands', () => {
    expect(sh('echo "b\na\nc" | sort | head -n 2').stdout).toBe('a\nb\n');
    expect(sh('printf "x\\ny\\nx\\n" | grep -c x').stdout).toBe('2\n');
    expect(sh('cat /etc/hostname | wc -l').stdout).toBe('1\n');
  });

  it('stops a producer that writes to a pipe whose reader has gone', () => {
    const r = sh('while true; do echo tick; sleep 1; done | head -n 2; echo after');
    expect(r.stdout).toBe('tick\ntick\nafter\n');
    expect(r.code).toBe(0);
  });

  it('redirects to files, appends, and merges stderr', () => {
    const r = sh('echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; ls /nope 2>&1 | tr a-z A-Z; ls /nope 2>/dev/null; echo $?');
    expect(r.stdout).toBe('one\ntwo\nLS: /NOPE: NO SUCH FILE OR DIRECTORY\n1\n');
    expect(r.stderr).toBe('');
  });

  it('reads a file with while read', () => {
    expect(sh('printf "a b\\nc d\\n" > /tmp/in; while read x y; do echo "$y-$x"; done < /tmp/in').stdout).toBe('b-a\nd-c\n');
  });

  it('reads lines from a pipe without losing any', () => {
    expect(sh('printf "1\\n2\\n3\\n" | while read n; do echo "got $n"; done').stdout).toBe('got 1\ngot 2\ngot 3\n');
  });

  it('exports variables to programs and not unexported ones', () => {
    expect(sh('A=1; export B=2; env | grep -E "^(A|B)="').stdout).toBe('B=2\n');
    expect(sh('C=3 printenv C').stdout).toBe('3\n');
  });

  it('changes directory with cd and reports it with pwd', () => {
    expect(sh('cd /etc && pwd && cd .. && pwd').stdout).toBe('/etc\n/\n');
    const r = sh('cd /nope');
    expect(r.stderr).toBe("sh: cd: can't cd to /nope: No such file or directory\n");
    expect(r.code).toBe(1);
  });

  it('defines and calls functions', () => {
    expect(sh('greet() { echo "hi $1"; return 3; }; greet bob; echo $?').stdout).toBe('hi bob\n3\n');
  });

  it('breaks out of loops', () => {
    expect(sh('i=0; while true; do i=$((i+1)); [ $i -gt 3 ] && break; done; echo $i').stdout).toBe('4\n');
  });

  it('lets time pass in a loop that never waits, so the cluster is not held', () => {
    const r = sh('while :; do :; done', { until: 5_000 });
    expect(r.code).toBeUndefined();
    expect(r.elapsed).toBeGreaterThan(4_000);
  });

  it('runs an EXIT trap and accepts a TERM trap', () => {
    expect(sh("trap 'echo bye' EXIT; trap 'exit 0' TERM; echo hi").stdout).toBe('hi\nbye\n');
  });

  it('expands globs against the container filesystem', () => {
    expect(sh('cd /etc && echo host*').stdout).toBe('hostname hosts\n');
    expect(sh('echo /nope/*').stdout).toBe('/nope/*\n');
  });

  it('feeds here-documents to commands', () => {
    expect(sh('x=there\ncat <<EOF\nhello $x\nEOF\ncat <<\'EOF\'\nhello $x\nEOF').stdout).toBe('hello there\nhello $x\n');
  });

  it('stops on the first failure with set -e', () => {
    const r = sh('set -e; echo a; false; echo b');
    expect(r.stdout).toBe('a\n');
    expect(r.code).toBe(1);
    expect(sh('set -e; false || true; if false; then :; fi; echo ok').stdout).toBe('ok\n');
  });
});

describe('commands that are not there', () => {
  it('busybox sh says not found with status 127', () => {
    const r = sh('foo');
    expect(r.stderr).toBe('sh: foo: not found\n');
    expect(r.code).toBe(127);
    expect(play(['/bin/sh', '-c', 'foo']).stderr).toBe('/bin/sh: foo: not found\n');
  });

  it('dash numbers the line', () => {
    const r = play(['/bin/sh', '-c', 'echo ok\nfoo'], { image: 'nginx:1.27' });
    expect(r.stderr).toBe('/bin/sh: 2: foo: not found\n');
    expect(r.code).toBe(127);
  });

  it('bash says command not found', () => {
    expect(play(['bash', '-c', 'foo'], { image: 'nginx:1.27' }).stderr).toBe('bash: line 1: foo: command not found\n');
  });

  it('a direct argv that is missing fails as the runtime does', () => {
    const r = play(['foo']);
    expect(r.stderr).toBe('exec: "foo": executable file not found in $PATH\n');
    expect(r.code).toBe(127);
  });

  it('Debian images have no ping, wget or ps', () => {
    expect(sh('ping -c 1 x', { image: 'nginx:1.27' }).stderr).toBe('sh: 1: ping: not found\n');
    expect(sh('ps', { image: 'nginx:1.27' }).code).toBe(127);
  });

  it('reports syntax errors in each shell’s words', () => {
    expect(sh('if true; then echo x; fi fi').stderr).toBe('sh: syntax error: unexpected "fi"\n');
    expect(sh('if true; then', { image: 'nginx:1.27' }).stderr).toBe('sh: 1: Syntax error: end of file unexpected\n');
    expect(sh('if true; then').code).toBe(2);
  });
});

describe('interactive shells', () => {
  it('reads commands from standard input without a prompt when there is no terminal', () => {
    const r = play(['sh'], { stdin: ['echo one\n', 'echo two\nexit 4\n'] });
    expect(r.stdout).toBe('one\ntwo\n');
    expect(r.code).toBe(4);
  });

  it('prompts like busybox with a terminal and echoes what is typed', () => {
    const r = play(['sh'], { tty: true, stdin: ['hostname\r', 'exit\r'] });
    expect(r.stdout).toBe('/ # hostname\r\nweb-0\r\n/ # exit\r\n');
  });

  it('prompts like bash on Debian images', () => {
    const r = play(['bash'], { tty: true, image: 'nginx:1.27', stdin: ['cd /etc\r', 'exit\r'] });
    expect(r.stdout).toBe('root@web-0:/# cd /etc\r\nroot@web-0:/etc# exit\r\nexit\r\n');
  });

  it('continues a command over several lines', () => {
    const r = play(['sh'], { stdin: ['for i in 1 2\n', 'do echo $i\n', 'done\n'] });
    expect(r.stdout).toBe('1\n2\n');
  });

  it('a container whose shell has no input exits at once', () => {
    const r = play(['sh']);
    expect(r.code).toBe(0);
    expect(r.elapsed).toBe(0);
  });

  it('^C stops the running command and the shell prompts again', () => {
    const { ctx } = context({ tty: true });
    const gen = run(['sh'], { ...ctx, stdin: 'stream' });
    let text = '';
    let r = gen.next();
    const typed = ['sleep 100\r'];
    for (let i = 0; i < 20 && !r.done; i++) {
      const s = r.value;
      if (s.kind === 'stdout' || s.kind === 'stderr') text += s.data.toString();
      if (s.kind === 'sleep') {
        r = gen.throw(new Interrupt());
        continue;
      }
      if (s.kind === 'read') {
        const next = typed.shift();
        if (next === undefined) break;
        r = gen.next(next);
        continue;
      }
      r = gen.next();
    }
    expect(text).toBe('/ # sleep 100\r\n\r\n/ # ');
    expect(r.done).toBe(false);
  });
});

describe('commands run to their end at once (exec probes)', () => {
  it('returns status and output', () => {
    const { ctx } = context();
    expect(runToEnd(['cat', '/etc/hostname'], ctx)).toEqual({ exitCode: 0, stdout: 'web-0\n', stderr: '', output: 'web-0\n', elapsedMs: 0 });
    expect(runToEnd(['cat', '/tmp/healthy'], ctx).exitCode).toBe(1);
  });

  it('gives up on a command that outlasts its timeout', () => {
    const { ctx } = context();
    expect(runToEnd(['sh', '-c', 'sleep 5; echo late'], ctx, 1000)).toEqual({ exitCode: undefined, stdout: '', stderr: '', output: '', elapsedMs: 1000 });
    expect(runToEnd(['sh', '-c', 'while true; do echo y; done'], ctx, 1000).exitCode).toBeUndefined();
  });
});

describe('shell options', () => {
  it('takes bundled flags like -lc and -ec, and $0 and arguments after the script', () => {
    expect(play(['bash', '-lc', 'echo $0 $1', 'me', 'you'], { image: 'nginx:1.27' }).stdout).toBe('me you\n');
    expect(play(['sh', '-ec', 'false; echo no']).code).toBe(1);
    expect(play(['sh', '-c']).stderr).toBe('sh: -c requires an argument\n');
  });
});

describe('signals from the kubelet', () => {
  it('runs a TERM trap once the command in the foreground has finished', () => {
    const { ctx } = context();
    const proc = run(['sh', '-c', "trap 'echo got TERM; exit 0' TERM; while true; do sleep 1; done"], ctx);
    expect(proc.next().value).toEqual({ kind: 'sleep', ms: 1000 });
    expect(proc.signal('TERM')).toBe('trapped');
    expect(proc.next().value).toEqual({ kind: 'stdout', data: 'got TERM\n' });
    expect(proc.next()).toEqual({ done: true, value: 0 });
  });

  it('leaves a shell without a trap to the default action', () => {
    const { ctx } = context();
    const proc = run(['sh', '-c', 'sleep 3600'], ctx);
    proc.next();
    expect(proc.signal('TERM')).toBe('default');
    expect(run(['sleep', '10'], ctx).signal('TERM')).toBe('default');
  });
});

describe('bash extras', () => {
  it('expands braces in bash and not in busybox sh', () => {
    expect(play(['bash', '-c', 'for i in {1..3}; do echo $i; done; echo file{a,b}.txt'], { image: 'nginx:1.27' }).stdout).toBe('1\n2\n3\nfilea.txt fileb.txt\n');
    expect(sh('echo {1..3}').stdout).toBe('{1..3}\n');
  });

  it('gives $RANDOM numbers below 32768', () => {
    const n = Number(sh('echo $RANDOM').stdout);
    expect(n).toBeGreaterThanOrEqual(0);
    expect(n).toBeLessThan(32768);
  });
});

describe('the terminal', () => {
  it('edits the line with backspace and ignores arrow keys', () => {
    const r = play(['sh'], { tty: true, stdin: ['hostnamx\x7fe\x1b[A\r', 'exit\r'] });
    expect(r.stdout).toBe('/ # hostnamx\b \be\r\nweb-0\r\n/ # exit\r\n');
  });

  it('ends the shell with ^D on an empty line', () => {
    const r = play(['sh'], { tty: true, stdin: ['\x04'] });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('/ # ');
  });
});

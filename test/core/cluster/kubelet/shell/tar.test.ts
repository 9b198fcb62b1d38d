import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { containerFs } from '../../../../../src/core/cluster/kubelet/shell/index.js';
import { image, play, sh, START } from './support.js';

const dirs: string[] = [];
function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'kubedojo-tar-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function podFs(img = 'busybox:1.36') {
  return containerFs({ image: image(img), pod: { hostname: 'web-0', podIP: '10.244.1.7', namespace: 'default' }, now: () => START });
}

describe('tar as kubectl cp drives it', () => {
  it('writes an archive the system tar reads back (kubectl cp pod:/path local)', () => {
    const fs = podFs();
    sh('mkdir -p /data/sub && echo hello > /data/a.txt && echo deep > /data/sub/b.txt && chmod 600 /data/sub/b.txt', { fs });
    const r = play(['tar', 'cf', '-', '/data'], { fs });
    expect(r.stderr).toBe("tar: removing leading '/' from member names\n");
    expect(r.code).toBe(0);
    expect(r.stdoutBytes.length % 10240).toBe(0);
    const out = scratch();
    execFileSync('tar', ['xf', '-', '-C', out], { input: r.stdoutBytes });
    expect(readFileSync(join(out, 'data/a.txt'), 'utf8')).toBe('hello\n');
    expect(readFileSync(join(out, 'data/sub/b.txt'), 'utf8')).toBe('deep\n');
    expect(statSync(join(out, 'data/sub/b.txt')).mode & 0o777).toBe(0o600);
    const listing = execFileSync('tar', ['tf', '-'], { input: r.stdoutBytes }).toString();
    expect(listing).toBe('data/\ndata/a.txt\ndata/sub/\ndata/sub/b.txt\n');
  });

  it('says GNU tar’s words on Debian images', () => {
    const fs = podFs('nginx:1.27');
    expect(play(['tar', 'cf', '-', '/etc/hostname'], { fs, image: 'nginx:1.27' }).stderr).toBe("tar: Removing leading `/' from member names\n");
  });

  it('extracts what the system tar wrote (kubectl cp local pod:/path)', () => {
    const src = scratch();
    mkdirSync(join(src, 'site/css'), { recursive: true });
    writeFileSync(join(src, 'site/index.html'), '<h1>mine</h1>\n');
    writeFileSync(join(src, 'site/css/a.css'), 'body{}\n');
    const archive = execFileSync('tar', ['cf', '-', '-C', src, 'site']);
    const fs = podFs();
    const r = play(['tar', '-xmf', '-', '-C', '/tmp'], { fs, stdin: [archive] });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(sh('cat /tmp/site/index.html /tmp/site/css/a.css', { fs }).stdout).toBe('<h1>mine</h1>\nbody{}\n');
    // -m: extracted files get the current time, not the archive's.
    expect(fs.stat('/tmp/site/index.html').mtime).toBe(START);
  });

  it('reads long names from PAX headers, as Go’s archive/tar writes them', () => {
    const src = scratch();
    const long = `${'d'.repeat(120)}/${'f'.repeat(110)}.txt`;
    mkdirSync(join(src, 'd'.repeat(120)), { recursive: true });
    writeFileSync(join(src, long), 'long\n');
    const archive = execFileSync('tar', ['--format=pax', '-cf', '-', '-C', src, long]);
    const fs = podFs();
    expect(play(['tar', '--no-same-permissions', '--no-same-owner', '-xmf', '-', '-C', '/tmp'], { fs, stdin: [archive] }).code).toBe(0);
    expect(fs.readFile(`/tmp/${long}`).toString()).toBe('long\n');
  });

  it('round-trips through its own reader, keeping modes and symlinks', () => {
    const fs = podFs();
    sh('mkdir /src && echo x > /src/run.sh && chmod 755 /src/run.sh && ln -s run.sh /src/link', { fs });
    const archive = play(['tar', 'cf', '-', '-C', '/', 'src'], { fs }).stdoutBytes;
    const dest = podFs();
    expect(play(['tar', 'xf', '-', '-C', '/tmp'], { fs: dest, stdin: [archive] }).code).toBe(0);
    expect(sh('ls -l /tmp/src', { fs: dest }).stdout).toBe('total 4\nlrwxrwxrwx    1 root     root             6 Nov 23 09:55 link -> run.sh\n-rwxr-xr-x    1 root     root             2 Nov 23 09:55 run.sh\n');
  });

  it('fails on a read-only destination as tar does', () => {
    const fs = containerFs({ image: image('nginx:1.27'), pod: { hostname: 'web-0', podIP: '10.244.1.7', namespace: 'default' }, now: () => START, readOnlyRoot: true });
    const src = scratch();
    writeFileSync(join(src, 'f'), 'x');
    const archive = execFileSync('tar', ['cf', '-', '-C', src, 'f']);
    const r = play(['tar', '-xmf', '-', '-C', '/tmp'], { fs, image: 'nginx:1.27', stdin: [archive] });
    expect(r.stderr).toBe('tar: f: Cannot open: Read-only file system\ntar: Exiting with failure status due to previous errors\n');
    expect(r.code).toBe(2);
  });

  it('answers kubectl cp’s directory check with test -d', () => {
    expect(play(['test', '-d', '/tmp']).code).toBe(0);
    expect(play(['test', '-d', '/etc/hostname']).code).toBe(1);
  });
});

describe('kubectl cp with retries', () => {
  it('resumes a copy with tail -c+N on the archive, byte for byte', () => {
    const fs = podFs();
    sh('mkdir /data && printf "\\001\\002\\nbinary\\377\\n" > /data/bin', { fs });
    const whole = play(['tar', 'cf', '-', 'data'], { fs, cwd: '/' }).stdoutBytes;
    const rest = play(['sh', '-c', 'tar cf - data | tail -c+513'], { fs, cwd: '/' }).stdoutBytes;
    expect(rest.equals(whole.subarray(512))).toBe(true);
  });
});

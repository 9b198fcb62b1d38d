// Programs about the process and the machine: sleep, env, hostname, date, id, ps, df, uname…
import { dateProgram } from './date.js';
import { echoText } from './echo.js';
import { formatPrintf } from './printf.js';
import { testExpression } from './test.js';
import { err, out, readAll, sleep } from '../io.js';
import { KERNEL, MACHINE } from '../kernel.js';
import { strftime } from '../time-format.js';
import type { Process } from '../types.js';
import type { Program, Sys } from './types.js';
import { fail, groupNames, humanSize, parseOpts, userNames } from './util.js';

const SLEEP_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

const sleepProgram: Program = function* (argv, sys) {
  const args = argv.slice(1);
  if (!args.length) {
    if (sys.toolset === 'gnu') {
      yield* err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
      return 1;
    }
    yield* err('BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: sleep [N]...\n\nPause for a time equal to the total of the args given, where each arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays\n');
    return 1;
  }
  let total = 0;
  for (const a of args) {
    if (/^(inf|infinity)$/i.test(a)) {
      total = Infinity;
      continue;
    }
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) return yield* fail(sys, sys.toolset === 'gnu' ? `invalid time interval '${a}'\nTry 'sleep --help' for more information.` : `invalid number '${a}'`);
    total += Number(m[1]) * SLEEP_UNITS[m[2]];
  }
  yield* sleep(total === Infinity ? Infinity : Math.round(total * 1000));
  return 0;
};

const envProgram: Program = function* (argv, sys) {
  let env: Record<string, string> = { ...sys.env };
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-i' || a === '-') env = {};
    else if (a === '-u') delete env[argv[++i]];
    else if (/^[^=]+=/.test(a)) env[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    else break;
  }
  if (i < argv.length) return yield* sys.exec(argv.slice(i), env);
  yield* out(Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
  return 0;
};

const printenvProgram: Program = function* (argv, sys) {
  const names = argv.slice(1).filter((a) => !a.startsWith('-'));
  if (!names.length) {
    yield* out(Object.entries(sys.env).map(([k, v]) => `${k}=${v}\n`).join(''));
    return 0;
  }
  let status = 0;
  for (const n of names) {
    if (n in sys.env) yield* out(`${sys.env[n]}\n`);
    else status = 1;
  }
  return status;
};

const hostnameProgram: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  if (o.flags.has('i') || o.flags.has('I')) {
    yield* out(sys.toolset === 'gnu' ? `${sys.ctx.podIP} \n` : `${sys.ctx.podIP}\n`);
    return 0;
  }
  if (o.args.length) return yield* fail(sys, sys.toolset === 'gnu' ? 'you must be root to change the host name' : 'sethostname: Operation not permitted');
  const h = sys.ctx.hostname;
  yield* out(`${o.flags.has('s') ? h.split('.')[0] : h}\n`);
  return 0;
};

const unameProgram: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  const osName = sys.ctx.image.os === 'alpine' ? 'Linux' : 'GNU/Linux';
  const all = o.flags.has('a') || o.long.includes('--all');
  const fields: string[] = [];
  if (all || o.flags.has('s') || o.flags.size === 0) fields.push(KERNEL.sysname);
  if (all || o.flags.has('n')) fields.push(sys.ctx.hostname);
  if (all || o.flags.has('r')) fields.push(KERNEL.release);
  if (all || o.flags.has('v')) fields.push(KERNEL.version);
  if (all || o.flags.has('m')) fields.push(KERNEL.machine);
  if (!all && o.flags.has('p')) fields.push(sys.toolset === 'gnu' ? 'unknown' : KERNEL.machine);
  if (all || o.flags.has('o')) fields.push(osName);
  yield* out(`${fields.join(' ')}\n`);
  return 0;
};

function memberships(sys: Sys, userName: string | undefined): number[] {
  const gids: number[] = [];
  if (!userName) return gids;
  try {
    for (const line of sys.fs.readFile('/etc/group').toString().split('\n')) {
      const f = line.split(':');
      if (f[3]?.split(',').includes(userName)) gids.push(Number(f[2]));
    }
  } catch {
    // no /etc/group
  }
  return gids;
}

const idProgram: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  const users = userNames(sys);
  const groups = groupNames(sys);
  const u = sys.user;
  const name = users.get(u.uid);
  const all = [...new Set([u.gid, ...u.groups, ...memberships(sys, name)])].sort((a, b) => a - b);
  const fmt = (id: number, names: Map<number, string>) => (names.has(id) ? `${id}(${names.get(id)})` : String(id));
  if (o.flags.has('u')) yield* out(`${o.flags.has('n') ? (name ?? u.uid) : u.uid}\n`);
  else if (o.flags.has('g')) yield* out(`${o.flags.has('n') ? (groups.get(u.gid) ?? u.gid) : u.gid}\n`);
  else if (o.flags.has('G')) yield* out(`${all.map((g) => (o.flags.has('n') ? (groups.get(g) ?? g) : g)).join(' ')}\n`);
  else yield* out(`uid=${fmt(u.uid, users)} gid=${fmt(u.gid, groups)} groups=${all.map((g) => fmt(g, groups)).join(',')}\n`);
  return 0;
};

const whoamiProgram: Program = function* (_argv, sys) {
  const name = userNames(sys).get(sys.user.uid);
  if (name === undefined) return yield* fail(sys, sys.toolset === 'gnu' ? `cannot find name for user ID ${sys.user.uid}` : `unknown uid ${sys.user.uid}`);
  yield* out(`${name}\n`);
  return 0;
};

function cpuTime(p: Process): number {
  return Math.floor((p.cpuMs ?? 0) / 1000);
}

function processTable(sys: Sys, argv: string[]): Process[] {
  const list = [...sys.ctx.processes()];
  // ps sees itself.
  if (!list.some((p) => p.argv.join(' ') === argv.join(' ') && p.pid !== 1)) {
    const pid = Math.max(0, ...list.map((p) => p.pid)) + 6;
    list.push({ pid, argv, uid: sys.user.uid, startedAt: sys.now(), tty: sys.ctx.tty ? 'pts/0' : undefined });
  }
  return list.sort((a, b) => a.pid - b.pid);
}

const psProgram: Program = function* (argv, sys) {
  const users = userNames(sys);
  const procs = processTable(sys, argv);
  const userOf = (uid: number) => users.get(uid) ?? String(uid);
  const cmd = (p: Process) => p.argv.join(' ');
  if (sys.toolset === 'busybox') {
    const rows = procs.map((p) => `${String(p.pid).padStart(5)} ${userOf(p.uid).slice(0, 8).padEnd(8)} ${`${Math.floor(cpuTime(p) / 60)}:${String(cpuTime(p) % 60).padStart(2, '0')}`.padStart(5)} ${cmd(p)}\n`);
    yield* out(`PID   USER     TIME  COMMAND\n${rows.join('')}`);
    return 0;
  }
  const hms = (s: number) => `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  const stime = (p: Process) => strftime('%H:%M', p.startedAt);
  const a = argv.slice(1).join(' ');
  if (/aux|-aux|\baux\b/.test(a) || /^-?[aux]+$/.test(a.replace(/\s/g, '')) && a.includes('u')) {
    const rows = procs.map((p) => {
      const vsz = Math.round((p.vszBytes ?? 4_300_000) / 1024);
      const rss = Math.round((p.rssBytes ?? 1_000_000) / 1024);
      const mem = ((rss / MACHINE.memoryKiB) * 100).toFixed(1);
      const stat = p.pid === 1 ? 'Ss' : p.tty ? 'R+' : 'S';
      const time = `${Math.floor(cpuTime(p) / 60)}:${String(cpuTime(p) % 60).padStart(2, '0')}`;
      return `${userOf(p.uid).slice(0, 8).padEnd(8)} ${String(p.pid).padStart(7)} ${'0.0'.padStart(4)} ${mem.padStart(4)} ${String(vsz).padStart(6)} ${String(rss).padStart(5)} ${(p.tty ?? '?').padEnd(8)} ${stat.padEnd(4)} ${stime(p).padStart(5)} ${time.padStart(6)} ${cmd(p)}\n`;
    });
    yield* out(`USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n${rows.join('')}`);
    return 0;
  }
  if (/-e|-A/.test(a)) {
    if (/f/.test(a)) {
      const rows = procs.map((p) => `${userOf(p.uid).slice(0, 8).padEnd(8)} ${String(p.pid).padStart(7)} ${String(p.pid === 1 ? 0 : 0).padStart(7)}  0 ${stime(p)} ${(p.tty ?? '?').padEnd(8)} ${hms(cpuTime(p))} ${cmd(p)}\n`);
      yield* out(`UID          PID    PPID  C STIME TTY          TIME CMD\n${rows.join('')}`);
      return 0;
    }
    const rows = procs.map((p) => `${String(p.pid).padStart(7)} ${(p.tty ?? '?').padEnd(8)} ${hms(cpuTime(p))} ${(p.argv[0] ?? '').split('/').pop()}\n`);
    yield* out(`    PID TTY          TIME CMD\n${rows.join('')}`);
    return 0;
  }
  const mine = procs.filter((p) => p.uid === sys.user.uid && (p.tty ?? undefined) === (sys.ctx.tty ? 'pts/0' : undefined));
  const rows = (mine.length ? mine : procs).map((p) => `${String(p.pid).padStart(7)} ${(p.tty ?? '?').padEnd(8)} ${hms(cpuTime(p))} ${(p.argv[0] ?? '').split('/').pop()}\n`);
  yield* out(`    PID TTY          TIME CMD\n${rows.join('')}`);
  return 0;
};

const dfProgram: Program = function* (argv, sys) {
  const o = parseOpts(argv);
  const human = o.flags.has('h');
  const total = MACHINE.diskKiB;
  const used = MACHINE.diskUsedKiB;
  type Row = [string, number, number, string];
  const rows: Row[] = [['overlay', total, used, '/']];
  rows.push(['tmpfs', 65536, 0, '/dev']);
  for (const m of sys.fs.mountTable().slice(1)) {
    if (m.fstype === 'tmpfs') rows.push([m.source === 'tmpfs' ? 'tmpfs' : m.source, m.source === 'shm' ? 65536 : Math.round(MACHINE.memoryKiB * 0.5), 12, m.path]);
    else rows.push([m.source, total, used, m.path]);
  }
  rows.push(['shm', 65536, 0, '/dev/shm']);
  rows.push(['/dev/root', total, used, '/etc/hosts']);
  if (o.args.length) {
    // df PATH: the filesystem holding each path.
    const picked: Row[] = [];
    for (const a of o.args) {
      let at: string;
      try {
        at = sys.fs.mountOf(a.startsWith('/') ? a : `${sys.cwd}/${a}`).path;
      } catch {
        yield* err(`df: ${sys.toolset === 'gnu' ? `${a}: No such file or directory` : `${a}: can't find mount point`}\n`);
        continue;
      }
      const row = rows.find((r) => r[3] === at);
      if (row) picked.push(row);
    }
    if (!picked.length) return 1;
    rows.splice(0, rows.length, ...picked);
  }
  const pct = (u: number, t: number) => (t ? `${Math.ceil((u / t) * 100)}%` : '-');
  const size = (kib: number) => (human ? humanSize(kib * 1024, sys.toolset) : String(kib));
  let text: string;
  if (sys.toolset === 'busybox') {
    text = human ? 'Filesystem                Size      Used Available Use% Mounted on\n' : 'Filesystem           1K-blocks      Used Available Use% Mounted on\n';
    for (const [fs, t, u, at] of rows) {
      const first = fs.length > 20 ? `${fs}\n${' '.repeat(20)}` : fs.padEnd(20);
      text += human ? `${first.padEnd(20)}${size(t).padStart(10)}${size(u).padStart(10)}${size(t - u).padStart(10)} ${pct(u, t).padStart(3)} ${at}\n` : `${first}${size(t).padStart(10)}${size(u).padStart(10)}${size(t - u).padStart(10)} ${pct(u, t).padStart(3)} ${at}\n`;
    }
  } else {
    const head = human ? ['Filesystem', 'Size', 'Used', 'Avail', 'Use%', 'Mounted on'] : ['Filesystem', '1K-blocks', 'Used', 'Available', 'Use%', 'Mounted on'];
    const table = [head, ...rows.map(([fs, t, u, at]) => [fs, size(t), size(u), size(t - u), pct(u, t), at])];
    const w = head.map((_, i) => Math.max(...table.map((r) => r[i].length)));
    text = table.map((r) => `${r[0].padEnd(w[0])} ${r.slice(1, 5).map((c, i) => c.padStart(w[i + 1])).join(' ')} ${r[5]}\n`).join('');
  }
  yield* out(text);
  return 0;
};

const freeProgram: Program = function* (argv, sys) {
  const total = MACHINE.memoryKiB;
  const used = Math.round(total * 0.29);
  const free = Math.round(total * 0.42);
  const shared = 4_204;
  const cache = total - used - free;
  const avail = Math.round(total * 0.71);
  const human = argv.includes('-h') || argv.includes('-m');
  const v = (k: number) => (argv.includes('-m') ? String(Math.round(k / 1024)) : human ? humanSize(k * 1024, 'gnu').replace(/K$/, 'Ki').replace(/M$/, 'Mi').replace(/G$/, 'Gi') : String(k));
  if (sys.toolset === 'busybox') {
    yield* out(`              total        used        free      shared  buff/cache   available\nMem:    ${[total, used, free, shared, cache, avail].map((k) => v(k).padStart(12)).join('')}\nSwap:   ${[0, 0, 0].map((k) => v(k).padStart(12)).join('')}\n`);
  } else {
    yield* out(`               total        used        free      shared  buff/cache   available\nMem:    ${[total, used, free, shared, cache, avail].map((k) => v(k).padStart(12)).join('')}\nSwap:   ${[0, 0, 0].map((k) => v(k).padStart(12)).join('')}\n`);
  }
  return 0;
};

const uptimeProgram: Program = function* (_argv, sys) {
  const t = strftime('%H:%M:%S', sys.now());
  yield* out(` ${t} up 1 day,  3:12,  0 users,  load average: 0.18, 0.22, 0.19\n`);
  return 0;
};

const killProgram: Program = function* (argv, sys) {
  let signal = 'TERM';
  const pids: string[] = [];
  for (const a of argv.slice(1)) {
    if (a === '-l') {
      yield* out(' 1) HUP\n 2) INT\n 3) QUIT\n 9) KILL\n15) TERM\n');
      return 0;
    }
    if (a.startsWith('-') && !pids.length) signal = a.slice(1).replace(/^s/, '').replace(/^SIG/, '') || signal;
    else pids.push(a);
  }
  signal = { '9': 'KILL', '15': 'TERM', '2': 'INT', '1': 'HUP' }[signal] ?? signal;
  if (!pids.length) return yield* fail(sys, sys.toolset === 'gnu' ? 'not enough arguments' : 'you need to specify whom to kill');
  let status = 0;
  for (const p of pids) {
    if (!sys.ctx.kill?.(Number(p), signal)) {
      yield* err(sys.toolset === 'gnu' ? `kill: (${p}): No such process\n` : `kill: can't kill pid ${p}: No such process\n`);
      status = 1;
    }
  }
  return status;
};

const seqProgram: Program = function* (argv, sys) {
  const nums = argv.slice(1).filter((a) => !/^-[sfw]/.test(a));
  const sepIdx = argv.indexOf('-s');
  const sep = sepIdx > 0 ? argv[sepIdx + 1] : '\n';
  const args = sepIdx > 0 ? nums.filter((a) => a !== argv[sepIdx + 1]) : nums;
  const [first, step, last] = args.length === 1 ? [1, 1, Number(args[0])] : args.length === 2 ? [Number(args[0]), 1, Number(args[1])] : [Number(args[0]), Number(args[1]), Number(args[2])];
  if ([first, step, last].some((n) => Number.isNaN(n)) || !args.length) return yield* fail(sys, sys.toolset === 'gnu' ? 'missing operand' : `invalid number '${args.find((a) => Number.isNaN(Number(a))) ?? ''}'`);
  const values: string[] = [];
  for (let v = first; step > 0 ? v <= last : v >= last; v += step) {
    values.push(String(v));
    if (values.length >= 1000) {
      yield* out(values.join(sep) + sep);
      values.length = 0;
    }
    if (step === 0) break;
  }
  if (values.length) yield* out(values.join(sep) + '\n');
  return 0;
};

const yesProgram: Program = function* (argv) {
  const line = `${argv.slice(1).join(' ') || 'y'}\n`;
  const block = line.repeat(Math.max(1, Math.floor(4096 / line.length)));
  for (;;) yield* out(block);
};

const whichProgram: Program = function* (argv, sys) {
  let status = 0;
  const path = (sys.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':');
  for (const name of argv.slice(1).filter((a) => !a.startsWith('-'))) {
    let found: string | undefined;
    if (name.includes('/')) found = sys.fs.exists(name) ? name : undefined;
    else {
      for (const dir of path) {
        const p = `${dir}/${name}`;
        try {
          const n = sys.fs.stat(p, sys.user);
          if (n.type === 'file' && (n.mode & 0o111) !== 0) {
            found = p;
            break;
          }
        } catch {
          // not in this directory
        }
      }
    }
    if (found) yield* out(`${found}\n`);
    else status = 1;
  }
  return status;
};

const testProgram: Program = function* (argv, sys) {
  let args = argv.slice(1);
  if (sys.name === '[') {
    if (args[args.length - 1] !== ']') return yield* fail(sys, 'missing ]', 2);
    args = args.slice(0, -1);
  }
  const r = testExpression(args, { fs: sys.fs, user: sys.user, cwd: sys.cwd });
  if (r.error) return yield* fail(sys, r.error, 2);
  return r.status;
};

const basenameProgram: Program = function* (argv, sys) {
  const a = argv[1];
  if (a === undefined) return yield* fail(sys, 'missing operand');
  let b = a.replace(/\/+$/, '');
  b = b.slice(b.lastIndexOf('/') + 1) || (a.startsWith('/') ? '/' : '');
  if (argv[2] && b.endsWith(argv[2]) && b !== argv[2]) b = b.slice(0, -argv[2].length);
  yield* out(`${b}\n`);
  return 0;
};

const dirnameProgram: Program = function* (argv, sys) {
  const a = argv[1];
  if (a === undefined) return yield* fail(sys, 'missing operand');
  const t = a.replace(/\/+$/, '');
  const i = t.lastIndexOf('/');
  yield* out(`${i < 0 ? '.' : i === 0 ? '/' : t.slice(0, i).replace(/\/+$/, '')}\n`);
  return 0;
};

const base64Program: Program = function* (argv, sys) {
  const decode = argv.includes('-d') || argv.includes('--decode');
  const file = argv.slice(1).find((a) => !a.startsWith('-'));
  let data: Buffer;
  if (file && file !== '-') {
    try {
      data = sys.fs.readFile(file.startsWith('/') ? file : `${sys.cwd}/${file}`, sys.user);
    } catch (e) {
      return yield* fail(sys, `${file}: ${(e as Error).message}`);
    }
  } else data = yield* readAll();
  if (decode) yield* out(Buffer.from(data.toString().replace(/\s+/g, ''), 'base64'));
  else yield* out(`${(data.toString('base64').match(/.{1,76}/g) ?? []).join('\n')}\n`);
  return 0;
};

export const systemPrograms: Record<string, Program> = {
  sleep: sleepProgram,
  env: envProgram,
  printenv: printenvProgram,
  hostname: hostnameProgram,
  date: dateProgram,
  uname: unameProgram,
  id: idProgram,
  whoami: whoamiProgram,
  ps: psProgram,
  df: dfProgram,
  free: freeProgram,
  uptime: uptimeProgram,
  kill: killProgram,
  seq: seqProgram,
  yes: yesProgram,
  which: whichProgram,
  test: testProgram,
  '[': testProgram,
  basename: basenameProgram,
  dirname: dirnameProgram,
  base64: base64Program,
  nproc: function* () {
    yield* out(`${MACHINE.cpus}\n`);
    return 0;
  },
  true: function* () {
    return 0;
  },
  false: function* () {
    return 1;
  },
  pwd: function* (_argv, sys) {
    yield* out(`${sys.cwd}\n`);
    return 0;
  },
  echo: function* (argv, sys) {
    yield* out(echoText(argv.slice(1), sys.toolset === 'gnu' ? 'gnu' : 'busybox'));
    return 0;
  },
  printf: function* (argv, sys) {
    if (argv.length < 2) return yield* fail(sys, 'missing operand');
    const r = formatPrintf(argv[1], argv.slice(2));
    yield* out(r.text);
    if (r.error) yield* err(`printf: ${r.error}\n`);
    return r.error ? 1 : 0;
  },
};



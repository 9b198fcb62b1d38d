// What a pod's network looks like from inside: the interfaces (`ip addr`, `ip route`, busybox's
// ifconfig) with the pod IP on eth0 as kind's CNI sets it up, and getent's lookups of hosts and
// users through the same resolver the other programs use.
import { createHash } from 'node:crypto';
import { err, out } from '../io.js';
import { dnsLookup } from './net.js';
import type { Program, Sys } from './types.js';
import { fail } from './util.js';

/** A MAC address that stays the same for a pod IP. */
function mac(ip: string): string {
  const h = createHash('sha256').update(ip).digest();
  const bytes = [...h.subarray(0, 6)];
  bytes[0] = (bytes[0] & 0xfe) | 0x02;
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function net24(ip: string): { base: string; gateway: string; broadcast: string } {
  const p = ip.split('.');
  return { base: `${p.slice(0, 3).join('.')}.0`, gateway: `${p.slice(0, 3).join('.')}.1`, broadcast: `${p.slice(0, 3).join('.')}.255` };
}

const ipProgram: Program = function* (argv, sys) {
  const [object = '', sub = ''] = argv.slice(1).filter((a) => !a.startsWith('-'));
  const ip = sys.ctx.podIP;
  const n = net24(ip);
  const lo = '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n';
  const eth = `2: eth0@if9: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue state UP \n    link/ether ${mac(ip)} brd ff:ff:ff:ff:ff:ff\n`;
  if ('address'.startsWith(object) && object) {
    if (sub && !'show'.startsWith(sub) && !'list'.startsWith(sub)) return yield* fail(sys, `Command "${sub}" is unknown, try "ip address help".`, 1);
    yield* out(`${lo}    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n${eth}    inet ${ip}/24 brd ${n.broadcast} scope global eth0\n       valid_lft forever preferred_lft forever\n`);
    return 0;
  }
  if ('link'.startsWith(object) && object) {
    yield* out(`${lo}${eth}`);
    return 0;
  }
  if ('route'.startsWith(object) && object) {
    yield* out(`default via ${n.gateway} dev eth0 \n${n.base}/24 via ${n.gateway} dev eth0 src ${ip} \n${n.gateway} dev eth0 scope link src ${ip} \n`);
    return 0;
  }
  yield* err(object ? `ip: unknown object "${object}"\n` : 'Usage: ip [OPTIONS] address|route|link ...\n');
  return object ? 1 : 2;
};

const ifconfigProgram: Program = function* (argv, sys) {
  const ip = sys.ctx.podIP;
  const n = net24(ip);
  const blocks: Record<string, string> = {
    eth0: `eth0      Link encap:Ethernet  HWaddr ${mac(ip).toUpperCase()}  \n          inet addr:${ip}  Bcast:${n.broadcast}  Mask:255.255.255.0\n          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1\n          RX packets:38 errors:0 dropped:0 overruns:0 frame:0\n          TX packets:21 errors:0 dropped:0 overruns:0 carrier:0\n          collisions:0 txqueuelen:0 \n          RX bytes:5230 (5.1 KiB)  TX bytes:1642 (1.6 KiB)\n\n`,
    lo: 'lo        Link encap:Local Loopback  \n          inet addr:127.0.0.1  Mask:255.0.0.0\n          inet6 addr: ::1/128 Scope:Host\n          UP LOOPBACK RUNNING  MTU:65536  Metric:1\n          RX packets:0 errors:0 dropped:0 overruns:0 frame:0\n          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0\n          collisions:0 txqueuelen:1000 \n          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)\n\n',
  };
  const name = argv.slice(1).find((a) => !a.startsWith('-'));
  if (name === undefined) {
    yield* out(blocks.eth0 + blocks.lo);
    return 0;
  }
  if (!Object.hasOwn(blocks, name)) return yield* fail(sys, `${name}: error fetching interface information: Device not found`, 1);
  yield* out(blocks[name]);
  return 0;
};

/** getent DATABASE [KEY…]: hosts through /etc/hosts and DNS, passwd and group from /etc. */
const getentProgram: Program = function* (argv, sys) {
  const [db, ...keys] = argv.slice(1).filter((a) => !a.startsWith('-'));
  if (!db) return yield* fail(sys, 'wrong number of arguments', 1);
  if (db === 'hosts' || db === 'ahosts' || db === 'ahostsv4') {
    let status = 0;
    for (const k of keys) {
      const local = readHosts(sys).find((h) => h.names.includes(k) || h.ip === k);
      const answer = local ? { name: local.names[0], addresses: [local.ip] } : /^\d+(\.\d+){3}$/.test(k) ? undefined : dnsLookup(sys, k);
      if (!answer || !answer.addresses.length) {
        status = 2;
        continue;
      }
      if (db === 'hosts') yield* out(`${answer.addresses[0].padEnd(15)} ${answer.name}\n`);
      else for (const a of answer.addresses) yield* out(`${a.padEnd(15)} STREAM ${answer.name}\n${a.padEnd(15)} DGRAM  \n${a.padEnd(15)} RAW    \n`);
    }
    return status;
  }
  if (db === 'passwd' || db === 'group') {
    let lines: string[];
    try {
      lines = sys.fs.readFile(`/etc/${db}`).toString().split('\n').filter(Boolean);
    } catch {
      lines = [];
    }
    if (!keys.length) {
      yield* out(lines.map((l) => `${l}\n`).join(''));
      return 0;
    }
    let status = 0;
    for (const k of keys) {
      const line = lines.find((l) => l.split(':')[0] === k || l.split(':')[2] === k);
      if (line) yield* out(`${line}\n`);
      else status = 2;
    }
    return status;
  }
  yield* err(`Unknown database: ${db}\nTry \`getent --help' or \`getent --usage' for more information.\n`);
  return 1;
};

function readHosts(sys: Sys): Array<{ ip: string; names: string[] }> {
  try {
    return sys.fs
      .readFile('/etc/hosts')
      .toString()
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim().split(/\s+/))
      .filter((f) => f.length > 1)
      .map((f) => ({ ip: f[0], names: f.slice(1) }));
  } catch {
    return [];
  }
}

export const netinfoPrograms: Record<string, Program> = { ip: ipProgram, ifconfig: ifconfigProgram, getent: getentProgram };

// The Corefile as CoreDNS reads it, and the answers a configuration gives: rewrite before hosts
// before the kubernetes plugin before forward, each server block for its own zones.
import { describe, expect, it } from 'vitest';
import { answer } from '../../../../src/core/cluster/network/dns.js';
import { parseCorefile, type DnsConfig } from '../../../../src/core/cluster/network/corefile.js';
import { listView } from '../../../../src/core/cluster/network/view.js';
import { NODES, svc } from './fixtures.js';

const KIND = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

function config(text: string): DnsConfig {
  const r = parseCorefile(text, '/etc/coredns/Corefile');
  if (!r.ok) throw new Error(r.error);
  return r.config;
}

const view = listView({ services: [svc('web', { clusterIP: '10.96.12.34', ports: [{ port: 80 }] })], nodes: NODES });
const external = (n: string) => (n === 'www.example.com' ? ['93.184.215.14'] : undefined);
const ask = (c: DnsConfig, name: string) => answer(view, c, name, external, 0)?.addresses;

describe('reading a Corefile', () => {
  it("reads kind's Corefile: the kubernetes plugin for cluster.local, forward for the rest, reload every 30 s", () => {
    const c = config(KIND);
    expect(c.blocks).toHaveLength(1);
    expect(c.blocks[0]).toMatchObject({ zones: [''], kubernetes: { zones: ['cluster.local'] }, forward: { from: '', to: ['/etc/resolv.conf'] }, reloadMs: 30_000 });
    expect(ask(c, 'web.default.svc.cluster.local')).toEqual(['10.96.12.34']);
    expect(ask(c, 'www.example.com')).toEqual(['93.184.215.14']);
  });

  it('refuses what CoreDNS refuses, in its words and with the line', () => {
    expect(parseCorefile(KIND.replace('    loop\n', '    loop\n    banana\n'), '/etc/coredns/Corefile')).toEqual({ ok: false, error: "/etc/coredns/Corefile:18 - Error during parsing: Unknown directive 'banana'" });
    expect(parseCorefile(KIND.replace(/\}\n$/, ''), '/etc/coredns/Corefile')).toEqual({ ok: false, error: '/etc/coredns/Corefile:1 - Error during parsing: Unexpected EOF' });
    expect(parseCorefile(KIND.replace('    reload\n', '    rewrite name only-one\n'), 'Corefile')).toEqual({ ok: false, error: "Corefile:18 - Error during parsing: Wrong argument count or unexpected line ending after 'rewrite'" });
  });
});

describe('answers under a Corefile', () => {
  it('rewrites a name before the other plugins see it, exactly, by suffix or by regex', () => {
    const c = config(
      KIND.replace(
        '    kubernetes',
        '    rewrite name db.example.test web.default.svc.cluster.local\n    rewrite name suffix .corp.test .default.svc.cluster.local\n    rewrite name regex (.*)\\.app\\.test {1}.default.svc.cluster.local\n    kubernetes',
      ),
    );
    expect(answer(view, c, 'db.example.test', external, 0)).toEqual({ name: 'db.example.test', addresses: ['10.96.12.34'] });
    expect(ask(c, 'web.corp.test')).toEqual(['10.96.12.34']);
    expect(ask(c, 'web.app.test')).toEqual(['10.96.12.34']);
    expect(ask(c, 'other.example.test')).toBeUndefined();
    const block = config(KIND.replace('    kubernetes', '    rewrite stop {\n      name regex (.*)\\.my\\.domain {1}.default.svc.cluster.local\n      answer name (.*)\\.default\\.svc\\.cluster\\.local {1}.my.domain\n    }\n    kubernetes'));
    expect(ask(block, 'web.my.domain')).toEqual(['10.96.12.34']);
  });

  it('answers from hosts first; without fallthrough hosts has the last word on every name', () => {
    const through = config(KIND.replace('    kubernetes', '    hosts {\n      10.1.2.3 legacy.internal old.internal\n      fallthrough\n    }\n    kubernetes'));
    expect(ask(through, 'legacy.internal')).toEqual(['10.1.2.3']);
    expect(ask(through, 'old.internal')).toEqual(['10.1.2.3']);
    expect(ask(through, 'web.default.svc.cluster.local')).toEqual(['10.96.12.34']);
    const final = config(KIND.replace('    kubernetes', '    hosts {\n      10.1.2.3 legacy.internal\n    }\n    kubernetes'));
    expect(ask(final, 'legacy.internal')).toEqual(['10.1.2.3']);
    expect(ask(final, 'web.default.svc.cluster.local')).toBeUndefined();
  });

  it('answers Services under every zone the kubernetes line lists', () => {
    const c = config(KIND.replace('kubernetes cluster.local in-addr.arpa', 'kubernetes cluster.local my.domain in-addr.arpa'));
    expect(ask(c, 'web.default.svc.my.domain')).toEqual(['10.96.12.34']);
    expect(ask(c, 'web.default.svc.cluster.local')).toEqual(['10.96.12.34']);
    expect(ask(config(KIND), 'web.default.svc.my.domain')).toBeUndefined();
  });

  it('sends names outside the cluster to forward, and nowhere without it; a block of its own serves its zone', () => {
    expect(ask(config(KIND.replace(/ {4}forward[^}]*\}\n/, '')), 'www.example.com')).toBeUndefined();
    const stub = config(`${KIND}example.com:53 {\n    hosts {\n      10.9.9.9 www.example.com\n    }\n}\n`);
    expect(ask(stub, 'www.example.com')).toEqual(['10.9.9.9']);
    expect(ask(stub, 'web.default.svc.cluster.local')).toEqual(['10.96.12.34']);
  });
});

// The network clients when packets are dropped (a NetworkPolicy between the pod and where it
// connects, or between the pod and its DNS): each waits as long as it would on a real network, on
// the simulated clock, and words the failure as the real tool does.
import { describe, expect, it } from 'vitest';
import { network, play } from './support.js';

/** A pod whose connections to 10.96.50.5 are dropped; with `dnsDropped`, its DNS queries too. */
function dropping(dnsDropped = false) {
  return {
    ...network({ services: { 'web.shop.svc.cluster.local': '10.96.50.5', 'web.default.svc.cluster.local': '10.96.50.5' }, pods: {}, servers: {}, timeouts: ['10.96.50.5'] }),
    resolverAnswers: (nameserver: string) => !(dnsDropped && nameserver === '10.96.0.10'),
  };
}

describe('a dropped connection', () => {
  it('makes busybox wget -T give up after its timeout', () => {
    const r = play(['wget', '-T', '2', '-qO-', 'http://web'], { net: dropping() });
    expect(r.stderr).toBe('wget: download timed out\n');
    expect(r.code).toBe(1);
    expect(r.elapsed).toBe(2000);
  });

  it('makes busybox wget without -T wait for the kernel to give up on the connection', () => {
    const r = play(['wget', '-qO-', 'http://web'], { net: dropping() });
    expect(r.stderr).toBe("wget: can't connect to remote host (10.96.50.5): Connection timed out\n");
    expect(r.code).toBe(1);
    expect(r.elapsed).toBe(127_000);
  });

  it('makes curl --connect-timeout and -m fail with exit 28', () => {
    const connect = play(['curl', '-sS', '--connect-timeout', '2', 'http://web'], { image: 'nginx:1.27', net: dropping() });
    expect(connect.stderr).toBe('curl: (28) Failed to connect to web port 80 after 2001 ms: Timeout was reached\n');
    expect(connect.code).toBe(28);
    expect(connect.elapsed).toBe(2000);
    const max = play(['curl', '-s', '-m', '3', 'http://web'], { image: 'nginx:1.27', net: dropping() });
    expect(max.stderr).toBe('');
    expect(max.code).toBe(28);
    expect(max.elapsed).toBe(3000);
  });

  it('makes curl without a timeout wait for the kernel, then exit 28', () => {
    const r = play(['curl', 'http://web'], { image: 'nginx:1.27', net: dropping() });
    expect(r.stderr).toContain("curl: (28) Failed to connect to web port 80 after 127001 ms: Couldn't connect to server\n");
    expect(r.elapsed).toBe(127_000);
  });

  it('makes nc -z -w N fail silently after N seconds, however -w is written', () => {
    for (const argv of [['nc', '-z', '-w', '2', 'web', '80'], ['nc', '-zw2', 'web', '80'], ['nc', '-w2', '-z', 'web', '80'], ['nc', '-zw', '2', 'web', '80']]) {
      const r = play(argv, { net: dropping() });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      expect(r.elapsed).toBe(2000);
    }
  });

  it('makes nc without -w wait for the kernel to give up', () => {
    const r = play(['nc', '-zv', 'web', '80'], { net: dropping() });
    expect(r.code).toBe(1);
    expect(r.elapsed).toBe(127_000);
  });
});

describe('dropped DNS queries', () => {
  it('make busybox nslookup say no server could be reached', () => {
    const r = play(['nslookup', 'web'], { net: dropping(true) });
    expect(r.stdout).toBe(';; connection timed out; no servers could be reached\n\n');
    expect(r.code).toBe(1);
    expect(r.elapsed).toBe(5000);
  });

  it('still let nslookup ask another nameserver that answers', () => {
    const r = play(['nslookup', 'web.default.svc.cluster.local', '10.96.0.11'], { net: dropping(true) });
    expect(r.stdout).toContain('Name:\tweb.default.svc.cluster.local\nAddress: 10.96.50.5\n');
  });

  it('make busybox 1.28 nslookup fail through the C library', () => {
    const r = play(['nslookup', 'web'], { image: 'busybox:1.28', net: dropping(true) });
    expect(r.stdout).toBe('Server:    10.96.0.10\nAddress 1: 10.96.0.10\n\n');
    expect(r.stderr).toBe("nslookup: can't resolve 'web'\n");
    expect(r.code).toBe(1);
  });

  it('make wget by name wait for the resolver and call the address bad, whatever -T says', () => {
    const r = play(['wget', '-T', '2', '-qO-', 'http://web'], { net: dropping(true) });
    expect(r.stderr).toBe("wget: bad address 'web'\n");
    expect(r.code).toBe(1);
    expect(r.elapsed).toBe(10_000);
  });

  it('leave addresses alone: wget to an IP only meets the dropped connection', () => {
    const r = play(['wget', '-T', '2', '-qO-', 'http://10.96.50.5'], { net: dropping(true) });
    expect(r.stderr).toBe('wget: download timed out\n');
    expect(r.elapsed).toBe(2000);
  });

  it('make curl time out resolving within -m, or fail to resolve without it', () => {
    const bounded = play(['curl', '-sS', '-m', '2', 'http://web'], { image: 'nginx:1.27', net: dropping(true) });
    expect(bounded.stderr).toBe('curl: (28) Resolving timed out after 2001 milliseconds\n');
    expect(bounded.code).toBe(28);
    expect(bounded.elapsed).toBe(2000);
    const unbounded = play(['curl', '-sS', 'http://web'], { image: 'nginx:1.27', net: dropping(true) });
    expect(unbounded.stderr).toBe('curl: (6) Could not resolve host: web\n');
    expect(unbounded.code).toBe(6);
    expect(unbounded.elapsed).toBe(10_000);
  });

  it('make nc and ping by name call the address bad', () => {
    expect(play(['nc', '-z', '-w', '2', 'web', '80'], { net: dropping(true) }).stderr).toBe("nc: bad address 'web'\n");
    expect(play(['ping', '-c', '1', 'web'], { net: dropping(true) }).stderr).toBe("ping: bad address 'web'\n");
  });
});

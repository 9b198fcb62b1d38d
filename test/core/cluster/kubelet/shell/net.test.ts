import { describe, expect, it } from 'vitest';
import { network, play, sh } from './support.js';

const WELCOME = '<h1>Welcome to nginx!</h1>\n';

function cluster() {
  return network({
    services: { 'web.default.svc.cluster.local': '10.96.12.3', 'empty.default.svc.cluster.local': '10.96.40.1', 'kubernetes.default.svc.cluster.local': '10.96.0.1', 'slow.default.svc.cluster.local': '10.96.50.5' },
    pods: { 'db-0.db.default.svc.cluster.local': '10.244.2.9' },
    servers: { '10.96.12.3:80': { body: WELCOME }, '10.244.2.9:8080': { status: 404, body: 'not here' } },
    timeouts: ['10.96.50.5'],
  });
}

describe('nslookup', () => {
  it('answers a Service name through the pod search path, busybox style', () => {
    const r = play(['nslookup', 'web'], { net: cluster() });
    expect(r.stdout).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.12.3\n\n');
    expect(r.code).toBe(0);
  });

  it('finds a name in another namespace by its short form', () => {
    expect(play(['nslookup', 'kubernetes.default'], { net: cluster() }).stdout).toContain('Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n');
  });

  it('says NXDOMAIN for a name nobody serves', () => {
    const r = play(['nslookup', 'nope'], { net: cluster() });
    expect(r.stdout).toBe("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find nope: NXDOMAIN\n\n");
    expect(r.code).toBe(1);
  });

  it('shows an ExternalName Service as an alias of the name it points at', () => {
    const net = network({ services: {}, pods: {}, servers: {}, aliases: { 'gh.default.svc.cluster.local': { cname: 'raw.githubusercontent.com', addresses: ['185.199.108.133'] } } });
    const r = play(['nslookup', 'gh'], { net });
    expect(r.stdout).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\ngh.default.svc.cluster.local\tcanonical name = raw.githubusercontent.com\nName:\traw.githubusercontent.com\nAddress: 185.199.108.133\n\n');
    expect(r.code).toBe(0);
  });

  it('prints busybox 1.28 format, the one the DNS debugging docs use', () => {
    const r = play(['nslookup', 'kubernetes.default'], { image: 'busybox:1.28', net: cluster() });
    expect(r.stdout).toBe('Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n');
    const miss = play(['nslookup', 'nope'], { image: 'busybox:1.28', net: cluster() });
    expect(miss.stderr).toBe("nslookup: can't resolve 'nope'\n");
    expect(miss.code).toBe(1);
  });
});

describe('wget (busybox)', () => {
  it('prints a page to stdout with -qO-', () => {
    const net = cluster();
    const r = play(['wget', '-qO-', 'http://web'], { net });
    expect(r.stdout).toBe(WELCOME);
    expect(r.stderr).toBe('');
    expect(net.requests).toEqual(['GET 10.96.12.3:80/ Host=web UA=Wget']);
  });

  it('saves index.html and says so', () => {
    const r = sh('wget web && cat index.html', { net: cluster(), cwd: '/tmp' });
    expect(r.stderr).toBe("Connecting to web (10.96.12.3:80)\nsaving to 'index.html'\nindex.html           100% |********************************|    27  0:00:00 ETA\n'index.html' saved\n");
    expect(r.stdout).toBe(WELCOME);
  });

  it('reports a bad address, an HTTP error, a refused connection and a timeout', () => {
    expect(play(['wget', '-qO-', 'nope'], { net: cluster() }).stderr).toBe("wget: bad address 'nope'\n");
    const notFound = play(['wget', '-qO-', 'http://db-0.db:8080/x'], { net: cluster() });
    expect(notFound.stderr).toBe('wget: server returned error: HTTP/1.1 404 Not Found\n');
    expect(notFound.code).toBe(1);
    expect(play(['wget', '-qO-', 'empty'], { net: cluster() }).stderr).toBe("wget: can't connect to remote host (10.96.40.1): Connection refused\n");
    const slow = play(['wget', '-q', '-T', '5', '-O-', 'slow'], { net: cluster() });
    expect(slow.stderr).toBe('wget: download timed out\n');
    expect(slow.elapsed).toBe(5000);
  });

  it('checks with --spider', () => {
    expect(play(['wget', '--spider', 'http://web'], { net: cluster() }).stderr).toBe('Connecting to web (10.96.12.3:80)\nremote file exists\n');
  });
});

describe('curl', () => {
  it('prints the body silently with -s', () => {
    expect(play(['curl', '-s', 'http://web'], { image: 'nginx:1.27', net: cluster() }).stdout).toBe(WELCOME);
  });

  it('writes the status code with -w and the body to a file with -o', () => {
    const r = sh("curl -s -o /dev/null -w '%{http_code}' web; echo; curl -s -o /tmp/p web && cat /tmp/p", { image: 'nginx:1.27', net: cluster() });
    expect(r.stdout).toBe(`200\n${WELCOME}`);
  });

  it('shows headers with -I', () => {
    expect(play(['curl', '-sI', 'web'], { image: 'nginx:1.27', net: cluster() }).stdout).toBe('HTTP/1.1 200 OK\r\nServer: nginx/1.27.3\r\nContent-Type: text/html\r\nContent-Length: 27\r\n\r\n');
  });

  it('gives the classic error codes', () => {
    const unresolved = play(['curl', 'nope'], { image: 'nginx:1.27', net: cluster() });
    expect(unresolved.stderr).toBe('curl: (6) Could not resolve host: nope\n');
    expect(unresolved.code).toBe(6);
    const refused = play(['curl', '-s', 'empty'], { image: 'nginx:1.27', net: cluster() });
    expect(refused.stderr).toBe('');
    expect(refused.code).toBe(7);
    expect(play(['curl', 'empty'], { image: 'nginx:1.27', net: cluster() }).stderr).toBe("curl: (7) Failed to connect to empty port 80 after 0 ms: Couldn't connect to server\n");
    const slow = play(['curl', '-m', '3', 'slow'], { image: 'nginx:1.27', net: cluster() });
    expect(slow.stderr).toBe('curl: (28) Connection timed out after 3001 milliseconds\n');
    expect(slow.code).toBe(28);
    expect(slow.elapsed).toBe(3000);
  });

  it('draws its progress meter on stderr when the output is not a terminal', () => {
    expect(play(['curl', 'web'], { image: 'nginx:1.27', net: cluster() }).stderr).toContain('  % Total    % Received % Xferd');
  });

  it('is not in busybox', () => {
    expect(sh('curl web', { net: cluster() }).stderr).toBe('sh: curl: not found\n');
  });
});

describe('ping', () => {
  it('gets replies from a pod', () => {
    const r = play(['ping', '-c', '2', 'db-0.db'], { net: cluster() });
    expect(r.stdout).toBe('PING db-0.db (10.244.2.9): 56 data bytes\n64 bytes from 10.244.2.9: seq=0 ttl=63 time=0.050 ms\n64 bytes from 10.244.2.9: seq=1 ttl=63 time=0.087 ms\n\n--- db-0.db ping statistics ---\n2 packets transmitted, 2 packets received, 0% packet loss\nround-trip min/avg/max = 0.050/0.069/0.087 ms\n');
    expect(r.elapsed).toBe(1000);
    expect(r.code).toBe(0);
  });

  it('gets nothing back from a Service address', () => {
    const r = play(['ping', '-c', '3', 'web'], { net: cluster() });
    expect(r.stdout).toBe('PING web (10.96.12.3): 56 data bytes\n\n--- web ping statistics ---\n3 packets transmitted, 0 packets received, 100% packet loss\n');
    expect(r.code).toBe(1);
    expect(r.elapsed).toBe(3000);
  });
});

describe('nc', () => {
  it('checks a port with -z', () => {
    expect(play(['nc', '-zv', 'web', '80'], { net: cluster() }).stderr).toBe('web (10.96.12.3:80) open\n');
    expect(play(['nc', '-z', 'empty', '80'], { net: cluster() }).code).toBe(1);
  });
});

describe('the notes’ exercises', () => {
  it('fetches the web app on localhost from inside its pod and cuts it to four lines', () => {
    const net = network({ services: {}, pods: {}, servers: { '127.0.0.1:80': { body: '<html>\n  <body>\n    <h1>\n      Hello from Chapter 2!\n    </h1>\n' } } });
    const r = play(['sh', '-c', 'hostname -i; wget -O - http://localhost | head -n 4'], { image: 'kiamol/ch02-hello-kiamol', net });
    expect(r.stdout).toBe('10.244.1.7\n<html>\n  <body>\n    <h1>\n      Hello from Chapter 2!\n');
    expect(r.stderr).toContain('Connecting to localhost (127.0.0.1:80)\nwriting to stdout\n');
  });
});

describe('nslookup across busybox releases', () => {
  it('ignores the search path in busybox 1.29 to 1.33, so short names fail there', () => {
    const r = play(['nslookup', 'kubernetes.default'], { image: 'busybox:1.31', net: cluster() });
    expect(r.stdout).toBe("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find kubernetes.default: NXDOMAIN\n\n*** Can't find kubernetes.default: No answer\n\n");
    expect(r.code).toBe(1);
    expect(play(['nslookup', 'kubernetes.default.svc.cluster.local'], { image: 'busybox:1.31', net: cluster() }).code).toBe(0);
  });
});

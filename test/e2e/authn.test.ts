// Identities a real cluster accepts, used with the real kubectl: service account tokens (bound
// ones from `kubectl create token`, legacy ones from token Secrets) and client certificates
// issued through a CertificateSigningRequest, each authorised by the cluster's RBAC.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectHeader, newNamespace, rowOf, useCluster } from './support.js';
import { Kubectl } from '../helpers/kubectl.js';
import { ClusterHost } from '../../src/core/hosting/cluster-host.js';

const c = useCluster();
const UNAUTHORIZED = 'error: You must be logged in to the server (Unauthorized)\n';

/** Polls kubectl until `fn` holds, moving the clock so controllers get their turn. */
async function until(fn: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await fn()) return;
    c.advance(1);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a service account token from kubectl create token', () => {
  let ns: string;
  let token: string;
  beforeAll(async () => {
    ns = await newNamespace(c.k, 'sa-token');
    await c.k.ok(['-n', ns, 'create', 'serviceaccount', 'robot']);
    token = (await c.k.ok(['-n', ns, 'create', 'token', 'robot'])).trim();
  });

  it('is refused what RBAC does not grant, with the Forbidden error a real cluster gives', async () => {
    const r = await c.k.run(['--token', token, '-n', ns, 'get', 'pods']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:${ns}:robot" cannot list resource "pods" in API group "" in the namespace "${ns}"\n`);
  });

  it('is allowed what a role binding grants it', async () => {
    await c.k.ok(['-n', ns, 'create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods']);
    await c.k.ok(['-n', ns, 'create', 'rolebinding', 'robot-reads', '--role=pod-reader', `--serviceaccount=${ns}:robot`]);
    const r = await c.k.run(['--token', token, '-n', ns, 'get', 'pods']);
    expect(r).toMatchObject({ code: 0, stderr: `No resources found in ${ns} namespace.\n` });
    const other = await c.k.run(['--token', token, '-n', 'default', 'get', 'pods']);
    expect(other.stderr).toContain(`User "system:serviceaccount:${ns}:robot" cannot list resource "pods" in API group "" in the namespace "default"`);
  });

  it('shows the service account, its groups and its credential in kubectl auth whoami', async () => {
    const out = await c.k.ok(['--token', token, 'auth', 'whoami', '-o', 'json']);
    const uid = (await c.k.ok(['-n', ns, 'get', 'sa', 'robot', '-o', 'jsonpath={.metadata.uid}'])).trim();
    const info = JSON.parse(out).status.userInfo;
    expect(info).toMatchObject({ username: `system:serviceaccount:${ns}:robot`, uid, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] });
    expect(info.extra['authentication.kubernetes.io/credential-id'][0]).toMatch(/^JTI=[0-9a-f-]{36}$/);
    const table = await c.k.ok(['--token', token, 'auth', 'whoami']);
    expect(table).toMatch(new RegExp(`^Username\\s+system:serviceaccount:${ns}:robot$`, 'm'));
  });

  it('answers the admin kubectl auth whoami as the cluster admin', async () => {
    const table = await c.k.ok(['auth', 'whoami']);
    expect(table).toMatch(/^Username\s+kubernetes-admin$/m);
    expect(table).toMatch(/^Groups\s+\[kubeadm:cluster-admins system:authenticated\]$/m);
  });

  it('is refused with 401 once it has expired', async () => {
    const short = (await c.k.ok(['-n', ns, 'create', 'token', 'robot', '--duration=10m'])).trim();
    expect((await c.k.run(['--token', short, '-n', ns, 'get', 'pods'])).code).toBe(0);
    c.advance(601);
    expect(await c.k.run(['--token', short, '-n', ns, 'get', 'pods'])).toMatchObject({ code: 1, stderr: UNAUTHORIZED });
    // The hour-long token issued before is still good.
    expect((await c.k.run(['--token', token, '-n', ns, 'get', 'pods'])).code).toBe(0);
  });

  it('is refused with 401 once the secret it is bound to is gone', async () => {
    await c.k.ok(['-n', ns, 'create', 'secret', 'generic', 'anchor', '--from-literal=a=b']);
    const bound = (await c.k.ok(['-n', ns, 'create', 'token', 'robot', '--bound-object-kind=Secret', '--bound-object-name=anchor'])).trim();
    expect((await c.k.run(['--token', bound, '-n', ns, 'get', 'pods'])).code).toBe(0);
    await c.k.ok(['-n', ns, 'delete', 'secret', 'anchor']);
    expect(await c.k.run(['--token', bound, '-n', ns, 'get', 'pods'])).toMatchObject({ code: 1, stderr: UNAUTHORIZED });
  });

  it('is refused with 401 once its service account is deleted, even if one of that name comes back', async () => {
    await c.k.ok(['-n', ns, 'create', 'serviceaccount', 'temp']);
    await c.k.ok(['-n', ns, 'create', 'rolebinding', 'temp-reads', '--role=pod-reader', `--serviceaccount=${ns}:temp`]);
    const t = (await c.k.ok(['-n', ns, 'create', 'token', 'temp'])).trim();
    expect((await c.k.run(['--token', t, '-n', ns, 'get', 'pods'])).code).toBe(0);
    await c.k.ok(['-n', ns, 'delete', 'serviceaccount', 'temp']);
    expect(await c.k.run(['--token', t, '-n', ns, 'get', 'pods'])).toMatchObject({ code: 1, stderr: UNAUTHORIZED });
    await c.k.ok(['-n', ns, 'create', 'serviceaccount', 'temp']);
    expect(await c.k.run(['--token', t, '-n', ns, 'get', 'pods'])).toMatchObject({ code: 1, stderr: UNAUTHORIZED });
  });

  it('that was tampered with is refused with 401', async () => {
    const [header, claims, signature] = token.split('.');
    const forged = JSON.parse(Buffer.from(claims, 'base64url').toString());
    forged.exp += 3600 * 24 * 365;
    const t = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    expect(await c.k.run(['--token', t, '-n', ns, 'get', 'pods'])).toMatchObject({ code: 1, stderr: UNAUTHORIZED });
    expect(await c.k.run(['--token', 'not-a-token', 'get', 'pods'])).toMatchObject({ code: 1, stderr: UNAUTHORIZED });
  });
});

describe('kubectl exec with a service account token', () => {
  it('is authorised on pods/exec for the service account, as any other request', async () => {
    const ns = await newNamespace(c.k, 'sa-exec');
    await c.k.ok(['-n', ns, 'create', 'serviceaccount', 'debugger']);
    await c.k.ok(['-n', ns, 'run', 'box', '--image=busybox', '--', 'sleep', '3600']);
    c.advance(5);
    await c.k.ok(['-n', ns, 'create', 'role', 'pod-reader', '--verb=get', '--resource=pods']);
    await c.k.ok(['-n', ns, 'create', 'rolebinding', 'debugger-reads', '--role=pod-reader', `--serviceaccount=${ns}:debugger`]);
    const token = (await c.k.ok(['-n', ns, 'create', 'token', 'debugger'])).trim();
    const refused = await c.k.run(['--token', token, '-n', ns, 'exec', 'box', '--', 'echo', 'hi']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`pods "box" is forbidden: User "system:serviceaccount:${ns}:debugger" cannot create resource "pods/exec" in API group "" in the namespace "${ns}"`);
    await c.k.ok(['-n', ns, 'create', 'role', 'exec', '--verb=create', '--resource=pods/exec']);
    await c.k.ok(['-n', ns, 'create', 'rolebinding', 'debugger-execs', '--role=exec', `--serviceaccount=${ns}:debugger`]);
    expect(await c.k.ok(['--token', token, '-n', ns, 'exec', 'box', '--', 'echo', 'hi'])).toBe('hi\n');
    expect(await c.k.run(['--token', 'not-a-token', '-n', ns, 'exec', 'box', '--', 'echo', 'hi'])).toMatchObject({ code: 1 });
  });
});

describe('the token the kubelet mounts in a pod', () => {
  it('authenticates as the pod service account, as a token read from inside a pod does on a real cluster', async () => {
    const ns = await newNamespace(c.k, 'sa-mounted');
    await c.k.ok(['-n', ns, 'create', 'serviceaccount', 'app']);
    await c.k.ok(['-n', ns, 'run', 'box', '--image=busybox', '--overrides={"spec":{"serviceAccountName":"app"}}', '--', 'sleep', '3600']);
    c.advance(5);
    let token = '';
    await until(async () => {
      const r = await c.k.run(['-n', ns, 'exec', 'box', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/token']);
      token = r.stdout.trim();
      return r.code === 0 && token.length > 0;
    }, 'the pod to run');
    const who = JSON.parse(await c.k.ok(['--token', token, 'auth', 'whoami', '-o', 'json'])).status.userInfo;
    expect(who.username).toBe(`system:serviceaccount:${ns}:app`);
    expect(who.extra['authentication.kubernetes.io/pod-name']).toEqual(['box']);
    // Bound to its pod: once the pod is gone, so is the token.
    await c.k.ok(['-n', ns, 'delete', 'pod', 'box', '--grace-period=0', '--force']);
    await until(async () => (await c.k.run(['--token', token, 'auth', 'whoami'])).stderr === UNAUTHORIZED, 'the token to be refused');
  });
});

describe('a legacy token from a kubernetes.io/service-account-token Secret', () => {
  it('authenticates as its service account while the Secret holds it', async () => {
    const ns = await newNamespace(c.k, 'legacy-token');
    await c.k.ok(['-n', ns, 'create', 'serviceaccount', 'old-robot']);
    await c.k.ok(['-n', ns, 'create', 'role', 'cm-reader', '--verb=list', '--resource=configmaps']);
    await c.k.ok(['-n', ns, 'create', 'rolebinding', 'old-robot-reads', '--role=cm-reader', `--serviceaccount=${ns}:old-robot`]);
    const secret = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'old-robot-token', annotations: { 'kubernetes.io/service-account.name': 'old-robot' } } };
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: JSON.stringify(secret) });
    let token = '';
    await until(async () => {
      token = Buffer.from(await c.k.ok(['-n', ns, 'get', 'secret', 'old-robot-token', '-o', 'jsonpath={.data.token}']), 'base64').toString();
      return token !== '';
    }, 'the tokens controller to fill the secret');
    const r = await c.k.run(['--token', token, '-n', ns, 'get', 'configmaps', '-o', 'name']);
    expect(r).toMatchObject({ code: 0, stdout: 'configmap/kube-root-ca.crt\n' });
    const who = JSON.parse(await c.k.ok(['--token', token, 'auth', 'whoami', '-o', 'json'])).status.userInfo;
    expect(who.username).toBe(`system:serviceaccount:${ns}:old-robot`);
    await c.k.ok(['-n', ns, 'delete', 'secret', 'old-robot-token']);
    expect(await c.k.run(['--token', token, '-n', ns, 'get', 'configmaps'])).toMatchObject({ code: 1, stderr: UNAUTHORIZED });
  });
});

describe('tokens on a server hosting many clusters', () => {
  let host: ClusterHost;
  let a: Kubectl;
  let b: Kubectl;
  let disposers: Array<() => void> = [];
  beforeAll(async () => {
    host = await ClusterHost.start();
    const sa = host.create();
    const sb = host.create();
    disposers = [sa.dispose, sb.dispose];
    a = new Kubectl(sa.kubeconfig);
    b = new Kubectl(sb.kubeconfig);
  });
  afterAll(async () => {
    disposers.forEach((d) => d());
    await host?.close();
  });

  it('open only the cluster that issued them, by its path or by a bare one', async () => {
    await a.ok(['create', 'serviceaccount', 'robot']);
    await b.ok(['create', 'serviceaccount', 'robot']);
    await a.ok(['create', 'clusterrolebinding', 'robot-views', '--clusterrole=view', '--serviceaccount=default:robot']);
    await b.ok(['create', 'clusterrolebinding', 'robot-views', '--clusterrole=view', '--serviceaccount=default:robot']);
    await a.ok(['create', 'configmap', 'only-in-a']);
    const token = (await a.ok(['create', 'token', 'robot'])).trim();
    expect(await a.ok(['--token', token, 'get', 'configmap', 'only-in-a', '-o', 'name'])).toBe('configmap/only-in-a\n');
    const onB = await b.run(['--token', token, 'get', 'configmaps']);
    expect(onB.code).toBe(1);
    expect(onB.stderr).toMatch(/^error: You must be logged in to the server \(.*\)\n$/m);
    // Without the /clusters/<id> prefix the token itself says which cluster it is for.
    const server = (await a.ok(['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'])).replace(/\/clusters\/.*$/, '');
    const raw = await b.ok(['--server', server, '--token', token, 'get', '--raw', '/api/v1/namespaces/default/configmaps/only-in-a']);
    expect(JSON.parse(raw).metadata.name).toBe('only-in-a');
  });
});

describe('a user onboarded with a CertificateSigningRequest, as on the CKA', () => {
  let dir: string;
  let csrPem: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-csr-'));
    execFileSync('openssl', ['genrsa', '-out', 'jane.key', '2048'], { cwd: dir, stdio: 'ignore' });
    execFileSync('openssl', ['req', '-new', '-key', 'jane.key', '-subj', '/CN=jane/O=devs', '-out', 'jane.csr'], { cwd: dir, stdio: 'ignore' });
    csrPem = readFileSync(path.join(dir, 'jane.csr'), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const manifest = (name: string, spec: Record<string, unknown>) =>
    JSON.stringify({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name }, spec });

  it('walks from openssl to an approved certificate that kubectl authenticates with as the user and group it names', async () => {
    const request = Buffer.from(csrPem).toString('base64');
    expect(await c.k.ok(['apply', '-f', '-'], { input: manifest('jane', { request, signerName: 'kubernetes.io/kube-apiserver-client', expirationSeconds: 86400, usages: ['client auth'] }) })).toBe(
      'certificatesigningrequest.certificates.k8s.io/jane created\n',
    );
    const pending = await c.k.ok(['get', 'csr', 'jane']);
    expectHeader(pending, ['NAME', 'AGE', 'SIGNERNAME', 'REQUESTOR', 'REQUESTEDDURATION', 'CONDITION']);
    expect(rowOf(pending, 'jane')?.slice(2)).toEqual(['kubernetes.io/kube-apiserver-client', 'kubernetes-admin', '24h', 'Pending']);
    expect(await c.k.ok(['certificate', 'approve', 'jane'])).toBe('certificatesigningrequest.certificates.k8s.io/jane approved\n');
    await until(async () => rowOf(await c.k.ok(['get', 'csr', 'jane']), 'jane')?.[5] === 'Approved,Issued', 'the signer to issue the certificate');
    const approved = JSON.parse(await c.k.ok(['get', 'csr', 'jane', '-o', 'json']));
    expect(approved.status.conditions).toEqual([
      expect.objectContaining({ type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.' }),
    ]);
    expect(approved.spec).toMatchObject({ username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] });

    writeFileSync(path.join(dir, 'jane.crt'), Buffer.from((await c.k.ok(['get', 'csr', 'jane', '-o', 'jsonpath={.status.certificate}'])).trim(), 'base64'));
    const text = execFileSync('openssl', ['x509', '-in', 'jane.crt', '-noout', '-subject', '-ext', 'extendedKeyUsage', '-enddate', '-startdate'], { cwd: dir, encoding: 'utf8' });
    expect(text).toMatch(/subject=CN ?= ?jane, O ?= ?devs/);
    expect(text).toMatch(/TLS Web Client Authentication/);
    const start = Date.parse(/notBefore=(.*)/.exec(text)![1]);
    const end = Date.parse(/notAfter=(.*)/.exec(text)![1]);
    expect(end - start).toBe((24 * 3600 + 5 * 60) * 1000);

    const kubeconfig = c.kubeconfigCopy();
    const k = new Kubectl(kubeconfig);
    await k.ok(['config', 'set-credentials', 'jane', `--client-key=${path.join(dir, 'jane.key')}`, `--client-certificate=${path.join(dir, 'jane.crt')}`, '--embed-certs=true']);
    await k.ok(['config', 'set-context', 'jane', '--cluster=kubedojo', '--user=jane', '--namespace=default']);
    const refused = await k.run(['--context', 'jane', 'get', 'pods']);
    expect(refused.stderr).toBe('Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n');
    const who = JSON.parse(await k.ok(['--context', 'jane', 'auth', 'whoami', '-o', 'json'])).status.userInfo;
    expect(who).toEqual({ username: 'jane', groups: ['devs', 'system:authenticated'] });

    await c.k.ok(['create', 'role', 'dev-pods', '--verb=get,list', '--resource=pods']);
    await c.k.ok(['create', 'rolebinding', 'devs-pods', '--role=dev-pods', '--group=devs']);
    expect(await k.run(['--context', 'jane', 'get', 'pods', '-o', 'name'])).toMatchObject({ code: 0 });
    expect(await k.ok(['--context', 'jane', 'auth', 'can-i', 'list', 'pods'])).toBe('yes\n');
    expect((await k.run(['--context', 'jane', 'auth', 'can-i', 'delete', 'pods'])).stdout).toBe('no\n');
  });

  it('keeps a denied request without a certificate, and kubectl refuses to approve it after', async () => {
    const request = Buffer.from(csrPem).toString('base64');
    await c.k.ok(['apply', '-f', '-'], { input: manifest('jane-denied', { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] }) });
    expect(await c.k.ok(['certificate', 'deny', 'jane-denied'])).toBe('certificatesigningrequest.certificates.k8s.io/jane-denied denied\n');
    c.advance(2);
    expect(rowOf(await c.k.ok(['get', 'csr', 'jane-denied']), 'jane-denied')?.slice(4)).toEqual(['<none>', 'Denied']);
    const again = await c.k.run(['certificate', 'approve', 'jane-denied']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('error: certificate signing request "jane-denied" is already Denied\n');
    expect(await c.k.ok(['get', 'csr', 'jane-denied', '-o', 'jsonpath={.status.certificate}'])).toBe('');
  });

  it('marks an approved request Failed when its usages do not suit a client certificate', async () => {
    const request = Buffer.from(csrPem).toString('base64');
    await c.k.ok(['apply', '-f', '-'], { input: manifest('jane-server', { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth', 'server auth'] }) });
    await c.k.ok(['certificate', 'approve', 'jane-server']);
    await until(async () => rowOf(await c.k.ok(['get', 'csr', 'jane-server']), 'jane-server')?.[5] === 'Approved,Failed', 'the signer to refuse the request');
    const failed = JSON.parse(await c.k.ok(['get', 'csr', 'jane-server', '-o', 'json'])).status.conditions.find((x: { type: string }) => x.type === 'Failed');
    expect(failed).toMatchObject({ status: 'True', reason: 'SignerValidationFailure', message: 'invalid usage for client certificate: server auth' });
  });

  it('refuses a request that is not a PEM certificate request, and one without signer or usages, as the apiserver does', async () => {
    const bad = await c.k.run(['create', '-f', '-'], { input: manifest('bad-pem', { request: Buffer.from('hello').toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] }) });
    expect(bad.stderr).toBe(
      'The CertificateSigningRequest "bad-pem" is invalid: spec.request: Invalid value: []byte{0x68, 0x65, 0x6c, 0x6c, 0x6f}: PEM block type must be CERTIFICATE REQUEST\n',
    );
    const request = Buffer.from(csrPem).toString('base64');
    const bare = await c.k.run(['create', '-f', '-'], { input: manifest('bare', { request }) });
    expect(bare.stderr).toBe('The CertificateSigningRequest "bare" is invalid: \n* spec.usages: Required value\n* spec.signerName: Required value\n');
    const legacy = await c.k.run(['create', '-f', '-'], { input: manifest('legacy', { request, signerName: 'kubernetes.io/legacy-unknown', usages: ['client auth', 'sending'] }) });
    expect(legacy.stderr).toContain('spec.usages[1]: Unsupported value: "sending": supported values: "any", "cert sign", "client auth"');
    expect(legacy.stderr).toContain('spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version');
    const short = await c.k.run(['create', '-f', '-'], { input: manifest('short', { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], expirationSeconds: 300 }) });
    expect(short.stderr).toBe('The CertificateSigningRequest "short" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 600 seconds (10 minutes)\n');
  });

  it('refuses a client certificate request for system:masters, as the CertificateSubjectRestriction plugin does', async () => {
    execFileSync('openssl', ['req', '-new', '-key', 'jane.key', '-subj', '/CN=root/O=system:masters', '-out', 'root.csr'], { cwd: dir, stdio: 'ignore' });
    const request = readFileSync(path.join(dir, 'root.csr')).toString('base64');
    const r = await c.k.run(['create', '-f', '-'], { input: manifest('root', { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] }) });
    expect(r.stderr).toBe(
      'Error from server (Forbidden): error when creating "STDIN": certificatesigningrequests.certificates.k8s.io "root" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed\n',
    );
  });

  it('lets only those with approve on the signer approve, besides update on the approval subresource', async () => {
    const request = Buffer.from(csrPem).toString('base64');
    await c.k.ok(['apply', '-f', '-'], { input: manifest('jane-by-bot', { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] }) });
    await c.k.ok(['-n', 'default', 'create', 'serviceaccount', 'approver']);
    await c.k.ok(['create', 'clusterrole', 'csr-approval', '--verb=get,list,update', '--resource=certificatesigningrequests,certificatesigningrequests/approval']);
    await c.k.ok(['create', 'clusterrolebinding', 'approver-approval', '--clusterrole=csr-approval', '--serviceaccount=default:approver']);
    const token = (await c.k.ok(['-n', 'default', 'create', 'token', 'approver'])).trim();
    const refused = await c.k.run(['--token', token, 'certificate', 'approve', 'jane-by-bot']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('certificatesigningrequests.certificates.k8s.io "jane-by-bot" is forbidden: user not permitted to approve requests with signerName "kubernetes.io/kube-apiserver-client"');
    // signers are no API resource kubectl could look up, so the role is a manifest.
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'client-signer-approver' }, rules: [{ apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['kubernetes.io/kube-apiserver-client'], verbs: ['approve'] }] };
    await c.k.ok(['apply', '-f', '-'], { input: JSON.stringify(role) });
    await c.k.ok(['create', 'clusterrolebinding', 'approver-signer', '--clusterrole=client-signer-approver', '--serviceaccount=default:approver']);
    expect(await c.k.ok(['--token', token, 'certificate', 'approve', 'jane-by-bot'])).toBe('certificatesigningrequest.certificates.k8s.io/jane-by-bot approved\n');
  });

  it('is described by kubectl describe csr with its subject and requester', async () => {
    const out = await c.k.ok(['describe', 'csr', 'jane']);
    expect(out).toMatch(/^Name:\s+jane$/m);
    expect(out).toMatch(/^Requesting User:\s+kubernetes-admin$/m);
    expect(out).toMatch(/^Signer:\s+kubernetes.io\/kube-apiserver-client$/m);
    expect(out).toMatch(/^Status:\s+Approved,Issued$/m);
    expect(out).toMatch(/Common Name:\s+jane/);
    expect(out).toMatch(/Organization:\s+devs/);
  });

  it('does not let a certificate issued by one cluster open another', async () => {
    const host = await ClusterHost.start();
    const other = host.create();
    try {
      const kubeconfig = c.kubeconfigCopy();
      const k = new Kubectl(kubeconfig);
      const server = (await new Kubectl(other.kubeconfig).ok(['config', 'view', '--minify', '--raw', '-o', 'jsonpath={.clusters[0].cluster.server}'])).trim();
      await k.ok(['config', 'set-cluster', 'other', `--server=${server}`, '--insecure-skip-tls-verify=true']);
      await k.ok(['config', 'set-credentials', 'jane', `--client-key=${path.join(dir, 'jane.key')}`, `--client-certificate=${path.join(dir, 'jane.crt')}`]);
      await k.ok(['config', 'set-context', 'jane-other', '--cluster=other', '--user=jane']);
      const r = await k.run(['--context', 'jane-other', 'get', 'pods']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error: You must be logged in to the server \(.*\)\n$/);
    } finally {
      other.dispose();
      await host.close();
    }
  });
});

// The certificates controllers on a cluster of their own: the signer issues certificates of
// approved requests from the cluster's CA, or marks them Failed; kubelet client requests from
// someone allowed to ask for one are approved by themselves.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/core/cluster/clock.js';
import { clusterKeys } from '../../../../src/core/cluster/cluster-keys.js';
import type { Cluster } from '../../../../src/core/cluster/cluster.js';
import { newCluster } from '../../../../src/core/cluster/factory.js';
import { withApproval } from '../../../../src/core/cluster/kinds/certificatesigningrequest.js';
import type { KObject } from '../../../../src/core/cluster/kinds/types.js';

type Obj = Record<string, any>;

const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-csr-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A PEM certificate request made by openssl, as a learner makes one. */
function pemRequest(subject: string, name = subject.replace(/\W/g, '')): string {
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], { cwd: dir, stdio: 'ignore' });
  return readFileSync(path.join(dir, `${name}.csr`), 'utf8');
}

const T0 = '2026-03-01T10:00:00Z';

function setup() {
  const clock = new ManualClock(T0);
  const cluster = newCluster({ clock });
  const def = cluster.kinds.byGroupResource('certificates.k8s.io', 'certificatesigningrequests')!;
  const create = (name: string, spec: Obj, requester: Obj = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] }) =>
    cluster.create(def, undefined, { metadata: { name }, spec: { ...spec, ...requester } }).object;
  const approve = (name: string) =>
    cluster.update(def, undefined, name, withApproval(cluster.get(def, undefined, name), { metadata: {}, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'approved' }] } }), {}, 'approval');
  const read = (name: string) => cluster.get(def, undefined, name) as Obj;
  return { clock, cluster, create, approve, read };
}

/** Lets the signer's Web Crypto work finish and the controllers run again. */
async function settle(cluster: Cluster, clock: ManualClock, done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) {
    await new Promise((r) => setTimeout(r, 5));
    clock.flush();
  }
  void cluster;
}

const request = (pem: string) => Buffer.from(pem).toString('base64');

describe('the kube-apiserver-client signer', () => {
  it('issues nothing before approval, then a certificate for the subject, signed by the cluster CA, for the requested duration', async () => {
    const { clock, cluster, create, approve, read } = setup();
    create('jane', { request: request(pemRequest('/CN=jane/O=devs/O=ops')), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['digital signature', 'client auth'], expirationSeconds: 3600 });
    await settle(cluster, clock, () => false);
    expect(read('jane').status).toEqual({});
    approve('jane');
    await settle(cluster, clock, () => !!read('jane').status.certificate);
    const cert = new X509Certificate(Buffer.from(read('jane').status.certificate, 'base64'));
    expect(cert.subject).toBe('CN=jane\nO=devs\nO=ops');
    expect(cert.issuer).toBe('CN=kubernetes');
    expect(cert.verify(clusterKeys(cluster).clientCa.publicKey)).toBe(true);
    expect(new Date(cert.validFrom).toISOString()).toBe('2026-03-01T09:55:00.000Z');
    expect(new Date(cert.validTo).toISOString()).toBe('2026-03-01T11:00:00.000Z');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(read('jane').status.conditions.map((c: Obj) => c.type)).toEqual(['Approved']);
  });

  it('marks an approved request Failed when it asks for usages a client certificate may not have', async () => {
    const { clock, cluster, create, approve, read } = setup();
    create('web', { request: request(pemRequest('/CN=web')), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['digital signature'] });
    approve('web');
    await settle(cluster, clock, () => read('web').status.conditions.length > 1);
    expect(read('web').status.certificate).toBeUndefined();
    expect(read('web').status.conditions[1]).toMatchObject({ type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: 'missing required usages for client certificate: client auth', lastTransitionTime: T0 });
  });

  it('leaves requests for signers the cluster does not run approved and unsigned', async () => {
    const { clock, cluster, create, approve, read } = setup();
    create('custom', { request: request(pemRequest('/CN=custom')), signerName: 'example.com/my-signer', usages: ['client auth'] });
    approve('custom');
    await settle(cluster, clock, () => false);
    expect(read('custom').status.certificate).toBeUndefined();
    expect(read('custom').status.conditions.map((c: Obj) => c.type)).toEqual(['Approved']);
  });
});

describe('kubelet client certificate requests', () => {
  const kubelet = (pem: string) => ({ request: request(pem), signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] });

  it('are approved and signed by themselves when the requester may ask for node client certificates', async () => {
    const { clock, cluster, create, read } = setup();
    create('node-csr', kubelet(pemRequest('/O=system:nodes/CN=system:node:worker-2')));
    await settle(cluster, clock, () => !!read('node-csr').status.certificate);
    expect(read('node-csr').status.conditions[0]).toMatchObject({ type: 'Approved', reason: 'AutoApproved', message: 'Auto approving kubelet client certificate after SubjectAccessReview.' });
    expect(new X509Certificate(Buffer.from(read('node-csr').status.certificate, 'base64')).subject).toBe('O=system:nodes\nCN=system:node:worker-2');
  });

  it('wait for a person when the requester may not, and fail at the signer when the subject is not a node', async () => {
    const { clock, cluster, create, approve, read } = setup();
    create('stranger', kubelet(pemRequest('/O=system:nodes/CN=system:node:worker-3')), { username: 'bob', groups: ['system:authenticated'] });
    create('not-a-node', kubelet(pemRequest('/O=devs/CN=jane', 'not-a-node')));
    await settle(cluster, clock, () => false);
    expect(read('stranger').status).toEqual({});
    expect(read('not-a-node').status).toEqual({});
    approve('not-a-node');
    await settle(cluster, clock, () => read('not-a-node').status.conditions.length > 1);
    expect(read('not-a-node').status.conditions[1]).toMatchObject({ type: 'Failed', message: 'subject organization is not system:nodes' });
  });
});

describe('a CertificateSigningRequest', () => {
  it('keeps its spec when updated, and takes only Approved and Denied conditions through approval', () => {
    const { cluster, create } = setup();
    const def = cluster.kinds.byGroupResource('certificates.k8s.io', 'certificatesigningrequests')!;
    const csr = create('keep', { request: request(pemRequest('/CN=keep')), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] });
    const edited = { ...csr, spec: { ...(csr.spec as Obj), signerName: 'example.com/other' } } as KObject;
    expect((cluster.update(def, undefined, 'keep', edited).object.spec as Obj).signerName).toBe('kubernetes.io/kube-apiserver-client');
    const body = { metadata: {}, status: { certificate: 'Zm9v', conditions: [{ type: 'Denied', status: 'True', reason: 'No' }, { type: 'Failed', status: 'True' }] } };
    const denied = cluster.update(def, undefined, 'keep', withApproval(cluster.get(def, undefined, 'keep'), body), {}, 'approval').object as Obj;
    expect(denied.status.certificate).toBeUndefined();
    expect(denied.status.conditions).toEqual([{ type: 'Denied', status: 'True', reason: 'No', lastUpdateTime: T0, lastTransitionTime: T0 }]);
  });

  it('refuses Approved and Denied together', () => {
    const { cluster, create } = setup();
    const def = cluster.kinds.byGroupResource('certificates.k8s.io', 'certificatesigningrequests')!;
    create('both', { request: request(pemRequest('/CN=both')), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] });
    const body = { metadata: {}, status: { conditions: [{ type: 'Approved', status: 'True' }, { type: 'Denied', status: 'True' }] } };
    expect(() => cluster.update(def, undefined, 'both', withApproval(cluster.get(def, undefined, 'both'), body), {}, 'approval')).toThrow(
      'status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
    );
  });
});

describe('the csrcleaner', () => {
  it('deletes a request nobody decided on a day after it was made, and not before', async () => {
    const { clock, cluster, create } = setup();
    create('forgotten', { request: request(pemRequest('/CN=forgotten')), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] });
    await settle(cluster, clock, () => false);
    clock.advance(24 * 3600_000 - 1000);
    expect(cluster.store.get('certificates.k8s.io/certificatesigningrequests', undefined, 'forgotten')).toBeDefined();
    clock.advance(1000);
    expect(cluster.store.get('certificates.k8s.io/certificatesigningrequests', undefined, 'forgotten')).toBeUndefined();
  });

  it('deletes an approved request an hour after its approval, certificate and all', async () => {
    const { clock, cluster, create, approve, read } = setup();
    create('done', { request: request(pemRequest('/CN=done')), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] });
    clock.advance(600_000);
    approve('done');
    await settle(cluster, clock, () => !!read('done').status.certificate);
    clock.advance(3600_000 - 1000);
    expect(cluster.store.get('certificates.k8s.io/certificatesigningrequests', undefined, 'done')).toBeDefined();
    clock.advance(1000);
    expect(cluster.store.get('certificates.k8s.io/certificatesigningrequests', undefined, 'done')).toBeUndefined();
  });
});

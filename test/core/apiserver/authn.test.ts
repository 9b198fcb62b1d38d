// The authenticator's pieces on clusters of their own: which client certificates name a user,
// which service account tokens still hold, and who may impersonate whom.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateUser, effectiveUser } from '../../../src/core/apiserver/authn.js';
import { tokenRequest } from '../../../src/core/apiserver/subresources/token.js';
import { issueCertificate, parseCertificateRequest } from '../../../src/core/cluster/certificates.js';
import { ManualClock } from '../../../src/core/cluster/clock.js';
import { clusterKeys, deriveClusterKeys, setClusterKeys } from '../../../src/core/cluster/cluster-keys.js';
import type { Cluster } from '../../../src/core/cluster/cluster.js';
import { newCluster } from '../../../src/core/cluster/factory.js';
import { restoreSnapshot, snapshotOf } from '../../../src/core/cluster/snapshot.js';
import { ADMIN } from '../../../src/core/cluster/rbac.js';
import { authenticateServiceAccountToken, legacyToken, projectedServiceAccountToken } from '../../../src/core/cluster/service-account-tokens.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-authn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const csr = (() => {
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'u.key', '-subj', '/CN=jane/O=devs/O=qa', '-out', 'u.csr'], { cwd: dir, stdio: 'ignore' });
  return parseCertificateRequest(readFileSync(path.join(dir, 'u.csr')));
})();

const T0 = Date.parse('2026-03-01T10:00:00Z');

function cluster(clock = new ManualClock(new Date(T0))): Cluster {
  return newCluster({ clock, controlPlane: false });
}

async function certificate(c: Cluster, usages = ['client auth'], hours = 1): Promise<X509Certificate> {
  const pem = await issueCertificate({ request: csr, usages, notBefore: new Date(T0), notAfter: new Date(T0 + hours * 3600_000), ca: clusterKeys(c).clientCa });
  return new X509Certificate(pem);
}

describe('a client certificate', () => {
  it('names the user by its CN and the groups by its O when the cluster CA signed it', async () => {
    const c = cluster();
    expect(certificateUser(c, await certificate(c))).toEqual({ name: 'jane', groups: ['devs', 'qa', 'system:authenticated'] });
  });

  it('names nobody on another cluster, nor once it has expired by the cluster clock', async () => {
    const clock = new ManualClock(new Date(T0));
    const a = cluster(clock);
    const cert = await certificate(a);
    expect(certificateUser(cluster(), cert)).toBeUndefined();
    clock.advance(3600_000 + 1000);
    expect(certificateUser(a, cert)).toBeUndefined();
  });

  it('names nobody when it may not be used for client authentication', async () => {
    const c = cluster();
    expect(certificateUser(c, await certificate(c, ['server auth']))).toBeUndefined();
  });
});

describe('cluster keys', () => {
  it('are the same for the same server secret and cluster id, and differ between clusters', () => {
    expect(deriveClusterKeys('secret', 'a').serviceAccount.id).toBe(deriveClusterKeys('secret', 'a').serviceAccount.id);
    expect(deriveClusterKeys('secret', 'a').serviceAccount.id).not.toBe(deriveClusterKeys('secret', 'b').serviceAccount.id);
    expect(deriveClusterKeys('secret', 'a').clientCa.id).not.toBe(deriveClusterKeys('other', 'a').clientCa.id);
  });

  it('let a cluster restored under the same id accept the tokens it issued before', () => {
    const before = cluster();
    setClusterKeys(before, deriveClusterKeys('secret', 'learner'));
    const sa = before.create(before.kinds.byGroupResource('', 'serviceaccounts')!, 'default', { metadata: { name: 'robot' } }).object;
    const token = tokenRequest(before, sa, undefined).status.token as string;
    const after = newCluster({ clock: new ManualClock(new Date(T0)), controlPlane: false, empty: true });
    restoreSnapshot(after, snapshotOf(before));
    setClusterKeys(after, deriveClusterKeys('secret', 'learner'));
    expect(authenticateServiceAccountToken(after, token)?.name).toBe('system:serviceaccount:default:robot');
  });
});

describe('a service account token', () => {
  function setup() {
    const clock = new ManualClock(new Date(T0));
    const c = cluster(clock);
    const sa = c.create(c.kinds.byGroupResource('', 'serviceaccounts')!, 'default', { metadata: { name: 'robot' } }).object;
    return { clock, c, sa };
  }

  it('stands for its service account with the groups Kubernetes gives one until it expires', () => {
    const { clock, c, sa } = setup();
    const token = tokenRequest(c, sa, { spec: { audiences: [], expirationSeconds: 600 } }).status.token as string;
    expect(authenticateServiceAccountToken(c, token)).toMatchObject({
      name: 'system:serviceaccount:default:robot',
      uid: sa.metadata.uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    });
    clock.advance(600_000);
    expect(authenticateServiceAccountToken(c, token)).toBeUndefined();
  });

  it('does not stand for anyone when issued for another audience or by another cluster', () => {
    const { c, sa } = setup();
    expect(authenticateServiceAccountToken(c, tokenRequest(c, sa, { spec: { audiences: ['vault'] } }).status.token)).toBeUndefined();
    expect(authenticateServiceAccountToken(cluster(), tokenRequest(c, sa, undefined).status.token)).toBeUndefined();
  });

  it('projected into a pod stands for the pod\'s service account, with the pod named, while the pod lives', () => {
    const { c } = setup();
    const pods = c.kinds.byGroupResource('', 'pods')!;
    const pod = c.create(pods, 'default', { metadata: { name: 'app' }, spec: { serviceAccountName: 'robot', nodeName: 'kubedojo-worker', containers: [{ name: 'c', image: 'nginx' }] } }).object;
    const token = projectedServiceAccountToken(c, pod, T0);
    const user = authenticateServiceAccountToken(c, token);
    expect(user?.name).toBe('system:serviceaccount:default:robot');
    expect(user?.extra).toMatchObject({ 'authentication.kubernetes.io/pod-name': ['app'], 'authentication.kubernetes.io/pod-uid': [pod.metadata.uid], 'authentication.kubernetes.io/node-name': ['kubedojo-worker'] });
    c.delete(pods, 'default', 'app', { gracePeriodSeconds: 0 });
    expect(authenticateServiceAccountToken(c, token)).toBeUndefined();
  });

  it('from a legacy Secret holds only while the Secret holds it', () => {
    const { c, sa } = setup();
    const token = legacyToken(c, sa, 'robot-token');
    const secrets = c.kinds.byGroupResource('', 'secrets')!;
    const secret = (data: string) => ({
      metadata: { name: 'robot-token', annotations: { 'kubernetes.io/service-account.name': 'robot' } },
      type: 'kubernetes.io/service-account-token',
      data: { token: Buffer.from(data).toString('base64') },
    });
    expect(authenticateServiceAccountToken(c, token)).toBeUndefined();
    c.create(secrets, 'default', secret(token));
    expect(authenticateServiceAccountToken(c, token)?.name).toBe('system:serviceaccount:default:robot');
    c.update(secrets, 'default', 'robot-token', secret('another'));
    expect(authenticateServiceAccountToken(c, token)).toBeUndefined();
  });
});

describe('impersonation', () => {
  const request = (headers: Record<string, string>) => {
    const req = new IncomingMessage(new Socket());
    Object.assign(req.headers, headers);
    return req;
  };

  it('is the admin\'s to use freely, and needs RBAC impersonate for anyone else', () => {
    const c = cluster();
    const jane = { name: 'jane', groups: ['devs', 'system:authenticated'] };
    const asBob = request({ 'impersonate-user': 'bob' });
    expect(effectiveUser(asBob, ADMIN, c)).toEqual({ name: 'bob', groups: ['system:authenticated'] });
    expect(() => effectiveUser(asBob, jane, c)).toThrow('users "bob" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope');
    c.create(c.kinds.byGroupResource('rbac.authorization.k8s.io', 'clusterroles')!, undefined, { metadata: { name: 'be-bob' }, rules: [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['bob'] }] });
    c.create(c.kinds.byGroupResource('rbac.authorization.k8s.io', 'clusterrolebindings')!, undefined, {
      metadata: { name: 'jane-is-bob' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'be-bob' },
      subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    expect(effectiveUser(asBob, jane, c).name).toBe('bob');
    expect(effectiveUser(request({}), jane, c)).toBe(jane);
  });
});

// `kubectl auth can-i` answered by the RBAC objects of the cluster, for the admin and for a
// service account the learner impersonates with --as.
import { beforeAll, describe, expect, it } from 'vitest';
import { useCluster } from './support.js';
import { Kubectl } from '../helpers/kubectl.js';

const c = useCluster();
let k: Kubectl;
beforeAll(async () => {
  k = c.k;
  await k.ok(['create', 'namespace', 'rbac']);
  await k.ok(['-n', 'rbac', 'create', 'serviceaccount', 'robot']);
  await k.ok(['-n', 'rbac', 'create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods']);
  await k.ok(['-n', 'rbac', 'create', 'rolebinding', 'robot-reads', '--role=pod-reader', '--serviceaccount=rbac:robot']);
});

describe('kubectl auth can-i', () => {
  it('says yes to the cluster admin', async () => {
    const r = await k.run(['auth', 'can-i', 'delete', 'nodes']);
    expect(r).toMatchObject({ code: 0, stdout: 'yes\n' });
  });

  it('says yes to what a role binding grants a service account', async () => {
    const r = await k.run(['auth', 'can-i', 'list', 'pods', '-n', 'rbac', '--as=system:serviceaccount:rbac:robot']);
    expect(r).toMatchObject({ code: 0, stdout: 'yes\n' });
  });

  it('says no, with exit code 1, to what it does not grant', async () => {
    const other = await k.run(['auth', 'can-i', 'delete', 'pods', '-n', 'rbac', '--as=system:serviceaccount:rbac:robot']);
    expect(other).toMatchObject({ code: 1, stdout: 'no\n' });
    const elsewhere = await k.run(['auth', 'can-i', 'list', 'pods', '-n', 'default', '--as=system:serviceaccount:rbac:robot']);
    expect(elsewhere).toMatchObject({ code: 1, stdout: 'no\n' });
  });
});

describe('requests made as another user (--as)', () => {
  const robot = '--as=system:serviceaccount:rbac:robot';

  it('are allowed what the role grants', async () => {
    expect(await k.ok(['-n', 'rbac', 'get', 'pods', robot])).toBe('');
  });

  it('are refused the rest with the Forbidden error a real cluster gives', async () => {
    const create = await k.run(['-n', 'rbac', 'create', 'configmap', 'x', '--from-literal=a=b', robot]);
    expect(create.code).toBe(1);
    expect(create.stderr).toBe('error: failed to create configmap: configmaps is forbidden: User "system:serviceaccount:rbac:robot" cannot create resource "configmaps" in API group "" in the namespace "rbac"\n');
    const nodes = await k.run(['get', 'nodes', robot]);
    expect(nodes.stderr).toBe('Error from server (Forbidden): nodes is forbidden: User "system:serviceaccount:rbac:robot" cannot list resource "nodes" in API group "" at the cluster scope\n');
    const del = await k.run(['-n', 'rbac', 'delete', 'pod', 'nope', robot]);
    expect(del.stderr).toBe('Error from server (Forbidden): pods "nope" is forbidden: User "system:serviceaccount:rbac:robot" cannot delete resource "pods" in API group "" in the namespace "rbac"\n');
  });

  it('list what they may do with auth can-i --list', async () => {
    const out = await k.ok(['auth', 'can-i', '--list', '-n', 'rbac', robot]);
    expect(out).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\s*$/m);
    expect(out).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list watch\]\s*$/m);
  });
});

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

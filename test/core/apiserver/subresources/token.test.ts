// The TokenRequest API (serviceaccounts/token) behind `kubectl create token`.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/core/cluster/clock.js';
import { newCluster } from '../../../../src/core/cluster/factory.js';
import { ApiError } from '../../../../src/core/cluster/errors.js';
import { tokenRequest } from '../../../../src/core/apiserver/subresources/token.js';
import { API_AUDIENCE } from '../../../../src/core/cluster/service-account-tokens.js';

type Obj = Record<string, any>;

function claimsOf(token: string): Obj {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

function setup() {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const cluster = newCluster({ clock, controlPlane: false });
  const sa = cluster.create(cluster.kinds.byGroupResource('', 'serviceaccounts')!, 'default', { metadata: { name: 'robot' } }).object;
  return { cluster, sa };
}

describe('a TokenRequest', () => {
  it('issues an hour-long token for the API server by default, stamped with the cluster clock', () => {
    const { cluster, sa } = setup();
    const answer = tokenRequest(cluster, sa, undefined);
    expect(answer.spec).toEqual({ audiences: [API_AUDIENCE], expirationSeconds: 3600, boundObjectRef: null });
    expect(answer.status.expirationTimestamp).toBe('2026-03-01T11:00:00Z');
    const claims = claimsOf(answer.status.token);
    expect(claims).toMatchObject({ aud: [API_AUDIENCE], iss: API_AUDIENCE, sub: 'system:serviceaccount:default:robot', iat: Date.parse('2026-03-01T10:00:00Z') / 1000 });
    expect(claims['kubernetes.io']).toEqual({ namespace: 'default', serviceaccount: { name: 'robot', uid: sa.metadata.uid } });
  });

  it('binds the token to the pod it names, and to that pod\'s node', () => {
    const { cluster, sa } = setup();
    const pods = cluster.kinds.byGroupResource('', 'pods')!;
    const pod = cluster.create(pods, 'default', { metadata: { name: 'web' }, spec: { nodeName: 'kubedojo-worker', containers: [{ name: 'c', image: 'nginx' }] } }).object;
    const node = cluster.store.get('/nodes', undefined, 'kubedojo-worker')!;
    const answer = tokenRequest(cluster, sa, { spec: { audiences: ['vault'], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } } });
    expect(claimsOf(answer.status.token)['kubernetes.io']).toMatchObject({ pod: { name: 'web', uid: pod.metadata.uid }, node: { name: 'kubedojo-worker', uid: node.metadata.uid } });
    expect(answer.spec.audiences).toEqual(['vault']);
  });

  it('refuses a token shorter than ten minutes as the apiserver does', () => {
    const { cluster, sa } = setup();
    let err: unknown;
    try {
      tokenRequest(cluster, sa, { spec: { audiences: [], expirationSeconds: 599 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toMatchObject({ code: 422, message: 'TokenRequest.authentication.k8s.io "robot" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes' });
  });

  it('refuses to bind a token to a pod or secret that is not there, or not the one named by uid', () => {
    const { cluster, sa } = setup();
    expect(() => tokenRequest(cluster, sa, { spec: { audiences: [], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'nope' } } })).toThrow('pods "nope" not found');
    cluster.create(cluster.kinds.byGroupResource('', 'secrets')!, 'default', { metadata: { name: 'anchor' } });
    expect(() => tokenRequest(cluster, sa, { spec: { audiences: [], boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'anchor', uid: 'not-its-uid' } } })).toThrow(
      'Operation cannot be fulfilled on Secret "anchor": the UID in the bound object reference (not-its-uid) does not match the UID in record. The object might have been deleted and then recreated',
    );
  });
});

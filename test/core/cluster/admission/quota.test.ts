// ResourceQuota and LimitRange admission on a bare cluster with the admission plugins installed:
// what is counted, what is refused and in which words, what is defaulted.
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/core/cluster/clock.js';
import type { Cluster } from '../../../../src/core/cluster/cluster.js';
import { newCluster } from '../../../../src/core/cluster/factory.js';
import { addQuantities, formatUsed, usedIn } from '../../../../src/core/cluster/admission/quota.js';
import { formatQuantity, quantityFromJSON } from '../../../../src/core/cluster/validation/quantity.js';
import { rejection } from '../../../helpers/errors.js';

type Obj = Record<string, any>;
let cluster: Cluster;
const def = (p: string) => cluster.kinds.byGroupResource('', p)!;
const pod = (name: string, resources: Obj = {}, init: Obj[] = []): Obj => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx', resources }], initContainers: init.length ? init : undefined } });

const refusal = (fn: () => unknown): string => rejection(fn).status.message ?? '';

beforeEach(() => {
  cluster = newCluster({ clock: new ManualClock('2026-03-01T10:00:00Z'), controlPlane: false });
});

describe('quantities', () => {
  it('adds exactly and prints canonically', () => {
    expect(formatQuantity(addQuantities(quantityFromJSON('500m'), quantityFromJSON('0.5')))).toBe('1');
    expect(formatQuantity(addQuantities(quantityFromJSON('128Mi'), quantityFromJSON('128Mi')))).toBe('256Mi');
  });
});

describe('resource quota', () => {
  it('counts pods\' requests with init containers taken at their largest', () => {
    cluster.create(def('pods'), 'default', pod('a', { requests: { cpu: '200m', memory: '64Mi' } }, [{ name: 'i', image: 'busybox', resources: { requests: { cpu: '1' } } }]));
    cluster.create(def('pods'), 'default', pod('b', { requests: { cpu: '300m', memory: '64Mi' } }));
    const hard = { pods: '10', 'requests.cpu': '4', 'requests.memory': '1Gi' };
    expect(formatUsed(usedIn(cluster, 'default', hard), hard)).toEqual({ pods: '2', 'requests.cpu': '1300m', 'requests.memory': '128Mi' });
  });

  it('names every exceeded resource in the apiserver\'s order', () => {
    cluster.create(def('resourcequotas'), 'default', { metadata: { name: 'q' }, spec: { hard: { 'requests.memory': '100Mi', 'requests.cpu': '1', pods: '5' } } });
    cluster.create(def('pods'), 'default', pod('a', { requests: { cpu: '1', memory: '64Mi' } }));
    expect(refusal(() => cluster.create(def('pods'), 'default', pod('b', { requests: { cpu: '100m', memory: '64Mi' } })))).toBe(
      'pods "b" is forbidden: exceeded quota: q, requested: requests.cpu=100m,requests.memory=64Mi, used: requests.cpu=1,requests.memory=64Mi, limited: requests.cpu=1,requests.memory=100Mi',
    );
  });

  it('refuses counted objects past their count', () => {
    cluster.create(def('resourcequotas'), 'default', { metadata: { name: 'few' }, spec: { hard: { configmaps: '1', 'count/secrets': '0' } } });
    const existing = cluster.store.list('/configmaps', 'default').length;
    if (existing === 0) cluster.create(def('configmaps'), 'default', { metadata: { name: 'one' } });
    expect(refusal(() => cluster.create(def('configmaps'), 'default', { metadata: { name: 'two' } }))).toMatch(/^configmaps "two" is forbidden: exceeded quota: few, requested: configmaps=1, used: configmaps=\d+, limited: configmaps=1$/);
    expect(refusal(() => cluster.create(def('secrets'), 'default', { metadata: { name: 's' } }))).toBe('secrets "s" is forbidden: exceeded quota: few, requested: count/secrets=1, used: count/secrets=0, limited: count/secrets=0');
  });
});

describe('limit ranges', () => {
  beforeEach(() => {
    cluster.create(def('limitranges'), 'default', { metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', max: { cpu: '1', memory: '1Gi' }, min: { cpu: '100m' }, maxLimitRequestRatio: { cpu: '2' } }] } });
  });

  it('is defaulted from max and min, as the apiserver defaults it', () => {
    const lr = cluster.store.get('/limitranges', 'default', 'l') as Obj;
    expect(lr.spec.limits[0].default).toEqual({ cpu: '1', memory: '1Gi' });
    expect(lr.spec.limits[0].defaultRequest).toEqual({ cpu: '1', memory: '1Gi' });
  });

  it('refuses what breaks min, max or the limit-to-request ratio, all reasons at once', () => {
    expect(refusal(() => cluster.create(def('pods'), 'default', pod('low', { requests: { cpu: '50m' }, limits: { cpu: '500m' } })))).toBe(
      'pods "low" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, cpu max limit to request ratio per Container is 2, but provided ratio is 10.000000]',
    );
    expect(refusal(() => cluster.create(def('pods'), 'default', pod('high', { requests: { cpu: '1' }, limits: { cpu: '2' } })))).toBe('pods "high" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
  });

  it('bounds a claim\'s storage request by PersistentVolumeClaim limits', () => {
    cluster.create(def('limitranges'), 'default', { metadata: { name: 'storage' }, spec: { limits: [{ type: 'PersistentVolumeClaim', max: { storage: '2Gi' }, min: { storage: '1Gi' } }] } });
    const claim = (name: string, storage: string) => ({ metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } });
    expect(refusal(() => cluster.create(def('persistentvolumeclaims'), 'default', claim('big', '5Gi')))).toBe('persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi');
    expect(refusal(() => cluster.create(def('persistentvolumeclaims'), 'default', claim('small', '500Mi')))).toBe('persistentvolumeclaims "small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi');
    expect(cluster.create(def('persistentvolumeclaims'), 'default', claim('right', '1536Mi')).object.metadata.name).toBe('right');
  });
});

import { describe, expect, it } from 'vitest';
import { desiredSlices, sliceLabels } from '../../../../src/core/cluster/controllers/endpointslice.js';
import { pod, svc } from '../network/fixtures.js';

describe('desired EndpointSlices', () => {
  it('hold one endpoint per pod with ready, serving and terminating conditions', () => {
    const s = svc('web', { clusterIP: '10.96.1.1', ports: [{ port: 80 }] });
    const [slice, ...rest] = desiredSlices(s, [pod('a', '10.244.1.6'), pod('b', '10.244.1.7', { ready: false }), pod('c', '10.244.1.8', { deleting: true })]);
    expect(rest).toEqual([]);
    expect(slice.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
    expect(slice.endpoints.map((e) => [e.addresses[0], e.conditions])).toEqual([
      ['10.244.1.6', { ready: true, serving: true, terminating: false }],
      ['10.244.1.7', { ready: false, serving: false, terminating: false }],
      ['10.244.1.8', { ready: false, serving: true, terminating: true }],
    ]);
    expect(slice.endpoints[0]).toMatchObject({ nodeName: 'kubedojo-worker', targetRef: { kind: 'Pod', name: 'a', namespace: 'default', uid: 'uid-a' } });
  });

  it('keep a placeholder without ports or endpoints for a Service that selects nothing', () => {
    expect(desiredSlices(svc('web', { clusterIP: '10.96.1.1', ports: [{ port: 80 }] }), [])).toEqual([{ ports: null, endpoints: [] }]);
  });

  it('hold at most 100 endpoints each', () => {
    const pods = Array.from({ length: 250 }, (_, i) => pod(`p${i}`, `10.244.${Math.floor(i / 200)}.${i % 200}`));
    expect(desiredSlices(svc('web', { clusterIP: '10.96.1.1', ports: [{ port: 80 }] }), pods).map((s) => s.endpoints.length)).toEqual([100, 100, 50]);
  });

  it('are labelled with the Service name and their manager, and marked headless where the Service is', () => {
    expect(sliceLabels(svc('db', { clusterIP: 'None' }, { labels: { app: 'db' } }))).toEqual({
      app: 'db',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      'kubernetes.io/service-name': 'db',
      'service.kubernetes.io/headless': '',
    });
  });
});

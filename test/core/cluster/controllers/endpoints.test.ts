import { describe, expect, it } from 'vitest';
import { endpointSubsets, endpointsLabels } from '../../../../src/core/cluster/controllers/endpoints.js';
import { pod, svc } from '../network/fixtures.js';

const ports = [{ name: 'http', containerPort: 8080 }];

describe('endpoint subsets', () => {
  it('put ready pods in addresses and the others in notReadyAddresses, sharing the ports', () => {
    const s = svc('web', { clusterIP: '10.96.1.1', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }] });
    const subsets = endpointSubsets(s, [pod('b', '10.244.1.7', { ports }), pod('a', '10.244.1.6', { ports, ready: false }), pod('c', '10.244.2.2', { ports })]);
    expect(subsets).toEqual([
      {
        addresses: [
          { ip: '10.244.1.7', nodeName: 'kubedojo-worker', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' } },
          { ip: '10.244.2.2', nodeName: 'kubedojo-worker', targetRef: { kind: 'Pod', namespace: 'default', name: 'c', uid: 'uid-c' } },
        ],
        notReadyAddresses: [{ ip: '10.244.1.6', nodeName: 'kubedojo-worker', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('leave out pods without an address, finished ones, terminating ones, and ones without the named port', () => {
    const s = svc('web', { clusterIP: '10.96.1.1', ports: [{ port: 80, targetPort: 'http' }] });
    const subsets = endpointSubsets(s, [pod('new', undefined, { ports }), pod('done', '10.244.1.2', { ports, phase: 'Succeeded' }), pod('going', '10.244.1.3', { ports, deleting: true }), pod('portless', '10.244.1.4')]);
    expect(subsets).toEqual([]);
  });

  it('publish not-ready and terminating pods as ready when the Service asks for it', () => {
    const s = svc('web', { clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ port: 80 }] });
    const subsets = endpointSubsets(s, [pod('a', '10.244.1.6', { ready: false }), pod('b', '10.244.1.7', { deleting: true })]);
    expect(subsets).toHaveLength(1);
    expect(subsets[0].addresses.map((a: any) => a.ip)).toEqual(['10.244.1.6', '10.244.1.7']);
    expect(subsets[0].notReadyAddresses).toBeUndefined();
  });

  it('group addresses by the set of ports they serve', () => {
    const s = svc('web', { clusterIP: '10.96.1.1', ports: [{ name: 'web', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090 }] });
    const subsets = endpointSubsets(s, [pod('a', '10.244.1.6', { ports }), pod('b', '10.244.1.7')]);
    expect(subsets.map((x) => [x.addresses.map((a: any) => a.ip), x.ports.map((p: any) => `${p.name}:${p.port}`)])).toEqual([
      [['10.244.1.6'], ['web:8080']],
      [['10.244.1.6', '10.244.1.7'], ['metrics:9090']],
    ]);
  });

  it('give a headless Service\'s pods their hostnames, and port-less headless Services bare addresses', () => {
    const s = svc('db', { clusterIP: 'None' });
    const subsets = endpointSubsets(s, [pod('db-0', '10.244.1.6', { hostname: 'db-0', subdomain: 'db' }), pod('other', '10.244.1.7', { hostname: 'x', subdomain: 'elsewhere' })]);
    expect(subsets).toEqual([
      {
        addresses: [
          { ip: '10.244.1.6', hostname: 'db-0', nodeName: 'kubedojo-worker', targetRef: { kind: 'Pod', namespace: 'default', name: 'db-0', uid: 'uid-db-0' } },
          { ip: '10.244.1.7', nodeName: 'kubedojo-worker', targetRef: { kind: 'Pod', namespace: 'default', name: 'other', uid: 'uid-other' } },
        ],
      },
    ]);
    expect(endpointsLabels(svc('db', { clusterIP: 'None' }, { labels: { app: 'db' } }))).toEqual({ app: 'db', 'service.kubernetes.io/headless': '' });
    expect(endpointsLabels(svc('web', { clusterIP: '10.96.1.1' }))).toBeUndefined();
  });
});

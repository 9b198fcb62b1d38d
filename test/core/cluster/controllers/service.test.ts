import { describe, expect, it } from 'vitest';
import { loadBalancerStatus, nextLoadBalancerIP } from '../../../../src/core/cluster/controllers/service.js';

describe('cloud-provider-kind load balancers', () => {
  it('take the next free address of the kind network after the gateway and the nodes', () => {
    expect(nextLoadBalancerIP(new Set(['172.18.0.1', '172.18.0.2', '172.18.0.3', '172.18.0.4']))).toBe('172.18.0.5');
    expect(nextLoadBalancerIP(new Set(['172.18.0.1', '172.18.0.2', '172.18.0.3', '172.18.0.4', '172.18.0.5']))).toBe('172.18.0.6');
  });

  it('report their address in Proxy mode with the Service\'s ports', () => {
    expect(loadBalancerStatus({ spec: { ports: [{ port: 80, protocol: 'TCP', nodePort: 31000 }, { port: 53, protocol: 'UDP' }] } }, '172.18.0.5')).toEqual({
      loadBalancer: { ingress: [{ ip: '172.18.0.5', ipMode: 'Proxy', ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }] },
    });
  });
});

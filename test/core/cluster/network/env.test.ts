import { describe, expect, it } from 'vitest';
import { serviceEnv, servicesForEnv } from '../../../../src/core/cluster/network/env.js';
import { svc } from './fixtures.js';

describe('serviceEnv', () => {
  it('gives a Service docker-link variables for each of its ports, the first one also unqualified', () => {
    const env = serviceEnv([svc('redis-master', { clusterIP: '10.96.4.7', ports: [{ name: 'redis', port: 6379, protocol: 'TCP' }, { name: 'sentinel', port: 26379, protocol: 'UDP' }] })]);
    expect(env).toEqual({
      REDIS_MASTER_SERVICE_HOST: '10.96.4.7',
      REDIS_MASTER_SERVICE_PORT: '6379',
      REDIS_MASTER_SERVICE_PORT_REDIS: '6379',
      REDIS_MASTER_SERVICE_PORT_SENTINEL: '26379',
      REDIS_MASTER_PORT: 'tcp://10.96.4.7:6379',
      REDIS_MASTER_PORT_6379_TCP: 'tcp://10.96.4.7:6379',
      REDIS_MASTER_PORT_6379_TCP_PROTO: 'tcp',
      REDIS_MASTER_PORT_6379_TCP_PORT: '6379',
      REDIS_MASTER_PORT_6379_TCP_ADDR: '10.96.4.7',
      REDIS_MASTER_PORT_26379_UDP: 'udp://10.96.4.7:26379',
      REDIS_MASTER_PORT_26379_UDP_PROTO: 'udp',
      REDIS_MASTER_PORT_26379_UDP_PORT: '26379',
      REDIS_MASTER_PORT_26379_UDP_ADDR: '10.96.4.7',
    });
  });

  it('gives headless and ExternalName Services nothing', () => {
    expect(serviceEnv([svc('db', { clusterIP: 'None', ports: [{ port: 5432 }] }), svc('ext', { type: 'ExternalName', externalName: 'example.com' })])).toEqual({});
  });

  it('takes the pod namespace\'s Services and always the kubernetes Service of default', () => {
    const all = [
      svc('kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] }),
      svc('web', { clusterIP: '10.96.1.1', ports: [{ port: 80 }] }),
      svc('api', { clusterIP: '10.96.2.2', ports: [{ port: 80 }] }, { namespace: 'shop' }),
    ];
    expect(servicesForEnv(all, 'shop').map((s) => s.metadata.name).sort()).toEqual(['api', 'kubernetes']);
    expect(servicesForEnv(all, 'shop', false).map((s) => s.metadata.name)).toEqual(['kubernetes']);
    expect(Object.keys(serviceEnv(servicesForEnv(all, 'default')))).toContain('WEB_SERVICE_HOST');
  });
});

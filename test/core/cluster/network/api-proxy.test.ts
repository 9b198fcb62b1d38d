import { describe, expect, it } from 'vitest';
import { endpointSubsets } from '../../../../src/core/cluster/controllers/endpoints.js';
import { ApiError } from '../../../../src/core/cluster/errors.js';
import { serviceProxyTarget, splitSchemeNamePort } from '../../../../src/core/cluster/network/api-proxy.js';
import { listView } from '../../../../src/core/cluster/network/view.js';
import { NODES, pod, svc } from './fixtures.js';

const web = svc('web', { clusterIP: '10.96.12.34', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
const idle = svc('idle', { clusterIP: '10.96.12.35', selector: { app: 'idle' }, ports: [{ port: 80 }] });
const pods = [pod('web-a', '10.244.1.5')];
const view = listView({ services: [web, idle], pods, nodes: NODES, endpoints: [{ metadata: web.metadata, subsets: endpointSubsets(web, pods) }, { metadata: idle.metadata, subsets: [] }] });

const status = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return `${e.code} ${e.status.message}`;
    throw e;
  }
  return 'no error';
};

describe('the apiserver\'s service proxy', () => {
  it('reads name, name:port and scheme:name:port', () => {
    expect(splitSchemeNamePort('web')).toEqual({ scheme: '', name: 'web', port: '' });
    expect(splitSchemeNamePort('web:80')).toEqual({ scheme: '', name: 'web', port: '80' });
    expect(splitSchemeNamePort('https:dashboard:')).toEqual({ scheme: 'https', name: 'dashboard', port: '' });
    expect(splitSchemeNamePort('a:b:c:d')).toBeUndefined();
  });

  it('sends a request for a Service port, by number or name, to a ready endpoint\'s target port', () => {
    expect(serviceProxyTarget(view, 'default', 'web:80')).toEqual({ namespace: 'default', pod: 'web-a', ip: '10.244.1.5', port: 8080 });
    expect(serviceProxyTarget(view, 'default', 'web:http').port).toBe(8080);
  });

  it('answers as the apiserver does when there is nowhere to send it', () => {
    expect(status(() => serviceProxyTarget(view, 'default', 'web'))).toBe('503 no endpoints available for service "web"');
    expect(status(() => serviceProxyTarget(view, 'default', 'web:81'))).toBe('503 no service port 81 found for service "web"');
    expect(status(() => serviceProxyTarget(view, 'default', 'idle'))).toBe('503 no endpoints available for service "idle"');
    expect(status(() => serviceProxyTarget(view, 'default', 'nope'))).toBe('404 services "nope" not found');
  });
});

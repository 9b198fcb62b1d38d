// Small stored-object shapes for the network's unit tests.
type Obj = Record<string, any>;

export function svc(name: string, spec: Obj, extra: Obj = {}): Obj {
  return { metadata: { name, namespace: extra.namespace ?? 'default', uid: `uid-${name}`, labels: extra.labels }, spec: { type: 'ClusterIP', ...spec }, status: extra.status ?? {} };
}

export function pod(name: string, ip: string | undefined, opts: { ns?: string; labels?: Obj; ready?: boolean; node?: string; ports?: Obj[]; hostname?: string; subdomain?: string; deleting?: boolean; phase?: string; hostNetwork?: boolean } = {}): Obj {
  return {
    metadata: { name, namespace: opts.ns ?? 'default', uid: `uid-${name}`, labels: opts.labels ?? { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      nodeName: opts.node ?? 'kubedojo-worker',
      ...(opts.hostname ? { hostname: opts.hostname } : {}),
      ...(opts.subdomain ? { subdomain: opts.subdomain } : {}),
      ...(opts.hostNetwork ? { hostNetwork: true } : {}),
      containers: [{ name: 'web', image: 'nginx', ports: opts.ports ?? [] }],
    },
    status: {
      phase: opts.phase ?? 'Running',
      ...(ip ? { podIP: ip } : {}),
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    },
  };
}

export function node(name: string, ip: string): Obj {
  return { metadata: { name, labels: {} }, status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] } };
}

export const NODES = [node('kubedojo-control-plane', '172.18.0.2'), node('kubedojo-worker', '172.18.0.3'), node('kubedojo-worker2', '172.18.0.4')];

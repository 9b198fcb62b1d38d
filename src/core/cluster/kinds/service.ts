// Service: allocates a ClusterIP from 10.96.0.0/16 and NodePorts from 30000-32767 on create,
// as the apiserver's allocators do, and prints TYPE, CLUSTER-IP, EXTERNAL-IP and PORT(S).
import type { KindContext, KindDef, KObject, Unstructured } from './types.js';
import { fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge, mapToString } from './print.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function formatServicePorts(svc: Unstructured): string {
  const ports: Unstructured[] = svc.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function externalIP(svc: Unstructured): string {
  const spec = svc.spec ?? {};
  const ext: string[] = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ExternalName':
      return spec.externalName ?? '<none>';
    case 'LoadBalancer': {
      const ing: string[] = (svc.status?.loadBalancer?.ingress ?? []).map((i: Unstructured) => i.ip || i.hostname).filter(Boolean);
      const all = [...ing, ...ext];
      return all.length ? all.join(',') : '<pending>';
    }
    default:
      return ext.length ? ext.join(',') : '<none>';
  }
}

function usedIPs(ctx: KindContext): Set<string> {
  return new Set(ctx.list('services', '').flatMap((s) => ((s.spec as Unstructured)?.clusterIPs ?? [(s.spec as Unstructured)?.clusterIP]).filter(Boolean)));
}

function usedNodePorts(ctx: KindContext, except?: string): Set<number> {
  const out = new Set<number>();
  for (const s of ctx.list('services', '')) {
    if (except && s.metadata.uid === except) continue;
    for (const p of (s.spec as Unstructured)?.ports ?? []) if (p.nodePort) out.add(p.nodePort);
  }
  return out;
}

function allocateIP(ctx: KindContext): string {
  const used = usedIPs(ctx);
  for (let i = 11; i < 65534; i++) {
    const ip = `10.96.${Math.floor(i / 256)}.${i % 256}`;
    if (i % 256 !== 0 && i % 256 !== 255 && !used.has(ip)) return ip;
  }
  throw new Error('the service IP range 10.96.0.0/16 is full');
}

function allocatePorts(svc: Unstructured, ctx: KindContext, errs: FieldError[], except?: string): void {
  const spec = svc.spec;
  if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') return;
  const used = usedNodePorts(ctx, except);
  (spec.ports ?? []).forEach((p: Unstructured, i: number) => {
    if (p.nodePort !== undefined) {
      if (p.nodePort < 30000 || p.nodePort > 32767) errs.push(fieldError.invalid(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is not in the valid range. The range of valid ports is 30000-32767'));
      else if (used.has(p.nodePort)) errs.push(fieldError.invalid(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'));
      used.add(p.nodePort);
      return;
    }
    let port = 30000 + Math.floor(Math.random() * 2768);
    while (used.has(port)) port = port === 32767 ? 30000 : port + 1;
    p.nodePort = port;
    used.add(port);
  });
}

function defaults(obj: KObject): void {
  const spec = (obj.spec ??= {}) as Unstructured;
  spec.type ??= 'ClusterIP';
  if (spec.type !== 'ExternalName') {
    spec.sessionAffinity ??= 'None';
    spec.internalTrafficPolicy ??= 'Cluster';
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
}

const pendingErrors = new WeakMap<object, FieldError[]>();

export const service: KindDef = {
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: ['proxy', 'status'],
  tracksGeneration: false,
  columns: [
    { name: 'Type', type: 'string', description: 'The type of the service.' },
    { name: 'Cluster-IP', type: 'string', description: 'The IP address of the service.' },
    { name: 'External-IP', type: 'string', description: 'The external IP address of the service.' },
    { name: 'Port(s)', type: 'string', description: 'The ports exposed by the service.' },
    AGE_COLUMN,
    { name: 'Selector', type: 'string', priority: 1, description: 'Route service traffic to pods with label keys and values matching this selector.' },
  ],
  row(obj, ctx) {
    const o = obj as Unstructured;
    return [o.spec?.type ?? 'ClusterIP', o.spec?.clusterIP || '<none>', externalIP(o), formatServicePorts(o), creationAge(obj, ctx.now()), mapToString(o.spec?.selector)];
  },
  prepareForCreate(obj, ctx) {
    defaults(obj);
    const spec = obj.spec as Unstructured;
    if (spec.type === 'ExternalName') {
      delete spec.clusterIP;
    } else if (spec.clusterIP !== 'None') {
      spec.clusterIP ??= allocateIP(ctx);
      spec.clusterIPs = [spec.clusterIP];
    } else {
      spec.clusterIPs = ['None'];
    }
    const errs: FieldError[] = [];
    allocatePorts(obj, ctx, errs);
    if (errs.length) pendingErrors.set(obj, errs);
    obj.status = { loadBalancer: {} };
  },
  prepareForUpdate(obj, old, ctx) {
    defaults(obj);
    const spec = obj.spec as Unstructured;
    const oldSpec = old.spec as Unstructured;
    if (spec.type !== 'ExternalName' && oldSpec.clusterIP && spec.clusterIP === undefined) {
      spec.clusterIP = oldSpec.clusterIP;
      spec.clusterIPs = oldSpec.clusterIPs;
    }
    if (spec.type !== 'ExternalName' && !spec.clusterIP) {
      spec.clusterIP = allocateIP(ctx);
      spec.clusterIPs = [spec.clusterIP];
    }
    // Keep node ports a learner did not change; allocate for newly exposed ones.
    for (const p of spec.ports ?? []) {
      if (p.nodePort === undefined) {
        const before = (oldSpec.ports ?? []).find((q: Unstructured) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
        if (before?.nodePort && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) p.nodePort = before.nodePort;
      }
    }
    if (spec.type === 'ClusterIP') for (const p of spec.ports ?? []) delete p.nodePort;
    const errs: FieldError[] = [];
    allocatePorts(obj, ctx, errs, old.metadata.uid);
    if (errs.length) pendingErrors.set(obj, errs);
  },
  defaults,
  validate(obj) {
    const spec = (obj.spec ?? {}) as Unstructured;
    const errs: FieldError[] = [...(pendingErrors.get(obj) ?? [])];
    if (!TYPES.includes(spec.type)) errs.push(fieldError.notSupported('spec.type', spec.type, TYPES));
    const ports: Unstructured[] = spec.ports ?? [];
    if (spec.type === 'ExternalName') {
      if (!spec.externalName) errs.push(fieldError.required('spec.externalName', ''));
    } else if (!ports.length && spec.clusterIP !== 'None') {
      errs.push(fieldError.required('spec.ports', ''));
    }
    const seen = new Set<string>();
    ports.forEach((p, i) => {
      if (ports.length > 1 && !p.name) errs.push(fieldError.required(`spec.ports[${i}].name`, ''));
      if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535) errs.push(p.port === undefined ? fieldError.required(`spec.ports[${i}].port`, '') : fieldError.invalid(`spec.ports[${i}].port`, p.port, 'must be between 1 and 65535, inclusive'));
      if (p.protocol && !PROTOCOLS.includes(p.protocol)) errs.push(fieldError.notSupported(`spec.ports[${i}].protocol`, p.protocol, PROTOCOLS));
      const key = `${p.port}/${p.protocol}`;
      if (seen.has(key)) errs.push(fieldError.duplicate(`spec.ports[${i}]`, { port: p.port, protocol: p.protocol }));
      seen.add(key);
    });
    return errs;
  },
  validateUpdate(obj, old) {
    const a = (obj.spec as Unstructured)?.clusterIP;
    const b = (old.spec as Unstructured)?.clusterIP;
    if (b && a && a !== b && (old.spec as Unstructured).type !== 'ExternalName') {
      return [fieldError.invalid('spec.clusterIPs[0]', [a], 'may not change once set')];
    }
    return [];
  },
};

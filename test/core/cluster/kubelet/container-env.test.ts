// What a container gets from its pod and namespace before it starts, read from a handful of
// objects: its environment in the kubelet's order, and the reasons it cannot start yet.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { configProblem, environment, missingVolume, type ObjectReader } from '../../../../src/core/cluster/kubelet/container-env.js';
import type { KObject } from '../../../../src/core/cluster/kinds/types.js';

/** A namespace's objects, as the store would hand them to the kubelet. */
function reader(objects: Array<[resource: string, obj: KObject]>): ObjectReader {
  return {
    get: (resource, ns, name) => objects.find(([r, o]) => r === resource && o.metadata.name === name && (o.metadata.namespace ?? 'default') === (ns ?? 'default'))?.[1],
    list: (resource, ns) => objects.filter(([r, o]) => r === resource && (ns === undefined || (o.metadata.namespace ?? 'default') === ns)).map(([, o]) => o),
  };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const objects = reader([
  ['/configmaps', { metadata: { name: 'app', namespace: 'shop' }, data: { MODE: 'blue', LEVEL: 'debug' } }],
  ['/secrets', { metadata: { name: 'db', namespace: 'shop' }, data: { password: b64('s3cret') } }],
  ['/services', { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } }],
  ['/services', { metadata: { name: 'web-api', namespace: 'shop' }, spec: { clusterIP: '10.96.7.7', ports: [{ port: 80, protocol: 'TCP' }] } }],
]);
const pod = (spec: Container, extra: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  metadata: { name: 'cart', namespace: 'shop', uid: 'u-1', labels: { tier: 'front' } },
  spec: { nodeName: 'worker', containers: [spec], ...extra },
  status: { hostIP: '172.18.0.3' },
});

describe("a container's environment", () => {
  it('links the Services, then envFrom with its prefix, then env, where later entries win and $(VAR) expands', () => {
    const spec: Container = {
      name: 'cart',
      envFrom: [{ configMapRef: { name: 'app' }, prefix: 'CFG_' }],
      env: [
        { name: 'CFG_MODE', value: 'green' },
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        { name: 'GREETING', value: 'mode $(CFG_MODE), $(NOPE)' },
      ],
    };
    const env = environment(pod(spec), spec, '10.244.1.5', objects);
    expect(env).toMatchObject({
      HOSTNAME: 'cart',
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      WEB_API_SERVICE_HOST: '10.96.7.7',
      WEB_API_PORT: 'tcp://10.96.7.7:80',
      CFG_LEVEL: 'debug',
      CFG_MODE: 'green',
      DB_PASSWORD: 's3cret',
      GREETING: 'mode green, $(NOPE)',
    });
  });

  it("leaves out the namespace's Services when enableServiceLinks is false, but never the API server's", () => {
    const spec: Container = { name: 'cart' };
    const env = environment(pod(spec, { enableServiceLinks: false }), spec, undefined, objects);
    expect(env.KUBERNETES_SERVICE_HOST).toBe('10.96.0.1');
    expect(env.WEB_API_SERVICE_HOST).toBeUndefined();
  });

  it('answers the downward API from the pod, its IP and its resources', () => {
    const spec: Container = {
      name: 'cart',
      resources: { limits: { memory: '64Mi' } },
      env: [
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'TIER', valueFrom: { fieldRef: { fieldPath: "metadata.labels['tier']" } } },
        { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      ],
    };
    expect(environment(pod(spec), spec, '10.244.1.5', objects)).toMatchObject({ POD_IP: '10.244.1.5', NODE: 'worker', TIER: 'front', MEM_MI: '64', CPU: '4' });
  });
});

describe('the downward API\'s resources', () => {
  const limited = (resources: Container['resources'], env: Array<[name: string, resource: string, divisor?: string]>): Container => ({
    name: 'cart',
    resources,
    env: env.map(([name, resource, divisor]) => ({ name, valueFrom: { resourceFieldRef: { resource, ...(divisor === undefined ? {} : { divisor }) } } })),
  });
  const envOf = (spec: Container, extra: Array<[string, KObject]> = []) => environment(pod(spec), spec, '10.244.1.5', reader([...extra]));

  it('divides CPU in millicores by the divisor, rounding up: 100m is 100 in 1m and 1 in cores', () => {
    const spec = limited({ limits: { cpu: '100m' }, requests: { cpu: '250m' } }, [
      ['LIMIT_M', 'limits.cpu', '1m'],
      ['LIMIT', 'limits.cpu', '1'],
      ['REQUEST_M', 'requests.cpu', '1m'],
      ['UNSET_DIVISOR', 'limits.cpu'],
      ['ZERO_DIVISOR', 'limits.cpu', '0'],
    ]);
    expect(envOf(spec)).toMatchObject({ LIMIT_M: '100', LIMIT: '1', REQUEST_M: '250', UNSET_DIVISOR: '1', ZERO_DIVISOR: '1' });
  });

  it('divides memory and ephemeral storage in bytes, rounding up', () => {
    const spec = limited({ limits: { memory: '100Mi', 'ephemeral-storage': '1G' }, requests: { memory: '1500k' } }, [
      ['MEM_MI', 'limits.memory', '1Mi'],
      ['MEM_M', 'limits.memory', '1M'],
      ['MEM', 'limits.memory'],
      ['REQ_MI', 'requests.memory', '1Mi'],
      ['DISK_GI', 'limits.ephemeral-storage', '1Gi'],
    ]);
    expect(envOf(spec)).toMatchObject({ MEM_MI: '100', MEM_M: '105', MEM: '104857600', REQ_MI: '2', DISK_GI: '1' });
  });

  it("takes a limit the container does not set from its node's allocatable, and a request it does not set as 0", () => {
    const spec = limited(undefined, [
      ['CPU_M', 'limits.cpu', '1m'],
      ['MEM_MI', 'limits.memory', '1Mi'],
      ['REQ_CPU', 'requests.cpu', '1m'],
    ]);
    const node: KObject = { metadata: { name: 'worker' }, status: { allocatable: { cpu: '2500m', memory: '2Gi' } } };
    expect(envOf(spec, [['/nodes', node]])).toMatchObject({ CPU_M: '2500', MEM_MI: '2048', REQ_CPU: '0' });
  });

  it('reads another container\'s resources when the selector names it', () => {
    const spec: Container = { name: 'cart', env: [{ name: 'SIDE_CPU', valueFrom: { resourceFieldRef: { containerName: 'side', resource: 'limits.cpu', divisor: '1m' } } }] };
    const p = pod(spec, { containers: [spec, { name: 'side', resources: { limits: { cpu: '300m' } } }] });
    expect(environment(p, spec, undefined, objects).SIDE_CPU).toBe('300');
  });
});

describe('what keeps a container from starting', () => {
  const needs = (env: Container['env'], envFrom?: Container['envFrom']) => {
    const spec: Container = { name: 'cart', env, envFrom };
    return configProblem(pod(spec), spec, objects);
  };

  it('names a missing ConfigMap or Secret, or a missing key, as the kubelet does', () => {
    expect(needs([{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x' } } }])).toBe('configmap "nope" not found');
    expect(needs([{ name: 'X', valueFrom: { configMapKeyRef: { name: 'app', key: 'COLOR' } } }])).toBe("couldn't find key COLOR in ConfigMap shop/app");
    expect(needs([{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'user' } } }])).toBe("couldn't find key user in Secret shop/db");
    expect(needs([], [{ secretRef: { name: 'tls' } }])).toBe('secret "tls" not found');
  });

  it('lets a container start when what is missing is optional', () => {
    expect(needs([{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x', optional: true } } }], [{ secretRef: { name: 'tls', optional: true } }])).toBeUndefined();
  });

  it('holds the pod while a volume source is missing, warning only for what it can name', () => {
    const spec: Container = { name: 'cart' };
    expect(missingVolume(pod(spec, { volumes: [{ name: 'cfg', configMap: { name: 'nope' } }] }), objects)).toEqual({ event: 'MountVolume.SetUp failed for volume "cfg" : configmap "nope" not found' });
    expect(missingVolume(pod(spec, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'unbound' } }] }), objects)).toEqual({});
    expect(missingVolume(pod(spec, { volumes: [{ name: 'cfg', configMap: { name: 'app' } }, { name: 'tmp', emptyDir: {} }] }), objects)).toBeUndefined();
  });
});

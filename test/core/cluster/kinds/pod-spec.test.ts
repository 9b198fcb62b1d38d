// A pod spec's downward API divisors, validated as the apiserver validates them: CPU in cores or
// millicores, memory and ephemeral storage in powers of ten or two, in env and in volumes alike.
import { describe, expect, it } from 'vitest';
import { validatePodSpec } from '../../../../src/core/cluster/kinds/pod-spec.js';

const app = (env: object[] = []) => ({ name: 'app', image: 'busybox', env });
const ref = (resource: string, divisor: string) => ({ containerName: 'app', resource, divisor });

describe('downward API divisors', () => {
  it('accepts what each resource can be counted in, whatever the spelling (1000m is 1)', () => {
    const env = [
      { name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
      { name: 'B', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1000m' } } },
      { name: 'C', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'D', valueFrom: { resourceFieldRef: { resource: 'limits.ephemeral-storage', divisor: '1G' } } },
      { name: 'E', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '0' } } },
    ];
    expect(validatePodSpec({ containers: [app(env)] }, 'spec')).toEqual([]);
  });

  it('refuses others in env, in downwardAPI volumes and in projected ones, naming the field and the resource', () => {
    const spec = {
      containers: [app([{ name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '2' } } }])],
      volumes: [
        { name: 'info', downwardAPI: { items: [{ path: 'mem', resourceFieldRef: ref('limits.memory', '1m') }] } },
        { name: 'all', projected: { sources: [{ downwardAPI: { items: [{ path: 'disk', resourceFieldRef: ref('requests.ephemeral-storage', '3Mi') }] } }] } },
      ],
    };
    const errs = validatePodSpec(spec, 'spec').map((e) => [e.field, e.value, e.detail]);
    expect(errs).toEqual([
      ['spec.volumes[0].downwardAPI.items[0].resourceFieldRef.divisor', 'limits.memory', "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource"],
      ['spec.volumes[1].projected.sources[0].downwardAPI.items[0].resourceFieldRef.divisor', 'requests.ephemeral-storage', "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource"],
      ['spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor', 'limits.cpu', "only divisor's values 1m and 1 are supported with the cpu resource"],
    ]);
  });
});

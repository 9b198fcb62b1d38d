import { describe, expect, it } from 'vitest';
import { pod } from '../../../../src/core/cluster/kinds/pod.js';
import type { KindContext, KObject } from '../../../../src/core/cluster/kinds/types.js';

const ctx: KindContext = { now: () => new Date('2026-01-01T00:10:00Z'), get: () => undefined, list: () => [] };

function newPod(spec: Record<string, unknown>): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec };
}

const spec = () => ({ containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }], restartPolicy: 'Always', activeDeadlineSeconds: 60 });

describe('a pod update', () => {
  it('may change images, the deadline, tolerations and the grace period, and leaves both objects as they were', () => {
    const old = newPod(spec());
    const next = newPod({ ...spec(), containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }], activeDeadlineSeconds: 30, tolerations: [{ operator: 'Exists' }], terminationGracePeriodSeconds: 5 });
    const before = JSON.stringify([old, next]);
    expect(pod.validateUpdate!(next, old, ctx)).toEqual([]);
    expect(JSON.stringify([old, next])).toBe(before);
  });

  it('may not change anything else in the spec', () => {
    const old = newPod(spec());
    const next = newPod({ ...spec(), containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 8080 }] }] });
    expect(pod.validateUpdate!(next, old, ctx).map((e) => e.field)).toEqual(['spec']);
  });
});

import { describe, expect, it } from 'vitest';
import { applyMergePatch, createMergePatch } from '../../../../src/core/cluster/patch/merge-patch.js';
import { ApiError } from '../../../../src/core/cluster/errors.js';

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    Object.values(v as object).forEach(deepFreeze);
    Object.freeze(v);
  }
  return v;
}

function pod() {
  return deepFreeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'frontend' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.24' }, { name: 'sidecar', image: 'busybox' }], nodeSelector: { disk: 'ssd' } },
  });
}

describe('applyMergePatch', () => {
  it('adds a label the way kubectl label sends it', () => {
    const out = applyMergePatch(pod(), { metadata: { labels: { env: 'prod' } } }) as ReturnType<typeof pod>;
    expect(out.metadata.labels).toEqual({ app: 'web', tier: 'frontend', env: 'prod' });
    expect(out.spec).toEqual(pod().spec);
  });

  it('removes a label sent as null, as kubectl label app- does', () => {
    const out = applyMergePatch(pod(), { metadata: { labels: { tier: null } } }) as ReturnType<typeof pod>;
    expect(out.metadata.labels).toEqual({ app: 'web' });
  });

  it('sets spec.replicas the way kubectl scale sends it', () => {
    const deploy = deepFreeze({ kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, paused: false } });
    expect(applyMergePatch(deploy, { spec: { replicas: 3 } })).toEqual({ kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3, paused: false } });
  });

  it('replaces a list whole, since JSON merge patch has no notion of list items', () => {
    const out = applyMergePatch(pod(), { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } }) as ReturnType<typeof pod>;
    expect(out.spec.containers).toEqual([{ name: 'nginx', image: 'nginx:1.25' }]);
  });

  it('drops nulls inside a value the document did not have', () => {
    const out = applyMergePatch(pod(), { metadata: { annotations: { a: 'x', b: null } } }) as { metadata: { annotations: unknown } };
    expect(out.metadata.annotations).toEqual({ a: 'x' });
  });

  it('never modifies the document or the patch', () => {
    const doc = pod();
    const patch = deepFreeze({ metadata: { labels: { app: null } } });
    applyMergePatch(doc, patch);
    expect(doc.metadata.labels.app).toBe('web');
    expect(patch.metadata.labels.app).toBeNull();
  });

  it('answers 400 Invalid JSON Patch for a null or scalar patch', () => {
    for (const p of [null, 3, 'x']) {
      try {
        applyMergePatch(pod(), p);
        throw new Error('expected a rejection');
      } catch (err) {
        expect(err).toBeInstanceOf(ApiError);
        expect([(err as ApiError).code, (err as ApiError).message]).toEqual([400, 'Invalid JSON Patch']);
      }
    }
  });
});

describe('createMergePatch', () => {
  it('yields the patch kubectl label computes: changed members, and null for removed ones', () => {
    const before = { metadata: { labels: { app: 'web', tier: 'frontend' }, name: 'web' } };
    const after = { metadata: { labels: { app: 'web', env: 'prod' }, name: 'web' } };
    expect(createMergePatch(before, after)).toEqual({ metadata: { labels: { env: 'prod', tier: null } } });
  });

  it('round-trips: applying the created patch gives the modified document', () => {
    const before = pod();
    const after = { ...pod(), spec: { ...pod().spec, nodeSelector: { disk: 'hdd' } }, status: { phase: 'Running' } };
    expect(applyMergePatch(before, createMergePatch(before, after))).toEqual(after);
  });
});

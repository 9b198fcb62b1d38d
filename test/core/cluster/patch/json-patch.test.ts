import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../../../../src/core/cluster/patch/json-patch.js';
import { ApiError } from '../../../../src/core/cluster/errors.js';
import { rejection } from '../../../helpers/errors.js';

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    Object.values(v as object).forEach(deepFreeze);
    Object.freeze(v);
  }
  return v;
}

function deployment() {
  return deepFreeze({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', 'app.kubernetes.io/name': 'web' } },
    spec: {
      replicas: 2,
      template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.24', args: ['-g', 'daemon off;'] }] } },
    },
  });
}

describe('applyJsonPatch', () => {
  it('applies add, replace and remove in order to a copy, leaving the stored object untouched', () => {
    const doc = deployment();
    const out = applyJsonPatch(doc, [
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'add', path: '/metadata/labels/tier', value: 'frontend' },
      { op: 'remove', path: '/metadata/labels/app' },
    ]) as ReturnType<typeof deployment>;
    expect(out.spec.replicas).toBe(5);
    expect(out.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'web', tier: 'frontend' });
    expect(doc.spec.replicas).toBe(2);
    expect(doc.metadata.labels.app).toBe('web');
  });

  it('decodes ~1 as a slash and ~0 as a tilde in a JSON pointer', () => {
    const out = applyJsonPatch(deployment(), [
      { op: 'replace', path: '/metadata/labels/app.kubernetes.io~1name', value: 'site' },
      { op: 'add', path: '/metadata/labels/a~0b', value: 'x' },
    ]) as { metadata: { labels: Record<string, string> } };
    expect(out.metadata.labels['app.kubernetes.io/name']).toBe('site');
    expect(out.metadata.labels['a~b']).toBe('x');
  });

  it('appends to an array with the - index and inserts at a numeric index', () => {
    const out = applyJsonPatch(deployment(), [
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'sidecar', image: 'busybox' } },
      { op: 'add', path: '/spec/template/spec/containers/0/args/1', value: '-c' },
    ]) as { spec: { template: { spec: { containers: Array<{ name: string; args?: string[] }> } } } };
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(['nginx', 'sidecar']);
    expect(out.spec.template.spec.containers[0].args).toEqual(['-g', '-c', 'daemon off;']);
  });

  it('counts negative array indices from the end, as json-patch v4 does', () => {
    const out = applyJsonPatch({ a: [1, 2, 3] }, [{ op: 'remove', path: '/a/-1' }]);
    expect(out).toEqual({ a: [1, 2] });
  });

  it('moves and copies values', () => {
    const out = applyJsonPatch({ a: { x: 1 }, b: {} }, [
      { op: 'copy', from: '/a/x', path: '/b/y' },
      { op: 'move', from: '/a', path: '/c' },
    ]);
    expect(out).toEqual({ b: { y: 1 }, c: { x: 1 } });
  });

  it('passes a test op whose value matches and then applies the rest', () => {
    const out = applyJsonPatch(deployment(), [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
    ]) as { spec: { replicas: number } };
    expect(out.spec.replicas).toBe(3);
  });

  it('rejects kubectl patch --type=json with a failing test op as 422 Invalid, the json-patch error as the cause', () => {
    const err = rejection(() =>
      applyJsonPatch(deployment(), [
        { op: 'test', path: '/spec/replicas', value: 3 },
        { op: 'replace', path: '/spec/replicas', value: 4 },
      ]),
    );
    expect(err.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid',
      details: { causes: [{ message: 'testing value /spec/replicas failed: test failed' }] },
      code: 422,
    });
  });

  it('words a missing parent path, a missing key and a bad index as evanphx/json-patch does', () => {
    const cause = (ops: unknown[]) => rejection(() => applyJsonPatch(deployment(), ops)).status.details?.causes?.[0].message;
    expect(cause([{ op: 'add', path: '/metadata/annotations/team', value: 'a' }])).toBe(
      'add operation does not apply: doc is missing path: "/metadata/annotations/team": missing value',
    );
    expect(cause([{ op: 'remove', path: '/metadata/labels/missing' }])).toBe(
      "error in remove for path: '/metadata/labels/missing': Unable to remove nonexistent key: missing: missing value",
    );
    expect(cause([{ op: 'replace', path: '/spec/template/spec/containers/3', value: {} }])).toBe(
      'replace operation does not apply: doc is missing key: /spec/template/spec/containers/3: missing value',
    );
    expect(cause([{ op: 'add', path: '/spec/template/spec/containers/5', value: {} }])).toBe(
      "error in add for path: '/spec/template/spec/containers/5': Unable to access invalid index: 5: invalid index referenced",
    );
    expect(cause([{ op: 'test', path: '/status/replicas', value: 1 }])).toBe('test operation does not apply: is missing path: /status/replicas: missing value');
    expect(cause([{ op: 'frobnicate', path: '/spec' }])).toBe('Unexpected kind: frobnicate');
  });

  it('adds a missing object member on replace, a json-patch v4 leniency the apiserver keeps', () => {
    const out = applyJsonPatch(deployment(), [{ op: 'replace', path: '/spec/paused', value: true }]) as { spec: { paused?: boolean } };
    expect(out.spec.paused).toBe(true);
  });

  it('applies nothing when one operation fails', () => {
    const doc = { a: 1 };
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/a', value: 2 }, { op: 'remove', path: '/b' }])).toThrow(ApiError);
    expect(doc).toEqual({ a: 1 });
  });

  it('answers 400 when the body is not a list of operations', () => {
    const err = rejection(() => applyJsonPatch(deployment(), { op: 'add', path: '/a', value: 1 }));
    expect([err.code, err.reason, err.message]).toEqual([400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch']);
  });

  it('answers 413 above 10000 operations', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/a', value: 1 }));
    const err = rejection(() => applyJsonPatch({ a: 1 }, ops));
    expect([err.code, err.reason]).toEqual([413, 'RequestEntityTooLarge']);
  });
});

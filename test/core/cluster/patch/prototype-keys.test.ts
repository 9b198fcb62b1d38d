// `__proto__`, `constructor` and `prototype` are field names like any other to every patch
// engine: they are read, written and compared as members of the document, and no patch ever
// reaches Object.prototype.
import { afterEach, describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../../../../src/core/cluster/patch/json-patch.js';
import { applyMergePatch, createMergePatch } from '../../../../src/core/cluster/patch/merge-patch.js';
import { applyStrategicMergePatch, createTwoWayMergePatch } from '../../../../src/core/cluster/patch/strategic-merge-patch.js';
import { applyConfiguration, recordUpdate } from '../../../../src/core/cluster/patch/server-side-apply.js';
import type { KObject } from '../../../../src/core/cluster/kinds/types.js';
import { freezeJson } from '../../../../src/core/cluster/own.js';
import { rejection } from '../../../helpers/errors.js';

const PROTOTYPE_MEMBERS = Object.getOwnPropertyNames(Object.prototype).sort();

afterEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_MEMBERS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.toString.call({})).toBe('[object Object]');
});

/** Parsed as the API server parses a body: `__proto__` arrives as an own member. */
const parse = (json: string) => JSON.parse(json);

function configMap(): KObject {
  return freezeJson({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { a: '1' } });
}

function pod(): KObject {
  return freezeJson({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.24' }] },
  });
}

describe('a JSON patch', () => {
  it('finds no path through `__proto__` or `constructor/prototype`, as a document without those members has none', () => {
    for (const path of ['/__proto__/polluted', '/constructor/prototype/polluted', '/data/__proto__/polluted', '/data/constructor/polluted']) {
      const err = rejection(() => applyJsonPatch(configMap(), [{ op: 'add', path, value: 'yes' }]));
      expect(err.code).toBe(422);
      expect(err.status.details?.causes?.[0].message).toBe(`add operation does not apply: doc is missing path: "${path}": missing value`);
    }
    const replace = rejection(() => applyJsonPatch(configMap(), [{ op: 'replace', path: '/__proto__/toString', value: 'x' }]));
    expect(replace.status.details?.causes?.[0].message).toBe('replace operation does not apply: doc is missing path: /__proto__/toString: missing value');
  });

  it('adds, tests, copies, moves and removes members named `__proto__` and `constructor` like any others', () => {
    const out = applyJsonPatch(configMap(), [
      { op: 'add', path: '/data/__proto__', value: 'p' },
      { op: 'add', path: '/data/constructor', value: 'c' },
      { op: 'test', path: '/data/__proto__', value: 'p' },
      { op: 'copy', from: '/data/constructor', path: '/data/prototype' },
      { op: 'move', from: '/data/a', path: '/data/toString' },
      { op: 'remove', path: '/data/constructor' },
    ]) as { data: Record<string, unknown> };
    expect(Object.getPrototypeOf(out.data)).toBe(Object.prototype);
    expect(JSON.stringify(out.data)).toBe('{"__proto__":"p","prototype":"c","toString":"1"}');
  });

  it('fails a test of an inherited member, which the document does not hold', () => {
    const err = rejection(() => applyJsonPatch(configMap(), [{ op: 'test', path: '/data/constructor', value: 'x' }]));
    expect(err.status.details?.causes?.[0].message).toBe('testing value /data/constructor failed: test failed');
    expect(() => applyJsonPatch(configMap(), [{ op: 'remove', path: '/data/toString' }])).toThrow();
  });
});

describe('a JSON merge patch', () => {
  it('merges a `__proto__` member into the document, not into its prototype', () => {
    const out = applyMergePatch(configMap(), parse('{"__proto__":{"polluted":"yes"},"data":{"constructor":{"prototype":{"polluted":"yes"}}}}')) as Record<string, any>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toContain('__proto__');
    expect(JSON.stringify(out.data)).toBe('{"a":"1","constructor":{"prototype":{"polluted":"yes"}}}');
  });

  it('deletes a `__proto__` member with null and leaves inherited names alone', () => {
    const withProto = applyMergePatch(configMap(), parse('{"data":{"__proto__":"x"}}'));
    const out = applyMergePatch(withProto, parse('{"data":{"__proto__":null,"toString":null}}')) as Record<string, any>;
    expect(JSON.stringify(out.data)).toBe('{"a":"1"}');
  });

  it('diffs documents holding `__proto__` and `constructor` members', () => {
    const patch = createMergePatch(parse('{"a":{"__proto__":"1"}}'), parse('{"a":{"__proto__":"2","constructor":"3"}}'));
    expect(JSON.stringify(patch)).toBe('{"a":{"__proto__":"2","constructor":"3"}}');
  });
});

describe('a strategic merge patch', () => {
  it('treats `constructor`, `prototype` and `__proto__` keys of a pod as unknown fields to merge, never as schema entries', () => {
    const out = applyStrategicMergePatch(
      pod(),
      parse('{"spec":{"constructor":{"prototype":{"polluted":"yes"}},"__proto__":{"polluted":"yes"},"containers":[{"name":"nginx","toString":"x"}]}}'),
      'v1',
      'Pod',
    ) as Record<string, any>;
    expect(Object.keys(out.spec)).toEqual(['containers', 'constructor', '__proto__']);
    expect(out.spec.containers).toEqual([{ name: 'nginx', image: 'nginx:1.24', toString: 'x' }]);
  });

  it('orders a list named by `$setElementOrder/constructor` only if the document holds it', () => {
    const out = applyStrategicMergePatch(pod(), parse('{"spec":{"$setElementOrder/constructor":[]}}'), 'v1', 'Pod') as Record<string, any>;
    expect(Object.keys(out.spec)).toEqual(['containers']);
  });

  it('diffs documents holding `__proto__` members', () => {
    const patch = createTwoWayMergePatch(parse('{"metadata":{"labels":{"__proto__":"a"}}}'), parse('{"metadata":{"labels":{"__proto__":"b"}}}'), 'v1', 'Pod');
    expect(JSON.stringify(patch)).toBe('{"metadata":{"labels":{"__proto__":"b"}}}');
  });
});

describe('server-side apply', () => {
  it('merges an applied `__proto__` member as a field and records who owns it', () => {
    const config = parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default"},"data":{"__proto__":"x","constructor":"y"}}');
    const out = applyConfiguration(configMap(), config, 'me', false, '2026-01-01T00:00:00Z', 'v1', 'ConfigMap') as Record<string, any>;
    expect(Object.getPrototypeOf(out.data)).toBe(Object.prototype);
    expect(JSON.stringify(out.data)).toBe('{"a":"1","__proto__":"x","constructor":"y"}');
    const mine = (out.metadata.managedFields as Array<Record<string, any>>).find((m) => m.manager === 'me')!;
    expect(Object.keys(mine.fieldsV1['f:data'])).toEqual(['f:__proto__', 'f:constructor']);
  });

  it('keeps FieldsV1 keys a client sent as members, whatever they are named', () => {
    const next = { ...configMap(), metadata: { ...configMap().metadata, managedFields: [parse('{"manager":"x","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"__proto__":{"polluted":{}},"f:data":{"f:a":{}}}}')] } };
    const out = recordUpdate(configMap(), next as KObject, 'kubectl', 'Update', '2026-01-01T00:00:00Z', 'v1') as Record<string, any>;
    const entry = (out.metadata.managedFields as Array<Record<string, any>>)[0];
    expect(Object.getPrototypeOf(entry.fieldsV1)).toBe(Object.prototype);
    expect(Object.keys(entry.fieldsV1)).toEqual(['f:data', '__proto__']);
  });
});

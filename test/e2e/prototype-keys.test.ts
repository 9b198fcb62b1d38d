// The real kubectl against a cluster whose learner writes `__proto__`, `constructor` and
// `prototype` where field names, keys and variable names go: every answer is a real cluster's,
// and the server process is left as it was.
import { afterEach, describe, expect, it } from 'vitest';
import { expectFailure, newNamespace, useCluster } from './support.js';

const c = useCluster();
const PROTOTYPE_MEMBERS = Object.getOwnPropertyNames(Object.prototype).sort();

afterEach(() => {
  // `kubedojo serve` runs in this process: its Object.prototype is the one to watch.
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_MEMBERS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('prototype names through kubectl', () => {
  it('refuses a JSON patch through /__proto__ as a missing path, and later commands carry no trace of it', async () => {
    const ns = await newNamespace(c.k, 'proto');
    await c.k.ok(['-n', ns, 'create', 'configmap', 'target', '--from-literal=a=1']);
    for (const path of ['/__proto__/deprecationWarning', '/constructor/prototype/polluted']) {
      const r = await c.k.run(['-n', ns, 'patch', 'configmap', 'target', '--type=json', '-p', JSON.stringify([{ op: 'add', path, value: 'attacker text' }])]);
      // kubectl prints the cause with its (empty) field before it, as it does for a real cluster.
      expectFailure(r, `The request is invalid: : add operation does not apply: doc is missing path: "${path}": missing value`);
    }
    const get = await c.k.run(['-n', ns, 'get', 'configmap', 'target', '-o', 'jsonpath={.data}']);
    expect(get).toMatchObject({ code: 0, stdout: '{"a":"1"}', stderr: '' });
  });

  it('refuses `constructor` in a manifest as an unknown field, and drops it with a warning under --validate=warn', async () => {
    const ns = await newNamespace(c.k, 'proto');
    const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typo', namespace: ns }, constructor: { prototype: { polluted: 'yes' } }, data: { a: '1' } });
    const strict = await c.k.run(['create', '-f', '-'], { input: manifest });
    expectFailure(strict, 'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "constructor"');
    const warn = await c.k.run(['create', '--validate=warn', '-f', '-'], { input: manifest });
    expect(warn.code).toBe(0);
    expect(warn.stderr).toContain('Warning: unknown field "constructor"');
    expect(await c.k.ok(['-n', ns, 'get', 'configmap', 'typo', '-o', 'jsonpath={.constructor}'])).toBe('');
  });

  it('answers a server-side apply of a `__proto__` field as the field manager does', async () => {
    const ns = await newNamespace(c.k, 'proto');
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: ${ns}\n__proto__:\n  polluted: "yes"\n`;
    const r = await c.k.run(['apply', '--server-side', '-f', '-'], { input: manifest });
    expectFailure(r, `Error from server: failed to create typed patch object (${ns}/applied; /v1, Kind=ConfigMap): .__proto__: field not declared in schema`);
    expectFailure(await c.k.run(['-n', ns, 'get', 'configmap', 'applied']), 'Error from server (NotFound): configmaps "applied" not found');
  });

  it('gives a container variables and keys named after prototype members, and no others', async () => {
    const ns = await newNamespace(c.k, 'proto');
    await c.k.ok(['-n', ns, 'create', 'configmap', 'odd', '--from-literal=constructor=from-configmap']);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'env', namespace: ns },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'busybox',
            command: ['sleep', '3600'],
            env: [
              { name: '__proto__', value: 'a variable' },
              { name: 'EXPANDED', value: '$(constructor) $(toString)' },
              { name: 'FROM_KEY', valueFrom: { configMapKeyRef: { name: 'odd', key: 'constructor' } } },
            ],
          },
        ],
      },
    };
    await c.k.ok(['apply', '-f', '-'], { input: JSON.stringify(pod) });
    c.advance(20);
    const env = await c.k.ok(['-n', ns, 'exec', 'env', '--', 'env']);
    expect(env).toContain('__proto__=a variable\n');
    expect(env).toContain('EXPANDED=$(constructor) $(toString)\n');
    expect(env).toContain('FROM_KEY=from-configmap\n');
    expect(env).not.toContain('native code');
  });
});

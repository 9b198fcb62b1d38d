// Bad input through the real kubectl: what it prints is what a real cluster's answer makes it
// print, the namespace holds what it held, and the next command works.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectFailure, newNamespace, useCluster } from './support.js';

const c = useCluster();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-bad-input-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function configMapNames(ns: string): Promise<string> {
  return c.k.ok(['-n', ns, 'get', 'configmaps', '-o', 'jsonpath={.items[*].metadata.name}']);
}

describe('bad input through kubectl', () => {
  it('refuses a ConfigMap made from a 2 MB file, and stores nothing', async () => {
    const ns = await newNamespace(c.k, 'bad');
    const file = path.join(scratch, 'big.txt');
    writeFileSync(file, 'x'.repeat(2 * 1024 * 1024));
    const r = await c.k.run(['-n', ns, 'create', 'configmap', 'big', `--from-file=${file}`]);
    expectFailure(r, 'error: failed to create configmap: ConfigMap "big" is invalid: []: Too long: must have at most 1048576 bytes');
    expect(await configMapNames(ns)).toBe('kube-root-ca.crt');
  });

  it('passes on etcd\'s refusal of a ConfigMap with 100,000 keys', async () => {
    const ns = await newNamespace(c.k, 'bad');
    const data: Record<string, string> = {};
    for (let i = 0; i < 100_000; i++) data[`k${String(i).padStart(7, '0')}`] = '';
    const r = await c.k.run(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'many', namespace: ns }, data }) });
    expectFailure(r, 'Error from server: error when creating "STDIN": etcdserver: request is too large');
    expect(await configMapNames(ns)).toBe('kube-root-ca.crt');
  });

  it('answers a body nested 100,000 deep with the decoder\'s max-depth error', async () => {
    const ns = await newNamespace(c.k, 'bad');
    const file = path.join(scratch, 'deep.json');
    writeFileSync(file, '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000));
    const r = await c.k.run(['create', '--raw', `/api/v1/namespaces/${ns}/configmaps`, '-f', file]);
    expectFailure(r, `Error from server (BadRequest): the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character '{' exceeded max depth ({"a":{"a":{"a":{"a":{"a":{"a": ...)`);
    expect(await configMapNames(ns)).toBe('kube-root-ca.crt');
  });

  it('refuses a list at a resourceVersion that does not parse', async () => {
    const ns = await newNamespace(c.k, 'bad');
    const r = await c.k.run(['get', '--raw', `/api/v1/namespaces/${ns}/configmaps?resourceVersion=1e20`]);
    expectFailure(r, 'Error from server (BadRequest): invalid resource version: resourceVersion: Invalid value: "1e20": strconv.ParseUint: parsing "1e20": invalid syntax');
    expect(await configMapNames(ns)).toBe('kube-root-ca.crt');
  });
});

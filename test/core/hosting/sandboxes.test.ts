// Sandboxes in this thread: one cluster per key, put to sleep when idle and woken on use, saved
// to the data dir, with a damaged save kept aside.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Sandboxes, sandboxId } from '../../../src/core/hosting/sandboxes.js';
import { Kubectl, kubectlEnv, removeKubectlCaches } from '../../helpers/kubectl.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-sandboxes-'));
const env = { ...kubectlEnv(), KUBEDOJO_HOME: home };
let pool: Sandboxes | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  removeKubectlCaches();
});

describe('sandboxes', () => {
  it('names a sandbox after its key, file-safe, and refuses a key that names nothing', () => {
    expect(sandboxId('slack:T1:U2')).toBe('slack-t1-u2');
    expect(() => sandboxId(':::')).toThrow(/cannot name a sandbox/);
  });

  it('puts an idle sandbox to sleep and wakes it with its objects, open to the client it had', async () => {
    pool = await Sandboxes.start({ env });
    const sb = await pool.get('slack:T1:EVE');
    await new Kubectl(sb.kubeconfig).ok(['create', 'configmap', 'note', '--from-literal=k=v']);
    pool.sleepIdle(0);
    expect(pool.awake()).toBe(0);
    expect(pool.saved()).toContain('slack-t1-eve');
    const again = await pool.get('slack:T1:EVE');
    expect(again).not.toBe(sb);
    // The client made before the sleep still opens it: a learner's tutor keeps working.
    expect((await sb.client.get('configmaps', 'note', 'default'))?.data).toEqual({ k: 'v' });
  });

  it('keeps a damaged save aside and gives the learner a fresh cluster', async () => {
    const dir = path.join(home, 'sandboxes');
    pool = await Sandboxes.start({ env });
    writeFileSync(path.join(dir, 'slack-t1-fay.json'), '{ not json');
    const sb = await pool.get('slack:T1:FAY');
    expect(await sb.client.get('namespaces', 'default')).toBeDefined();
    expect(readdirSync(dir).some((f) => f.startsWith('slack-t1-fay.json.damaged-'))).toBe(true);
    expect(existsSync(path.join(dir, 'slack-t1-fay.json'))).toBe(false);
  });
});

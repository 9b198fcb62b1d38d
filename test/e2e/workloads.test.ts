// What a learner sees a cluster do, with the real kubectl on a clock the test steps: rollouts and
// their undo, self-healing, a relabelled pod leaving its ReplicaSet, and scaling.
import { describe, expect, it } from 'vitest';
import { cell, lines, newNamespace, table, useCluster, workload } from './support.js';

const c = useCluster();

const deployment = (name: string, image: string, replicas = 3) => workload('Deployment', name, { replicas, image });

const podRows = async (ns: string) => table(await c.k.ok(['-n', ns, 'get', 'pods'])).rows;

describe('a deployment', () => {
  it('rolls out: pods go from ContainerCreating to Running and the deployment becomes Available', async () => {
    const ns = await newNamespace(c.k, 'rollout');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: deployment('web', 'nginx:1.27') });
    const early = await podRows(ns);
    expect(early).toHaveLength(3);
    for (const row of early) {
      expect(row[0]).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{9,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(row[2]).toBe('ContainerCreating');
    }
    c.advance(10);
    for (const row of await podRows(ns)) expect(row.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
    const out = await c.k.ok(['-n', ns, 'get', 'deploy', 'web']);
    expect(lines(out)[1]).toMatch(/^web\s+3\/3\s+3\s+3\s+\d+s$/);
    expect(await c.k.ok(['-n', ns, 'wait', '--for=condition=Available', 'deploy/web', '--timeout=5s'])).toBe('deployment.apps/web condition met\n');
    expect(await c.k.ok(['-n', ns, 'rollout', 'status', 'deploy/web'])).toBe('deployment "web" successfully rolled out\n');
  });

  it('updates its image with a rolling update, keeps history, and undoes it', async () => {
    const ns = await newNamespace(c.k, 'history');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: deployment('web', 'nginx:1.26') });
    c.advance(10);
    await c.k.ok(['-n', ns, 'set', 'image', 'deploy/web', 'web=nginx:1.27']);
    await c.k.ok(['-n', ns, 'annotate', 'deploy/web', 'kubernetes.io/change-cause=move to 1.27']);
    // Mid-rollout: a new ReplicaSet surges while the old one still serves.
    const rs = table(await c.k.ok(['-n', ns, 'get', 'rs'])).rows;
    expect(rs).toHaveLength(2);
    // With the clock stopped the rollout cannot finish: kubectl says what it waits for.
    const stuck = await c.k.run(['-n', ns, 'rollout', 'status', 'deploy/web', '--timeout=1s']);
    expect(stuck.code).toBe(1);
    expect(stuck.stdout).toMatch(/^Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated\.\.\.$/m);
    expect(stuck.stderr).toBe('error: timed out waiting for the condition\n');
    const status = await c.ticking(() => c.k.ok(['-n', ns, 'rollout', 'status', 'deploy/web', '--timeout=60s']));
    expect(status.endsWith('deployment "web" successfully rolled out\n')).toBe(true);
    const images = (await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])).split(' ');
    expect(images.filter((i) => i === 'nginx:1.27')).toHaveLength(3);
    const history = await c.k.ok(['-n', ns, 'rollout', 'history', 'deploy/web']);
    expect(lines(history)).toEqual(['deployment.apps/web ', expect.stringMatching(/^REVISION\s+CHANGE-CAUSE$/), expect.stringMatching(/^1\s+<none>$/), expect.stringMatching(/^2\s+move to 1\.27$/)]);
    expect(await c.k.ok(['-n', ns, 'rollout', 'undo', 'deploy/web'])).toBe('deployment.apps/web rolled back\n');
    await c.ticking(() => c.k.ok(['-n', ns, 'rollout', 'status', 'deploy/web', '--timeout=60s']));
    expect(await c.k.ok(['-n', ns, 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}'])).toBe('nginx:1.26 3');
    const after = await c.k.ok(['-n', ns, 'rollout', 'history', 'deploy/web']);
    expect(after).toMatch(/^2\s+move to 1\.27$/m);
    expect(after).toMatch(/^3\s+<none>$/m);
    expect(after).not.toMatch(/^1\s/m);
  });

  it('pauses and resumes a rollout', async () => {
    const ns = await newNamespace(c.k, 'pause');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: deployment('web', 'nginx:1.26', 2) });
    c.advance(10);
    expect(await c.k.ok(['-n', ns, 'rollout', 'pause', 'deploy/web'])).toBe('deployment.apps/web paused\n');
    await c.k.ok(['-n', ns, 'set', 'image', 'deploy/web', 'web=nginx:1.27']);
    c.advance(10);
    expect(table(await c.k.ok(['-n', ns, 'get', 'rs'])).rows).toHaveLength(1);
    expect(await c.k.ok(['-n', ns, 'rollout', 'resume', 'deploy/web'])).toBe('deployment.apps/web resumed\n');
    c.advance(30);
    const rows = table(await c.k.ok(['-n', ns, 'get', 'rs'])).rows;
    expect(rows.map((r) => r.slice(1, 4))).toEqual(expect.arrayContaining([['2', '2', '2'], ['0', '0', '0']]));
  });

  it('replaces a deleted pod, and lets a relabelled pod go while starting another', async () => {
    const ns = await newNamespace(c.k, 'heal');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: deployment('web', 'nginx', 2) });
    c.advance(10);
    const [victim, kept] = (await podRows(ns)).map((r) => r[0]);
    await c.ticking(() => c.k.ok(['-n', ns, 'delete', 'pod', victim]));
    c.advance(10);
    const names = (await podRows(ns)).map((r) => r[0]);
    expect(names).toHaveLength(2);
    expect(names).not.toContain(victim);
    expect(await c.k.ok(['-n', ns, 'label', 'pod', kept, 'app=debug', '--overwrite'])).toBe(`pod/${kept} labeled\n`);
    c.advance(10);
    const labelled = await c.k.ok(['-n', ns, 'get', 'pods', '-L', 'app']);
    expect(table(labelled).rows).toHaveLength(3);
    expect(cell(labelled, kept, 'APP')).toBe('debug');
    expect(await c.k.ok(['-n', ns, 'get', 'pod', kept, '-o', 'jsonpath={.metadata.ownerReferences}'])).toBe('');
    expect(await c.k.ok(['-n', ns, 'get', 'pods', '-l', 'app=web', '-o', 'name'])).toMatch(/^pod\/web-\S+\npod\/web-\S+\n$/);
  });

  it('scales up and down, newest pods leaving first', async () => {
    const ns = await newNamespace(c.k, 'scale');
    await c.k.ok(['-n', ns, 'apply', '-f', '-'], { input: deployment('web', 'nginx', 1) });
    c.advance(10);
    const [first] = (await podRows(ns)).map((r) => r[0]);
    await c.k.ok(['-n', ns, 'scale', 'deploy/web', '--replicas=4']);
    c.advance(10);
    expect(lines(await c.k.ok(['-n', ns, 'get', 'deploy', 'web']))[1]).toMatch(/^web\s+4\/4\s+4\s+4\s/);
    await c.k.ok(['-n', ns, 'scale', 'deploy/web', '--replicas=1']);
    c.advance(40);
    expect((await podRows(ns)).map((r) => r[0])).toEqual([first]);
    const events = await c.k.ok(['-n', ns, 'get', 'events', '--field-selector', 'reason=ScalingReplicaSet', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
    expect(events).toMatch(/^Scaled up replica set web-\S+ from 1 to 4$/m);
    expect(events).toMatch(/^Scaled down replica set web-\S+ from 4 to 1$/m);
  });
});

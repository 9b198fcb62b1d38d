import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch, createTwoWayMergePatch } from '../../../../src/core/cluster/patch/strategic-merge-patch.js';
import type { KObject } from '../../../../src/core/cluster/kinds/types.js';
import { rejection } from '../../../helpers/errors.js';

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    Object.values(v as object).forEach(deepFreeze);
    Object.freeze(v);
  }
  return v;
}

interface Container {
  name: string;
  image?: string;
  env?: Array<{ name: string; value?: string }>;
  ports?: Array<{ containerPort: number; protocol?: string; name?: string }>;
  [k: string]: unknown;
}

/** A Deployment as the store holds it: defaulted, frozen. */
function deployment(): KObject {
  return deepFreeze({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '7', generation: 1, labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.24',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [
                { name: 'MODE', value: 'prod' },
                { name: 'DEBUG', value: '0' },
              ],
            },
            { name: 'sidecar', image: 'busybox:1.36', args: ['sleep', '3600'] },
          ],
          tolerations: [{ key: 'gpu', operator: 'Exists' }],
          restartPolicy: 'Always',
        },
      },
    },
    status: { replicas: 2 },
  });
}

const smp = (doc: KObject, patch: unknown) => applyStrategicMergePatch(doc, patch, 'apps/v1', 'Deployment');

function podSpec(o: KObject) {
  return (o.spec as { template: { spec: { containers: Container[]; tolerations?: unknown[]; volumes?: unknown[] } } }).template.spec;
}

describe('applyStrategicMergePatch', () => {
  it('merges containers by name and keeps the ones the patch does not mention (kubectl set image)', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } } });
    const containers = podSpec(out).containers;
    expect(containers.map((c) => [c.name, c.image])).toEqual([
      ['nginx', 'nginx:1.25'],
      ['sidecar', 'busybox:1.36'],
    ]);
    // Fields the patch did not name survive the merge of the item.
    expect(containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(containers[0].env).toHaveLength(2);
  });

  it('accepts the $setElementOrder/containers kubectl set image actually sends', () => {
    const patch = {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }], containers: [{ image: 'nginx:1.25', name: 'nginx' }] } } },
    };
    const out = smp(deployment(), JSON.parse(JSON.stringify(patch)));
    expect(podSpec(out).containers.map((c) => [c.name, c.image])).toEqual([
      ['nginx', 'nginx:1.25'],
      ['sidecar', 'busybox:1.36'],
    ]);
    expect(JSON.stringify(out)).not.toContain('$setElementOrder');
  });

  it('adds an env var by name and keeps the others (kubectl set env)', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }],
            containers: [{ '$setElementOrder/env': [{ name: 'MODE' }, { name: 'DEBUG' }, { name: 'LOG' }], env: [{ name: 'LOG', value: 'info' }], name: 'nginx' }],
          },
        },
      },
    };
    const out = smp(deployment(), patch);
    expect(podSpec(out).containers[0].env).toEqual([
      { name: 'MODE', value: 'prod' },
      { name: 'DEBUG', value: '0' },
      { name: 'LOG', value: 'info' },
    ]);
  });

  it('changes an env var in place by name', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'DEBUG', value: '1' }] }] } } } });
    expect(podSpec(out).containers[0].env).toEqual([
      { name: 'MODE', value: 'prod' },
      { name: 'DEBUG', value: '1' },
    ]);
  });

  it('removes an env var with a $patch: delete item (kubectl set env DEBUG-)', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }],
            containers: [{ '$setElementOrder/env': [{ name: 'MODE' }], env: [{ $patch: 'delete', name: 'DEBUG' }], name: 'nginx' }],
          },
        },
      },
    };
    expect(podSpec(smp(deployment(), patch)).containers[0].env).toEqual([{ name: 'MODE', value: 'prod' }]);
  });

  it('adds a restartedAt template annotation for kubectl rollout restart and leaves the rest alone', () => {
    const out = smp(deployment(), {
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } },
    });
    const template = (out.spec as { template: { metadata: unknown } }).template;
    expect(template.metadata).toEqual({ labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } });
    expect(podSpec(out)).toEqual(podSpec(deployment()));
  });

  it('applies the three-way patch kubectl apply sends: $retainKeys drops rollingUpdate when the strategy becomes Recreate', () => {
    // What `kubectl apply` computes when the manifest switches to Recreate, bumps the image and drops the sidecar.
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}\n' } },
      spec: {
        strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [
              { image: 'nginx:1.25', name: 'nginx' },
              { $patch: 'delete', name: 'sidecar' },
            ],
          },
        },
      },
    };
    const out = smp(deployment(), patch);
    expect((out.spec as { strategy: unknown }).strategy).toEqual({ type: 'Recreate' });
    expect(podSpec(out).containers.map((c) => [c.name, c.image])).toEqual([['nginx', 'nginx:1.25']]);
    expect(out.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}\n' });
  });

  it('clears fields $retainKeys does not list even when the patch does not null them', () => {
    const out = smp(deployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    expect((out.spec as { strategy: unknown }).strategy).toEqual({ type: 'Recreate' });
  });

  it('keeps volume sources apart with $retainKeys on a merge,retainKeys list', () => {
    const withVolume = deepFreeze({
      ...deployment(),
      spec: { ...(deployment().spec as object), template: { spec: { containers: [{ name: 'nginx' }], volumes: [{ name: 'data', emptyDir: {} }] } } },
    }) as KObject;
    const out = smp(withVolume, { spec: { template: { spec: { volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' }, name: 'data' }] } } } });
    expect(podSpec(out).volumes).toEqual([{ name: 'data', configMap: { name: 'cfg' } }]);
  });

  it('places a container the patch adds ahead of the existing ones, as the apiserver orders it', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'log', image: 'fluent-bit' }] } } } });
    expect(podSpec(out).containers.map((c) => c.name)).toEqual(['log', 'nginx', 'sidecar']);
  });

  it('orders merged items as $setElementOrder lists them', () => {
    const out = smp(deployment(), {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }, { name: 'log' }], containers: [{ name: 'log', image: 'fluent-bit' }] } } },
    });
    expect(podSpec(out).containers.map((c) => c.name)).toEqual(['sidecar', 'nginx', 'log']);
  });

  it('replaces lists that have no merge key, such as tolerations and args', () => {
    const out = smp(deployment(), {
      spec: { template: { spec: { tolerations: [{ key: 'arm', operator: 'Exists' }], containers: [{ name: 'sidecar', args: ['sleep', '10'] }] } } },
    });
    expect(podSpec(out).tolerations).toEqual([{ key: 'arm', operator: 'Exists' }]);
    expect(podSpec(out).containers[1].args).toEqual(['sleep', '10']);
  });

  it('merges containers by name under a CronJob jobTemplate too', () => {
    const cron = deepFreeze({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup' },
      spec: {
        schedule: '0 * * * *',
        jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:1' }], restartPolicy: 'OnFailure' } } } },
      },
    }) as KObject;
    const out = applyStrategicMergePatch(cron, { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'y:2' }] } } } } } }, 'batch/v1', 'CronJob');
    const spec = out.spec as { jobTemplate: { spec: { template: { spec: { containers: Container[] } } } } };
    expect(spec.jobTemplate.spec.template.spec.containers).toEqual([
      { name: 'a', image: 'x:1' },
      { name: 'b', image: 'y:2' },
    ]);
  });

  it('merges container ports by containerPort', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] } } } });
    expect(podSpec(out).containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 443 }]);
  });

  it('deletes a key sent as null, at any depth', () => {
    const out = smp(deployment(), { metadata: { labels: { app: null } }, spec: { template: { spec: { restartPolicy: null } } } });
    expect(out.metadata.labels).toEqual({});
    expect(podSpec(out)).not.toHaveProperty('restartPolicy');
  });

  it('replaces a map whole with $patch: replace and empties it with $patch: delete', () => {
    const replaced = smp(deployment(), { metadata: { labels: { $patch: 'replace', team: 'a' } } });
    expect(replaced.metadata.labels).toEqual({ team: 'a' });
    const deleted = smp(deployment(), { spec: { selector: { $patch: 'delete' } } });
    expect((deleted.spec as { selector: unknown }).selector).toEqual({});
  });

  it('makes the patch list the whole list with a $patch: replace item', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } } });
    expect(podSpec(out).containers).toEqual([{ name: 'only', image: 'x' }]);
  });

  it('merges finalizers as a set and removes them with $deleteFromPrimitiveList', () => {
    const doc = deepFreeze({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['a', 'b'] } }) as KObject;
    const added = applyStrategicMergePatch(doc, { metadata: { finalizers: ['b', 'c'] } }, 'v1', 'ConfigMap');
    expect(added.metadata.finalizers).toEqual(['a', 'b', 'c']);
    const removed = applyStrategicMergePatch(doc, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, 'v1', 'ConfigMap');
    expect(removed.metadata.finalizers).toEqual(['b']);
  });

  it('merges ownerReferences by uid and Service ports by port', () => {
    const doc = deepFreeze({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u1' }] },
      spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }], selector: { app: 'web' } },
    }) as KObject;
    const out = applyStrategicMergePatch(
      doc,
      { metadata: { ownerReferences: [{ uid: 'u1', controller: true }] }, spec: { ports: [{ port: 80, targetPort: 9090 }] } },
      'v1',
      'Service',
    );
    expect(out.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u1', controller: true }]);
    expect((out.spec as { ports: unknown }).ports).toEqual([{ port: 80, targetPort: 9090, protocol: 'TCP' }]);
  });

  it('takes whole values the original lacks, without storing their nulls or directives', () => {
    const out = smp(deployment(), {
      spec: { template: { spec: { affinity: { nodeAffinity: null, podAffinity: { x: 1 } }, volumes: [{ name: 'v', emptyDir: {} }, { name: 'gone', $patch: 'delete' }] } } },
    });
    expect(podSpec(out)).toMatchObject({ affinity: { podAffinity: { x: 1 } }, volumes: [{ name: 'v', emptyDir: {} }] });
    expect(JSON.stringify(out)).not.toMatch(/\$patch|null/);
  });

  it('never modifies the stored object or the patch', () => {
    const doc = deployment();
    const patch = deepFreeze({ spec: { replicas: 9, template: { spec: { containers: [{ name: 'nginx', image: 'x' }] } } } });
    expect(() => smp(doc, patch)).not.toThrow();
    expect((doc.spec as { replicas: number }).replicas).toBe(2);
  });

  it('answers a patch on a custom resource with 415, as the apiserver does for types without Go structs', () => {
    const cr = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c' } } as KObject;
    const err = rejection(() => applyStrategicMergePatch(cr, { spec: {} }, 'stable.example.com/v1', 'CronTab'));
    expect([err.code, err.reason, err.message]).toEqual([
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    ]);
  });

  it('answers an item without its merge key with the Go error, as a 500 without a reason', () => {
    const err = rejection(() => smp(deployment(), { spec: { template: { spec: { containers: [{ image: 'nginx:1.25' }] } } } }));
    expect(err.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'map: map[image:nginx:1.25] does not contain declared merge key: name',
      code: 500,
    });
  });

  it('refuses $patch: merge in a list and an unknown $patch on a map', () => {
    expect(rejection(() => smp(deployment(), { spec: { template: { spec: { containers: [{ $patch: 'merge' }] } } } })).message).toBe(
      'merging lists cannot yet be specified in the patch',
    );
    expect(rejection(() => smp(deployment(), { spec: { strategy: { $patch: 'merge' } } })).message).toBe('unknown patch type: merge in map: map[$patch:merge]');
  });

  it('rejects malformed directives with 400 and lists of lists with 422', () => {
    const retain = rejection(() => smp(deployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } }));
    expect([retain.code, retain.message]).toEqual([400, 'invalid patch format of retainKeys']);
    const order = rejection(() => smp(deployment(), { spec: { template: { spec: { '$setElementOrderX/containers': [] } } } }));
    expect([order.code, order.message]).toEqual([400, 'invalid patch format of setElementOrder list']);
    const doc = deepFreeze({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: [] } }) as KObject;
    const lists = rejection(() => applyStrategicMergePatch(doc, { metadata: { finalizers: [['x']] } }, 'v1', 'ConfigMap'));
    expect([lists.code, lists.reason, lists.status.details?.causes]).toEqual([422, 'Invalid', [{ message: 'lists of lists are not supported' }]]);
  });

  it('rejects a patch list out of the $setElementOrder order', () => {
    const err = rejection(() =>
      smp(deployment(), {
        spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }], containers: [{ name: 'sidecar', image: 'a' }, { name: 'nginx', image: 'b' }] } } },
      }),
    );
    expect(err.message).toContain("doesn't match $setElementOrder list");
  });
});

describe('createTwoWayMergePatch', () => {
  it('computes exactly what kubectl set image sends', () => {
    const after = JSON.parse(JSON.stringify(deployment()));
    after.spec.template.spec.containers[0].image = 'nginx:1.25';
    expect(JSON.stringify(createTwoWayMergePatch(deployment(), after, 'apps/v1', 'Deployment'))).toBe(
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],"containers":[{"image":"nginx:1.25","name":"nginx"}]}}}}',
    );
  });

  it('computes exactly what kubectl set env NAME- sends', () => {
    const after = JSON.parse(JSON.stringify(deployment()));
    after.spec.template.spec.containers[0].env = [{ name: 'MODE', value: 'prod' }];
    expect(JSON.stringify(createTwoWayMergePatch(deployment(), after, 'apps/v1', 'Deployment'))).toBe(
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],"containers":[{"$setElementOrder/env":[{"name":"MODE"}],"env":[{"$patch":"delete","name":"DEBUG"}],"name":"nginx"}]}}}}',
    );
  });

  it('builds $retainKeys for a strategy change and $deleteFromPrimitiveList for finalizers', () => {
    const before = JSON.parse(JSON.stringify(deployment()));
    before.metadata.finalizers = ['a', 'b'];
    const after = JSON.parse(JSON.stringify(before));
    after.spec.strategy = { type: 'Recreate' };
    after.metadata.finalizers = ['b'];
    expect(createTwoWayMergePatch(before, after, 'apps/v1', 'Deployment')).toEqual({
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], '$setElementOrder/finalizers': ['b'] },
      spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } },
    });
  });

  it('round-trips: applying the created patch to the original gives the modified object', () => {
    const after = JSON.parse(JSON.stringify(deployment()));
    after.spec.template.spec.containers = [
      { name: 'sidecar', image: 'busybox:1.37' },
      { name: 'nginx', image: 'nginx:1.25', env: [{ name: 'MODE', value: 'dev' }], ports: [{ containerPort: 8080, protocol: 'TCP' }] },
      { name: 'log', image: 'fluent-bit' },
    ];
    after.spec.strategy = { type: 'Recreate' };
    after.metadata.labels = { app: 'web', tier: 'frontend' };
    const patch = createTwoWayMergePatch(deployment(), after, 'apps/v1', 'Deployment');
    expect(smp(deployment(), patch)).toEqual(after);
  });
});

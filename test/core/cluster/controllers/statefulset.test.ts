import { describe, expect, it } from 'vitest';
import { statefulSet as stsDef } from '../../../../src/core/cluster/kinds/statefulset.js';
import { claimName, ordinalOf, podForOrdinal } from '../../../../src/core/cluster/controllers/statefulset.js';
import type { KObject } from '../../../../src/core/cluster/kinds/types.js';

describe('StatefulSet pods', () => {
  it('read their ordinal from their name, and only for their own set', () => {
    expect(ordinalOf('web', 'web-12')).toBe(12);
    expect(ordinalOf('web', 'web-x')).toBe(-1);
    expect(ordinalOf('web', 'webby-1')).toBe(-1);
    expect(ordinalOf('my-web', 'my-web-0')).toBe(0);
  });

  it('are built with a stable name, hostname, subdomain and claim per template', () => {
    const set = {
      metadata: { name: 'web', namespace: 'default', uid: 'u1' },
      spec: { serviceName: 'nginx', volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: {} }] },
    } as unknown as KObject;
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }] } };
    const pod = podForOrdinal(set, template, 2, 'web-abc', stsDef);
    expect(pod.metadata.name).toBe('web-2');
    expect(pod.metadata.labels).toEqual({ app: 'web', 'controller-revision-hash': 'web-abc', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2' });
    expect(pod.spec!.hostname).toBe('web-2');
    expect(pod.spec!.subdomain).toBe('nginx');
    expect(pod.spec!.volumes).toEqual([{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-2' } }]);
    expect(pod.metadata.ownerReferences![0]).toMatchObject({ kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true });
    expect(claimName('data', 'db', 0)).toBe('data-db-0');
  });
});

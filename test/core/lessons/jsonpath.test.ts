import { describe, expect, it } from 'vitest';
import { render, select } from '../../../src/core/lessons/jsonpath.js';

const pod = {
  metadata: { name: 'web', labels: { app: 'web', 'app.kubernetes.io/name': 'shop' } },
  spec: { containers: [{ name: 'a', image: 'nginx:1.27' }, { name: 'b', image: 'busybox' }] },
  status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }], restarts: 3 },
};

describe('jsonpath', () => {
  it('reads fields and indices, negative ones too', () => {
    expect(select(pod, '{.spec.containers[0].image}')).toEqual(['nginx:1.27']);
    expect(select(pod, '.spec.containers[-1].name')).toEqual(['b']);
  });

  it('prints several values joined by spaces, as kubectl -o jsonpath does', () => {
    expect(render(pod, '{.spec.containers[*].name}')).toBe('a b');
    expect(render(pod, 'name={.metadata.name}')).toBe('name=web');
  });

  it('filters a list by a field', () => {
    expect(render(pod, '{.status.conditions[?(@.type=="Ready")].status}')).toBe('True');
    expect(select(pod, '{.status.conditions[?(@.type=="Missing")].status}')).toEqual([]);
  });

  it('takes quoted keys with dots and recursive descent', () => {
    expect(render(pod, "{.metadata.labels['app.kubernetes.io/name']}")).toBe('shop');
    expect(render(pod, '{..image}')).toBe('nginx:1.27 busybox');
    expect(render(pod, '{.metadata.labels.app\\.kubernetes\\.io/name}')).toBe('shop');
  });

  it('prints maps as JSON and finds nothing for a missing field', () => {
    expect(render(pod, '{.metadata.labels}')).toBe('{"app":"web","app.kubernetes.io/name":"shop"}');
    expect(select(pod, '{.spec.nodeName}')).toEqual([]);
  });
});

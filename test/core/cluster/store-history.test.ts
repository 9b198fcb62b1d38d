// The store's log of recent changes, which a watch resumes from: it keeps the last historySize
// changes however many writes went by, and answers 410 (undefined) for anything older.
import { describe, expect, it } from 'vitest';
import { Store } from '../../../src/core/cluster/store.js';
import type { KObject } from '../../../src/core/cluster/kinds/types.js';

const cm = (name: string, value: string): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { value } }) as KObject;
const valueOf = (o: KObject | undefined): unknown => (o as { data?: { value?: string } } | undefined)?.data?.value;

describe('the change log a watch resumes from', () => {
  it('keeps exactly the last changes across many more writes than it holds, and forgets the rest', () => {
    const size = 5;
    const store = new Store(1, size);
    const rvs: number[] = [];
    // Enough writes to pass the log's length several times over, so it is trimmed again and again.
    for (let i = 0; i < 37; i++) rvs.push(Number(store.put('/configmaps', cm(`c${i % 3}`, String(i))).metadata.resourceVersion));
    const kept = rvs.slice(-size);
    expect(store.oldestWatchable).toBe(rvs[rvs.length - size - 1]);
    expect(store.eventsSince('/configmaps', store.oldestWatchable)!.map((e) => e.rv)).toEqual(kept);
    expect(store.eventsSince('/configmaps', kept[2])!.map((e) => valueOf(e.object))).toEqual(['35', '36']);
    expect(store.eventsSince('/configmaps', store.oldestWatchable - 1)).toBeUndefined();
  });

  it('reads a resource as it stood at an instant the log still reaches', () => {
    const store = new Store(1, 4);
    for (let i = 0; i < 20; i++) store.put('/configmaps', cm(`c${i % 2}`, String(i)));
    const at = store.oldestWatchable;
    const then = store.statesAt('/configmaps', at)!;
    // c0 and c1 were each written twice since: their state then is the one before the first of those.
    expect(valueOf(then.get('default/c0'))).toBe('14');
    expect(valueOf(then.get('default/c1'))).toBe('15');
    expect(store.statesAt('/configmaps', at - 1)).toBeUndefined();
  });
});

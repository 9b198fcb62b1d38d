// The cluster picture fitted to the terminal: boxes for nodes wrap into rows, pods sit in their
// node's box, Services list the pods they route to, and nothing runs past the screen's edges.
import { describe, expect, it } from 'vitest';
import type { ClusterPicture } from '../../src/core/index.js';
import { lineOf, pictureLines } from '../../src/tui/picture-layout.js';

function picture(nodes: number, podsPerNode: number, services = 2): ClusterPicture {
  return {
    namespace: 'dojo-services',
    nodes: Array.from({ length: nodes }, (_, n) => ({
      name: `node-${n + 1}`,
      ready: n !== 1,
      pods: Array.from({ length: podsPerNode }, (_, i) => ({ name: `web-7d9f-${n}${i}`, status: i === 0 ? 'CrashLoopBackOff' : 'Running' })),
    })),
    unscheduled: [{ name: 'big-0', status: 'Pending' }],
    services: Array.from({ length: services }, (_, s) => ({ name: `svc-${s}`, type: 'ClusterIP', pods: s === 0 ? ['web-7d9f-00', 'web-7d9f-10'] : [] })),
  };
}

const SIZES: [number, number][] = [
  [80, 24],
  [120, 36],
  [200, 50],
];

describe('the cluster picture', () => {
  it.each(SIZES)('fits %i×%i: no line wider or more lines than the screen', (cols, rows) => {
    for (const p of [picture(3, 4), picture(6, 12, 9), picture(1, 0, 0)]) {
      const lines = pictureLines(p, cols, rows).map(lineOf);
      expect(lines.length).toBeLessThanOrEqual(rows);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(cols);
    }
  });

  it.each(SIZES)('at %i×%i draws each node as a box with its pods, the unscheduled pod apart, and Services with their pods', (cols, rows) => {
    const text = pictureLines(picture(3, 3), cols, rows).map(lineOf).join('\n');
    for (const n of ['node-1', 'node-2 NotReady', 'node-3', 'not scheduled']) expect(text).toContain(n);
    expect(text).toMatch(/┌ node-1 ─+┐/);
    expect(text).toContain('web-7d9f-00');
    expect(text).toMatch(/● web-7d9f-01\s+Running/);
    expect(text).toMatch(/svc-0 \(ClusterIP\) → web-7d9f-00, web-7d9f-10/);
    expect(text).toMatch(/svc-1 \(ClusterIP\) → no pods/);
  });

  it('puts boxes side by side where the width allows, more of them the wider the screen', () => {
    const perRow = (cols: number) => Math.max(...pictureLines(picture(6, 2), cols, 50).map((l) => (lineOf(l).match(/┌/g) ?? []).length));
    expect(perRow(80)).toBeGreaterThanOrEqual(2);
    expect(perRow(200)).toBeGreaterThan(perRow(80));
  });

  it('counts the pods a box cannot hold at 80×24 instead of running off the screen', () => {
    const text = pictureLines(picture(4, 20), 80, 24).map(lineOf).join('\n');
    expect(text).toMatch(/\+\d+ more/);
    expect(text).toContain('SERVICES');
  });

  it('counts the nodes left out when even the smallest boxes do not fit', () => {
    const text = pictureLines(picture(30, 1, 0), 80, 24).map(lineOf).join('\n');
    expect(text).toMatch(/… \d+ more nodes/);
  });
});

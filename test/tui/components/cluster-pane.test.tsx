// The cluster pane's rows: every one used, sections sized by what they hold, event messages whole,
// ages ticking between reads of the cluster.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { changeLine, ClusterPane, lineText, paneLines } from '../../../src/tui/components/ClusterPane.js';
import { MONO, ThemeContext } from '../../../src/tui/components/theme.js';
import type { NamespaceSnapshot, ViewTable } from '../../../src/core/index.js';
import { layout } from '../../../src/tui/layout.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function table(kind: string, columns: string[], rows: string[][]): ViewTable {
  return { kind, columns, rows, since: rows.map(() => iso(T0)), names: rows.map((r) => r[0]), versions: rows.map(() => '1') };
}
const pods = (n: number) => table('pods', ['Name', 'Ready', 'Status', 'Restarts', 'Age'], Array.from({ length: n }, (_, i) => [`web-${i}`, '1/1', 'Running', '0', '1s']));
const services = (n: number) => table('services', ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'], Array.from({ length: n }, (_, i) => [`svc-${i}`, 'ClusterIP', `10.96.0.${i + 10}`, '<none>', '80/TCP', '1s']));
const deployments = (n: number) => table('deployments', ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'], Array.from({ length: n }, (_, i) => [`dep-${i}`, '1/1', '1', '1', '1s']));
const LONG = 'Successfully assigned the pod to node-1 after the scheduler scored every node that had room for its requests';
const events = (n: number) =>
  table('events', ['Last Seen', 'Type', 'Reason', 'Object', 'Message'], Array.from({ length: n }, (_, i) => ['1s', 'Normal', 'Scheduled', `pod/web-${i}`, `${LONG} (event ${i})`]));

const text = (tables: ViewTable[], width: number, height: number) => paneLines(tables, width, height).map(lineText);

describe('the cluster pane', () => {
  it('shows all four pods and the Services at 120×36, where the old pane cut pods to three and pushed Services off', () => {
    const { cluster } = layout(120, 36);
    const lines = text([pods(4), deployments(1), services(2), events(3)], cluster.width - 2, cluster.height - 2);
    expect(lines.length).toBeLessThanOrEqual(cluster.height - 2);
    for (const p of ['web-0', 'web-1', 'web-2', 'web-3']) expect(lines.join('\n')).toContain(p);
    expect(lines.join('\n')).toMatch(/SERVICES \(2\)[\s\S]*svc-0[\s\S]*svc-1/);
  });

  it('never says "… N more" while rows stand empty: twenty events fill a tall pane at 200×50', () => {
    const { cluster } = layout(200, 50);
    const [w, h] = [cluster.width - 2, cluster.height - 2];
    const short = table('events', ['Last Seen', 'Type', 'Reason', 'Object', 'Message'], Array.from({ length: 20 }, (_, i) => ['1s', 'Normal', 'Pulled', `pod/web-${i}`, `Image pulled (event ${i})`]));
    const all = text([pods(1), deployments(0), services(0), short], w, h).join('\n');
    expect(all).not.toMatch(/more|older/);
    for (let i = 0; i < 20; i++) expect(all).toContain(`(event ${i})`);
    // Long messages take several rows each: then the pane is full before any is left out.
    const long = text([pods(1), deployments(0), services(0), events(20)], w, h);
    expect(long.join('\n')).toMatch(/… \d+ older/);
    expect(long.length).toBeGreaterThanOrEqual(h - 3);
    expect(long.length).toBeLessThanOrEqual(h);
  });

  it('wraps an event message whole instead of cutting it with "…"', () => {
    const lines = text([events(1)], 60, 20);
    const joined = lines.map((l) => l.trim()).join(' ');
    expect(joined).toContain(LONG.split(' ').slice(-6).join(' '));
    expect(lines.every((l) => l.length <= 60)).toBe(true);
  });

  it('keeps the newest events when the pane is short, and counts the older ones it leaves out', () => {
    const lines = text([pods(2), events(30)], 60, 12);
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(lines.join('\n')).toContain('(event 29)');
    expect(lines.join('\n')).toMatch(/… \d+ older/);
    expect(lines.join('\n')).toMatch(/web-0[\s\S]*web-1/);
  });

  it('shows the kinds the step reads (ConfigMaps, Roles) as their own sections, an empty one on a single line', () => {
    const cm = table('configmaps', ['Name', 'Data', 'Age'], [['app-config', '2', '1s']]);
    const roles = table('roles', ['Name', 'Created At'], []);
    const lines = text([pods(1), deployments(0), services(0), events(0), cm, roles], 60, 20);
    expect(lines.join('\n')).toMatch(/CONFIGMAPS \(1\)\s+DATA\s+AGE\napp-config\s+2/);
    expect(lines).toContain('ROLES (0) none');
  });

  it('ticks ages each second from the timestamps, as kubectl would print them now', () => {
    const snapshot: NamespaceSnapshot = { namespace: 'dojo', tables: [pods(1)] };
    const at = (now: number) =>
      render(
        <ThemeContext.Provider value={MONO}>
          <ClusterPane snapshot={snapshot} width={60} height={10} now={now} />
        </ThemeContext.Provider>,
      ).lastFrame() ?? '';
    expect(at(T0 + 34_000)).toMatch(/web-0\s+1\/1\s+Running\s+0\s+34s/);
    expect(at(T0 + 312_000)).toMatch(/web-0\s+1\/1\s+Running\s+0\s+5m12s/);
  });

  it('says what changed since the shell\'s last command: objects added, changed and deleted, events left out', () => {
    const before: NamespaceSnapshot = { namespace: 'dojo', tables: [pods(2), services(1), events(1)] };
    const after: NamespaceSnapshot = {
      namespace: 'dojo',
      tables: [
        { ...pods(3), versions: ['1', '7', '1'] },
        services(0),
        deployments(1),
        events(5),
      ],
    };
    expect(lineText(changeLine(before, after, 120)!)).toBe('since your last command: +pods/web-2 ~pods/web-1 -services/svc-0');
    expect(lineText(changeLine(before, before, 120)!)).toBe('since your last command: no change');
    // Narrow: as many as fit, then a count.
    expect(lineText(changeLine(before, after, 50)!)).toBe('since your last command: +pods/web-2 +2 more');
    expect(changeLine(undefined, after, 60)).toBeUndefined();
  });

  it('shows the strip at the top of the pane once a command has finished', () => {
    const before: NamespaceSnapshot = { namespace: 'dojo', tables: [pods(1)] };
    const after: NamespaceSnapshot = { namespace: 'dojo', tables: [pods(2)] };
    const f =
      render(
        <ThemeContext.Provider value={MONO}>
          <ClusterPane snapshot={after} baseline={before} width={60} height={10} now={T0} />
        </ThemeContext.Provider>,
      ).lastFrame() ?? '';
    expect(f.split('\n')[0]).toBe('since your last command: +pods/web-1');
  });

  it('marks the selected object, and moves the rows shown to keep it in sight', () => {
    const lines = text([pods(10)], 60, 4);
    expect(lines.join('\n')).not.toContain('web-8');
    const moved = paneLines([pods(10)], 60, 4, { kind: 'pods', name: 'web-8' });
    const marked = moved.find((l) => l.some((seg) => seg.tone === 'selected'));
    expect(marked && lineText(marked)).toMatch(/^web-8\s+1\/1\s+Running/);
    expect(moved.map(lineText).join('\n')).toMatch(/… \d+ more/);
  });
});

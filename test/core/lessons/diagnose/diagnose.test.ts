// diagnose() itself: every detector in order, at most `limit` answers, a failing detector passed over.
import { describe, expect, it } from 'vitest';
import { DETECTORS, diagnose, type Detector } from '../../../../src/core/lessons/diagnose/index.js';
import { useLab } from './harness.js';

const ns = 'diag-all';
const lab = useLab([ns]);

describe('diagnose', () => {
  it('holds at least 25 detectors, each with its own id and a sentence about what it notices', () => {
    const ids = DETECTORS.map((d) => d.id);
    expect(ids.length).toBeGreaterThanOrEqual(25);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of DETECTORS) expect(d.about.length, d.id).toBeGreaterThan(20);
  });

  it('a detector that throws is skipped, and the others still answer', async () => {
    const last = await lab.run(`kubectl get pdos -n ${ns}`);
    const broken: Detector = {
      id: 'broken',
      about: 'always fails',
      async detect() {
        throw new Error('cannot read what it needs');
      },
    };
    const answers = await diagnose(lab.ctx({ last }), 2, [broken, ...DETECTORS]);
    expect(answers.map((a) => a.detector)).toEqual(['kind-misspelt']);
  });

  it('answers come in the detectors\' order, no more than the limit, each mistake once', async () => {
    const last = await lab.run(`kubectl get pdos --context staging -n ${ns}`);
    const all = await diagnose(lab.ctx({ last }), 5);
    expect(all.map((a) => a.detector)).toEqual(['kind-misspelt', 'other-cluster']);
    expect((await diagnose(lab.ctx({ last }), 1)).map((a) => a.detector)).toEqual(['kind-misspelt']);
    const twice = DETECTORS.find((d) => d.id === 'kind-misspelt')!;
    expect(await diagnose(lab.ctx({ last }), 5, [twice, twice])).toHaveLength(1);
  });

  it('a healthy lesson, a command that worked and a check that passes yield no diagnosis', async () => {
    const last = await lab.run(`kubectl create deployment fine --image=nginx --replicas=2 -n ${ns}`);
    await lab.run(`kubectl expose deployment fine --port=80 -n ${ns}`);
    await lab.until(async () => (await lab.p.target.client!.list('pods', { namespace: ns })).filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running').length === 2);
    const checks = [{ exists: { kind: 'deployment', name: 'fine' } }, { count: { kind: 'pods', selector: 'app=fine', equals: 2 } }, { endpoints: { service: 'fine', atLeast: 2 } }];
    for (const check of checks) expect(await diagnose(lab.ctx({ check, last }), 5), JSON.stringify(check)).toEqual([]);
    expect(await diagnose(lab.ctx({}), 5)).toEqual([]);
  });
});

describe('the detectors table in lessons/README.md', () => {
  it('lists every detector, and no other', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../../../lessons/README.md', import.meta.url), 'utf8');
    const section = text.slice(text.indexOf('## When a check fails: detectors'), text.indexOf('## Topics'));
    const listed = [...section.matchAll(/^\| `([\w-]+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(DETECTORS.map((d) => d.id));
  });
});

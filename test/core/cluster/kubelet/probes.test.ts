// What a probe's result means for a container, decided without running anything: readiness after
// so many successes or failures, the startup probe handing over to liveness and readiness, and a
// kill once liveness has failed its threshold.
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { newLifecycle, type Lifecycle } from '../../../../src/core/cluster/kubelet/lifecycle.js';
import { firstProbes, judge, nextProbeAt, type ProbeKind, type Probes } from '../../../../src/core/cluster/kubelet/probes.js';

const exec: Probe = { exec: { command: ['cat', '/tmp/ok'] }, periodSeconds: 5 };
const running = (spec: Container): Lifecycle => ({ ...newLifecycle(spec, false), phase: 'running', startedAt: 0, started: !spec.startupProbe, ready: false });

/** Feeds a probe a series of outcomes, one per period, and notes readiness, start and kills after each. */
function play(spec: Container, kind: ProbeKind, outcomes: boolean[]): string[] {
  let life = running(spec);
  let probes: Probes = firstProbes(spec, 0);
  return outcomes.map((ok) => {
    const at = probes[kind]!.nextAt;
    const v = judge(kind, spec[`${kind}Probe`]!, at, { ok, message: ok ? '' : 'no' }, life, probes, spec);
    life = v.life;
    probes = v.probes;
    return `${at / 1000}s ${ok ? 'ok' : 'fail'}: ${life.ready ? 'ready' : 'not ready'}${life.started ? '' : ', not started'}${v.kill ? ', kill' : ''} [${v.events.map((e) => e.reason).join(' ')}]`;
  });
}

describe('the prober', () => {
  it('looks first a second after the start, or after the initial delay, then once a period', () => {
    const probes = firstProbes({ name: 'app', livenessProbe: { ...exec, initialDelaySeconds: 5 }, readinessProbe: exec }, 10_000);
    expect(probes).toMatchObject({ liveness: { nextAt: 15_000 }, readiness: { nextAt: 11_000 } });
    expect(probes.startup).toBeUndefined();
    expect(nextProbeAt(probes, true)).toBe(11_000);
  });

  it('marks a container not ready only after failureThreshold failures, and ready again after successThreshold successes', () => {
    const spec: Container = { name: 'app', readinessProbe: { ...exec, failureThreshold: 2, successThreshold: 2 } };
    expect(play(spec, 'readiness', [true, true, false, false, true, true])).toEqual([
      '1s ok: not ready []',
      '6s ok: ready []',
      '11s fail: ready [Unhealthy]',
      '16s fail: not ready [Unhealthy]',
      '21s ok: not ready []',
      '26s ok: ready []',
    ]);
  });

  it('kills a container when liveness fails failureThreshold times in a row, not before', () => {
    const spec: Container = { name: 'app', livenessProbe: exec };
    expect(play(spec, 'liveness', [false, false, true, false, false, false])).toEqual([
      '1s fail: not ready [Unhealthy]',
      '6s fail: not ready [Unhealthy]',
      '11s ok: not ready []',
      '16s fail: not ready [Unhealthy]',
      '21s fail: not ready [Unhealthy]',
      '26s fail: not ready, kill [Unhealthy Killing]',
    ]);
  });

  it('holds a container not started until its startup probe succeeds, then hands over to liveness and readiness', () => {
    const spec: Container = { name: 'app', startupProbe: exec, livenessProbe: { ...exec, periodSeconds: 10 } };
    expect(play(spec, 'startup', [false, true])).toEqual(['1s fail: not ready, not started [Unhealthy]', '6s ok: ready []']);
    let probes = firstProbes(spec, 0);
    probes = judge('startup', exec, 30_000, { ok: true, message: '' }, running(spec), probes, spec).probes;
    // Liveness was due long ago: it looks from the moment the container started, not in the past.
    expect(probes.liveness?.nextAt).toBe(30_000);
  });

  it('says a container killed for failing its liveness probe will be restarted only when the pod\'s policy allows it', () => {
    const spec: Container = { name: 'app', livenessProbe: { ...exec, failureThreshold: 1 } };
    const killing = (restarts: boolean) => judge('liveness', spec.livenessProbe!, 1000, { ok: false, message: 'no' }, running(spec), firstProbes(spec, 0), spec, restarts).events[1];
    expect(killing(true)).toEqual({ type: 'Normal', reason: 'Killing', message: 'Container app failed liveness probe, will be restarted' });
    expect(killing(false)).toEqual({ type: 'Normal', reason: 'Killing', message: 'Container app failed liveness probe' });
  });

  it('says whether a probe failed or could not run at all', () => {
    const spec: Container = { name: 'app', livenessProbe: exec };
    const v = judge('liveness', exec, 1000, { ok: false, message: 'exec failed', errored: true }, running(spec), firstProbes(spec, 0), spec);
    expect(v.events).toEqual([{ type: 'Warning', reason: 'Unhealthy', message: 'Liveness probe errored: exec failed' }]);
  });
});

// The prober: startup, liveness and readiness probes on their periods, each an HTTP request, a TCP
// connect or a command run in the container, played at its own simulated moment. What a result
// means (ready or not, started, killed after so many failures) is decided by `judge`, a pure
// function; running the checks against the container's process is the I/O around it.
import { setOwn } from '../own.js';
import { randomBytes } from 'node:crypto';
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import type { EventType } from '../kinds/event.js';
import { TIMINGS, type Lifecycle } from './lifecycle.js';
import { KUBERNETES_VERSION } from './node-status.js';
import type { ContainerState, ProbeKind, Probes, ProbeState } from './pod-state.js';
import type { HttpRequest } from './shell/types.js';

export type { ProbeKind, ProbeState, Probes } from './pod-state.js';

export interface ProbeOutcome {
  ok: boolean;
  message: string;
  /** The check itself could not run (the runtime refused the exec), as against a failed check. */
  errored?: boolean;
}

type Emit = (type: EventType, reason: string, message: string) => void;

const probeOf = (spec: Container, kind: ProbeKind): Probe | undefined => spec[`${kind}Probe`];
const periodMs = (p: Probe) => (p.periodSeconds ?? 10) * 1000;
const failureThreshold = (p: Probe) => p.failureThreshold ?? 3;

/**
 * A fresh container's probes. The prober's ticker started with the pod worker, before the
 * container: its first look comes a tick after the start at the earliest.
 */
export function firstProbes(spec: Container, at: number): Probes {
  const first = (p: Probe | undefined) => (p ? { nextAt: at + Math.max((p.initialDelaySeconds ?? 0) * 1000, TIMINGS.firstProbeMs), failures: 0, successes: 0 } : undefined);
  return { liveness: first(spec.livenessProbe), readiness: first(spec.readinessProbe), startup: first(spec.startupProbe) };
}

/** The probes of an adopted running container: readiness looked at once, liveness after a period. */
export function adoptedProbes(spec: Container, now: number, ready: boolean): Probes {
  return {
    ...(spec.readinessProbe ? { readiness: { nextAt: now, failures: 0, successes: ready ? 1 : 0 } } : {}),
    ...(spec.livenessProbe ? { liveness: { nextAt: now + periodMs(spec.livenessProbe), failures: 0, successes: 0 } } : {}),
  };
}

/**
 * Until the startup probe succeeds only it runs; then liveness and readiness. Once the kubelet is
 * killing the container, its liveness and startup probes are on hold until a new one runs.
 */
export const activeKinds = (started: boolean, killing = false): ProbeKind[] => {
  const kinds: ProbeKind[] = started ? ['liveness', 'readiness'] : ['startup'];
  return killing ? kinds.filter((k) => k === 'readiness') : kinds;
};

/** The next moment a probe of this container is due. */
export function nextProbeAt(probes: Probes, started: boolean, killing = false): number {
  let next = Infinity;
  for (const k of activeKinds(started, killing)) next = Math.min(next, probes[k]?.nextAt ?? Infinity);
  return next;
}

export interface Judgement {
  life: Lifecycle;
  probes: Probes;
  events: Array<{ type: EventType; reason: string; message: string }>;
  /** The container must be killed (liveness or startup failed too often). */
  kill: boolean;
}

/**
 * What one probe's outcome at `at` means for the container. `restarts`: whether a container the
 * kubelet kills is started again (the pod's restartPolicy is not Never), as the Killing event says.
 */
export function judge(kind: ProbeKind, probe: Probe, at: number, outcome: ProbeOutcome, life: Lifecycle, probes: Probes, spec: Container, restarts = true): Judgement {
  const ps = probes[kind]!;
  const nextAt = at + periodMs(probe);
  if (outcome.ok) {
    const counted = { nextAt, failures: 0, successes: ps.successes + 1 };
    const after = { ...probes, [kind]: counted };
    if (kind === 'readiness' && counted.successes >= (probe.successThreshold ?? 1)) return { life: { ...life, ready: true }, probes: after, events: [], kill: false };
    if (kind === 'startup') {
      // Liveness and readiness take over from here, not from a time already past.
      const later = (p: ProbeState | undefined) => p && { ...p, nextAt: Math.max(p.nextAt, at) };
      const handedOver = { ...after, readiness: later(after.readiness), liveness: later(after.liveness) };
      return { life: { ...life, started: true, ready: !spec.readinessProbe }, probes: handedOver, events: [], kill: false };
    }
    return { life, probes: after, events: [], kill: false };
  }
  const counted = { nextAt, failures: ps.failures + 1, successes: 0 };
  const after = { ...probes, [kind]: counted };
  const title = kind[0].toUpperCase() + kind.slice(1);
  const events: Judgement['events'] = [{ type: 'Warning', reason: 'Unhealthy', message: `${title} probe ${outcome.errored ? 'errored' : 'failed'}: ${outcome.message}` }];
  const exhausted = counted.failures >= failureThreshold(probe);
  if (kind === 'readiness') return { life: exhausted ? { ...life, ready: false } : life, probes: after, events, kill: false };
  if (!exhausted) return { life, probes: after, events, kill: false };
  events.push({ type: 'Normal', reason: 'Killing', message: `Container ${life.name} failed ${kind} probe${restarts ? ', will be restarted' : ''}` });
  return { life, probes: after, events, kill: true };
}

/** A kill the prober asks for: why, when, and the probe's own grace period if it sets one. */
export interface ProbeKill {
  why: 'liveness' | 'startup';
  at: number;
  graceMs?: number;
}

/**
 * Runs the container's due probes up to `now`, each at its own moment with the process played up
 * to it. A liveness or startup probe that failed too often asks the kubelet to kill the container;
 * it stays running (and probed for readiness) until its process ends.
 */
export function runProbes(c: ContainerState, ip: string, now: number, emit: Emit, write: Write, opts: { restarts: boolean }): { kill?: ProbeKill } {
  const program = c.program!;
  let kill: ProbeKill | undefined;
  for (const kind of activeKinds(c.life.started, !!c.life.killedFor)) {
    const probe = probeOf(c.spec, kind);
    if (!probe) continue;
    while (c.probes[kind] && c.probes[kind].nextAt <= now && !program.exit) {
      const at = c.probes[kind].nextAt;
      program.advance(at);
      if (program.exit) break;
      const verdict = judge(kind, probe, at, check(probe, c, ip, at, write), c.life, c.probes, c.spec, opts.restarts);
      c.life = verdict.life;
      c.probes = verdict.probes;
      for (const e of verdict.events) emit(e.type, e.reason, e.message);
      if (verdict.kill && kind !== 'readiness') {
        kill = { why: kind, at, ...(probe.terminationGracePeriodSeconds !== undefined ? { graceMs: probe.terminationGracePeriodSeconds * 1000 } : {}) };
        break;
      }
      if (kind === 'startup' && c.life.started) break;
    }
    if (kill) break;
  }
  return kill ? { kill } : {};
}

/** A line the container's main process writes (a server's access log line for a probe). */
type Write = (c: ContainerState, o: { at: number; stream: 'stdout' | 'stderr'; text: string }) => void;

/** The pod network's gateway on the node, where the kubelet's probes come from. */
export function gateway(ip: string | undefined): string {
  return ip ? ip.replace(/\.\d+$/, '.1') : '';
}

/** One probe's check against the container's process at simulated time `at`. */
function check(probe: Probe, c: ContainerState, ip: string, at: number, write: Write): ProbeOutcome {
  const portOf = (p: number | string) => (typeof p === 'number' ? p : (c.spec.ports ?? []).find((x) => x.name === p)?.containerPort ?? Number(p));
  if (probe.httpGet) {
    const port = portOf(probe.httpGet.port);
    const path = probe.httpGet.path ?? '/';
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const host = probe.httpGet.host ?? ip;
    const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
    if (!c.process?.ports.includes(port)) return { ok: false, message: `Get "${url}": dial tcp ${host}:${port}: connect: connection refused` };
    if (!c.process.http) return { ok: false, message: `Get "${url}": net/http: HTTP/1.x transport connection broken: malformed HTTP response` };
    const headers: Record<string, string> = { Host: `${host}:${port}`, 'User-Agent': `kube-probe/${KUBERNETES_VERSION.replace(/^v/, '').split('.').slice(0, 2).join('.')}`, Accept: '*/*', Connection: 'close' };
    for (const h of probe.httpGet.httpHeaders ?? []) setOwn(headers, String(h.name), h.value);
    const req: HttpRequest = { method: 'GET', url, host, ip: host, port, path, headers };
    const res = c.process.http(port, req, at);
    // The probe is a request like any other: the server logs it, from the node's side of the pod network.
    const line = c.process.accessLog?.(req, res, gateway(ip), at);
    if (line) write(c, { at, stream: line.stream, text: `${line.text}\n` });
    if (res.status >= 200 && res.status < 400) return { ok: true, message: '' };
    return { ok: false, message: `HTTP probe failed with statuscode: ${res.status}` };
  }
  if (probe.tcpSocket) {
    const port = portOf(probe.tcpSocket.port);
    if (c.process?.ports.includes(port)) return { ok: true, message: '' };
    return { ok: false, message: `dial tcp ${ip}:${port}: connect: connection refused` };
  }
  if (probe.exec) {
    const r = runInContainer(c, probe.exec.command ?? [], at, (probe.timeoutSeconds ?? 1) * 1000);
    return { ok: r.exitCode === 0, message: r.output, ...(r.errored ? { errored: true } : {}) };
  }
  return { ok: true, message: '' };
}

/**
 * Runs a command to completion in a running container at simulated time `at`, as an exec probe
 * does: its output is what the probe reports, and running past the timeout fails it.
 */
function runInContainer(c: ContainerState, command: string[], at: number, timeoutMs: number): { exitCode: number; output: string; errored?: boolean } {
  if (!c.process) return { exitCode: 1, output: 'container not running' };
  let t = at;
  const gen = c.process.spawn(command, { tty: false, now: () => t });
  // The runtime could not start it: the kubelet reports the probe as errored, in the CRI's words.
  if ('error' in gen) return { exitCode: 126, output: `rpc error: code = Unknown desc = failed to exec in container: failed to start exec "${randomBytes(32).toString('hex')}": ${gen.error}`, errored: true };
  const timedOut = { exitCode: 1, output: `command "${command.join(' ')}" timed out` };
  let output = '';
  for (let steps = 0; steps < 100_000; steps++) {
    const r = gen.next(undefined);
    if (r.done) return { exitCode: r.value, output: output.replace(/\n$/, '') };
    const s = r.value;
    if (s.kind === 'stdout' || s.kind === 'stderr') output += String(s.data);
    else if (s.kind === 'sleep') {
      t += s.ms;
      if (t - at > timeoutMs) {
        gen.return(1);
        return timedOut;
      }
    }
  }
  gen.return(1);
  return timedOut;
}

// A pod's life on the kubelet, written down as a timeline: a pod goes onto a node of a fresh
// cluster on the manual clock, a script moves time and acts on the pod (delete it, change its
// image, create what it waits for), and every status the kubelet writes and every event it sends
// is noted at the simulated moment it happened. The text is compared with a golden file, as KWOK
// checks its stages: input and the output it must produce, reviewed as a diff when it changes.
import type { ContainerState, ContainerStatus, Event, Pod } from 'kubernetes-types/core/v1.js';
import { stringify } from 'yaml';
import { ManualClock } from '../../../../src/core/cluster/clock.js';
import { newCluster } from '../../../../src/core/cluster/factory.js';
import { podStatusCell } from '../../../../src/core/cluster/kinds/pod.js';
import type { KindDef, KObject } from '../../../../src/core/cluster/kinds/types.js';
import { expectGolden } from '../../../helpers/golden.js';

const NODE = 'kubedojo-worker';
const NAMESPACE = 'default';
const START = '2026-01-01T00:00:00Z';

/** What a script can do to the cluster between clock steps. */
export interface Hands {
  /** `kubectl delete pod` without --wait: the kubelet has the grace period to stop it. */
  deletePod(gracePeriodSeconds?: number): void;
  /** `kubectl set image pod/NAME CONTAINER=IMAGE`. */
  setImage(container: string, image: string): void;
  /** Creates an object in the pod's namespace (a ConfigMap it waits for, say). */
  create(group: string, plural: string, obj: KObject): void;
}

/** A script step: let simulated seconds pass, or do something (noted on the timeline). */
export type Step = { wait: number } | { note: string; act: (h: Hands) => void };

export const wait = (seconds: number): Step => ({ wait: seconds });
export const act = (note: string, fn: (h: Hands) => void): Step => ({ note, act: fn });

/** Runs `pod` on a fresh cluster through `script` and compares its timeline with test/golden/kubelet/<name>.txt. */
export function expectTimeline(name: string, pod: Pod, script: Step[]): void {
  expectGolden(`kubelet/${name}`, timeline(pod, script));
}

export function timeline(input: Pod, script: Step[]): string {
  const clock = new ManualClock(START);
  const cluster = newCluster({ clock });
  const t0 = clock.now().getTime();
  const def = (group: string, plural: string): KindDef => {
    const found = cluster.kinds.byGroupResource(group, plural);
    if (!found) throw new Error(`no kind ${plural}.${group}`);
    return found;
  };
  const pods = def('', 'pods');
  const name = input.metadata?.name ?? 'pod';
  const lines: string[] = [];
  const at = () => seconds(clock.now().getTime() - t0).padStart(9);
  let uid = '';
  const words = (text: string) => (uid ? text.split(uid).join('<uid>') : text);

  let shown = '';
  const unsubscribePods = cluster.store.subscribe('/pods', (e) => {
    const pod = e.object as Pod;
    if (pod.metadata?.name !== name || pod.metadata.namespace !== NAMESPACE) return;
    const text = e.type === 'DELETED' ? 'deleted' : words(statusText(pod, clock.now(), t0));
    if (text === shown) return;
    shown = text;
    const [head, ...rest] = text.split('\n');
    lines.push(`${at()}  ${head}`, ...rest.map((l) => `${' '.repeat(11)}${l}`));
  });
  const unsubscribeEvents = cluster.store.subscribe('/events', (e) => {
    // Events about this pod (those of other pods and of the system are not its story).
    const ev = e.object as Partial<Event>;
    if (e.type === 'DELETED' || ev.involvedObject?.uid !== uid) return;
    const count = ev.count && ev.count > 1 ? ` (x${ev.count})` : '';
    lines.push(`${at()}  event ${(ev.type ?? '').padEnd(7)} ${ev.reason} ${fieldOf(ev.involvedObject.fieldPath)}: ${words(ev.message ?? '')}${count}`);
  });

  const hands: Hands = {
    deletePod: (gracePeriodSeconds) => void cluster.delete(pods, NAMESPACE, name, gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
    setImage: (container, image) => void cluster.patch(pods, NAMESPACE, name, 'strategic', { spec: { containers: [{ name: container, image }] } }),
    create: (group, plural, obj) => void cluster.create(def(group, plural), NAMESPACE, obj),
  };
  try {
    const body: KObject = { apiVersion: 'v1', kind: 'Pod', ...input, metadata: { ...input.metadata, name }, spec: { ...input.spec, nodeName: NODE } };
    uid = cluster.create(pods, NAMESPACE, body).object.metadata.uid ?? '';
    for (const step of script) {
      if ('wait' in step) {
        clock.advance(step.wait * 1000);
        continue;
      }
      lines.push(`${at()}  > ${step.note}`);
      step.act(hands);
      clock.flush();
    }
  } finally {
    unsubscribePods();
    unsubscribeEvents();
    cluster.controlPlane?.stop();
  }
  const spec = stringify({ metadata: { name }, spec: input.spec }, { lineWidth: 0 }).trimEnd();
  const steps = script.map((s) => ('wait' in s ? `wait ${s.wait}s` : s.note)).join(', ');
  return [`# pod`, spec, '', `# script: ${steps}`, '', `# timeline (seconds after the pod was created)`, ...lines, ''].join('\n');
}

/** The pod as `kubectl get pods` shows it, then each container's state, one line each. */
function statusText(pod: Pod, now: Date, t0: number): string {
  const cell = podStatusCell(pod as KObject, now);
  const status = pod.status ?? {};
  const head = `pod ${status.phase ?? '-'}  READY ${cell.ready}  STATUS ${cell.status}  RESTARTS ${cell.restarts}`;
  const rel = (t: string | undefined) => (t ? `${seconds(Date.parse(t) - t0, 0)}s` : '?');
  const line = (prefix: string, s: ContainerStatus) => {
    const flags = [`restarts ${s.restartCount}`, s.ready ? 'ready' : 'not ready', ...(s.started === undefined ? [] : [s.started ? 'started' : 'not started'])];
    const last = s.lastState && stateText(s.lastState, rel);
    return `${prefix}${s.name}: ${stateText(s.state ?? {}, rel) || 'no state'}${last ? ` | last: ${last}` : ''} | ${flags.join(', ')}`;
  };
  return [head, ...(status.initContainerStatuses ?? []).map((s) => line('init:', s)), ...(status.containerStatuses ?? []).map((s) => line('', s))].join('\n');
}

function stateText(s: ContainerState, rel: (t: string | undefined) => string): string {
  if (s.running) return `running since ${rel(s.running.startedAt)}`;
  if (s.waiting) return `waiting ${s.waiting.reason}${s.waiting.message ? ` (${s.waiting.message})` : ''}`;
  if (s.terminated) {
    const t = s.terminated;
    // A process that never started has the zero time as its start, as containerd reports it.
    const ran = Date.parse(t.startedAt ?? '') > 0 ? `${rel(t.startedAt)}..${rel(t.finishedAt)}` : `never started, ${rel(t.finishedAt)}`;
    return `terminated ${t.reason} exit ${t.exitCode} (${ran})${t.message ? `: ${t.message}` : ''}`;
  }
  return '';
}

/** `spec.containers{app}` as `app`, an init container's as `init:wait`, the pod's own as `pod`. */
function fieldOf(path: string | undefined): string {
  const m = /^spec\.(initContainers|containers)\{(.+)\}$/.exec(path ?? '');
  if (!m) return 'pod';
  return m[1] === 'initContainers' ? `init:${m[2]}` : m[2];
}

function seconds(ms: number, digits = 3): string {
  return (ms / 1000).toFixed(digits);
}

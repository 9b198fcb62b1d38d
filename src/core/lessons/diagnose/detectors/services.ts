// Traffic that does not reach the pods: a Service whose selector matches none of them, a
// targetPort no container declares, a probe aimed at a port the container does not serve.
import type { KubeObject } from '../../../kube/client.js';
import { dict } from '../../../own.js';
import { checkRef, commandRef, labelText, list, nameOf, namespaceOfObject, selects } from '../focus.js';
import { changeSpec, containerStates, containersOf, podsInFocus, whatToChange, type ContainerSpec, type Probe } from '../pods.js';
import type { DiagnoseContext, Detector } from '../types.js';

interface ServicePort {
  port: number;
  targetPort?: number | string;
  name?: string;
}

/** The Services the check or the last command names, or every Service of the lesson. */
async function servicesInFocus(ctx: DiagnoseContext): Promise<KubeObject[]> {
  const all = (await Promise.all(ctx.namespaces.map((ns) => list(ctx, 'services', ns)))).flat();
  const names = [checkRef(ctx), commandRef(ctx)].filter((r) => r?.name).map((r) => `${r!.namespace}/${r!.name}`);
  const named = all.filter((s) => names.includes(`${namespaceOfObject(s)}/${nameOf(s)}`));
  return named.length ? named : all;
}

function selectorOf(svc: KubeObject): Record<string, string> | undefined {
  const sel = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector;
  return sel && Object.keys(sel).length ? sel : undefined;
}

/** A pod's own labels, without the ones its controllers add for themselves. */
function ownLabels(pod: KubeObject): Record<string, string> {
  const out = dict<string>();
  for (const [k, v] of Object.entries(pod.metadata?.labels ?? {})) if (k !== 'pod-template-hash' && !k.startsWith('controller-') && !k.includes('kubernetes.io/')) out[k] = v;
  return out;
}

export const selectorMatchesNoPod: Detector = {
  id: 'selector-matches-no-pod',
  about: 'a Service whose selector matches no pod: shows the labels the pods do have',
  async detect(ctx) {
    for (const svc of await servicesInFocus(ctx)) {
      const sel = selectorOf(svc);
      if (!sel) continue;
      const ns = namespaceOfObject(svc);
      const pods = await list(ctx, 'pods', ns);
      if (!pods.length || pods.some((p) => selects(sel, p.metadata?.labels))) continue;
      const sets = [...new Set(pods.map((p) => labelText(ownLabels(p))))].slice(0, 3);
      // The pods sharing most of the selector's keys are most likely the ones it was meant for.
      const shared = (p: KubeObject) => Object.keys(sel).filter((k) => Object.prototype.hasOwnProperty.call(ownLabels(p), k)).length;
      const best = [...pods].sort((a, b) => shared(b) - shared(a))[0];
      const bestLabels = ownLabels(best);
      const keep = Object.keys(sel).filter((k) => Object.prototype.hasOwnProperty.call(bestLabels, k));
      const proposed = keep.length ? keep.map((k) => `${k}=${bestLabels[k]}`).join(',') : labelText(bestLabels);
      return {
        detector: this.id,
        mistake: `Service ${nameOf(svc)} selects ${labelText(sel)}, and no pod in namespace ${ns} has those labels, so it has no endpoints. The pods there have: ${sets.join('; ')}.`,
        fix: `kubectl set selector service ${nameOf(svc)} '${proposed}' -n ${ns}`,
      };
    }
    return undefined;
  },
};

function declaredPorts(pods: KubeObject[]): Array<{ containerPort?: number; name?: string }> {
  return pods.flatMap((p) => containersOf(p).flatMap((c) => c.ports ?? []));
}

export const targetPortMismatch: Detector = {
  id: 'target-port-mismatch',
  about: 'a Service targetPort that matches no containerPort of the pods it selects',
  async detect(ctx) {
    for (const svc of await servicesInFocus(ctx)) {
      const sel = selectorOf(svc);
      if (!sel) continue;
      const ns = namespaceOfObject(svc);
      const pods = (await list(ctx, 'pods', ns)).filter((p) => selects(sel, p.metadata?.labels));
      const declared = declaredPorts(pods);
      if (!pods.length || !declared.length) continue;
      for (const sp of ((svc.spec as { ports?: ServicePort[] } | undefined)?.ports ?? [])) {
        const target = sp.targetPort ?? sp.port;
        const found = typeof target === 'string' ? declared.some((d) => d.name === target) : declared.some((d) => d.containerPort === target);
        if (found) continue;
        const numbers = [...new Set(declared.map((d) => d.containerPort).filter((n): n is number => typeof n === 'number'))];
        const named = declared.filter((d) => d.name).map((d) => `${d.name} (${d.containerPort})`);
        const to = numbers.length === 1 ? numbers[0] : 'CONTAINER_PORT';
        return {
          detector: this.id,
          mistake: `Service ${nameOf(svc)} sends port ${sp.port} to targetPort ${target} of its pods, but their containers declare ${typeof target === 'string' ? `no port named ${target}${named.length ? ` (named ports: ${named.join(', ')})` : ''}` : `port ${numbers.join(', ')}`}: the traffic goes where nothing listens.`,
          fix: `kubectl patch service ${nameOf(svc)} -n ${ns} -p '{"spec":{"ports":[{"port":${sp.port},"targetPort":${typeof to === 'number' ? to : `"${to}"`}}]}}'`,
        };
      }
    }
    return undefined;
  },
};

const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;

function probePort(p: Probe): number | string | undefined {
  return p.httpGet?.port ?? p.tcpSocket?.port ?? p.grpc?.port;
}

export const probeWrongPort: Detector = {
  id: 'probe-wrong-port',
  about: 'a readiness, liveness or startup probe aimed at a port the container does not expose',
  async detect(ctx) {
    for (const pod of await podsInFocus(ctx)) {
      const states = containerStates(pod);
      const unwell = (c: ContainerSpec) => {
        const s = states.find((x) => x.name === c.name);
        return !s?.ready || (s.restartCount ?? 0) > 0;
      };
      for (const c of containersOf(pod)) {
        const ports = c.ports ?? [];
        if (!unwell(c)) continue;
        for (const kind of PROBES) {
          const probe = c[kind];
          const port = probe && probePort(probe);
          if (port === undefined) continue;
          const bad = typeof port === 'string' ? !ports.some((p) => p.name === port) : ports.length > 0 && !ports.some((p) => p.containerPort === port);
          if (!bad) continue;
          const has = ports.length ? ports.map((p) => (p.name ? `${p.containerPort} (${p.name})` : String(p.containerPort))).join(', ') : 'none';
          const effect = kind === 'livenessProbe' ? 'the probe fails and the container is restarted again and again' : kind === 'readinessProbe' ? 'the probe fails and the pod never becomes ready' : 'the probe fails and the container never counts as started';
          const good = ports.length === 1 ? (typeof port === 'string' ? ports[0].name ?? ports[0].containerPort : ports[0].containerPort) : 'PORT';
          return {
            detector: this.id,
            mistake: `The ${kind} of container ${c.name} in pod ${nameOf(pod)} checks port ${port}, but the container exposes ${typeof port === 'string' ? `no port named ${port}` : `port ${has}`}: ${effect}.`,
            fix: changeSpec(await whatToChange(ctx, pod), namespaceOfObject(pod), `${kind} port: ${good}`),
          };
        }
      }
    }
    return undefined;
  },
};

export const SERVICE_DETECTORS: readonly Detector[] = [selectorMatchesNoPod, targetPortMismatch, probeWrongPort];

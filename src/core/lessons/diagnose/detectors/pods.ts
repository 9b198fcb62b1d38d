// Pods that do not run as the task needs, read from their status: an image that cannot be pulled,
// a pod no node takes, a container that keeps crashing or cannot get its configuration, a
// container named wrong, a change made to a pod that its controller will undo.
import type { KubeObject } from '../../../kube/client.js';
import { printValue, select } from '../../jsonpath.js';
import { unmet } from '../../checks.js';
import { namespaceOf, quoteIfNeeded, targetOf } from '../command.js';
import { nearest } from '../distance.js';
import { checkRef, getObject, lastCommand, lastKubectl, lastOutput, list, nameOf, namespaceOfObject } from '../focus.js';
import { imageText, officialName, parseImage, WELL_KNOWN_IMAGES } from '../images.js';
import { changeSpec, containerStates, containersOf, podsInFocus, podSpec, topController, whatToChange, type ContainerState } from '../pods.js';
import type { DiagnoseContext, Detector } from '../types.js';
import { own } from '../../../own.js';

const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff']);

/** Each container of the focused pods that is waiting for the reasons given, with its pod and spec. */
async function waiting(ctx: DiagnoseContext, reasons: Set<string>) {
  const out: Array<{ pod: KubeObject; state: ContainerState; image: string }> = [];
  for (const pod of await podsInFocus(ctx)) {
    for (const state of containerStates(pod)) {
      const reason = state.state?.waiting?.reason;
      if (!reason || !reasons.has(reason)) continue;
      const spec = containersOf(pod).find((c) => c.name === state.name);
      out.push({ pod, state, image: spec?.image ?? state.image ?? '' });
    }
  }
  return out;
}

function setImage(target: string, container: string, image: string, ns: string): string {
  return `kubectl set image ${target} ${container}=${quoteIfNeeded(image)} -n ${ns}`;
}

export const imageNearName: Detector = {
  id: 'image-near-name',
  about: 'an image that fails to pull whose name is a slip from a well-known one (`ngnix` → `nginx`, `busybx`, `ngnix:1.25`)',
  async detect(ctx) {
    for (const { pod, state, image } of await waiting(ctx, PULL_FAILURES)) {
      const parts = parseImage(image);
      const name = officialName(parts);
      if (!name || own(WELL_KNOWN_IMAGES, name)) continue;
      const meant = nearest(name, Object.keys(WELL_KNOWN_IMAGES));
      if (!meant) continue;
      const fixed = imageText(meant, parts);
      const ns = namespaceOfObject(pod);
      return {
        detector: this.id,
        mistake: `Pod ${nameOf(pod)} cannot pull image "${image}" (${state.state?.waiting?.reason}): there is no such image. Did you mean ${meant}?`,
        fix: setImage(await whatToChange(ctx, pod), state.name, fixed, ns),
      };
    }
    return undefined;
  },
};

export const imageTagMissing: Detector = {
  id: 'image-tag-missing',
  about: 'an image whose repository exists but whose tag does not (`nginx:1.255`, `busybox:lastest`)',
  async detect(ctx) {
    for (const { pod, state, image } of await waiting(ctx, PULL_FAILURES)) {
      const parts = parseImage(image);
      if (!parts.tag) continue;
      const name = officialName(parts);
      const known = name ? own<readonly string[]>(WELL_KNOWN_IMAGES, name) : undefined;
      const message = state.state?.waiting?.message ?? '';
      // A repository that exists answers "not found" for a missing tag; one that does not answers "access denied".
      if (!known && !/code = NotFound|: not found/.test(message)) continue;
      const repo = image.slice(0, image.length - parts.tag.length - 1 - (parts.digest ? parts.digest.length + 1 : 0));
      const meant = known ? nearest(parts.tag, known) : undefined;
      const ns = namespaceOfObject(pod);
      return {
        detector: this.id,
        mistake: `Pod ${nameOf(pod)} cannot pull "${image}": the image ${repo} exists, but it has no tag "${parts.tag}"${meant ? `. Did you mean ${meant}?` : '. Pick a tag the image has (its registry page lists them), or leave the tag off for latest.'}`,
        fix: setImage(await whatToChange(ctx, pod), state.name, `${repo}:${meant ?? 'latest'}`, ns),
      };
    }
    return undefined;
  },
};

function quantity(q: string | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q));
  if (!m) return undefined;
  const units: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  const u = own<number>(units, m[2]);
  return u === undefined ? undefined : Number(m[1]) * u;
}

export const unschedulable: Detector = {
  id: 'unschedulable',
  about: 'a pod Pending because no node fits it: too large requests, a nodeSelector no node matches, a taint it does not tolerate',
  async detect(ctx) {
    for (const pod of await podsInFocus(ctx)) {
      const conds = ((pod.status as { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } | undefined)?.conditions ?? []);
      const c = conds.find((x) => x.type === 'PodScheduled' && x.status === 'False' && x.reason === 'Unschedulable');
      if (!c) continue;
      const msg = c.message ?? '';
      const name = nameOf(pod);
      const ns = namespaceOfObject(pod);
      const target = await whatToChange(ctx, pod);
      const nodes = await list(ctx, 'nodes');
      const insufficient = /Insufficient ([\w./-]*[\w/-])/.exec(msg);
      if (insufficient) {
        const res = insufficient[1];
        const asked = (podSpec(pod).containers ?? []).map((x) => ({ name: x.name, q: own<string>(x.resources?.requests ?? {}, res) })).filter((x) => x.q);
        const most = Math.max(0, ...nodes.map((n) => quantity(own<string>((n.status as { allocatable?: Record<string, string> } | undefined)?.allocatable ?? {}, res)) ?? 0));
        const mostText = nodes.length ? ` (the largest node can give ${res === 'cpu' ? `${most} CPU` : res === 'memory' ? `${Math.floor(most / 1024 ** 2)}Mi` : most} in all)` : '';
        return {
          detector: this.id,
          mistake: `Pod ${name} is Pending: no node has enough free ${res} for what it requests${asked.length ? ` (${asked.map((x) => `${x.name} asks for ${x.q}`).join(', ')})` : ''}${mostText}. Ask for less.`,
          fix: `kubectl set resources ${target} --requests=${res}=LESS -n ${ns}`,
        };
      }
      if (/didn't match Pod's node affinity\/selector/.test(msg)) {
        const sel = podSpec(pod).nodeSelector ?? {};
        const pairs = Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',');
        return {
          detector: this.id,
          mistake: `Pod ${name} is Pending: no node matches its node selector${pairs ? ` ${pairs}` : ' or affinity'}. Label a node to match, or change the selector to labels a node has (\`kubectl get nodes --show-labels\`).`,
          fix: pairs && nodes[0] ? `kubectl label node ${nameOf(nodes[0])} ${Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(' ')}` : 'kubectl get nodes --show-labels',
        };
      }
      const taint = /untolerated taint \{([^:}]+): ?([^}]*)\}|taint \{([^:}]+): ?([^}]*)\}, that the pod didn't tolerate/.exec(msg);
      if (taint) {
        const key = taint[1] ?? taint[3];
        const value = (taint[2] ?? taint[4] ?? '').trim();
        const tainted = nodes.find((n) => ((n.spec as { taints?: Array<{ key: string; effect: string }> } | undefined)?.taints ?? []).some((t) => t.key === key));
        const effect = ((tainted?.spec as { taints?: Array<{ key: string; effect: string }> } | undefined)?.taints ?? []).find((t) => t.key === key)?.effect ?? 'NoSchedule';
        return {
          detector: this.id,
          mistake: `Pod ${name} is Pending: the nodes carry the taint ${key}${value ? `=${value}` : ''}:${effect} and the pod does not tolerate it. Add a toleration for it to the pod's spec${target.startsWith('pod/') ? '' : ' (in the template)'}, or remove the taint.`,
          fix: `tolerations: [{key: ${key}, operator: ${value ? 'Equal' : 'Exists'}${value ? `, value: ${value}` : ''}, effect: ${effect}}]${tainted ? `, or kubectl taint node ${nameOf(tainted)} ${key}:${effect}-` : ''}`,
        };
      }
      return { detector: this.id, mistake: `Pod ${name} is Pending: the scheduler found no node for it (${msg}).`, fix: `kubectl describe pod ${name} -n ${ns}` };
    }
    return undefined;
  },
};

/** What a container's exit code usually means. */
function exitMeaning(code: number | undefined, reason: string | undefined): string {
  if (reason === 'OOMKilled') return 'it was killed for using more memory than its limit (OOMKilled)';
  if (code === 0) return 'its command finished (exit code 0), and the pod restarts containers that end: a Deployment\'s container must keep running; work that ends belongs in a Job';
  if (code === 127) return 'its command was not found in the image (exit code 127)';
  if (code === 126) return 'its command is not executable (exit code 126)';
  if (code === 137) return 'it was killed (exit code 137: SIGKILL, often memory)';
  if (code === 143) return 'it was stopped (exit code 143: SIGTERM)';
  return `its program failed (exit code ${code ?? 'unknown'})`;
}

export const crashLoop: Detector = {
  id: 'crash-loop',
  about: 'a container in CrashLoopBackOff: its last exit code, what that usually means, and `kubectl logs --previous`',
  async detect(ctx) {
    for (const { pod, state } of await waiting(ctx, new Set(['CrashLoopBackOff']))) {
      const last = state.lastState?.terminated;
      const name = nameOf(pod);
      return {
        detector: this.id,
        mistake: `Container ${state.name} of pod ${name} keeps crashing (CrashLoopBackOff, ${state.restartCount ?? 0} restarts): ${exitMeaning(last?.exitCode, last?.reason)}. Its last run's output says why.`,
        fix: `kubectl logs ${name} -c ${state.name} --previous -n ${namespaceOfObject(pod)}`,
      };
    }
    return undefined;
  },
};

export const missingConfigKey: Detector = {
  id: 'missing-config-key',
  about: 'a container that cannot start (CreateContainerConfigError) because its env names a ConfigMap or Secret, or a key, that is not there',
  async detect(ctx) {
    for (const { pod, state } of await waiting(ctx, new Set(['CreateContainerConfigError']))) {
      const message = state.state?.waiting?.message ?? '';
      const ns = namespaceOfObject(pod);
      const target = await whatToChange(ctx, pod);
      const key = /couldn't find key (\S+) in (ConfigMap|Secret) [^/\s]+\/(\S+)/.exec(message);
      if (key) {
        const [, k, kind, objName] = key;
        const obj = await getObject(ctx, kind === 'ConfigMap' ? 'configmaps' : 'secrets', objName, ns);
        const keys = Object.keys((obj?.data as Record<string, string> | undefined) ?? {});
        const near = nearest(k, keys);
        return {
          detector: this.id,
          mistake: `Container ${state.name} of pod ${nameOf(pod)} cannot start: its env reads key ${k} of ${kind} ${objName}, which has ${near ? `${near}, not ${k}: a slip in the key's name` : keys.length ? `only ${keys.join(', ')}` : 'no keys'}.`,
          fix: near ? `${changeSpec(target, ns, `${kind === 'ConfigMap' ? 'configMapKeyRef' : 'secretKeyRef'} key: ${near}`)}, or add key ${k} to ${kind} ${objName}` : `add key ${k} to ${kind} ${objName} (kubectl edit ${kind.toLowerCase()} ${objName} -n ${ns})`,
        };
      }
      const gone = /(configmap|secret) "([^"]+)" not found/.exec(message);
      if (gone) {
        const [, kind, objName] = gone;
        const near = nearest(objName, (await list(ctx, `${kind}s`, ns)).map(nameOf));
        return {
          detector: this.id,
          mistake: `Container ${state.name} of pod ${nameOf(pod)} cannot start: its env reads ${kind} ${objName}, which does not exist in namespace ${ns}${near ? `; there is ${near}` : ''}.`,
          fix: near ? changeSpec(target, ns, `name: ${near}`) : `kubectl create ${kind} ${kind === 'secret' ? 'generic ' : ''}${objName} --from-literal=KEY=VALUE -n ${ns}`,
        };
      }
    }
    return undefined;
  },
};

function replaceContainerFlag(words: string[], to: string): string {
  const out = [...words];
  for (let i = 0; i < out.length; i++) {
    if ((out[i] === '-c' || out[i] === '--container') && i + 1 < out.length) {
      out[i + 1] = to;
      break;
    }
    if (out[i].startsWith('--container=') || (out[i].startsWith('-c') && out[i].length > 2 && !out[i].startsWith('--'))) {
      out[i] = out[i].startsWith('--') ? `--container=${to}` : `-c${to}`;
      break;
    }
  }
  return out.map(quoteIfNeeded).join(' ');
}

export const wrongContainer: Detector = {
  id: 'wrong-container',
  about: 'a container name the pod does not have (`logs`/`exec -c`, or the one the check runs in)',
  async detect(ctx) {
    const m = /container "?([\w.-]+)"? is not valid for pod "?([\w.-]+)"?/.exec(lastOutput(ctx));
    const cmd = lastCommand(ctx);
    if (m && cmd) {
      const [, typed, podName] = m;
      const pod = await getObject(ctx, 'pods', podName, namespaceOf(cmd, ctx.namespace));
      if (!pod) return undefined;
      const names = containersOf(pod).map((c) => c.name);
      const meant = nearest(typed, names) ?? (names.length === 1 ? names[0] : undefined);
      return {
        detector: this.id,
        mistake: `Pod ${podName} has no container ${typed}; its containers are ${names.join(', ')}.${meant ? ` Did you mean ${meant}?` : ''}`,
        fix: meant ? replaceContainerFlag(cmd.words, meant) : `kubectl get pod ${podName} -n ${namespaceOf(cmd, ctx.namespace)} -o jsonpath='{.spec.containers[*].name}'`,
      };
    }
    const check = ctx.check;
    if (!check || !('exec' in check) || !check.exec.container) return undefined;
    const want = check.exec.container;
    const ref = checkRef(ctx)!;
    const pods = ref.name ? [await getObject(ctx, 'pods', ref.name, ref.namespace)].filter((p): p is KubeObject => !!p) : await list(ctx, 'pods', ref.namespace, ref.selector);
    const pod = pods[0];
    if (!pod) return undefined;
    const names = containersOf(pod).map((c) => c.name);
    if (names.includes(want)) return undefined;
    return {
      detector: this.id,
      mistake: `The task runs its command in container ${want} of pod ${nameOf(pod)}, but that pod's containers are ${names.join(', ')}. A container's name is set in the pod's spec and cannot change: create the pod again with the container named ${want}.`,
      fix: `kubectl get pod ${nameOf(pod)} -n ${ref.namespace} -o yaml > ${nameOf(pod)}.yaml, rename the container, then kubectl replace --force -f ${nameOf(pod)}.yaml`,
    };
  },
};

const POD_EDITS = new Set(['edit', 'patch', 'label', 'annotate', 'set', 'replace']);

/** The pod path a template path of a workload stands for: `.spec.template.spec.x` → `.spec.x`. */
function podPathOf(path: string): string | undefined {
  const m = /^\{?\.spec\.template\.(spec|metadata)(.*?)\}?$/.exec(path.trim());
  return m ? `{.${m[1]}${m[2]}}` : undefined;
}

export const podNotTemplate: Detector = {
  id: 'pod-not-template',
  about: 'a change made to a pod that a controller owns (it will be replaced), or found on the pod but missing from its Deployment\'s template',
  async detect(ctx) {
    const cmd = lastKubectl(ctx);
    const verb = cmd?.command[0];
    if (cmd && verb && POD_EDITS.has(verb)) {
      const target = targetOf(cmd);
      if (target?.name) {
        let isPod = false;
        try {
          isPod = (await ctx.client.resolve(target.kind)).kind === 'Pod';
        } catch {
          isPod = false;
        }
        const ns = namespaceOf(cmd, ctx.namespace);
        const pod = isPod ? await getObject(ctx, 'pods', target.name, ns) : undefined;
        const top = pod && (await topController(ctx, pod));
        if (pod && top) {
          const podWord = cmd.words.find((w) => /^(po|pods?)\/./.test(w) && w.endsWith(`/${target.name}`));
          const fix = verb === 'set' && podWord ? cmd.words.map((w) => (w === podWord ? `${top.kind.toLowerCase()}/${top.name}` : w)).map(quoteIfNeeded).join(' ') : `kubectl edit ${top.kind.toLowerCase()} ${top.name} -n ${ns}`;
          return {
            detector: this.id,
            mistake: `Pod ${target.name} is run by ${top.kind} ${top.name}: a change made to the pod itself is lost when the pod is replaced, and ${top.kind} ${top.name} never hears of it. Change ${top.kind} ${top.name}'s pod template instead.`,
            fix,
          };
        }
      }
    }
    const check = ctx.check;
    if (!check || !('field' in check) || !check.field.name) return undefined;
    const f = check.field;
    const podPath = podPathOf(f.path);
    if (!podPath) return undefined;
    const ref = checkRef(ctx)!;
    const workload = await getObject(ctx, ref.kind, f.name!, ref.namespace);
    if (!workload) return undefined;
    const kind = (await ctx.client.resolve(ref.kind)).kind;
    const has = select(workload, f.path);
    if (!unmet(has.length ? has.map(printValue).join(' ') : undefined, f)) return undefined;
    for (const pod of await list(ctx, 'pods', ref.namespace)) {
      const top = await topController(ctx, pod);
      if (!top || top.kind !== kind || top.name !== f.name) continue;
      const value = select(pod, podPath);
      if (!unmet(value.length ? value.map(printValue).join(' ') : undefined, f)) {
        return {
          detector: this.id,
          mistake: `Pod ${nameOf(pod)} has the change, but ${kind} ${f.name}'s pod template does not: the ${kind} replaces its pods from the template, so the change belongs there.`,
          fix: `kubectl edit ${kind.toLowerCase()} ${f.name} -n ${ref.namespace}`,
        };
      }
    }
    return undefined;
  },
};

export const POD_DETECTORS: readonly Detector[] = [wrongContainer, podNotTemplate, imageNearName, imageTagMissing, missingConfigKey, unschedulable, crashLoop];

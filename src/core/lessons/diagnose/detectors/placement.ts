// The object the check looks for is not where, or not quite what, it expects: made in another
// namespace, a name or label a slip away, a ConfigMap key misspelt, a replica count off.
import type { KubeObject } from '../../../kube/client.js';
import { own } from '../../../own.js';
import { quoteIfNeeded } from '../command.js';
import { nearest, slipBudget, editDistance } from '../distance.js';
import { checkRef, equalitySelector, getObject, lastKubectl, list, nameOf, namespaceOfObject } from '../focus.js';
import type { DiagnoseContext, Detector } from '../types.js';

async function resource(ctx: DiagnoseContext, kind: string) {
  return ctx.client.resolve(kind);
}

/** The last command, when it created something without saying where: its fix adds -n. */
function createdWithoutNamespace(ctx: DiagnoseContext, name: string): string | undefined {
  const cmd = lastKubectl(ctx);
  if (!cmd || 'namespace' in cmd.flags) return undefined;
  if (!['create', 'run', 'apply', 'expose'].includes(cmd.command[0]) || (cmd.args[0] !== name && !('filename' in cmd.flags))) return undefined;
  return cmd.words.map(quoteIfNeeded).join(' ');
}

export const otherNamespace: Detector = {
  id: 'other-namespace',
  about: 'the object the check looks for was made in another namespace (often `default`, for a command without `-n`)',
  async detect(ctx) {
    const ref = checkRef(ctx);
    if (!ref || (!ref.name && !ref.selector)) return undefined;
    const r = await resource(ctx, ref.kind);
    if (!r.namespaced) return undefined;
    const here = ref.name ? await getObject(ctx, ref.kind, ref.name, ref.namespace) : (await list(ctx, ref.kind, ref.namespace, ref.selector))[0];
    if (here) return undefined;
    const elsewhere = [...ctx.namespaces, 'default'].filter((n, i, all) => n !== ref.namespace && all.indexOf(n) === i);
    let found: KubeObject | undefined;
    for (const ns of elsewhere) {
      found = ref.name ? await getObject(ctx, ref.kind, ref.name, ns) : (await list(ctx, ref.kind, ns, ref.selector))[0];
      if (found) break;
    }
    if (!found) {
      // Last, every namespace: a real cluster may refuse the list, and then there is nothing to say.
      found = (await list(ctx, ref.kind, undefined, ref.selector)).find((o) => (!ref.name || nameOf(o) === ref.name) && namespaceOfObject(o) !== ref.namespace);
    }
    if (!found) return undefined;
    const other = namespaceOfObject(found);
    const name = nameOf(found);
    const again = createdWithoutNamespace(ctx, name);
    return {
      detector: this.id,
      mistake: `${r.kind} ${name} is in namespace ${other}, not in ${ref.namespace} where the task looks for it${again ? ': the command had no -n, so kubectl used your context\'s namespace' : ''}. Create it again in ${ref.namespace} (and delete the one in ${other}).`,
      fix: again ? `${again} -n ${ref.namespace}` : `kubectl get ${r.name} ${name} -n ${other} -o yaml, then create it again with -n ${ref.namespace}`,
    };
  },
};

export const nameNearMiss: Detector = {
  id: 'name-near-miss',
  about: 'an object whose name is a slip away from the one the check names (`web-app` where `webapp` is checked)',
  async detect(ctx) {
    const ref = checkRef(ctx);
    if (!ref?.name) return undefined;
    if (await getObject(ctx, ref.kind, ref.name, ref.namespace)) return undefined;
    const r = await resource(ctx, ref.kind);
    const names = (await list(ctx, ref.kind, r.namespaced ? ref.namespace : undefined)).map(nameOf);
    const near = nearest(ref.name, names);
    if (!near) return undefined;
    const ns = r.namespaced ? ` -n ${ref.namespace}` : '';
    return {
      detector: this.id,
      mistake: `There is no ${r.kind} named ${ref.name}${r.namespaced ? ` in namespace ${ref.namespace}` : ''}, but there is ${near}: a slip in the name? An object cannot be renamed: create it again as ${ref.name}, then delete ${near}.`,
      fix: `kubectl get ${r.name} ${near}${ns} -o yaml > ${ref.name}.yaml, change metadata.name to ${ref.name}, kubectl apply -f ${ref.name}.yaml, then kubectl delete ${r.name} ${near}${ns}`,
    };
  },
};

/** How a set of labels misses the selector's pairs by a slip: undefined unless every pair is met or nearly met. */
function labelSlips(labels: Record<string, string>, pairs: Array<[string, string]>): Array<{ want: [string, string]; has: [string, string] }> | undefined {
  const slips: Array<{ want: [string, string]; has: [string, string] }> = [];
  for (const [k, v] of pairs) {
    const value = Object.prototype.hasOwnProperty.call(labels, k) ? labels[k] : undefined;
    if (value === v) continue;
    if (value !== undefined) {
      if (editDistance(value.toLowerCase(), v.toLowerCase()) > slipBudget(v)) return undefined;
      slips.push({ want: [k, v], has: [k, value] });
      continue;
    }
    const key = Object.keys(labels).find((l) => editDistance(l.toLowerCase(), k.toLowerCase()) <= slipBudget(k) && (labels[l] === v || editDistance(labels[l], v) <= slipBudget(v)));
    if (!key) return undefined;
    slips.push({ want: [k, v], has: [key, labels[key]] });
  }
  return slips.length ? slips : undefined;
}

export const labelNearMiss: Detector = {
  id: 'label-near-miss',
  about: 'objects whose label key or value is a slip away from what the check selects (`ap=web`, `app=webb`)',
  async detect(ctx) {
    const ref = checkRef(ctx);
    const pairs = ref?.selector ? equalitySelector(ref.selector) : undefined;
    if (!ref || !pairs?.length) return undefined;
    if ((await list(ctx, ref.kind, ref.namespace, ref.selector)).length) return undefined;
    const r = await resource(ctx, ref.kind);
    for (const o of await list(ctx, ref.kind, ref.namespace)) {
      const slips = labelSlips(o.metadata?.labels ?? {}, pairs);
      if (!slips) continue;
      const name = nameOf(o);
      const has = slips.map((s) => `${s.has[0]}=${s.has[1]}`).join(',');
      const want = slips.map((s) => `${s.want[0]}=${s.want[1]}`).join(',');
      const drop = slips.filter((s) => s.has[0] !== s.want[0]).map((s) => ` ${s.has[0]}-`).join('');
      const owner = (o.metadata?.ownerReferences as Array<{ kind: string; name: string; controller?: boolean }> | undefined)?.find((x) => x.controller);
      return {
        detector: this.id,
        mistake: `Nothing in namespace ${ref.namespace} has the labels ${ref.selector}, but ${r.kind} ${name} has ${has}: a slip in the label${owner ? `. Its labels come from ${owner.kind} ${owner.name}'s template, so change them there` : ''}.`,
        fix: owner ? `kubectl edit ${owner.kind.toLowerCase()} ${owner.name} -n ${ref.namespace} (the labels under spec.template.metadata.labels)` : `kubectl label ${r.name} ${name} ${want}${drop} --overwrite -n ${ref.namespace}`,
      };
    }
    return undefined;
  },
};

/** The key a `{.data.KEY}` path reads, if that is all it reads. */
export function dataKey(path: string): string | undefined {
  const m = /^\{?\.(?:data|stringData|binaryData)(?:\.((?:\\.|[^.[\]{}\\])+)|\[['"]([^'"]+)['"]\])\}?$/.exec(path.trim());
  if (!m) return undefined;
  return m[2] ?? m[1].replace(/\\(.)/g, '$1');
}

export const keyNearMiss: Detector = {
  id: 'key-near-miss',
  about: 'a ConfigMap or Secret key a slip away from the one the check reads',
  async detect(ctx) {
    const check = ctx.check;
    if (!check || !('field' in check) || !check.field.name) return undefined;
    const ref = checkRef(ctx)!;
    const r = await resource(ctx, ref.kind);
    if (r.kind !== 'ConfigMap' && r.kind !== 'Secret') return undefined;
    const key = dataKey(check.field.path);
    if (!key) return undefined;
    const obj = await getObject(ctx, ref.kind, check.field.name, ref.namespace);
    if (!obj) return undefined;
    const keys = [...Object.keys((obj.data as Record<string, string> | undefined) ?? {}), ...Object.keys((obj.binaryData as Record<string, string> | undefined) ?? {})];
    if (keys.includes(key)) return undefined;
    const near = nearest(key, keys);
    if (!near) return undefined;
    return {
      detector: this.id,
      mistake: `${r.kind} ${nameOf(obj)} has no key ${key}, but it has ${near}: a slip in the key's name.`,
      fix: `kubectl edit ${r.name} ${nameOf(obj)} -n ${ref.namespace} (rename the key ${near} to ${key})`,
    };
  },
};

const SCALABLE = ['Deployment', 'StatefulSet', 'ReplicaSet'];

export const replicasDiffer: Detector = {
  id: 'replicas-differ',
  about: 'a workload that asks for another number of replicas than the task wants',
  async detect(ctx) {
    const check = ctx.check;
    const ref = checkRef(ctx);
    if (!check || !ref) return undefined;
    let want: number | undefined;
    let atLeast = false;
    let workloads: KubeObject[] = [];
    let kind = '';
    if ('field' in check && /^\{?\.spec\.replicas\}?$/.test(check.field.path) && check.field.name) {
      kind = (await resource(ctx, ref.kind)).kind;
      if (!SCALABLE.includes(kind)) return undefined;
      want = check.field.equals !== undefined ? Number(check.field.equals) : check.field.atLeast;
      atLeast = check.field.equals === undefined;
      const one = await getObject(ctx, ref.kind, check.field.name, ref.namespace);
      workloads = one ? [one] : [];
    } else if ('count' in check && ref.selector) {
      if ((await resource(ctx, ref.kind)).kind !== 'Pod') return undefined;
      const pairs = equalitySelector(ref.selector);
      want = check.count.equals !== undefined ? Number(check.count.equals) : check.count.atLeast;
      atLeast = check.count.equals === undefined;
      if (!pairs) return undefined;
      for (const k of ['deployments', 'statefulsets']) {
        for (const w of await list(ctx, k, ref.namespace)) {
          const labels = (w.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template?.metadata?.labels ?? {};
          if (pairs.every(([lk, lv]) => own(labels, lk) === lv)) workloads.push({ ...w, kind: k === 'deployments' ? 'Deployment' : 'StatefulSet' });
        }
      }
    }
    if (want === undefined || !Number.isFinite(want) || workloads.length !== 1) return undefined;
    const w = workloads[0];
    kind ||= w.kind ?? 'Deployment';
    const has = (w.spec as { replicas?: number } | undefined)?.replicas ?? 1;
    if (atLeast ? has >= want : has === want) return undefined;
    // A check with its own sentence may keep the number to itself: say it only when the learner has read it.
    if (ctx.check?.says && !(ctx.failure ?? '').includes(String(want))) {
      return {
        detector: this.id,
        mistake: `${kind} ${nameOf(w)} asks for ${has} replica${has === 1 ? '' : 's'}, not the number the task wants.`,
        fix: `kubectl scale ${kind.toLowerCase()} ${nameOf(w)} --replicas=N -n ${ref.namespace}`,
      };
    }
    return {
      detector: this.id,
      mistake: `${kind} ${nameOf(w)} asks for ${has} replica${has === 1 ? '' : 's'}; the task wants ${atLeast ? 'at least ' : ''}${want}.`,
      fix: `kubectl scale ${kind.toLowerCase()} ${nameOf(w)} --replicas=${want} -n ${ref.namespace}`,
    };
  },
};

export const PLACEMENT_DETECTORS: readonly Detector[] = [otherNamespace, nameNearMiss, labelNearMiss, keyNearMiss, replicasDiffer];

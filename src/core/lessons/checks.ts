// Grading a task: each check reads what it needs through the Kubernetes API (observe), then a pure
// comparison decides (judge). Nothing here looks inside the simulator, so a real cluster grades the
// same way. A failing check says what is missing, never what to type: neither its label nor its
// message states a value the check expects (those belong to the solution); a message may quote
// what the learner has.
import type { KubeClient, KubeObject } from '../kube/client.js';
import { ApiStatusError } from '../kube/client.js';
import { LearnerError } from '../problems.js';
import { printValue, select } from './jsonpath.js';
import type { Check, CheckKind, Expectation, ObjectRef } from './types.js';
import { own } from '../own.js';

export interface CheckResult {
  /** What the check asks, in a few words: `Pod web is Running`; the author's `label` when given. */
  label: string;
  passed: boolean;
  /** Why it failed, for the learner; empty when it passed. */
  message: string;
}

export interface CheckContext {
  client: KubeClient;
  /** The lesson's default namespace. */
  namespace: string;
}

export function checkKind(check: Check): CheckKind {
  const kind = Object.keys(check).find((k) => k !== 'says' && k !== 'label');
  if (!kind) throw new LearnerError('a check names no kind', 'A check is one of exists, absent, field, count, pod, condition, event, endpoints, canI, exec.');
  return kind as CheckKind;
}

export async function runChecks(checks: Check[], ctx: CheckContext): Promise<CheckResult[]> {
  return Promise.all(checks.map((c) => runCheck(c, ctx)));
}

export async function runCheck(check: Check, ctx: CheckContext): Promise<CheckResult> {
  const label = check.label ?? labelOf(check, ctx.namespace);
  let failure: string | undefined;
  try {
    failure = await evaluate(check, ctx);
  } catch (err) {
    if (err instanceof LearnerError || err instanceof ApiStatusError) failure = err.message;
    else throw err;
  }
  if (failure === undefined) return { label, passed: true, message: '' };
  return { label, passed: false, message: check.says ?? failure };
}

/** Undefined when the check holds; otherwise why not. */
async function evaluate(check: Check, ctx: CheckContext): Promise<string | undefined> {
  const { client } = ctx;
  if ('exists' in check) {
    const found = await objects(client, check.exists, ctx.namespace);
    return found.length ? undefined : `${missing(check.exists, ctx.namespace)} yet.`;
  }
  if ('absent' in check) {
    const found = await objects(client, check.absent, ctx.namespace);
    return found.length ? `${describe(check.absent, ctx.namespace)} still exists.` : undefined;
  }
  if ('field' in check) {
    const f = check.field;
    const found = await objects(client, f, ctx.namespace);
    if (!found.length) return `${missing(f, ctx.namespace)}, so its ${pathWords(f.path)} cannot be checked.`;
    const value = select(found[0], f.path);
    const shown = value.map(printValue).join(' ');
    const why = unmet(value.length ? shown : undefined, f);
    return why && `${who(f, found[0])}: ${pathWords(f.path)} ${value.length ? `is ${quote(shown)}` : 'is not set'}, ${why}.`;
  }
  if ('count' in check) {
    const c = check.count;
    let found = await objects(client, c, ctx.namespace);
    if (c.phase) found = found.filter((o) => (o.status as { phase?: string } | undefined)?.phase === c.phase);
    if (c.ready !== undefined) found = found.filter((o) => isReady(o) === c.ready);
    const what = `${found.length} ${plural(c.kind, found.length)}${c.selector ? ` with ${c.selector}` : ''}${c.phase ? ` ${c.phase}` : ''}${c.ready === true ? ' ready' : c.ready === false ? ' not ready' : ''} in namespace ${c.namespace ?? ctx.namespace}`;
    const why = unmet(found.length, c);
    return why && `There are ${what}, ${why}.`;
  }
  if ('pod' in check) {
    const p = check.pod;
    const pods = await objects(client, { ...p, kind: 'pods' }, ctx.namespace);
    if (!pods.length) return `${missing({ ...p, kind: 'Pod' }, ctx.namespace)} yet.`;
    for (const pod of pods) {
      const why = podUnmet(pod, p);
      if (why) return `Pod ${pod.metadata?.name} ${why}.`;
    }
    return undefined;
  }
  if ('condition' in check) {
    const c = check.condition;
    const found = await objects(client, c, ctx.namespace);
    if (!found.length) return `${missing(c, ctx.namespace)} yet.`;
    const want = c.status ?? 'True';
    const conds = ((found[0].status as { conditions?: Array<{ type: string; status: string; reason?: string }> } | undefined)?.conditions ?? []);
    const cond = conds.find((x) => x.type === c.type);
    if (!cond) return `${who(c, found[0])} has no ${c.type} condition yet.`;
    if (cond.status !== want) return `${who(c, found[0])}: ${c.type} is ${cond.status}${cond.reason ? ` (${cond.reason})` : ''}, not ${want} yet.`;
    if (c.reason && cond.reason !== c.reason) return `${who(c, found[0])}: ${c.type} has ${cond.reason ? `reason ${cond.reason}` : 'no reason'}, which is not the one the task asks.`;
    return undefined;
  }
  if ('event' in check) {
    const e = check.event;
    const ns = e.namespace ?? ctx.namespace;
    const events = await client.list('events', { namespace: ns });
    const kind = e.kind ? (await client.resolve(e.kind)).kind : undefined;
    const hit = events.some((ev) => {
      const inv = ev.involvedObject as { kind?: string; name?: string } | undefined;
      return ev.reason === e.reason && (!kind || inv?.kind === kind) && (!e.name || inv?.name === e.name) && (!e.messageContains || String(ev.message ?? '').includes(e.messageContains));
    });
    return hit ? undefined : `No ${e.reason} event${e.name ? ` for ${kind ?? ''} ${e.name}`.replace('  ', ' ') : ''} in namespace ${ns} yet.`;
  }
  if ('endpoints' in check) {
    const e = check.endpoints;
    const ns = e.namespace ?? ctx.namespace;
    const svc = await client.get('services', e.service, ns);
    if (!svc) return `There is no Service named ${e.service} in namespace ${ns} yet.`;
    const ep = await client.get('endpoints', e.service, ns);
    const subsets = (ep?.subsets as Array<{ addresses?: unknown[]; ports?: Array<{ port: number }> }> | undefined) ?? [];
    const ready = subsets.filter((s) => !e.port || (s.ports ?? []).some((p) => p.port === e.port)).reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
    const need = e.atLeast ?? 1;
    if (ready >= need) return undefined;
    return `Service ${e.service} has ${ready} ready endpoint${ready === 1 ? '' : 's'}${e.port ? ` on port ${e.port}` : ''}; it needs ${need}. Do its selector and the pods' labels match, and are those pods ready?`;
  }
  if ('canI' in check) {
    const a = check.canI;
    const namespace = a.namespace ?? ctx.namespace;
    const allowed = await client.canI({ ...a, namespace });
    if (allowed === a.expect) return undefined;
    const subject = a.as ?? 'you';
    const act = `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.name ? ` ${a.name}` : ''} in namespace ${namespace}`;
    return a.expect ? `${subject} cannot ${act} yet, and should be able to.` : `${subject} can ${act}, and should not be able to.`;
  }
  if ('exec' in check) {
    const x = check.exec;
    const pods = await objects(client, { ...x, kind: 'pods' }, ctx.namespace);
    if (!pods.length) return `${missing({ ...x, kind: 'Pod' }, ctx.namespace)} yet.`;
    const pod = pods[0];
    if ((pod.status as { phase?: string } | undefined)?.phase !== 'Running') return `Pod ${pod.metadata?.name} is not running yet, so \`${x.command.join(' ')}\` cannot run in it.`;
    const container = x.container ?? (pod.spec as { containers: Array<{ name: string }> }).containers[0].name;
    const r = await client.exec(pod.metadata!.namespace!, pod.metadata!.name!, container, x.command);
    const cmd = `\`${x.command.join(' ')}\` in pod ${pod.metadata?.name}`;
    if (x.exitCode !== undefined && r.exitCode !== x.exitCode) return `${cmd} exited with ${r.exitCode}, ${x.exitCode === 0 ? 'and should succeed' : 'not the code the task asks'}${r.stderr ? `: ${r.stderr.trim().split('\n')[0]}` : ''}.`;
    const out = r.stdout.replace(/\n$/, '');
    const why = unmet(out, x);
    return why && `${cmd} printed ${quote(clip(out))}, ${why}.`;
  }
  throw new LearnerError(`unknown check "${Object.keys(check).join(', ')}"`, 'A check is one of exists, absent, field, count, pod, condition, event, endpoints, canI, exec.');
}

async function objects(client: KubeClient, ref: ObjectRef, defaultNs: string): Promise<KubeObject[]> {
  const namespace = ref.namespace ?? defaultNs;
  if (ref.name) {
    const one = await client.get(ref.kind, ref.name, namespace);
    return one ? [one] : [];
  }
  return client.list(ref.kind, { namespace, labelSelector: ref.selector });
}

/**
 * Why the value falls short of the expectation, or undefined when it meets it: a clause that
 * follows what the learner has ("is `2`, …"), never naming the value expected. Pure.
 */
export function unmet(value: unknown, e: Expectation): string | undefined {
  if (e.unset) return value === undefined ? undefined : 'and it should not be set';
  const s = value === undefined ? undefined : String(value);
  const n = typeof value === 'number' ? value : s !== undefined && s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined;
  const other = s === undefined ? 'and the task asks for it' : 'which is not what the task asks';
  if (e.equals !== undefined && s !== String(e.equals)) return other;
  if (e.notEquals !== undefined && s === String(e.notEquals)) return 'which is what the task asks to change';
  if (e.oneOf !== undefined && (s === undefined || !e.oneOf.map(String).includes(s))) return other;
  if (e.matches !== undefined && (s === undefined || !new RegExp(e.matches).test(s))) return other;
  if (e.contains !== undefined && (s === undefined || !s.includes(e.contains))) return s === undefined ? other : 'which lacks what the task asks for';
  if (e.notContains !== undefined && s !== undefined && s.includes(e.notContains)) return 'which still holds what the task asks to remove';
  if (e.atLeast !== undefined && (n === undefined || n < e.atLeast)) return n === undefined ? other : 'fewer than the task asks';
  if (e.atMost !== undefined && (n === undefined || n > e.atMost)) return n === undefined ? other : 'more than the task asks';
  return undefined;
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string }; running?: unknown };
  lastState?: { terminated?: { reason?: string } };
}

/** Why a pod is not as the check wants it, or undefined. Pure. */
export function podUnmet(pod: KubeObject, p: { phase?: string; ready?: boolean; condition?: string; restartsAtLeast?: number; reason?: string }): string | undefined {
  const status = (pod.status ?? {}) as { phase?: string; conditions?: Array<{ type: string; status: string }>; containerStatuses?: ContainerStatus[] };
  const statuses = status.containerStatuses ?? [];
  if (p.phase && status.phase !== p.phase) return `is ${status.phase ?? 'Pending'}, not ${p.phase} yet`;
  if (p.ready !== undefined && isReady(pod) !== p.ready) return p.ready ? 'is not ready yet' : 'is ready, and should not be';
  if (p.condition && !(status.conditions ?? []).some((c) => c.type === p.condition && c.status === 'True')) return `does not have the ${p.condition} condition yet`;
  if (p.restartsAtLeast !== undefined) {
    const restarts = statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0);
    if (restarts < p.restartsAtLeast) return `has restarted ${restarts} time${restarts === 1 ? '' : 's'}, fewer than ${p.restartsAtLeast}`;
  }
  if (p.reason) {
    const reasons = statuses.flatMap((c) => [c.state?.waiting?.reason, c.state?.terminated?.reason, c.lastState?.terminated?.reason]).filter(Boolean);
    if (!reasons.includes(p.reason)) return `shows no container in ${p.reason}${reasons.length ? ` (it shows ${[...new Set(reasons)].join(', ')})` : ''}`;
  }
  return undefined;
}

function isReady(o: KubeObject): boolean {
  const conds = (o.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * A few words naming what the check asks, for check lists, made from the check when its author
 * gave no `label`: the object and the field or command it looks at, never the value expected. Pure.
 */
export function labelOf(check: Check, ns: string): string {
  if ('exists' in check) return `${describe(check.exists, ns)} exists`;
  if ('absent' in check) return `${describe(check.absent, ns)} is gone`;
  if ('field' in check) return `${pathWords(check.field.path)} of ${describe(check.field, ns)}${check.field.unset ? ' is not set' : ''}`;
  if ('count' in check) {
    const c = check.count;
    const state = [c.phase, c.ready === true ? 'ready' : c.ready === false ? 'not ready' : undefined].filter(Boolean).join(' and ');
    return `how many ${plural(c.kind, 2)}${c.selector ? ` with ${c.selector}` : ''}${state ? ` are ${state}` : ' there are'}${c.namespace ? ` in ${c.namespace}` : ''}`;
  }
  if ('pod' in check) {
    const p = check.pod;
    const want = [p.phase, p.ready === true ? 'ready' : p.ready === false ? 'not ready' : undefined, p.condition, p.reason, p.restartsAtLeast !== undefined ? `restarted ${p.restartsAtLeast}+ times` : undefined].filter(Boolean).join(', ');
    return `${describe({ ...p, kind: 'Pod' }, ns)} is ${want || 'there'}`;
  }
  if ('condition' in check) return `the ${check.condition.type} condition of ${describe(check.condition, ns)} is ${check.condition.status ?? 'True'}`;
  if ('event' in check) return `${/^[AEIOU]/.test(check.event.reason) ? 'an' : 'a'} ${check.event.reason} event${check.event.name ? ` for ${check.event.name}` : ''}`;
  if ('endpoints' in check) {
    const e = check.endpoints;
    return `Service ${e.service} has ${(e.atLeast ?? 1) > 1 ? `at least ${e.atLeast} ready endpoints` : 'a ready endpoint'}${e.port ? ` on port ${e.port}` : ''}`;
  }
  if ('canI' in check) {
    const a = check.canI;
    return `${a.as ?? 'you'} ${a.expect ? 'can' : 'cannot'} ${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''}`;
  }
  if ('exec' in check) {
    const x = check.exec;
    const valued = [x.equals, x.notEquals, x.matches, x.contains, x.notContains, x.atLeast, x.atMost, x.oneOf].some((v) => v !== undefined);
    const cmd = `\`${x.command.join(' ')}\` in ${describe({ ...x, kind: 'Pod' }, ns)}`;
    const exit = x.exitCode === undefined ? '' : x.exitCode === 0 ? 'succeeds' : `exits with code ${x.exitCode}`;
    if (!valued) return `${cmd} ${exit || 'runs'}`;
    return `what ${cmd} prints${exit ? `, and it ${exit}` : ''}`;
  }
  return 'an unknown check';
}

/** A JSONPath as words: `{.data.system}` → `data.system`, quoted as code. */
export function pathWords(path: string): string {
  const inner = path.trim().replace(/^\{\s*/, '').replace(/\s*\}$/, '').replace(/\}\s*\{/g, ', ').replace(/^\$?\./, '');
  return `\`${inner || 'the object'}\``;
}

/** What the learner has, quoted as code (empty shown as such). */
function quote(s: string): string {
  return s === '' ? 'empty' : `\`${s}\``;
}

function describe(ref: ObjectRef, ns: string): string {
  const kind = displayKind(ref.kind);
  const where = ref.namespace ?? ns;
  if (ref.name) return `${kind} ${ref.name}`;
  return `a ${kind}${ref.selector ? ` with ${ref.selector}` : ''} in ${where}`;
}

function missing(ref: ObjectRef, ns: string): string {
  const kind = displayKind(ref.kind);
  const where = ref.namespace ?? ns;
  if (ref.name) return `There is no ${kind} named ${ref.name} in namespace ${where}`;
  return `There is no ${kind}${ref.selector ? ` with labels ${ref.selector}` : ''} in namespace ${where}`;
}

function who(ref: ObjectRef, obj: KubeObject): string {
  return `${displayKind(ref.kind)} ${obj.metadata?.name ?? ref.name}`;
}

const KIND_NAMES: Record<string, string> = {
  po: 'Pod', pod: 'Pod', pods: 'Pod', deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment',
  svc: 'Service', service: 'Service', services: 'Service', rs: 'ReplicaSet', replicaset: 'ReplicaSet', replicasets: 'ReplicaSet',
  rc: 'ReplicationController', cm: 'ConfigMap', configmap: 'ConfigMap', configmaps: 'ConfigMap', secret: 'Secret', secrets: 'Secret',
  ns: 'Namespace', namespace: 'Namespace', namespaces: 'Namespace', no: 'Node', node: 'Node', nodes: 'Node', ds: 'DaemonSet', daemonset: 'DaemonSet', daemonsets: 'DaemonSet',
  sts: 'StatefulSet', statefulset: 'StatefulSet', statefulsets: 'StatefulSet', job: 'Job', jobs: 'Job', cj: 'CronJob', cronjob: 'CronJob', cronjobs: 'CronJob',
  pv: 'PersistentVolume', pvc: 'PersistentVolumeClaim', sa: 'ServiceAccount', serviceaccount: 'ServiceAccount', serviceaccounts: 'ServiceAccount',
  ing: 'Ingress', ingress: 'Ingress', ingresses: 'Ingress', quota: 'ResourceQuota', resourcequota: 'ResourceQuota', resourcequotas: 'ResourceQuota', limits: 'LimitRange', limitrange: 'LimitRange',
  role: 'Role', roles: 'Role', rolebinding: 'RoleBinding', rolebindings: 'RoleBinding', clusterrole: 'ClusterRole', clusterroles: 'ClusterRole', clusterrolebinding: 'ClusterRoleBinding', clusterrolebindings: 'ClusterRoleBinding',
  ep: 'Endpoints', endpoints: 'Endpoints', ev: 'Event', events: 'Event', pdb: 'PodDisruptionBudget', hpa: 'HorizontalPodAutoscaler', netpol: 'NetworkPolicy', sc: 'StorageClass',
};

/** The kind as a person reads it (`deploy` → Deployment). */
export function displayKind(kind: string): string {
  const k = kind.split('.')[0];
  return own<string>(KIND_NAMES, k.toLowerCase()) ?? k.charAt(0).toUpperCase() + k.slice(1);
}

function plural(kind: string, n: number): string {
  const k = displayKind(kind);
  if (n === 1) return k;
  return k.endsWith('s') ? `${k}es` : k.endsWith('y') ? `${k.slice(0, -1)}ies` : `${k}s`;
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}

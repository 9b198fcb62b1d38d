// What a diagnosis looks at: the object the failing check names, or the one the last command acted
// on, and the lesson's pods. Lists are read once per diagnosis and shared by every detector.
import type { KubeObject } from '../../kube/client.js';
import type { Check, ObjectRef } from '../types.js';
import { isKubectl, namespaceOf, parseCommand, targetOf, type ParsedCommand } from './command.js';
import type { DiagnoseContext } from './types.js';

const memo = new WeakMap<DiagnoseContext, Map<string, Promise<unknown>>>();

/** Reads once per context: every detector asking the same question shares one request. */
export function once<T>(ctx: DiagnoseContext, key: string, read: () => Promise<T>): Promise<T> {
  let m = memo.get(ctx);
  if (!m) memo.set(ctx, (m = new Map()));
  let p = m.get(key) as Promise<T> | undefined;
  if (!p) m.set(key, (p = read()));
  return p;
}

export function list(ctx: DiagnoseContext, kind: string, namespace?: string, labelSelector?: string): Promise<KubeObject[]> {
  return once(ctx, `list ${kind} ${namespace ?? '*'} ${labelSelector ?? ''}`, () => ctx.client.list(kind, { namespace, labelSelector }));
}

export function getObject(ctx: DiagnoseContext, kind: string, name: string, namespace?: string): Promise<KubeObject | undefined> {
  return once(ctx, `get ${kind} ${namespace ?? ''} ${name}`, () => ctx.client.get(kind, name, namespace));
}

/** The pods of every lesson namespace. */
export async function lessonPods(ctx: DiagnoseContext): Promise<KubeObject[]> {
  const all = await Promise.all(ctx.namespaces.map((ns) => list(ctx, 'pods', ns)));
  return all.flat();
}

const parsed = new WeakMap<DiagnoseContext, ParsedCommand | undefined>();

/** The last command, parsed once per context: every detector reads it. */
export function lastCommand(ctx: DiagnoseContext): ParsedCommand | undefined {
  if (!ctx.last) return undefined;
  if (!parsed.has(ctx)) parsed.set(ctx, parseCommand(ctx.last.line));
  return parsed.get(ctx);
}

/** The last command when it ran kubectl (by name, path, versioned binary or the `k` alias). */
export function lastKubectl(ctx: DiagnoseContext): ParsedCommand | undefined {
  const cmd = lastCommand(ctx);
  return cmd && isKubectl(cmd.program) ? cmd : undefined;
}

/** What the last command printed, stderr and stdout together. */
export function lastOutput(ctx: DiagnoseContext): string {
  return ctx.last?.output ?? '';
}

/** The object a check names, as an ObjectRef with its namespace filled in. */
export function checkRef(ctx: DiagnoseContext, check: Check | undefined = ctx.check): (ObjectRef & { namespace: string }) | undefined {
  if (!check) return undefined;
  const withNs = (r: ObjectRef) => ({ ...r, namespace: r.namespace ?? ctx.namespace });
  if ('exists' in check) return withNs(check.exists);
  if ('absent' in check) return undefined;
  if ('field' in check) return withNs(check.field);
  if ('count' in check) return withNs(check.count);
  if ('condition' in check) return withNs(check.condition);
  if ('pod' in check) return withNs({ ...check.pod, kind: check.pod.kind ?? 'pods' });
  if ('exec' in check) return withNs({ ...check.exec, kind: check.exec.kind ?? 'pods' });
  if ('endpoints' in check) return withNs({ kind: 'services', name: check.endpoints.service, namespace: check.endpoints.namespace });
  return undefined;
}

/** The object the last command acted on, with the namespace it ran in. */
export function commandRef(ctx: DiagnoseContext): { kind: string; name?: string; namespace: string } | undefined {
  const cmd = lastKubectl(ctx);
  if (!cmd) return undefined;
  const ns = namespaceOf(cmd, ctx.namespace);
  const verb = cmd.command[0];
  if (verb === 'run' && cmd.args[0]) return { kind: 'pods', name: cmd.args[0], namespace: ns };
  if (verb === 'create' && cmd.command.length > 1 && cmd.args[0]) return { kind: cmd.command[1] === 'secret' ? 'secrets' : cmd.command[1] === 'service' ? 'services' : cmd.command[1], name: cmd.args[0], namespace: ns };
  if (verb === 'logs' || verb === 'exec' || verb === 'attach') {
    const t = targetOf(cmd);
    if (!t) return undefined;
    return t.name ? { kind: t.kind, name: t.name, namespace: ns } : { kind: 'pods', name: t.kind, namespace: ns };
  }
  const t = targetOf(cmd);
  return t && { ...t, namespace: ns };
}

export function nameOf(o: KubeObject): string {
  return o.metadata?.name ?? '';
}

export function namespaceOfObject(o: KubeObject): string {
  return o.metadata?.namespace ?? '';
}

/** `app=web,tier=front` as pairs; undefined when the selector uses more than equality. */
export function equalitySelector(selector: string): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = [];
  for (const part of selector.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^=!\s()]+)\s*==?\s*([^=!\s()]*)$/.exec(part);
    if (!m) return undefined;
    pairs.push([m[1], m[2]]);
  }
  return pairs;
}

/** Whether labels hold every pair of a selector map. */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || !Object.keys(selector).length) return false;
  return Object.entries(selector).every(([k, v]) => Object.prototype.hasOwnProperty.call(labels ?? {}, k) && labels![k] === v);
}

export function labelText(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '(no labels)';
}

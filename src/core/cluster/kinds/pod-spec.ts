// Shared by Pod and every kind with a pod template: defaults and validation of a PodSpec, after
// pkg/apis/core/v1/defaults.go and pkg/apis/core/validation.
import { fieldError, type FieldError } from '../errors.js';
import type { KindContext, Unstructured } from './types.js';
import { isDNS1123Label, validateLabels } from '../validation/names.js';
import { canonicalQuantity, compareQuantities, quantityFromJSON, validateNonnegativeQuantity } from '../validation/quantity.js';
import { PULL_POLICIES, isValidPortNum, validateEnvVarName, validateProtocol } from '../validation/ports.js';
import { own } from '../own.js';


const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];

/** Always for `:latest` or an untagged image, IfNotPresent otherwise, as defaulting decides. */
export function defaultPullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.split('/').pop() ?? '';
  const tag = last.includes(':') ? last.split(':').pop() : undefined;
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Unstructured | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) p.httpGet.scheme ??= 'HTTP';
}

function defaultContainer(c: Unstructured): void {
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  // Requests default to limits when only limits are given.
  if (c.resources.limits) c.resources.requests = { ...c.resources.limits, ...(c.resources.requests ?? {}) };
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.fieldRef;
    if (ref) ref.apiVersion ??= 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

/** Defaults a PodSpec in place, as the apiserver's defaulting does. */
export function defaultPodSpec(spec: Unstructured): void {
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) defaultContainer(c);
  for (const v of spec.volumes ?? []) {
    if (v.configMap) v.configMap.defaultMode ??= 420;
    if (v.secret) v.secret.defaultMode ??= 420;
    if (v.projected) v.projected.defaultMode ??= 420;
    if (v.downwardAPI) v.downwardAPI.defaultMode ??= 420;
    if (v.hostPath) v.hostPath.type ??= '';
  }
}

const BYTE_DIVISORS = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];
/** The divisors the downward API accepts for each resource: CPU in cores or millicores, bytes in powers of 10 or 2. */
const DIVISORS: Record<string, { allowed: string[]; says: string }> = {
  cpu: { allowed: ['1m', '1'], says: "only divisor's values 1m and 1 are supported with the cpu resource" },
  memory: { allowed: BYTE_DIVISORS, says: `only divisor's values ${BYTE_DIVISORS.join(', ')} are supported with the memory resource` },
  'ephemeral-storage': { allowed: BYTE_DIVISORS, says: `only divisor's values ${BYTE_DIVISORS.join(', ')} are supported with the local ephemeral storage resource` },
};

/** A resourceFieldRef's divisor, which must be one the resource can be expressed in (zero or unset: 1). */
function validateDivisor(ref: Unstructured, field: string): FieldError[] {
  if (ref.divisor === undefined || typeof ref.resource !== 'string') return [];
  const [which, res] = ref.resource.split('.');
  const rule = which === 'limits' || which === 'requests' ? own<{ allowed: string[]; says: string }>(DIVISORS, res) : undefined;
  if (!rule) return [];
  let divisor: string;
  try {
    divisor = canonicalQuantity(ref.divisor);
  } catch {
    return validateNonnegativeQuantity(ref.divisor, `${field}.divisor`);
  }
  if (divisor === '0' || rule.allowed.includes(divisor)) return [];
  return [fieldError.invalid(`${field}.divisor`, ref.resource, rule.says)];
}

function validateQuantities(map: Unstructured | undefined, field: string, errs: FieldError[]): void {
  for (const [k, v] of Object.entries(map ?? {})) errs.push(...validateNonnegativeQuantity(v, `${field}[${k}]`));
}

/** Whether request > limit, for two well-formed quantities (malformed ones are reported elsewhere). */
function exceeds(request: unknown, limit: unknown): boolean {
  try {
    return compareQuantities(quantityFromJSON(request), quantityFromJSON(limit)) > 0;
  } catch {
    return false;
  }
}

function validateContainers(list: Unstructured[] | undefined, field: string, volumes: Set<string>, names: Set<string>, required: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (required && (!Array.isArray(list) || list.length === 0)) {
    errs.push(fieldError.required(field, ''));
    return errs;
  }
  (list ?? []).forEach((c, i) => {
    const f = `${field}[${i}]`;
    if (!c.name) errs.push(fieldError.required(`${f}.name`, ''));
    else {
      for (const msg of isDNS1123Label(c.name)) errs.push(fieldError.invalid(`${f}.name`, c.name, msg));
      if (names.has(c.name)) errs.push(fieldError.duplicate(`${f}.name`, c.name));
      names.add(c.name);
    }
    if (!c.image) errs.push(fieldError.required(`${f}.image`, ''));
    if (c.imagePullPolicy && !PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(fieldError.notSupported(`${f}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
    (c.ports ?? []).forEach((p: Unstructured, j: number) => {
      const pf = `${f}.ports[${j}]`;
      if (p.containerPort === undefined) errs.push(fieldError.required(`${pf}.containerPort`, ''));
      else for (const msg of isValidPortNum(p.containerPort)) errs.push(fieldError.invalid(`${pf}.containerPort`, p.containerPort, msg));
      if (p.protocol !== undefined) errs.push(...validateProtocol(p.protocol, `${pf}.protocol`));
    });
    (c.env ?? []).forEach((e: Unstructured, j: number) => {
      if (!e.name) errs.push(fieldError.required(`${f}.env[${j}].name`, ''));
      else errs.push(...validateEnvVarName(e.name, `${f}.env[${j}].name`));
      const rf = e.valueFrom?.resourceFieldRef;
      if (rf) errs.push(...validateDivisor(rf, `${f}.env[${j}].valueFrom.resourceFieldRef`));
    });
    (c.volumeMounts ?? []).forEach((m: Unstructured, j: number) => {
      if (!m.name) errs.push(fieldError.required(`${f}.volumeMounts[${j}].name`, ''));
      else if (!volumes.has(m.name)) errs.push(fieldError.notFound(`${f}.volumeMounts[${j}].name`, m.name));
      if (!m.mountPath) errs.push(fieldError.required(`${f}.volumeMounts[${j}].mountPath`, ''));
    });
    const res = c.resources ?? {};
    validateQuantities(res.requests, `${f}.resources.requests`, errs);
    validateQuantities(res.limits, `${f}.resources.limits`, errs);
    for (const [k, v] of Object.entries(res.requests ?? {})) {
      const lim = own(res.limits, k);
      if (lim !== undefined && exceeds(v, lim)) {
        errs.push(fieldError.invalid(`${f}.resources.requests`, String(v), `must be less than or equal to ${k} limit of ${lim}`));
      }
    }
  });
  return errs;
}

/** Validates a PodSpec found at `field` (e.g. `spec.template.spec`). */
export function validatePodSpec(spec: unknown, field: string, _ctx?: KindContext): FieldError[] {
  const s = (spec ?? {}) as Unstructured;
  const errs: FieldError[] = [];
  const volumes = new Set<string>();
  (s.volumes ?? []).forEach((v: Unstructured, i: number) => {
    if (!v.name) errs.push(fieldError.required(`${field}.volumes[${i}].name`, ''));
    else {
      for (const msg of isDNS1123Label(v.name)) errs.push(fieldError.invalid(`${field}.volumes[${i}].name`, v.name, msg));
      if (volumes.has(v.name)) errs.push(fieldError.duplicate(`${field}.volumes[${i}].name`, v.name));
      volumes.add(v.name);
    }
    const items = (from: Unstructured | undefined, at: string) =>
      (from?.items ?? []).forEach((it: Unstructured, j: number) => it.resourceFieldRef && errs.push(...validateDivisor(it.resourceFieldRef, `${at}.items[${j}].resourceFieldRef`)));
    items(v.downwardAPI, `${field}.volumes[${i}].downwardAPI`);
    (v.projected?.sources ?? []).forEach((src: Unstructured, j: number) => items(src.downwardAPI, `${field}.volumes[${i}].projected.sources[${j}].downwardAPI`));
  });
  const names = new Set<string>();
  errs.push(...validateContainers(s.initContainers, `${field}.initContainers`, volumes, names, false));
  errs.push(...validateContainers(s.containers, `${field}.containers`, volumes, names, true));
  if (s.restartPolicy !== undefined && !RESTART_POLICIES.includes(s.restartPolicy)) errs.push(fieldError.notSupported(`${field}.restartPolicy`, s.restartPolicy, RESTART_POLICIES));
  if (s.dnsPolicy !== undefined && !['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(s.dnsPolicy)) {
    errs.push(fieldError.notSupported(`${field}.dnsPolicy`, s.dnsPolicy, ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']));
  }
  if (typeof s.activeDeadlineSeconds === 'number' && s.activeDeadlineSeconds <= 0) errs.push(fieldError.invalid(`${field}.activeDeadlineSeconds`, s.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  (s.tolerations ?? []).forEach((t: Unstructured, i: number) => {
    if (t.operator && !['Exists', 'Equal'].includes(t.operator)) errs.push(fieldError.notSupported(`${field}.tolerations[${i}].operator`, t.operator, ['Equal', 'Exists']));
    if (t.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) errs.push(fieldError.notSupported(`${field}.tolerations[${i}].effect`, t.effect, ['NoExecute', 'NoSchedule', 'PreferNoSchedule']));
  });
  return errs;
}

/** Defaults a PodTemplateSpec (`{metadata, spec}`) in place. */
export function defaultPodTemplateSpec(template: Unstructured): void {
  if (!template) return;
  template.metadata ??= {};
  template.spec ??= {};
  defaultPodSpec(template.spec);
}

/** Validates a PodTemplateSpec at `field` (e.g. `spec.template`), including its labels. */
export function validatePodTemplateSpec(template: unknown, field: string, ctx?: KindContext): FieldError[] {
  const t = (template ?? {}) as Unstructured;
  return [...validateLabels(t.metadata?.labels, `${field}.metadata.labels`), ...validatePodSpec(t.spec, `${field}.spec`, ctx)];
}

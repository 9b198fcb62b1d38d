// NetworkPolicy (networking.k8s.io/v1): which traffic may reach or leave selected pods. Defaults
// and validation as the API server applies them; the network enforces it (network/policy.ts).
import { isIPv4, isIPv6 } from 'node:net';
import type { KindDef, Unstructured } from './types.js';
import { AGE_COLUMN, creationAge } from './print.js';
import { formatLabelSelector } from '../selectors.js';
import { fieldError, type FieldError } from '../errors.js';
import { validateLabelSelector } from '../validation/label-selector.js';
import { validatePortName, validatePortNumber, validateProtocol } from '../validation/ports.js';
import { inCidr } from '../network/policy.js';


const POLICY_TYPES = ['Ingress', 'Egress'];
const CIDR_EXAMPLE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

const list = (v: unknown): Unstructured[] => (Array.isArray(v) ? v : []);

/** The prefix length of a CIDR, or undefined when it is not one. */
function prefixLength(cidr: unknown): number | undefined {
  if (typeof cidr !== 'string') return undefined;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return undefined;
  const bits = Number(m[2]);
  if (isIPv4(m[1])) return bits <= 32 ? bits : undefined;
  if (isIPv6(m[1])) return bits <= 128 ? bits : undefined;
  return undefined;
}

function validatePort(port: Unstructured, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol !== undefined) errs.push(...validateProtocol(port.protocol, `${field}.protocol`));
  const endPort = port.endPort;
  if (port.port === undefined || port.port === null) {
    if (endPort !== undefined) errs.push(fieldError.invalid(`${field}.endPort`, endPort, 'may not be specified when `port` is not specified'));
  } else if (typeof port.port === 'number') {
    errs.push(...validatePortNumber(port.port, `${field}.port`));
    if (typeof endPort === 'number') {
      if (endPort < port.port) errs.push(fieldError.invalid(`${field}.endPort`, endPort, 'must be greater than or equal to `port`'));
      errs.push(...validatePortNumber(endPort, `${field}.endPort`));
    }
  } else {
    if (endPort !== undefined) errs.push(fieldError.invalid(`${field}.endPort`, endPort, 'may not be specified when `port` is non-numeric'));
    errs.push(...validatePortName(String(port.port), `${field}.port`));
  }
  return errs;
}

function validateIPBlock(block: Unstructured, field: string): FieldError[] {
  if (!block.cidr) return [fieldError.required(`${field}.cidr`)];
  const bits = prefixLength(block.cidr);
  if (bits === undefined) return [fieldError.invalid(`${field}.cidr`, block.cidr, CIDR_EXAMPLE)];
  const errs: FieldError[] = [];
  list(block.except).forEach((except, i) => {
    const path = `${field}.except[${i}]`;
    const exceptBits = prefixLength(except);
    if (exceptBits === undefined) errs.push(fieldError.invalid(path, except, CIDR_EXAMPLE));
    else if (exceptBits <= bits || (isIPv4(String(except).split('/')[0]) && !inCidr(String(except).split('/')[0], String(block.cidr)))) {
      errs.push(fieldError.invalid(path, except, 'must be a strict subset of `cidr`'));
    }
  });
  return errs;
}

function validatePeer(peer: Unstructured, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let peers = 0;
  if (peer.podSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.podSelector, `${field}.podSelector`));
  }
  if (peer.namespaceSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${field}.namespaceSelector`));
  }
  if (peer.ipBlock) {
    peers++;
    errs.push(...validateIPBlock(peer.ipBlock, `${field}.ipBlock`));
  }
  if (!peers) errs.push(fieldError.required(field, 'must specify a peer'));
  else if (peers > 1 && peer.ipBlock) errs.push(fieldError.forbidden(field, 'may not specify both ipBlock and another peer'));
  return errs;
}

function validateRules(rules: unknown, direction: 'ingress' | 'egress'): FieldError[] {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  return list(rules).flatMap((rule, i) => {
    const path = `spec.${direction}[${i}]`;
    return [
      ...list(rule?.ports).flatMap((p, j) => validatePort(p ?? {}, `${path}.ports[${j}]`)),
      ...list(rule?.[peersKey]).flatMap((p, j) => validatePeer(p ?? {}, `${path}.${peersKey}[${j}]`)),
    ];
  });
}

export const networkPolicy: KindDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  namespaced: true,
  shortNames: ['netpol'],
  columns: [{ name: 'Pod-Selector', type: 'string', description: 'Selects the pods to which this NetworkPolicy object applies.' }, AGE_COLUMN],
  row: (obj, ctx) => [formatLabelSelector((obj as Unstructured).spec?.podSelector ?? {}), creationAge(obj, ctx.now())],
  defaults(obj) {
    const spec = ((obj as Unstructured).spec ??= {});
    spec.podSelector ??= {};
    if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
    // A port without a protocol means TCP, and is stored so.
    for (const rule of [...list(spec.ingress), ...list(spec.egress)]) for (const port of list(rule?.ports)) if (port && typeof port === 'object') port.protocol ??= 'TCP';
  },
  validate(obj) {
    const spec: Unstructured = (obj as Unstructured).spec ?? {};
    const errs = [...validateLabelSelector(spec.podSelector, 'spec.podSelector'), ...validateRules(spec.ingress, 'ingress'), ...validateRules(spec.egress, 'egress')];
    const types = list(spec.policyTypes);
    if (types.length > POLICY_TYPES.length) return [...errs, fieldError.invalid('spec.policyTypes', types, 'may not specify more than two policyTypes')];
    types.forEach((t, i) => {
      if (typeof t !== 'string' || !POLICY_TYPES.includes(t)) errs.push(fieldError.notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
    });
    return errs;
  },
};

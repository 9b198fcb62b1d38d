import { describe, expect, it } from 'vitest';
import { networkPolicy as np } from '../../../../src/core/cluster/kinds/networkpolicy.js';
import type { KindContext, KObject } from '../../../../src/core/cluster/kinds/types.js';
import { fieldErrorMessage } from '../../../../src/core/cluster/errors.js';

const ctx: KindContext = { now: () => new Date('2026-01-01T00:10:00Z'), get: () => undefined, list: () => [] };

function policy(spec: Record<string, unknown>): KObject {
  const o: KObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'default' }, spec };
  np.defaults!(o, ctx);
  return o;
}

const errors = (spec: Record<string, unknown>) => np.validate!(policy(spec), ctx).map(fieldErrorMessage);
const from = (peer: Record<string, unknown>) => ({ ingress: [{ from: [peer] }] });
const ports = (...p: Array<Record<string, unknown>>) => ({ ingress: [{ ports: p }] });

describe('NetworkPolicy', () => {
  it('defaults policyTypes from its rules and a port\'s protocol to TCP', () => {
    expect(policy({}).spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const both: Record<string, any> = policy({ egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }] }] });
    expect(both.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(both.spec.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
  });

  it('accepts the usual policies', () => {
    expect(errors({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] })).toEqual([]);
    expect(errors({ ...from({ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'probe' } } }), egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 8000, endPort: 9000 }, { port: 'http' }] }] })).toEqual([]);
  });

  it('rejects peers as the API server does', () => {
    expect(errors(from({}))).toEqual(['spec.ingress[0].from[0]: Required value: must specify a peer']);
    expect(errors(from({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }))).toEqual(['spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer']);
    expect(errors(from({ ipBlock: { cidr: '10.0.0.0' } }))).toEqual(['spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']);
    expect(errors(from({ ipBlock: {} }))).toEqual(['spec.ingress[0].from[0].ipBlock.cidr: Required value']);
    expect(errors(from({ ipBlock: { cidr: '10.1.0.0/16', except: ['10.2.0.0/24', '10.1.0.0/16'] } }))).toEqual([
      'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.2.0.0/24": must be a strict subset of `cidr`',
      'spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "10.1.0.0/16": must be a strict subset of `cidr`',
    ]);
  });

  it('rejects ports as the API server does', () => {
    expect(errors(ports({ port: 70000 }))).toEqual(['spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive']);
    expect(errors(ports({ port: 'HTTP' }))).toEqual([
      'spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain at least one letter (a-z)',
    ]);
    expect(errors(ports({ port: 'http', endPort: 90 }))).toEqual(['spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric']);
    expect(errors(ports({ endPort: 90 }))).toEqual(['spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified']);
    expect(errors(ports({ port: 90, endPort: 80 }))).toEqual(['spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`']);
    expect(errors(ports({ port: 53, protocol: 'ICMP' }))).toEqual(['spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']);
  });

  it('rejects unknown policyTypes', () => {
    expect(errors({ policyTypes: ['Ingress', 'Outgress'] })).toEqual(['spec.policyTypes[1]: Unsupported value: "Outgress": supported values: "Ingress", "Egress"']);
  });
});

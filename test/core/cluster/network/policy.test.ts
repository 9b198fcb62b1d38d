import { describe, expect, it } from 'vitest';
import { egressVerdict, inCidr, judge, nodeParty, partyAt, policyTypes, type Flow, type Protocol } from '../../../../src/core/cluster/network/policy.js';
import { listView } from '../../../../src/core/cluster/network/view.js';
import { NODES, pod } from './fixtures.js';

type Obj = Record<string, any>;

const np = (name: string, ns: string, spec: Obj): Obj => ({ metadata: { name, namespace: ns }, spec: { podSelector: {}, ...spec } });
const namespace = (name: string, labels: Obj = {}) => ({ metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } });

const pods = [
  pod('web', '10.244.1.5', { ns: 'shop', labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }] }),
  pod('api', '10.244.2.6', { ns: 'shop', labels: { app: 'api', tier: 'backend' }, node: 'kubedojo-worker2' }),
  pod('front', '10.244.2.7', { ns: 'shop', labels: { app: 'front' }, node: 'kubedojo-worker2' }),
  pod('probe', '10.244.2.8', { ns: 'monitoring', labels: { app: 'probe' }, node: 'kubedojo-worker2' }),
  pod('web', '10.244.2.9', { ns: 'other', labels: { app: 'front' }, node: 'kubedojo-worker2' }),
  pod('proxy', '172.18.0.4', { ns: 'kube-system', labels: { app: 'proxy' }, node: 'kubedojo-worker2', hostNetwork: true }),
];
const namespaces = [namespace('shop', { team: 'shop' }), namespace('monitoring', { team: 'ops' }), namespace('other', { team: 'shop' }), namespace('kube-system')];
const view = listView({ pods, namespaces, nodes: NODES });

/** A flow from the holder of one address to another's, as a connection to a port makes it. */
const flow = (from: string, to: string, port?: number, protocol: Protocol = 'TCP'): Flow => ({ from: partyAt(view, from), to: partyAt(view, to), port, protocol });

const WEB = '10.244.1.5';
const API = '10.244.2.6';
const FRONT = '10.244.2.7';
const PROBE = '10.244.2.8';
const OTHER_FRONT = '10.244.2.9';
const WORKER = '172.18.0.3';
const WORKER2 = '172.18.0.4';
const OUTSIDE = '93.184.216.34';

const denyIngress = np('deny', 'shop', { policyTypes: ['Ingress'] });
const denyAll = np('deny-all', 'shop', { policyTypes: ['Ingress', 'Egress'] });
const webOnly = (spec: Obj) => np('web-in', 'shop', { podSelector: { matchLabels: { app: 'web' } }, ...spec });

const cases: Array<[string, Obj[], Flow, boolean]> = [
  ['with no policy everything flows', [], flow(FRONT, WEB, 8080), true],
  ['a default deny drops ingress to every pod of its namespace', [denyIngress], flow(FRONT, WEB, 8080), false],
  ['a default deny of ingress leaves egress alone', [denyIngress], flow(WEB, OUTSIDE, 443), true],
  ['a default deny of ingress does not reach other namespaces', [denyIngress], flow(WEB, OTHER_FRONT, 80), true],
  ['without policyTypes a policy with no rules isolates ingress only', [np('bare', 'shop', {})], flow(FRONT, WEB, 8080), false],
  ['without policyTypes a policy with no rules leaves egress open', [np('bare', 'shop', {})], flow(WEB, OUTSIDE, 443), true],
  ['without policyTypes egress rules make the policy isolate egress too', [np('e', 'shop', { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })], flow(WEB, OUTSIDE, 443), false],
  ['a default deny of both drops egress', [denyAll], flow(WEB, OUTSIDE, 443), false],
  ['allow-all ingress (- {}) lets everything in', [np('all', 'shop', { ingress: [{}] })], flow(PROBE, WEB, 8080), true],
  ['a podSelector peer admits labelled pods of the policy\'s namespace', [webOnly({ ingress: [{ from: [{ podSelector: { matchLabels: { app: 'front' } } }] }] })], flow(FRONT, WEB, 8080), true],
  ['a podSelector peer ignores same-labelled pods of other namespaces', [webOnly({ ingress: [{ from: [{ podSelector: { matchLabels: { app: 'front' } } }] }] })], flow(OTHER_FRONT, WEB, 8080), false],
  ['a podSelector peer shuts out other pods of the namespace', [webOnly({ ingress: [{ from: [{ podSelector: { matchLabels: { app: 'front' } } }] }] })], flow(API, WEB, 8080), false],
  ['a policy only isolates the pods it selects', [webOnly({ ingress: [] })], flow(FRONT, API, 80), true],
  ['a podSelector with matchExpressions selects by expression', [webOnly({ ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend'] }] } }] }] })], flow(API, WEB, 8080), true],
  ['a namespaceSelector peer admits every pod of the labelled namespaces', [webOnly({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }] }] })], flow(PROBE, WEB, 8080), true],
  ['a namespaceSelector peer shuts out other namespaces', [webOnly({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }] }] })], flow(OTHER_FRONT, WEB, 8080), false],
  ['a namespaceSelector can name a namespace by its metadata.name label', [webOnly({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }] })], flow(PROBE, WEB, 8080), true],
  ['namespaceSelector and podSelector in one peer need both', [webOnly({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'shop' } }, podSelector: { matchLabels: { app: 'front' } } }] }] })], flow(OTHER_FRONT, WEB, 8080), true],
  ['namespaceSelector and podSelector in one peer refuse a wrong pod of a right namespace', [webOnly({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'shop' } }, podSelector: { matchLabels: { app: 'front' } } }] }] })], flow(API, WEB, 8080), false],
  ['the same selectors as two peers are either-or', [webOnly({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }, { podSelector: { matchLabels: { app: 'front' } } }] }] })], flow(PROBE, WEB, 8080), true],
  ['an ipBlock admits addresses in its CIDR', [webOnly({ ingress: [{ from: [{ ipBlock: { cidr: '10.244.2.0/24' } }] }] })], flow(API, WEB, 8080), true],
  ['an ipBlock\'s except carves addresses out', [webOnly({ ingress: [{ from: [{ ipBlock: { cidr: '10.244.2.0/24', except: ['10.244.2.6/32'] } }] }] })], flow(API, WEB, 8080), false],
  ['an ipBlock\'s except leaves the rest of the block', [webOnly({ ingress: [{ from: [{ ipBlock: { cidr: '10.244.2.0/24', except: ['10.244.2.6/32'] } }] }] })], flow(FRONT, WEB, 8080), true],
  ['egress to an ipBlock outside the cluster', [np('e', 'shop', { policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '93.184.216.0/24' } }] }] })], flow(WEB, OUTSIDE, 443), true],
  ['a numeric port opens that port', [webOnly({ ingress: [{ ports: [{ port: 8080 }] }] })], flow(FRONT, WEB, 8080), true],
  ['a numeric port keeps other ports shut', [webOnly({ ingress: [{ ports: [{ port: 8080 }] }] })], flow(FRONT, WEB, 9090), false],
  ['a port is TCP unless its protocol says otherwise', [webOnly({ ingress: [{ ports: [{ port: 8080 }] }] })], flow(FRONT, WEB, 8080, 'UDP'), false],
  ['a UDP port opens UDP only', [webOnly({ ingress: [{ ports: [{ port: 5353, protocol: 'UDP' }] }] })], flow(FRONT, WEB, 5353, 'UDP'), true],
  ['a named port resolves against the destination container\'s ports', [webOnly({ ingress: [{ ports: [{ port: 'http' }] }] })], flow(FRONT, WEB, 8080), true],
  ['a named port does not match another port number', [webOnly({ ingress: [{ ports: [{ port: 'http' }] }] })], flow(FRONT, WEB, 80), false],
  ['a named port matches its own protocol only', [webOnly({ ingress: [{ ports: [{ port: 'dns' }] }] })], flow(FRONT, WEB, 5353, 'TCP'), false],
  ['endPort opens a range', [webOnly({ ingress: [{ ports: [{ port: 8000, endPort: 8100 }] }] })], flow(FRONT, WEB, 8080), true],
  ['endPort closes what lies beyond the range', [webOnly({ ingress: [{ ports: [{ port: 8000, endPort: 8079 }] }] })], flow(FRONT, WEB, 8080), false],
  ['a port entry without a port opens the whole protocol', [webOnly({ ingress: [{ ports: [{ protocol: 'TCP' }] }] })], flow(FRONT, WEB, 12345), true],
  ['peers and ports of one rule must both match', [webOnly({ ingress: [{ from: [{ podSelector: { matchLabels: { app: 'front' } } }], ports: [{ port: 9090 }] }] })], flow(FRONT, WEB, 8080), false],
  ['policies add up: any one allowing is enough', [denyIngress, webOnly({ ingress: [{ from: [{ podSelector: { matchLabels: { app: 'front' } } }] }] })], flow(FRONT, WEB, 8080), true],
  ['a rule without ports lets ping through', [webOnly({ ingress: [{ from: [{ podSelector: { matchLabels: { app: 'front' } } }] }] })], flow(FRONT, WEB, undefined, 'ICMP'), true],
  ['a rule with ports does not let ping through', [webOnly({ ingress: [{ ports: [{ port: 8080 }] }] })], flow(FRONT, WEB, undefined, 'ICMP'), false],
  ['ingress policies live in the destination\'s namespace, not the source\'s', [np('deny', 'other', { policyTypes: ['Ingress'] })], flow(OTHER_FRONT, WEB, 8080), true],
  ['egress policies live in the source\'s namespace', [np('deny', 'other', { policyTypes: ['Egress'] })], flow(OTHER_FRONT, WEB, 8080), false],
  ['an egress rule to a pod selector lets the pod out towards it', [np('e', 'shop', { podSelector: { matchLabels: { app: 'front' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] }] })], flow(FRONT, WEB, 8080), true],
  ['the node a pod runs on always reaches it (the kubelet\'s probes)', [denyAll], { from: nodeParty(view, 'kubedojo-worker'), to: partyAt(view, WEB), port: 8080, protocol: 'TCP' }, true],
  ['a pod always reaches its own node', [denyAll], flow(WEB, WORKER, 10250), true],
  ['another node is shut out by a default deny', [denyAll], { from: nodeParty(view, 'kubedojo-worker2'), to: partyAt(view, WEB), port: 8080, protocol: 'TCP' }, false],
  ['another node is let in by an ipBlock naming it', [webOnly({ ingress: [{ from: [{ ipBlock: { cidr: '172.18.0.0/16' } }] }] })], { from: nodeParty(view, 'kubedojo-worker2'), to: partyAt(view, WEB), port: 8080, protocol: 'TCP' }, true],
  ['a host-network pod is its node to a podSelector: not selected', [webOnly({ ingress: [{ from: [{ namespaceSelector: {}, podSelector: {} }] }] })], flow(WORKER2, WEB, 8080), false],
  ['no policy selects a host-network pod', [np('deny', 'kube-system', { policyTypes: ['Ingress', 'Egress'] })], { from: partyAt(view, FRONT), to: { ip: WORKER2, pod: pods[5], node: 'kubedojo-worker2' }, port: 10256, protocol: 'TCP' }, true],
  ['a pod always reaches itself', [denyAll], flow(WEB, WEB, 8080), true],
];

describe('judging a flow by NetworkPolicy', () => {
  it.each(cases)('%s', (_name, policies, f, allowed) => {
    expect(judge(f, policies).allowed).toBe(allowed);
  });

  it('says which side dropped the flow', () => {
    expect(judge(flow(FRONT, WEB, 8080), [denyIngress])).toEqual({ allowed: false, direction: 'ingress', namespace: 'shop', pod: 'web' });
    expect(egressVerdict(flow(WEB, OUTSIDE, 443), [denyAll])).toEqual({ allowed: false, direction: 'egress', namespace: 'shop', pod: 'web' });
  });

  it('defaults policyTypes as the API server does when they are absent', () => {
    expect(policyTypes({ spec: {} })).toEqual(['Ingress']);
    expect(policyTypes({ spec: { egress: [{}] } })).toEqual(['Ingress', 'Egress']);
    expect(policyTypes({ spec: { policyTypes: ['Egress'] } })).toEqual(['Egress']);
  });

  it('matches addresses against CIDRs, and nothing against a malformed one', () => {
    expect(inCidr('10.244.1.5', '10.244.0.0/16')).toBe(true);
    expect(inCidr('10.245.1.5', '10.244.0.0/16')).toBe(false);
    expect(inCidr('1.2.3.4', '0.0.0.0/0')).toBe(true);
    expect(inCidr('10.0.0.1', '10.0.0.1/32')).toBe(true);
    expect(inCidr('10.0.0.1', 'ten/8')).toBe(false);
    expect(inCidr('10.0.0.1', '10.0.0.0/33')).toBe(false);
  });
});

// The certificates controllers of kube-controller-manager. csrapproving approves a kubelet's
// client certificate request when its requester may ask for one (a SubjectAccessReview on
// certificatesigningrequests/nodeclient); csrsigning issues the certificates of approved requests
// for the signers a cluster runs, from the cluster's CA, or marks them Failed when the request
// does not suit the signer. Other signers (and kubernetes.io/legacy-unknown) are left alone.
// csrcleaner deletes requests once they are done with: an hour after approval, denial or
// failure, a day after creation if nobody decided, or once their certificate has expired.
import { X509Certificate } from 'node:crypto';
import type { CertificateSigningRequest, CertificateSigningRequestCondition } from 'kubernetes-types/certificates/v1.js';
import type { Cluster } from '../cluster.js';
import type { Stored } from '../kinds/types.js';
import type { Controller } from './manager.js';
import { deleteIfPresent, kind, writeStatus } from './util.js';
import { clusterKeys } from '../cluster-keys.js';
import { issueCertificate, parseCertificateRequest, type CertificateRequest } from '../certificates.js';
import { authorize, rbacObjects } from '../rbac.js';
import {
  conditionOf,
  KUBE_APISERVER_CLIENT,
  KUBE_APISERVER_CLIENT_KUBELET,
  KUBELET_SERVING,
  requestBytes,
  withApproval,
} from '../kinds/certificatesigningrequest.js';

type Csr = Stored<CertificateSigningRequest>;

const CSRS = 'certificates.k8s.io/certificatesigningrequests';
/** --cluster-signing-duration: the longest certificate the signers issue. */
const MAX_DURATION_SECONDS = 365 * 24 * 3600;
/** Certificates start a little in the past, for clocks that disagree. */
const BACKDATE_MS = 5 * 60 * 1000;

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const keysOfCsrs = {
  resource: CSRS,
  keys: (e: { type: string; object: { metadata: { name?: string } } }) => (e.type === 'DELETED' ? [] : [e.object.metadata.name!]),
};

function readCsr(cluster: Cluster, name: string): Csr | undefined {
  return cluster.store.get(CSRS, undefined, name) as Csr | undefined;
}

function parsed(csr: Csr): CertificateRequest | undefined {
  try {
    return parseCertificateRequest(requestBytes(csr));
  } catch {
    return undefined;
  }
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && b.every((x) => a.includes(x));

/** Why a kubelet's client certificate request is not one (ValidateKubeletClientCSR), or undefined. */
function kubeletClientProblem(req: CertificateRequest, usages: string[]): string | undefined {
  if (req.organizations.length !== 1 || req.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  if (req.dnsNames.length) return 'DNS subjectAltNames are not allowed';
  if (req.emailAddresses.length) return 'Email subjectAltNames are not allowed';
  if (req.ipAddresses.length) return 'IP subjectAltNames are not allowed';
  if (req.uris.length) return 'URI subjectAltNames are not allowed';
  if (!req.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  if (!sameSet(usages, ['digital signature', 'key encipherment', 'client auth']) && !sameSet(usages, ['digital signature', 'client auth'])) {
    return 'usages did not match [client auth digital signature key encipherment]';
  }
  return undefined;
}

/** Why a kubelet's serving certificate request is not one (ValidateKubeletServingCSR), or undefined. */
function kubeletServingProblem(req: CertificateRequest, usages: string[]): string | undefined {
  if (req.organizations.length !== 1 || req.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  if (!req.dnsNames.length && !req.ipAddresses.length) return 'DNS or IP subjectAltName is required';
  if (req.emailAddresses.length) return 'Email subjectAltNames are not allowed';
  if (req.uris.length) return 'URI subjectAltNames are not allowed';
  if (!req.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  if (!sameSet(usages, ['digital signature', 'key encipherment', 'server auth']) && !sameSet(usages, ['digital signature', 'server auth'])) {
    return 'usages did not match [digital signature key encipherment server auth]';
  }
  return undefined;
}

/** Why the kube-apiserver-client signer refuses these usages (validAPIServerClientUsages), or undefined. */
function apiServerClientProblem(usages: string[]): string | undefined {
  for (const u of usages) {
    if (u !== 'digital signature' && u !== 'key encipherment' && u !== 'client auth') return `invalid usage for client certificate: ${u}`;
  }
  return usages.includes('client auth') ? undefined : 'missing required usages for client certificate: client auth';
}

/** The signers this cluster runs, each with its check of a request. */
const SIGNERS: Record<string, (req: CertificateRequest, usages: string[]) => string | undefined> = {
  [KUBE_APISERVER_CLIENT]: (_req, usages) => apiServerClientProblem(usages),
  [KUBE_APISERVER_CLIENT_KUBELET]: kubeletClientProblem,
  [KUBELET_SERVING]: kubeletServingProblem,
};

type Issuing = { state: 'pending' } | { state: 'done'; pem: string } | { state: 'failed'; message: string };

/**
 * Signing goes through Web Crypto, which answers later: a reconcile starts it, and the finished
 * certificate waits here, by the request's uid, for the reconcile its completion queues.
 */
const issuing = new WeakMap<Cluster, Map<string, Issuing>>();

function issuingOf(cluster: Cluster): Map<string, Issuing> {
  let m = issuing.get(cluster);
  if (!m) issuing.set(cluster, (m = new Map()));
  return m;
}

function failedCondition(message: string, now: Date): CertificateSigningRequestCondition {
  const at = rfc3339(now);
  return { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message, lastUpdateTime: at, lastTransitionTime: at };
}

export const csrSigningController: Controller = {
  name: 'csrsigning-controller',
  watches: [keysOfCsrs],
  initialKeys: (ctx) => ctx.cluster.store.list(CSRS).map((o) => o.metadata.name!),
  reconcile(name, ctx) {
    const { cluster } = ctx;
    const csr = readCsr(cluster, name);
    const work = issuingOf(cluster);
    if (!csr) return;
    const uid = csr.metadata.uid!;
    const check = SIGNERS[csr.spec?.signerName ?? ''];
    if (!check || csr.status?.certificate || !conditionOf(csr, 'Approved') || conditionOf(csr, 'Failed')) {
      if (work.get(uid)?.state !== 'pending') work.delete(uid);
      return;
    }
    const def = kind(cluster, 'certificates.k8s.io', 'certificatesigningrequests');
    const req = parsed(csr);
    const usages = (csr.spec?.usages ?? []) as string[];
    const problem = req ? check(req, usages) : 'the certificate request could not be read';
    const done = work.get(uid);
    if (problem || done?.state === 'failed') {
      work.delete(uid);
      writeStatus(cluster, def, csr, { ...csr.status, conditions: [...(csr.status?.conditions ?? []), failedCondition(problem ?? (done as { message: string }).message, ctx.now())] });
      return;
    }
    if (done?.state === 'done') {
      work.delete(uid);
      writeStatus(cluster, def, csr, { ...csr.status, certificate: Buffer.from(done.pem).toString('base64') });
      return;
    }
    if (done?.state === 'pending') return;
    const now = ctx.now().getTime();
    const seconds = Math.min(csr.spec?.expirationSeconds ?? MAX_DURATION_SECONDS, MAX_DURATION_SECONDS);
    work.set(uid, { state: 'pending' });
    issueCertificate({ request: req!, usages, notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + seconds * 1000), ca: clusterKeys(cluster).clientCa }).then(
      (pem) => work.set(uid, { state: 'done', pem }),
      (err: Error) => work.set(uid, { state: 'failed', message: `error signing the certificate: ${err.message}` }),
    ).finally(() => ctx.enqueue(csrSigningController.name, name));
  },
};

/** csrapproving: a kubelet client request is approved when its requester may ask for one. */
export const csrApprovingController: Controller = {
  name: 'csrapproving-controller',
  watches: [keysOfCsrs],
  initialKeys: (ctx) => ctx.cluster.store.list(CSRS).map((o) => o.metadata.name!),
  reconcile(name, ctx) {
    const { cluster } = ctx;
    const csr = readCsr(cluster, name);
    if (!csr || csr.status?.certificate || conditionOf(csr, 'Approved') || conditionOf(csr, 'Denied')) return;
    if (csr.spec?.signerName !== KUBE_APISERVER_CLIENT_KUBELET) return;
    const req = parsed(csr);
    if (!req || kubeletClientProblem(req, (csr.spec.usages ?? []) as string[])) return;
    const user = { name: csr.spec.username ?? '', groups: csr.spec.groups ?? [] };
    const self = req.commonName === user.name;
    const objs = rbacObjects((plural) => cluster.store.list(`rbac.authorization.k8s.io/${plural}`));
    const may = (sub: string) => user.groups.includes('system:masters') || authorize(objs, user, { verb: 'create', group: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: sub }).allowed;
    let message: string;
    if (self && may('selfnodeclient')) message = 'Auto approving self kubelet client certificate after SubjectAccessReview.';
    else if (may('nodeclient')) message = 'Auto approving kubelet client certificate after SubjectAccessReview.';
    else return;
    const at = rfc3339(ctx.now());
    const approved = withApproval(csr, { metadata: {}, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'AutoApproved', message, lastUpdateTime: at }] } });
    const def = kind(cluster, 'certificates.k8s.io', 'certificatesigningrequests');
    cluster.update(def, undefined, name, approved, { fieldManager: 'kube-controller-manager' }, 'approval');
  },
};

const HOUR_MS = 3600_000;

/** When a request is due for deletion (the csrcleaner's rules), in ms since the epoch. */
export function csrExpiry(csr: Csr): number {
  const decided = (type: string) => {
    const c = conditionOf(csr, type);
    return c ? Date.parse(c.lastUpdateTime ?? c.lastTransitionTime ?? '') : NaN;
  };
  const times: number[] = [];
  for (const type of ['Approved', 'Denied', 'Failed']) {
    const at = decided(type);
    if (!Number.isNaN(at)) times.push(at + HOUR_MS);
  }
  if (!times.length) times.push(Date.parse(csr.metadata.creationTimestamp ?? '') + 24 * HOUR_MS);
  if (csr.status?.certificate) {
    try {
      times.push(Date.parse(new X509Certificate(Buffer.from(csr.status.certificate, 'base64')).validTo));
    } catch {
      // An unreadable certificate leaves the other rules.
    }
  }
  return Math.min(...times.filter((t) => !Number.isNaN(t)));
}

export const csrCleaner: Controller = {
  name: 'csrcleaner',
  watches: [keysOfCsrs],
  initialKeys: (ctx) => ctx.cluster.store.list(CSRS).map((o) => o.metadata.name!),
  reconcile(name, ctx) {
    const csr = readCsr(ctx.cluster, name);
    if (!csr) return;
    const due = csrExpiry(csr);
    if (!Number.isFinite(due)) return;
    const wait = due - ctx.now().getTime();
    if (wait > 0) return ctx.requeueAfter(name, wait);
    deleteIfPresent(ctx.cluster, kind(ctx.cluster, 'certificates.k8s.io', 'certificatesigningrequests'), undefined, name);
  },
};

// CertificateSigningRequest (certificates.k8s.io/v1): a PEM request for a certificate from a named
// signer. Its spec is the requester's and never changes (the API server stamps who asked); its
// approval (the approval subresource, `kubectl certificate approve|deny`) and the certificate a
// signer issues (controllers/csr-signing.ts) are status. Validation words and the table are the
// apiserver's (pkg/apis/certificates/validation, the CSR printer).
import type { CertificateSigningRequest, CertificateSigningRequestCondition } from 'kubernetes-types/certificates/v1.js';
import type { KindDef, KObject, Stored } from './types.js';
import { badRequest, fieldError, type FieldError } from '../errors.js';
import { AGE_COLUMN, creationAge, humanDuration } from './print.js';
import { KNOWN_USAGES, parseCertificateRequest } from '../certificates.js';

type Csr = Stored<CertificateSigningRequest>;

export const KUBE_APISERVER_CLIENT = 'kubernetes.io/kube-apiserver-client';
export const KUBE_APISERVER_CLIENT_KUBELET = 'kubernetes.io/kube-apiserver-client-kubelet';
export const KUBELET_SERVING = 'kubernetes.io/kubelet-serving';
export const LEGACY_UNKNOWN = 'kubernetes.io/legacy-unknown';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function conditionOf(csr: Csr, type: string): CertificateSigningRequestCondition | undefined {
  return csr.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

/** The CONDITION cell: Pending, Approved or Denied, then Failed and Issued (extractCSRStatus). */
export function csrCondition(csr: Csr): string {
  let status = conditionOf(csr, 'Denied') ? 'Denied' : conditionOf(csr, 'Approved') ? 'Approved' : 'Pending';
  if (conditionOf(csr, 'Failed')) status += ',Failed';
  if (csr.status?.certificate) status += ',Issued';
  return status;
}

/** spec.request as bytes: base64 in JSON, as every []byte field is. */
export function requestBytes(csr: Csr): Buffer {
  const text = csr.spec?.request ?? '';
  if (typeof text !== 'string' || text.length % 4 !== 0 || !BASE64.test(text)) {
    const at = typeof text === 'string' ? [...text].findIndex((ch) => !/[A-Za-z0-9+/=]/.test(ch)) : 0;
    throw badRequest(`CertificateSigningRequest in version "v1" cannot be handled as a CertificateSigningRequest: illegal base64 data at input byte ${at < 0 ? Math.max(0, String(text).length - 1) : at}`);
  }
  return Buffer.from(text, 'base64');
}

/** A []byte as Go's %#v prints it inside a field error. */
function goBytes(bytes: Buffer, present: boolean): string {
  if (!present) return '[]byte(nil)';
  return `[]byte{${[...bytes].map((b) => `0x${b.toString(16)}`).join(', ')}}`;
}

function validateSignerName(name: unknown): FieldError[] {
  const field = 'spec.signerName';
  if (typeof name !== 'string' || !name) return [fieldError.required(field)];
  if (name === LEGACY_UNKNOWN) return [fieldError.invalid(field, name, 'the legacy signerName is not allowed via this API version')];
  const segments = name.split('/');
  if (segments.length !== 2) return [fieldError.invalid(field, name, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const errs: FieldError[] = [];
  const labels = segments[0].split('.');
  const bad = labels.find((l) => !DNS_LABEL.test(l));
  if (bad !== undefined) {
    errs.push(fieldError.invalid(field, segments[0], `validating label ${JSON.stringify(bad)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`));
  }
  if (labels.length < 2) errs.push(fieldError.invalid(field, segments[0], 'should be a domain with at least two segments separated by dots'));
  if (!segments[1]) errs.push(fieldError.invalid(field, segments[1], 'should be a domain with at least two segments separated by dots'));
  return errs;
}

function validateConditions(csr: Csr): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  (csr.status?.conditions ?? []).forEach((c, i) => {
    const at = `status.conditions[${i}]`;
    if (!c.type) errs.push(fieldError.required(`${at}.type`));
    if (!c.status) errs.push(fieldError.required(`${at}.status`));
    else if (!['False', 'True', 'Unknown'].includes(c.status)) errs.push(fieldError.notSupported(`${at}.status`, c.status, ['False', 'True', 'Unknown']));
    if (c.type === 'Approved' || c.type === 'Denied') {
      if (c.type === 'Approved') approved = true;
      else denied = true;
      if (approved && denied) errs.push(fieldError.invalid(`${at}.type`, c.type, 'Approved and Denied conditions are mutually exclusive'));
      if (c.status && c.status !== 'True') errs.push(fieldError.notSupported(`${at}.status`, c.status, ['True']));
    }
    if (seen.has(c.type)) errs.push(fieldError.duplicate(`${at}.type`, c.type));
    seen.add(c.type);
  });
  return errs;
}

/** The stored spec never changes; conditions get their times as the strategy stamps them. */
function stampConditions(obj: Csr, old: Csr | undefined, now: string): void {
  for (const c of obj.status?.conditions ?? []) {
    c.status ||= 'True';
    c.lastUpdateTime ||= now;
    const before = old?.status?.conditions?.find((o) => o.type === c.type);
    if (!c.lastTransitionTime) c.lastTransitionTime = before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : now;
  }
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const certificateSigningRequest: KindDef = {
  group: 'certificates.k8s.io',
  version: 'v1',
  kind: 'CertificateSigningRequest',
  plural: 'certificatesigningrequests',
  singular: 'certificatesigningrequest',
  namespaced: false,
  shortNames: ['csr'],
  subresources: ['status', 'approval'],
  columns: [
    AGE_COLUMN,
    { name: 'SignerName', type: 'string', description: 'signerName indicates the requested signer, and is a qualified name.' },
    { name: 'Requestor', type: 'string', description: 'username contains the name of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.' },
    { name: 'RequestedDuration', type: 'string', description: 'expirationSeconds is the requested duration of validity of the issued certificate.' },
    { name: 'Condition', type: 'string', description: 'conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".' },
  ],
  row: (obj, ctx) => {
    const csr = obj as Csr;
    const seconds = csr.spec?.expirationSeconds;
    return [
      creationAge(obj, ctx.now()),
      csr.spec?.signerName || '<none>',
      csr.spec?.username ?? '',
      seconds === undefined || seconds === null ? '<none>' : humanDuration(seconds * 1000),
      csrCondition(csr),
    ];
  },
  fieldSelectors: { 'spec.signerName': (o) => (o as Csr).spec?.signerName ?? '' },
  tracksGeneration: false,
  prepareForCreate(obj) {
    // Status is the approver's and the signer's alone.
    obj.status = {};
    requestBytes(obj as Csr);
  },
  prepareForUpdate(obj, old, ctx) {
    obj.spec = old.spec;
    stampConditions(obj as Csr, old as Csr, rfc3339(ctx.now()));
  },
  validate(obj) {
    const csr = obj as Csr;
    const errs: FieldError[] = [];
    const bytes = requestBytes(csr);
    try {
      parseCertificateRequest(bytes);
    } catch (err) {
      errs.push({ type: 'FieldValueInvalid', field: 'spec.request', hasValue: false, detail: `${goBytes(bytes, !!csr.spec?.request)}: ${(err as Error).message}` });
    }
    const usages = (csr.spec?.usages ?? []) as string[];
    if (!usages.length) errs.push(fieldError.required('spec.usages'));
    const seen = new Set<string>();
    usages.forEach((u, i) => {
      if (!KNOWN_USAGES.includes(u)) errs.push(fieldError.notSupported(`spec.usages[${i}]`, u, KNOWN_USAGES));
      if (seen.has(u)) errs.push(fieldError.duplicate(`spec.usages[${i}]`, u));
      seen.add(u);
    });
    errs.push(...validateSignerName(csr.spec?.signerName));
    const seconds = csr.spec?.expirationSeconds;
    if (typeof seconds === 'number' && seconds < 600) errs.push(fieldError.invalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
    errs.push(...validateConditions(csr));
    const cert = csr.status?.certificate;
    if (cert && !Buffer.from(cert, 'base64').toString('latin1').includes('-----BEGIN CERTIFICATE-----')) {
      errs.push(fieldError.invalid('status.certificate', '<certificate data>', 'must contain at least one CERTIFICATE PEM block'));
    }
    return errs;
  },
};

/** The approval subresource's write: only Approved and Denied conditions come from the body. */
export function withApproval(current: KObject, body: KObject): KObject {
  const old = current as Csr;
  const wanted = ((body as Csr).status?.conditions ?? []).filter((c) => c.type === 'Approved' || c.type === 'Denied');
  const kept = (old.status?.conditions ?? []).filter((c) => c.type !== 'Approved' && c.type !== 'Denied');
  return { ...current, metadata: { ...current.metadata, ...(body.metadata?.resourceVersion ? { resourceVersion: body.metadata.resourceVersion } : {}) }, status: { ...(old.status ?? {}), conditions: [...wanted, ...kept] } };
}

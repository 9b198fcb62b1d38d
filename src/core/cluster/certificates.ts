// X.509 for the certificates API: reading a PEM certificate request as the apiserver does
// (first PEM block, its type, its signature), and issuing a client certificate from one, signed
// by the cluster's CA (cluster-keys.ts), as kube-controller-manager's signers do.
// @peculiar/x509 uses decorators that need the Reflect metadata API loaded first.
import 'reflect-metadata';
import { createHash, createPublicKey, verify as verifySignature, webcrypto, constants } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { CLIENT_CA_NAME, type KeyPair } from './cluster-keys.js';

x509.cryptoProvider.set(globalThis.crypto);

export interface CertificateRequest {
  commonName: string;
  organizations: string[];
  /** Whether the request asks for names beyond its subject (subjectAltNames). */
  dnsNames: string[];
  emailAddresses: string[];
  ipAddresses: string[];
  uris: string[];
  /** The request itself, for the signer. */
  request: x509.Pkcs10CertificateRequest;
}

/** The first PEM block of `text`, as Go's pem.Decode finds it (anything before it is skipped). */
function firstPemBlock(text: string): { type: string; der: Buffer } | undefined {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  const body = m[2].split(/\r?\n/).filter((l) => l && !l.includes(':'));
  return { type: m[1], der: Buffer.from(body.join(''), 'base64') };
}

/** One DER element: its tag and where its content and the element itself end. */
function tlv(der: Buffer, at: number): { tag: number; start: number; end: number } {
  const tag = der[at];
  let len = der[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('x509: malformed certificate request');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i];
    start += n;
  }
  if (tag === undefined || start + len > der.length) throw new Error('x509: malformed certificate request');
  return { tag, start, end: start + len };
}

function oidOf(der: Buffer): string {
  const parts = [Math.floor(der[0] / 40), der[0] % 40];
  let n = 0;
  for (const b of der.subarray(1)) {
    n = n * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

/** Signature algorithms Go's CheckSignature accepts, by OID. */
const SIGNATURES: Record<string, { hash: string | null; pss?: boolean }> = {
  '1.2.840.113549.1.1.11': { hash: 'sha256' },
  '1.2.840.113549.1.1.12': { hash: 'sha384' },
  '1.2.840.113549.1.1.13': { hash: 'sha512' },
  '1.2.840.10045.4.3.2': { hash: 'sha256' },
  '1.2.840.10045.4.3.3': { hash: 'sha384' },
  '1.2.840.10045.4.3.4': { hash: 'sha512' },
  '1.3.101.112': { hash: null },
};

/** Checks the request is signed by the key it carries (x509.CertificateRequest.CheckSignature). */
function checkSignature(der: Buffer, request: x509.Pkcs10CertificateRequest): void {
  const outer = tlv(der, 0);
  const info = tlv(der, outer.start);
  const algorithm = tlv(der, info.end);
  const signature = tlv(der, algorithm.end);
  const oid = oidOf(der.subarray(tlv(der, algorithm.start).start, tlv(der, algorithm.start).end));
  const alg = SIGNATURES[oid];
  if (!alg) throw new Error(`x509: cannot verify signature: algorithm unimplemented`);
  const key = createPublicKey({ key: Buffer.from(request.publicKey.rawData), format: 'der', type: 'spki' });
  const ok = verifySignature(alg.hash, der.subarray(outer.start, info.end), alg.pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING } : key, der.subarray(signature.start + 1, signature.end));
  if (!ok) throw new Error(key.asymmetricKeyType === 'ec' ? 'x509: ECDSA verification failure' : 'crypto/rsa: verification error');
}

function subjectAltNames(request: x509.Pkcs10CertificateRequest): x509.SubjectAlternativeNameExtension | undefined {
  const ext = request.getExtension('2.5.29.17');
  if (!ext) return undefined;
  return ext instanceof x509.SubjectAlternativeNameExtension ? ext : new x509.SubjectAlternativeNameExtension(ext.rawData);
}

/**
 * Reads spec.request: a PEM CERTIFICATE REQUEST whose signature holds. Throws an Error with the
 * apiserver's wording otherwise.
 */
export function parseCertificateRequest(pem: Buffer): CertificateRequest {
  const block = firstPemBlock(pem.toString('latin1'));
  if (!block || block.type !== 'CERTIFICATE REQUEST') throw new Error('PEM block type must be CERTIFICATE REQUEST');
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(new Uint8Array(block.der));
  } catch {
    throw new Error('asn1: structure error: the certificate request could not be read');
  }
  checkSignature(block.der, request);
  const san = subjectAltNames(request);
  const names = (type: string) => (san?.names.items ?? []).filter((n) => n.type === type).map((n) => n.value);
  return {
    commonName: request.subjectName.getField('CN')[0] ?? '',
    organizations: request.subjectName.getField('O'),
    dnsNames: names('dns'),
    emailAddresses: names('email'),
    ipAddresses: names('ip'),
    uris: names('url'),
    request,
  };
}

const KEY_USAGES: Record<string, number> = {
  signing: x509.KeyUsageFlags.digitalSignature,
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'cert sign': x509.KeyUsageFlags.keyCertSign,
  'crl sign': x509.KeyUsageFlags.cRLSign,
  'encipher only': x509.KeyUsageFlags.encipherOnly,
  'decipher only': x509.KeyUsageFlags.decipherOnly,
};

const EXTENDED_KEY_USAGES: Record<string, string> = {
  any: '2.5.29.37.0',
  'server auth': x509.ExtendedKeyUsage.serverAuth,
  'client auth': x509.ExtendedKeyUsage.clientAuth,
  'code signing': x509.ExtendedKeyUsage.codeSigning,
  'email protection': x509.ExtendedKeyUsage.emailProtection,
  's/mime': x509.ExtendedKeyUsage.emailProtection,
  'ipsec end system': '1.3.6.1.5.5.7.3.5',
  'ipsec tunnel': '1.3.6.1.5.5.7.3.6',
  'ipsec user': '1.3.6.1.5.5.7.3.7',
  timestamping: x509.ExtendedKeyUsage.timeStamping,
  'ocsp signing': x509.ExtendedKeyUsage.ocspSigning,
  'microsoft sgc': '1.3.6.1.4.1.311.10.3.3',
  'netscape sgc': '2.16.840.1.113730.4.1',
};

/** Every usage the certificates API knows (certificates.k8s.io/v1 KeyUsage), sorted as it lists them. */
export const KNOWN_USAGES = [...Object.keys(KEY_USAGES), ...Object.keys(EXTENDED_KEY_USAGES)].sort();

export interface IssueOptions {
  request: CertificateRequest;
  usages: string[];
  notBefore: Date;
  notAfter: Date;
  ca: KeyPair;
}

/** A certificate for the request's subject, names and key, signed by the cluster's CA (PEM). */
export async function issueCertificate(o: IssueOptions): Promise<string> {
  const signingKey = await webcrypto.subtle.importKey('jwk', o.ca.jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const keyUsage = o.usages.reduce((flags, u) => flags | (KEY_USAGES[u] ?? 0), 0);
  const extended = [...new Set(o.usages.map((u) => EXTENDED_KEY_USAGES[u]).filter((u): u is string => !!u))];
  const spki = o.ca.publicKey.export({ type: 'spki', format: 'der' });
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  if (keyUsage) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
  if (extended.length) extensions.push(new x509.ExtendedKeyUsageExtension(extended, false));
  const san = subjectAltNames(o.request.request);
  if (san) extensions.push(new x509.SubjectAlternativeNameExtension(san.names.toJSON(), false));
  extensions.push(new x509.AuthorityKeyIdentifierExtension(createHash('sha1').update(spki.subarray(spki.length - 65)).digest('hex')));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
    subject: o.request.request.subjectName,
    issuer: CLIENT_CA_NAME,
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    publicKey: o.request.request.publicKey,
    signingKey,
    extensions,
  });
  return cert.toString('pem');
}

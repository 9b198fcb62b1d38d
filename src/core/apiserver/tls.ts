// The API server speaks HTTPS, as a real one does: a CA made on first run signs a serving
// certificate for 127.0.0.1 and localhost, and kubeconfigs carry the CA so clients verify us
// with their default settings. Both are kept in the data dir and reused across runs.
// @peculiar/x509 uses decorators that need the Reflect metadata API loaded first.
import 'reflect-metadata';
import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(globalThis.crypto);

export interface TlsMaterial {
  caCert: string;
  cert: string;
  key: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS = 10 * 365 * 24 * 3600 * 1000;

function pemKey(der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END PRIVATE KEY-----\n`;
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
}

/** Makes a fresh CA and a serving certificate for the loopback names. */
export async function generateTls(): Promise<TlsMaterial> {
  const now = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + TEN_YEARS);
  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=kubedojo-ca',
    notBefore: now,
    notAfter,
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=kube-apiserver',
    issuer: ca.subject,
    notBefore: now,
    notAfter,
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'dns', value: 'kubernetes' },
        { type: 'dns', value: 'kubernetes.default' },
        { type: 'dns', value: 'kubernetes.default.svc' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const key = pemKey(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { caCert: ca.toString('pem'), cert: cert.toString('pem'), key };
}

/** Reads the CA and serving certificate from `dir`, making them on first use or when expired. */
export async function loadOrCreateTls(dir: string): Promise<TlsMaterial> {
  const files = { caCert: path.join(dir, 'ca.crt'), cert: path.join(dir, 'apiserver.crt'), key: path.join(dir, 'apiserver.key') };
  if (existsSync(files.caCert) && existsSync(files.cert) && existsSync(files.key)) {
    const material = {
      caCert: readFileSync(files.caCert, 'utf8'),
      cert: readFileSync(files.cert, 'utf8'),
      key: readFileSync(files.key, 'utf8'),
    };
    try {
      const c = new NodeX509(material.cert);
      if (new Date(c.validTo).getTime() > Date.now() + 24 * 3600 * 1000 && c.checkIssued(new NodeX509(material.caCert))) return material;
    } catch {
      // Unreadable material is replaced below.
    }
  }
  const material = await generateTls();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(files.caCert, material.caCert, { mode: 0o644 });
  writeFileSync(files.cert, material.cert, { mode: 0o644 });
  writeFileSync(files.key, material.key, { mode: 0o600 });
  return material;
}

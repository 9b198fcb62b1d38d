// A CertificateSigningRequest's request is read as the apiserver reads it: the first PEM block,
// of type CERTIFICATE REQUEST, whose signature holds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCertificateRequest } from '../../../../src/core/cluster/certificates.js';
import { ManualClock } from '../../../../src/core/cluster/clock.js';
import { newCluster } from '../../../../src/core/cluster/factory.js';
import { csrCondition } from '../../../../src/core/cluster/kinds/certificatesigningrequest.js';
import type { KObject } from '../../../../src/core/cluster/kinds/types.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-csr-kind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[]): Buffer {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  return readFileSync(path.join(dir, args[args.indexOf('-out') + 1]));
}

const rsa = openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'rsa.key', '-subj', '/CN=jane/O=devs', '-out', 'rsa.csr']);

/** The same request with one byte of its signed part changed. */
function tampered(pem: Buffer): Buffer {
  const text = pem.toString();
  const body = text.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
  const der = Buffer.from(body, 'base64');
  der[40] ^= 0x01;
  return Buffer.from(`-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`);
}

describe('a certificate request', () => {
  it('names its subject, even after text before the PEM block', () => {
    const req = parseCertificateRequest(Buffer.concat([Buffer.from('made by openssl\n'), rsa]));
    expect(req.commonName).toBe('jane');
    expect(req.organizations).toEqual(['devs']);
  });

  it('is refused when it is another kind of PEM block, or its signature does not hold', () => {
    const key = readFileSync(path.join(dir, 'rsa.key'));
    expect(() => parseCertificateRequest(key)).toThrow('PEM block type must be CERTIFICATE REQUEST');
    expect(() => parseCertificateRequest(tampered(rsa))).toThrow('crypto/rsa: verification error');
  });

  it('is checked when a CertificateSigningRequest is created', () => {
    const cluster = newCluster({ clock: new ManualClock('2026-03-01T10:00:00Z'), controlPlane: false });
    const def = cluster.kinds.byGroupResource('certificates.k8s.io', 'certificatesigningrequests')!;
    const create = (request: Buffer, extra: object = {}) =>
      cluster.create(def, undefined, { metadata: { name: 'x' }, spec: { request: request.toString('base64'), signerName: 'example.com/signer', usages: ['client auth'], ...extra } });
    expect(() => create(readFileSync(path.join(dir, 'rsa.key')))).toThrow(/^CertificateSigningRequest.certificates.k8s.io "x" is invalid: spec.request: Invalid value: \[\]byte\{0x2d, 0x2d, .*\}: PEM block type must be CERTIFICATE REQUEST$/);
    expect(() => create(rsa, { usages: ['client auth', 'client auth'], signerName: 'example/signer' })).toThrow(
      'CertificateSigningRequest.certificates.k8s.io "x" is invalid: [spec.usages[1]: Duplicate value: "client auth", spec.signerName: Invalid value: "example": should be a domain with at least two segments separated by dots]',
    );
    const csr = create(rsa).object;
    expect(csr.status).toEqual({});
    expect(csrCondition(csr as KObject)).toBe('Pending');
  });
});

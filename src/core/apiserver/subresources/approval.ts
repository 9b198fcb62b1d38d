// certificatesigningrequests/approval: where `kubectl certificate approve|deny` writes its
// condition. Only the Approved and Denied conditions are taken from the body: the spec, the
// certificate and the signer's conditions stay as stored.
import { badRequest, methodNotAllowed } from '../../cluster/errors.js';
import type { KObject } from '../../cluster/kinds/types.js';
import { withApproval } from '../../cluster/kinds/certificatesigningrequest.js';
import { decodeObject, readBody } from '../body.js';
import { admitApproval } from '../certificate-admission.js';
import { writeOptions } from '../query.js';
import type { SubresourceRequest } from './request.js';

export async function serveApproval(r: SubresourceRequest): Promise<void> {
  const current = r.cluster.get(r.def, undefined, r.name);
  const method = r.req.method ?? 'GET';
  if (method === 'GET') return r.json(200, current);
  if (method !== 'PUT') throw methodNotAllowed();
  const body = decodeObject(await readBody(r.req), r.req.headers['content-type'], r.def.kind) as KObject | undefined;
  if (!body || typeof body !== 'object') throw badRequest('the body of an approval must be a CertificateSigningRequest');
  const named = body.metadata?.name;
  if (named && named !== r.name) throw badRequest(`the name of the object (${named}) does not match the name on the URL (${r.name})`);
  admitApproval(r.cluster, r.user, current);
  const result = r.cluster.update(r.def, undefined, r.name, withApproval(current, body), writeOptions(r.req, r.q), 'approval');
  r.json(200, result.object);
}

// The apiserver's admission plugins for CertificateSigningRequests that depend on who asks:
// CertificateSubjectRestriction (no kube-apiserver-client certificate for system:masters, which
// would be a cluster admin no RBAC could ever take back) and CertificateApproval (approving or
// denying takes `approve` on the signer, besides update on the approval subresource).
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { Cluster } from '../cluster/cluster.js';
import { forbidden } from '../cluster/errors.js';
import { parseCertificateRequest } from '../cluster/certificates.js';
import { KUBE_APISERVER_CLIENT, requestBytes } from '../cluster/kinds/certificatesigningrequest.js';
import type { Stored } from '../cluster/kinds/types.js';
import { ADMIN, authorize, rbacObjects, type UserInfo } from '../cluster/rbac.js';

type Csr = Stored<CertificateSigningRequest>;

const CSRS = { group: 'certificates.k8s.io', resource: 'certificatesigningrequests' };

/** Refuses a kube-apiserver-client request whose subject puts its holder in system:masters. */
export function admitCsrCreate(body: unknown): void {
  const csr = body as Csr | undefined;
  if (csr?.spec?.signerName !== KUBE_APISERVER_CLIENT) return;
  let organizations: string[];
  try {
    organizations = parseCertificateRequest(requestBytes(csr)).organizations;
  } catch {
    return; // validation says what is wrong with the request
  }
  if (organizations.includes('system:masters')) {
    throw forbidden(CSRS, csr.metadata?.name ?? '', `use of ${KUBE_APISERVER_CLIENT} signer with system:masters group is not allowed`);
  }
}

/** Refuses an approval or denial by someone without `approve` on the request's signer. */
export function admitApproval(cluster: Cluster, user: UserInfo | undefined, csr: Csr): void {
  if (!user || user === ADMIN) return;
  const signer = csr.spec?.signerName ?? '';
  const objs = rbacObjects((plural) => cluster.store.list(`rbac.authorization.k8s.io/${plural}`));
  const may = (name: string) => authorize(objs, user, { verb: 'approve', group: 'certificates.k8s.io', resource: 'signers', name }).allowed;
  const domain = signer.split('/')[0];
  if (may(signer) || may(`${domain}/*`)) return;
  throw forbidden(CSRS, csr.metadata.name ?? '', `user not permitted to approve requests with signerName "${signer}"`);
}

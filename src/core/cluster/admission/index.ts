// The apiserver's admission plugins that act on what a namespace holds, in the order a real
// apiserver runs them: mutating ones (LimitRanger's defaults, DefaultStorageClass, in-use
// protection) before validation, validating ones (ServiceAccount, LimitRanger's bounds,
// ResourceQuota) after.
import type { Cluster } from '../cluster.js';
import { limitRangerDefaults, limitRangerValidation } from './limitrange.js';
import { quotaAdmission } from './quota.js';
import { serviceAccountAdmission } from './serviceaccount.js';
import { storageAdmission } from './storage.js';

export function installAdmission(cluster: Cluster): void {
  cluster.mutatingAdmission.push(limitRangerDefaults(cluster), storageAdmission(cluster));
  cluster.validatingAdmission.push(serviceAccountAdmission(cluster), limitRangerValidation(cluster), quotaAdmission(cluster));
}

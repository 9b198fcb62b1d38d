// Which Go package (and so which OpenAPI definition prefix) each built-in API group lives in.

/** API groups compiled into the apiserver (k8s.io/api); any other group is a custom resource. */
export const GROUP_PACKAGES: Record<string, string> = {
  '': 'io.k8s.api.core',
  apps: 'io.k8s.api.apps',
  batch: 'io.k8s.api.batch',
  autoscaling: 'io.k8s.api.autoscaling',
  policy: 'io.k8s.api.policy',
  'networking.k8s.io': 'io.k8s.api.networking',
  'rbac.authorization.k8s.io': 'io.k8s.api.rbac',
  'storage.k8s.io': 'io.k8s.api.storage',
  'scheduling.k8s.io': 'io.k8s.api.scheduling',
  'coordination.k8s.io': 'io.k8s.api.coordination',
  'discovery.k8s.io': 'io.k8s.api.discovery',
  'events.k8s.io': 'io.k8s.api.events',
  'authorization.k8s.io': 'io.k8s.api.authorization',
  'authentication.k8s.io': 'io.k8s.api.authentication',
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
  'apiregistration.k8s.io': 'io.k8s.kube-aggregator.pkg.apis.apiregistration',
  'node.k8s.io': 'io.k8s.api.node',
  'certificates.k8s.io': 'io.k8s.api.certificates',
  'admissionregistration.k8s.io': 'io.k8s.api.admissionregistration',
  'flowcontrol.apiserver.k8s.io': 'io.k8s.api.flowcontrol',
  'resource.k8s.io': 'io.k8s.api.resource',
  'storagemigration.k8s.io': 'io.k8s.api.storagemigration',
  'internal.apiserver.k8s.io': 'io.k8s.api.apiserverinternal',
};

// Where a field of a manifest belongs, for the kinds learners write by hand: the table behind
// "`containers` goes under spec.template.spec". Paths are written as a learner reads them.

const POD_SPEC = ['containers', 'initContainers', 'volumes', 'restartPolicy', 'nodeSelector', 'tolerations', 'affinity', 'serviceAccountName', 'nodeName', 'hostNetwork', 'terminationGracePeriodSeconds', 'imagePullSecrets', 'dnsPolicy', 'priorityClassName'];
const CONTAINER = ['image', 'command', 'args', 'env', 'envFrom', 'resources', 'volumeMounts', 'livenessProbe', 'readinessProbe', 'startupProbe', 'imagePullPolicy', 'workingDir'];
const METADATA = ['labels', 'annotations', 'name', 'namespace'];
const WORKLOAD_SPEC = ['replicas', 'selector', 'template', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'serviceName', 'updateStrategy'];
const JOB_SPEC = ['completions', 'parallelism', 'backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished', 'template'];
const CRONJOB_SPEC = ['schedule', 'jobTemplate', 'concurrencyPolicy', 'suspend', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'];
const SERVICE_SPEC = ['ports', 'selector', 'type', 'clusterIP', 'externalName', 'sessionAffinity'];
const SERVICE_PORT = ['port', 'targetPort', 'nodePort', 'protocol'];
const TOP = ['apiVersion', 'kind', 'metadata', 'spec', 'data'];

/** The path of the pod spec inside an object of this kind. */
export function podSpecPath(kind: string): string {
  if (kind === 'Pod') return 'spec';
  if (kind === 'CronJob') return 'spec.jobTemplate.spec.template.spec';
  return 'spec.template.spec';
}

/** Each field name a learner is likely to write in this kind, and the path it belongs under. */
export function fieldHomes(kind: string): Map<string, string> {
  const homes = new Map<string, string>();
  const put = (names: string[], home: string) => names.forEach((n) => homes.has(n) || homes.set(n, home));
  for (const n of TOP) homes.set(n, '');
  if (kind === 'Service') {
    put(SERVICE_SPEC, 'spec');
    put(SERVICE_PORT, 'spec.ports[]');
  }
  if (kind === 'ConfigMap' || kind === 'Secret') put(['data', 'binaryData', 'stringData', 'immutable'], '');
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(kind)) put(WORKLOAD_SPEC, 'spec');
  if (kind === 'Job') put(JOB_SPEC, 'spec');
  if (kind === 'CronJob') {
    put(CRONJOB_SPEC, 'spec');
    put(JOB_SPEC, 'spec.jobTemplate.spec');
  }
  put(METADATA, 'metadata');
  if (kind !== 'Service' && kind !== 'ConfigMap' && kind !== 'Secret') {
    const pod = podSpecPath(kind);
    put(POD_SPEC, pod);
    put(CONTAINER, `${pod}.containers[]`);
    homes.set('ports', `${pod}.containers[]`);
    homes.set('containerPort', `${pod}.containers[].ports[]`);
  }
  return homes;
}

/** A path as a learner reads it: `an item of spec.containers` for a list's items. */
export function describePath(path: string): string {
  if (!path) return 'the top level of the manifest';
  return path.endsWith('[]') ? `an item of ${path.slice(0, -2)}` : path;
}

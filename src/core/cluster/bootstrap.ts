// A fresh cluster's contents: by default what a learner finds in a three-node kind cluster — a
// control-plane node running the static control-plane pods, two workers, CoreDNS, kube-proxy and
// kindnet on every node, the default namespaces, service accounts, root CA config maps and a default
// StorageClass; or the same for another shape (shapes.ts), such as Killercoda's two kubeadm nodes. Objects are written through the cluster's own API (create, then status, as the
// components that own them would), so defaults and validation apply to them as to any object.
import { createHash } from 'node:crypto';
import type { Cluster } from './cluster.js';
import type { KindDef, KObject } from './kinds/types.js';
import { rfc3339, rfc3339Micro } from './clock.js';
import { KUBERNETES_VERSION, registeredNodeStatus } from './kubelet/node-status.js';
import { shapeSpec, type ClusterShape, type NetworkAgent, type NodeSpecSeed, type ShapeSpec } from './shapes.js';

export { KUBERNETES_VERSION };

const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'local-path-storage'];

/** A stable short hash, so names such as coredns-<hash>-<suffix> look like the real thing. */
function hash(text: string, len: number, alphabet = 'bcdfghjklmnpqrstvwxz2456789'): string {
  const digest = createHash('sha256').update(text).digest();
  let out = '';
  for (let i = 0; out.length < len; i++) out += alphabet[digest[i % digest.length] % alphabet.length];
  return out;
}

function kindOf(cluster: Cluster, group: string, plural: string): KindDef {
  const def = cluster.kinds.byGroupResource(group, plural);
  if (!def) throw new Error(`bootstrap: kind ${plural}.${group} is not registered`);
  return def;
}

class Seeder {
  constructor(private readonly cluster: Cluster) {}

  create(group: string, plural: string, obj: KObject, status?: unknown): KObject {
    const def = kindOf(this.cluster, group, plural);
    const created = this.cluster.create(def, obj.metadata.namespace, obj, { fieldManager: 'kubeadm', fieldValidation: 'Ignore' }).object;
    if (status === undefined) return created;
    return this.cluster.update(def, created.metadata.namespace, created.metadata.name!, { ...created, status }, { fieldManager: 'kubelet', fieldValidation: 'Ignore' }, 'status').object;
  }
}

function nodeObject(n: NodeSpecSeed, shape: ShapeSpec): KObject {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
  };
  if (n.controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: n.podCIDR,
      podCIDRs: [n.podCIDR],
      ...(shape.providerID ? { providerID: shape.providerID(n) } : {}),
      ...(n.controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    },
  };
}

function nodeStatus(n: NodeSpecSeed, now: Date): unknown {
  return registeredNodeStatus(n.name, n.ip, now, true);
}

interface PodSeed {
  name: string;
  namespace: string;
  node: NodeSpecSeed;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  containers: Array<Record<string, unknown>>;
  hostNetwork?: boolean;
  priorityClassName?: string;
  owner?: { apiVersion: string; kind: string; name: string; uid: string };
  serviceAccountName?: string;
  podIP?: string;
  tolerations?: unknown[];
  volumes?: unknown[];
}

function podObject(p: PodSeed): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      labels: p.labels,
      ...(p.annotations ? { annotations: p.annotations } : {}),
      ...(p.owner ? { ownerReferences: [{ ...p.owner, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: {
      containers: p.containers,
      nodeName: p.node.name,
      ...(p.hostNetwork ? { hostNetwork: true } : {}),
      ...(p.priorityClassName ? { priorityClassName: p.priorityClassName, priority: p.priorityClassName === 'system-node-critical' ? 2000001000 : 2000000000 } : {}),
      ...(p.serviceAccountName ? { serviceAccountName: p.serviceAccountName } : {}),
      ...(p.tolerations ? { tolerations: p.tolerations } : {}),
      ...(p.volumes ? { volumes: p.volumes } : {}),
    },
  };
}

function runningStatus(p: PodSeed, now: Date): unknown {
  const t = rfc3339(now);
  const ip = p.podIP ?? p.node.ip;
  return {
    phase: 'Running',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t },
    ],
    hostIP: p.node.ip,
    hostIPs: [{ ip: p.node.ip }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: t,
    containerStatuses: p.containers.map((c) => ({
      name: c.name,
      state: { running: { startedAt: t } },
      lastState: {},
      ready: true,
      restartCount: 0,
      image: c.image,
      imageID: `${String(c.image).split(':')[0]}@sha256:${createHash('sha256').update(String(c.image)).digest('hex')}`,
      containerID: `containerd://${createHash('sha256').update(`${p.name}/${c.name}`).digest('hex')}`,
      started: true,
    })),
    qosClass: p.containers.some((c) => (c.resources as { requests?: object } | undefined)?.requests) ? 'Burstable' : 'BestEffort',
  };
}

const controlPlaneComponents = (cp: NodeSpecSeed, podSubnet: string): Array<{ component: string; image: string; command: string[]; requests: Record<string, string>; port: number }> => [
  {
    component: 'etcd',
    image: 'registry.k8s.io/etcd:3.5.21-0',
    command: ['etcd', `--advertise-client-urls=https://${cp.ip}:2379`, '--data-dir=/var/lib/etcd', `--listen-client-urls=https://127.0.0.1:2379,https://${cp.ip}:2379`, `--name=${cp.name}`],
    requests: { cpu: '100m', memory: '100Mi' },
    port: 2381,
  },
  {
    component: 'kube-apiserver',
    image: `registry.k8s.io/kube-apiserver:${KUBERNETES_VERSION}`,
    command: ['kube-apiserver', `--advertise-address=${cp.ip}`, '--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction', '--etcd-servers=https://127.0.0.1:2379', '--service-cluster-ip-range=10.96.0.0/16'],
    requests: { cpu: '250m' },
    port: 6443,
  },
  {
    component: 'kube-controller-manager',
    image: `registry.k8s.io/kube-controller-manager:${KUBERNETES_VERSION}`,
    command: ['kube-controller-manager', '--allocate-node-cidrs=true', `--cluster-cidr=${podSubnet}`, '--controllers=*,bootstrapsigner,tokencleaner', '--leader-elect=true'],
    requests: { cpu: '200m' },
    port: 10257,
  },
  {
    component: 'kube-scheduler',
    image: `registry.k8s.io/kube-scheduler:${KUBERNETES_VERSION}`,
    command: ['kube-scheduler', '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'],
    requests: { cpu: '100m' },
    port: 10259,
  },
];

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

/** Fills an empty cluster with what a fresh cluster of the shape holds (kind's by default). */
export function bootstrapCluster(cluster: Cluster, caCert = '', shapeName: ClusterShape = 'kind'): void {
  const shape = shapeSpec(shapeName);
  const NODES = shape.nodes;
  const seed = new Seeder(cluster);
  const now = cluster.clock.now();

  for (const ns of SYSTEM_NAMESPACES) seed.create('', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { phase: 'Active' });

  for (const pc of [
    { name: 'system-cluster-critical', value: 2000000000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
    { name: 'system-node-critical', value: 2000001000, description: 'Used for system critical pods that must not be moved from their current node.' },
  ]) {
    seed.create('scheduling.k8s.io', 'priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: pc.name }, value: pc.value, description: pc.description, preemptionPolicy: 'PreemptLowerPriority' });
  }

  const nodes = NODES.map((n) => ({ seed: n, obj: seed.create('', 'nodes', nodeObject(n, shape), nodeStatus(n, now)) }));
  for (const { seed: n, obj } of nodes) {
    seed.create('coordination.k8s.io', 'leases', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: n.name, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: n.name, uid: obj.metadata.uid! }] },
      spec: { holderIdentity: n.name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(now) },
    });
  }
  for (const component of ['kube-controller-manager', 'kube-scheduler']) {
    seed.create('coordination.k8s.io', 'leases', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: component, namespace: 'kube-system' },
      spec: { holderIdentity: `${NODES[0].name}_${hash(component, 8, '0123456789abcdef')}-${hash(`${component}-b`, 4, '0123456789abcdef')}`, leaseDurationSeconds: 15, acquireTime: rfc3339Micro(now), renewTime: rfc3339Micro(now), leaseTransitions: 0 },
    });
  }

  for (const { seed: n, obj } of nodes) seedNodeEvents(seed, n, obj, now);

  for (const ns of SYSTEM_NAMESPACES) {
    seed.create('', 'serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
    seed.create('', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: ns, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } }, data: { 'ca.crt': caCert } });
  }
  for (const sa of ['coredns', 'kube-proxy', ...shape.network.map((a) => a.serviceAccount), ...(shape.networkControllers ? [shape.networkControllers.serviceAccount] : []), 'attachdetach-controller', 'deployment-controller', 'replicaset-controller', 'daemon-set-controller', 'job-controller', 'cronjob-controller', 'statefulset-controller', 'namespace-controller', 'generic-garbage-collector', 'endpoint-controller', 'service-account-controller']) {
    seed.create('', 'serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: 'kube-system' } });
  }
  seed.create('', 'serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'local-path-provisioner-service-account', namespace: 'local-path-storage' } });
  seed.create('', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: COREFILE } });
  seed.create('', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } }, data: { 'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: iptables\nclusterCIDR: ${shape.podSubnet}\n' } });
  seed.create('', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeadm-config', namespace: 'kube-system' }, data: { ClusterConfiguration: `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nclusterName: ${shape.clusterName}\nkubernetesVersion: ${KUBERNETES_VERSION}\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: ${shape.podSubnet}\n  serviceSubnet: 10.96.0.0/16\n` } });
  seed.create('', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'kube-public' }, data: { kubeconfig: `apiVersion: v1\nclusters:\n- cluster:\n    server: https://${NODES[0].name}:6443\n  name: ""\nkind: Config\n` } });

  const controlPlane = NODES[0];
  const cpNode = nodes[0].obj;
  for (const c of controlPlaneComponents(controlPlane, shape.podSubnet)) {
    const name = `${c.component}-${controlPlane.name}`;
    const p: PodSeed = {
      name,
      namespace: 'kube-system',
      node: controlPlane,
      labels: { component: c.component, tier: 'control-plane' },
      annotations: {
        'kubernetes.io/config.hash': hash(name, 32, '0123456789abcdef'),
        'kubernetes.io/config.mirror': hash(name, 32, '0123456789abcdef'),
        'kubernetes.io/config.seen': rfc3339Micro(now),
        'kubernetes.io/config.source': 'file',
      },
      containers: [{ name: c.component, image: c.image, command: c.command, resources: { requests: c.requests }, imagePullPolicy: 'IfNotPresent' }],
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      owner: { apiVersion: 'v1', kind: 'Node', name: controlPlane.name, uid: cpNode.metadata.uid! },
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
    };
    seed.create('', 'pods', podObject(p), runningStatus(p, now));
  }

  seedKubernetesService(seed, controlPlane);
  seedCoreDns(seed, now, controlPlane);
  const daemonSets: NetworkAgent[] = [
    { name: 'kube-proxy', labels: { 'k8s-app': 'kube-proxy' }, image: `registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`, serviceAccount: 'kube-proxy', priorityClassName: 'system-node-critical' },
    ...shape.network,
  ];
  for (const ds of daemonSets) seedDaemonSet(seed, ds, NODES, now);
  seedSingleDeployment(seed, now, controlPlane, {
    name: 'local-path-provisioner',
    namespace: 'local-path-storage',
    container: { name: 'local-path-provisioner', image: 'docker.io/kindest/local-path-provisioner:v20250214-acbabc1a', command: ['local-path-provisioner', '--debug', 'start', '--helper-image', 'docker.io/kindest/local-path-helper:v20241212-8ac705d0', '--config', '/etc/config/config.json'] },
    serviceAccount: 'local-path-provisioner-service-account',
    podIP: podIP(controlPlane, 4),
  });
  if (shape.networkControllers) {
    const c = shape.networkControllers;
    seedSingleDeployment(seed, now, controlPlane, { name: c.name, namespace: 'kube-system', container: { name: c.name, image: c.image }, serviceAccount: c.serviceAccount, podIP: podIP(controlPlane, 5), priorityClassName: 'system-cluster-critical' });
  }

  seed.create('storage.k8s.io', 'storageclasses', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: shape.storageClass, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  });

  for (const cs of ['controller-manager', 'scheduler', 'etcd-0']) {
    const def = cluster.kinds.byGroupResource('', 'componentstatuses');
    if (!def) break;
    cluster.store.put(`/componentstatuses`, {
      apiVersion: 'v1',
      kind: 'ComponentStatus',
      metadata: { name: cs, creationTimestamp: null },
      conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
    });
  }

  seedRbac(seed);
}

/** The events a node's kubelet and the node controller record as a kind node comes up. */
function seedNodeEvents(seed: Seeder, n: NodeSpecSeed, node: KObject, now: Date): void {
  const t = rfc3339(now);
  const events: Array<[string, string, string]> = [
    ['kubelet', 'Starting', 'Starting kubelet.'],
    ['kubelet', 'NodeHasSufficientMemory', `Node ${n.name} status is now: NodeHasSufficientMemory`],
    ['kubelet', 'NodeHasNoDiskPressure', `Node ${n.name} status is now: NodeHasNoDiskPressure`],
    ['kubelet', 'NodeHasSufficientPID', `Node ${n.name} status is now: NodeHasSufficientPID`],
    ['node-controller', 'RegisteredNode', `Node ${n.name} event: Registered Node ${n.name} in Controller`],
    ['kubelet', 'NodeReady', `Node ${n.name} status is now: NodeReady`],
  ];
  events.forEach(([component, reason, message], i) => {
    seed.create('', 'events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${n.name}.${hash(`${n.name}-${reason}`, 16, '0123456789abcdef')}`, namespace: 'default' },
      involvedObject: { kind: 'Node', name: n.name, uid: component === 'kubelet' ? n.name : node.metadata.uid, apiVersion: 'v1' },
      reason,
      message,
      source: component === 'kubelet' ? { component, host: n.name } : { component },
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type: 'Normal',
      eventTime: null,
      reportingComponent: component,
      reportingInstance: component === 'kubelet' ? n.name : '',
    });
    void i;
  });
}

function seedKubernetesService(seed: Seeder, cp: NodeSpecSeed): void {
  seed.create('', 'services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' },
  });
  seed.create('', 'endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: cp.ip }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  });
  seed.create('discovery.k8s.io', 'endpointslices', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [cp.ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  });
}

/** The n-th address of the node's pod range (its .0 is the network). */
function podIP(node: NodeSpecSeed, n: number): string {
  return node.podCIDR.replace(/\.0\/\d+$/, `.${n}`);
}

function templateHash(name: string): string {
  return hash(`${name}-template`, 10, 'bcdfghjklmnpqrstvwxz2456789');
}

function seedCoreDns(seed: Seeder, now: Date, cp: NodeSpecSeed): void {
  const labels = { 'k8s-app': 'kube-dns' };
  const container = {
    name: 'coredns',
    image: 'registry.k8s.io/coredns/coredns:v1.12.0',
    args: ['-conf', '/etc/coredns/Corefile'],
    ports: [
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
    ],
    resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
    volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
  };
  const volumes = [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }];
  const tolerations = [
    { key: 'CriticalAddonsOnly', operator: 'Exists' },
    { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
  ];
  const podTemplate = { metadata: { labels }, spec: { containers: [container], volumes, tolerations, serviceAccountName: 'coredns', priorityClassName: 'system-cluster-critical', dnsPolicy: 'Default', nodeSelector: { 'kubernetes.io/os': 'linux' } } };
  const dep = seed.create(
    'apps',
    'deployments',
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels },
      spec: { replicas: 2, selector: { matchLabels: labels }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } }, template: podTemplate },
    },
    {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: rfc3339(now), lastTransitionTime: rfc3339(now), reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: rfc3339(now), lastTransitionTime: rfc3339(now), reason: 'NewReplicaSetAvailable', message: `ReplicaSet "coredns-${templateHash('coredns')}" has successfully progressed.` },
      ],
    },
  );
  const hashLabel = templateHash('coredns');
  const rsName = `coredns-${hashLabel}`;
  const rsLabels = { ...labels, 'pod-template-hash': hashLabel };
  const rs = seed.create(
    'apps',
    'replicasets',
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: 'kube-system',
        labels: rsLabels,
        annotations: { 'deployment.kubernetes.io/desired-replicas': '2', 'deployment.kubernetes.io/max-replicas': '3', 'deployment.kubernetes.io/revision': '1' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns', uid: dep.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas: 2, selector: { matchLabels: rsLabels }, template: { ...podTemplate, metadata: { labels: rsLabels } } },
    },
    { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 },
  );
  [cp].forEach((node) => {
    for (let i = 0; i < 2; i++) {
      const p: PodSeed = {
        name: `${rsName}-${hash(`coredns-${i}`, 5)}`,
        namespace: 'kube-system',
        node,
        labels: rsLabels,
        containers: [container],
        serviceAccountName: 'coredns',
        priorityClassName: 'system-cluster-critical',
        owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rs.metadata.uid! },
        podIP: podIP(cp, i + 2),
        tolerations,
        volumes,
      };
      seed.create('', 'pods', podObject(p), runningStatus(p, now));
    }
  });
  seed.create('', 'services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      selector: labels,
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  });
  seed.create('', 'endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' } },
    subsets: [
      {
        addresses: [0, 1].map((i) => ({ ip: podIP(cp, i + 2), nodeName: cp.name, targetRef: { kind: 'Pod', namespace: 'kube-system', name: `${rsName}-${hash(`coredns-${i}`, 5)}` } })),
        ports: [
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'metrics', port: 9153, protocol: 'TCP' },
        ],
      },
    ],
  });
}

function seedDaemonSet(seed: Seeder, d: NetworkAgent, nodes: NodeSpecSeed[], now: Date): void {
  const container = { name: d.name, image: d.image, ...(d.name === 'kube-proxy' ? { command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'], securityContext: { privileged: true } } : {}), ...(d.resources ? { resources: d.resources } : {}) };
  const tolerations = [{ operator: 'Exists' }];
  const template = { metadata: { labels: d.labels }, spec: { containers: [container], hostNetwork: true, serviceAccountName: d.serviceAccount, tolerations, nodeSelector: { 'kubernetes.io/os': 'linux' }, ...(d.priorityClassName ? { priorityClassName: d.priorityClassName } : {}) } };
  const n = nodes.length;
  const ds = seed.create(
    'apps',
    'daemonsets',
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: d.name, namespace: 'kube-system', labels: d.labels }, spec: { selector: { matchLabels: d.labels }, template } },
    { currentNumberScheduled: n, desiredNumberScheduled: n, numberAvailable: n, numberMisscheduled: 0, numberReady: n, observedGeneration: 1, updatedNumberScheduled: n },
  );
  const revisionHash = hash(`${d.name}-rev`, 10, '0123456789abcdef').slice(0, 10);
  for (const node of nodes) {
    const p: PodSeed = {
      name: `${d.name}-${hash(`${d.name}-${node.name}`, 5)}`,
      namespace: 'kube-system',
      node,
      labels: { ...d.labels, 'controller-revision-hash': revisionHash, 'pod-template-generation': '1' },
      containers: [container],
      hostNetwork: true,
      serviceAccountName: d.serviceAccount,
      ...(d.priorityClassName ? { priorityClassName: d.priorityClassName } : {}),
      owner: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: d.name, uid: ds.metadata.uid! },
      tolerations,
    };
    seed.create('', 'pods', podObject(p), runningStatus(p, now));
  }
}

interface SingleDeployment {
  name: string;
  namespace: string;
  container: Record<string, unknown>;
  serviceAccount: string;
  podIP: string;
  priorityClassName?: string;
}

/** A one-replica add-on Deployment on the control-plane node, with its ReplicaSet and running pod. */
function seedSingleDeployment(seed: Seeder, now: Date, cp: NodeSpecSeed, d: SingleDeployment): void {
  const labels: Record<string, string> = d.namespace === 'kube-system' ? { 'k8s-app': d.name } : { app: d.name };
  const container = d.container;
  const tolerations = [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Equal', effect: 'NoSchedule' }];
  const template = { metadata: { labels }, spec: { containers: [container], serviceAccountName: d.serviceAccount, tolerations, nodeSelector: { 'kubernetes.io/os': 'linux' }, ...(d.priorityClassName ? { priorityClassName: d.priorityClassName } : {}) } };
  const dep = seed.create(
    'apps',
    'deployments',
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: d.name, namespace: d.namespace }, spec: { replicas: 1, selector: { matchLabels: labels }, template } },
    {
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: rfc3339(now), lastTransitionTime: rfc3339(now), reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: rfc3339(now), lastTransitionTime: rfc3339(now), reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${d.name}-${templateHash(d.name)}" has successfully progressed.` },
      ],
    },
  );
  const hashLabel = templateHash(d.name);
  const rsName = `${d.name}-${hashLabel}`;
  const rsLabels = { ...labels, 'pod-template-hash': hashLabel };
  const rs = seed.create(
    'apps',
    'replicasets',
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: d.namespace,
        labels: rsLabels,
        annotations: { 'deployment.kubernetes.io/desired-replicas': '1', 'deployment.kubernetes.io/max-replicas': '2', 'deployment.kubernetes.io/revision': '1' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.metadata.name!, uid: dep.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas: 1, selector: { matchLabels: rsLabels }, template: { ...template, metadata: { labels: rsLabels } } },
    },
    { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 },
  );
  const p: PodSeed = {
    name: `${rsName}-${hash(`${d.name}-0`, 5)}`,
    namespace: d.namespace,
    node: cp,
    labels: rsLabels,
    containers: [container],
    serviceAccountName: d.serviceAccount,
    ...(d.priorityClassName ? { priorityClassName: d.priorityClassName } : {}),
    owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rs.metadata.uid! },
    podIP: d.podIP,
    tolerations,
  };
  seed.create('', 'pods', podObject(p), runningStatus(p, now));
}

function seedRbac(seed: Seeder): void {
  const aggregate = (name: string, rules: unknown[], labels: Record<string, string> = {}) =>
    seed.create('rbac.authorization.k8s.io', 'clusterroles', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
      rules,
    });
  aggregate('cluster-admin', [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ]);
  const read = ['get', 'list', 'watch'];
  const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];
  const core = ['pods', 'pods/log', 'pods/status', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'events', 'limitranges', 'resourcequotas', 'namespaces'];
  const apps = ['deployments', 'deployments/scale', 'replicasets', 'replicasets/scale', 'daemonsets', 'statefulsets', 'statefulsets/scale', 'controllerrevisions'];
  const batch = ['jobs', 'cronjobs'];
  const viewRules = [
    { apiGroups: [''], resources: core, verbs: read },
    { apiGroups: ['apps'], resources: apps, verbs: read },
    { apiGroups: ['batch'], resources: batch, verbs: read },
    { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: read },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: read },
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: read },
  ];
  aggregate('view', viewRules, { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' });
  const editRules = [
    ...viewRules,
    { apiGroups: [''], resources: ['pods', 'pods/exec', 'pods/attach', 'pods/portforward', 'services', 'endpoints', 'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts'], verbs: write },
    { apiGroups: [''], resources: ['secrets'], verbs: read },
    { apiGroups: ['apps'], resources: apps, verbs: write },
    { apiGroups: ['batch'], resources: batch, verbs: write },
    { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: write },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: write },
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: write },
  ];
  aggregate('edit', editRules, { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' });
  aggregate('admin', [...editRules, { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...read, ...write] }]);
  seed.create('rbac.authorization.k8s.io', 'clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'cluster-admin', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
  });
  seed.create('rbac.authorization.k8s.io', 'clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'kubeadm:cluster-admins' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'kubeadm:cluster-admins' }],
  });
}

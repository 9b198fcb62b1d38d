// The clusters kubedojo can be made as. Lessons run on a kind cluster, as a learner's laptop has;
// Killercoda's scenarios assume the two kubeadm machines Killercoda gives them (controlplane and
// node01, Canal for the network, local-path as the default StorageClass), and their scripts name
// those nodes and that class, so a scenario gets a cluster of that shape.

export type ClusterShape = 'kind' | 'killercoda';

export const CLUSTER_SHAPES: readonly ClusterShape[] = ['kind', 'killercoda'];

export interface NodeSpecSeed {
  name: string;
  ip: string;
  podCIDR: string;
  controlPlane: boolean;
}

/** A pod network's per-node agent, as a DaemonSet in kube-system. */
export interface NetworkAgent {
  name: string;
  labels: Record<string, string>;
  image: string;
  serviceAccount: string;
  priorityClassName?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export interface ShapeSpec {
  shape: ClusterShape;
  clusterName: string;
  /** The kubeconfig context a learner finds on such a machine. */
  contextName: string;
  nodes: NodeSpecSeed[];
  podSubnet: string;
  /** Where a node says it runs: kind names the Docker container; kubeadm's machines say nothing. */
  providerID?: (node: NodeSpecSeed) => string;
  network: NetworkAgent[];
  /** The network's own controllers, one Deployment in kube-system (Calico's), if it has any. */
  networkControllers?: { name: string; image: string; serviceAccount: string };
  storageClass: string;
}

const KIND: ShapeSpec = {
  shape: 'kind',
  clusterName: 'kubedojo',
  contextName: 'kubedojo',
  nodes: [
    { name: 'kubedojo-control-plane', ip: '172.18.0.2', podCIDR: '10.244.0.0/24', controlPlane: true },
    { name: 'kubedojo-worker', ip: '172.18.0.3', podCIDR: '10.244.1.0/24', controlPlane: false },
    { name: 'kubedojo-worker2', ip: '172.18.0.4', podCIDR: '10.244.2.0/24', controlPlane: false },
  ],
  podSubnet: '10.244.0.0/16',
  providerID: (n) => `kind://docker/kubedojo/${n.name}`,
  network: [{ name: 'kindnet', labels: { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' }, image: 'docker.io/kindest/kindnetd:v20250512-df8de77b', serviceAccount: 'kindnet', resources: { limits: { cpu: '100m', memory: '50Mi' }, requests: { cpu: '100m', memory: '50Mi' } } }],
  storageClass: 'standard',
};

const KILLERCODA: ShapeSpec = {
  shape: 'killercoda',
  clusterName: 'kubernetes',
  contextName: 'kubernetes-admin@kubernetes',
  nodes: [
    { name: 'controlplane', ip: '172.30.1.2', podCIDR: '192.168.0.0/24', controlPlane: true },
    { name: 'node01', ip: '172.30.2.2', podCIDR: '192.168.1.0/24', controlPlane: false },
  ],
  podSubnet: '192.168.0.0/16',
  network: [{ name: 'canal', labels: { 'k8s-app': 'canal' }, image: 'docker.io/calico/node:v3.29.3', serviceAccount: 'canal', priorityClassName: 'system-node-critical', resources: { requests: { cpu: '250m' } } }],
  networkControllers: { name: 'calico-kube-controllers', image: 'docker.io/calico/kube-controllers:v3.29.3', serviceAccount: 'calico-kube-controllers' },
  storageClass: 'local-path',
};

export function shapeSpec(shape: ClusterShape = 'kind'): ShapeSpec {
  return shape === 'killercoda' ? KILLERCODA : KIND;
}

export function isClusterShape(s: string): s is ClusterShape {
  return (CLUSTER_SHAPES as readonly string[]).includes(s);
}

// What a node's kubelet reports about its machine: capacity, conditions, addresses and system
// info, the same for the bootstrap nodes and for nodes that join later.
import { createHash } from 'node:crypto';
import { rfc3339 } from '../clock.js';

export const KUBERNETES_VERSION = 'v1.33.1';

/** Every simulated machine is the same size as a kind node on a 4-core, 16 GiB host. */
export const NODE_RESOURCES = { cpu: '4', 'ephemeral-storage': '102626232Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16364460Ki', pods: '110' };

function hexId(text: string, len = 32): string {
  return createHash('sha256').update(text).digest('hex').slice(0, len);
}

function uuid(text: string): string {
  return hexId(text).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
}

/** The status a kubelet posts; `ready` false is how a node looks before its network is up. */
export function registeredNodeStatus(name: string, ip: string, now: Date, ready: boolean): Record<string, unknown> {
  const t = rfc3339(now);
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: t, lastTransitionTime: t, reason, message });
  return {
    capacity: NODE_RESOURCES,
    allocatable: NODE_RESOURCES,
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      ready
        ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
        : cond('Ready', 'False', 'KubeletNotReady', 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'),
    ],
    addresses: [
      { type: 'InternalIP', address: ip },
      { type: 'Hostname', address: name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: hexId(`${name}-machine`),
      systemUUID: uuid(`${name}-uuid`),
      bootID: uuid(`${name}-boot`),
      kernelVersion: '6.8.0-1027-gcp',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      containerRuntimeVersion: 'containerd://2.1.1',
      kubeletVersion: KUBERNETES_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

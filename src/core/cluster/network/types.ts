// The seams of the cluster network: what it needs from the nodes (a pod's servers) and the
// shapes of Services, pods and endpoints it reads, loosely typed as stored JSON.
import type { HttpRequest, HttpResponse, NetFailure } from '../kubelet/shell/types.js';
import type { Unstructured } from '../kinds/types.js';


/**
 * The last hop of a connection: a container process listening in a pod. The kubelet answers for
 * the pods it runs; `undefined` (or a NetFailure) when nothing listens on that port.
 */
export interface PodServers {
  /** `from`: the address the connection comes from, as the server logs it. */
  serveHttp(namespace: string, podName: string, port: number, req: HttpRequest, from?: string): HttpResponse | NetFailure | undefined;
  /** Whether a process of the pod listens on the port (a bare TCP connect); HTTP stands in when absent. */
  listening?(namespace: string, podName: string, port: number): boolean;
}

/** Where a packet to ip:port ends up, as kube-proxy's rules and the pod network deliver it. */
export type Destination =
  | { kind: 'pod'; namespace: string; pod: string; ip: string; port: number; via?: { namespace: string; service: string } }
  | { kind: 'failure'; error: NetFailure['error'] };

/** The cluster's DNS domain, as kubeadm and kind configure it. */
export const CLUSTER_DOMAIN = 'cluster.local';
/** The kube-dns Service's address, the nameserver in every pod's resolv.conf. */
export const DNS_SERVICE_IP = '10.96.0.10';

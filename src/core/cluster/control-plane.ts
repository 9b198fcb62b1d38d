// What a cluster, its pod network and its API server ask of the control plane that runs beside
// it. The controllers, the scheduler and the kubelets are wired together in controllers/index.ts;
// the rest of the cluster sees only this, so it depends on no controller and no kubelet internals.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerLog } from './kubelet/logs.js';
import type { PodState } from './kubelet/pod-state.js';
import type { PodServers } from './network/types.js';
import type { HttpRequest, HttpResponse, NetFailure } from './kubelet/shell/types.js';

/** A container's log as its node keeps it, and whether the container still writes to it. */
export interface ContainerLogView {
  log: ContainerLog;
  running(): boolean;
}

/**
 * What the nodes' kubelets serve: to the API server, a pod's logs and the streams behind exec,
 * attach and port-forward; to the pod network, the servers listening in its pods.
 */
export interface KubeletApi extends PodServers {
  /** A kubelet answers for every pod it runs: a response, or why the connection failed. */
  serveHttp(namespace: string, podName: string, port: number, req: HttpRequest, from?: string): HttpResponse | NetFailure;
  listening(namespace: string, podName: string, port: number): boolean;
  /** The pods the kubelets run, by `namespace/name`. */
  readonly pods: ReadonlyMap<string, PodState>;
  /** The log `kubectl logs` asks for, or the kubelet's reason there is none. */
  logOf(pod: Pod, container: string, previous: boolean): ContainerLogView | { error: string };
  /** Input for an attached container's stdin; `undefined` closes it. */
  attachInput(namespace: string, pod: string, container: string, chunk: Buffer | undefined): void;
  /** The kubelets' time, in milliseconds of the cluster's clock. */
  now(): number;
}

export interface ControlPlane {
  readonly kubelet: KubeletApi;
  /** Stops every controller and timer: the cluster is going away. */
  stop(): void;
}

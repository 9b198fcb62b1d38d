// What the kubelet holds in memory for a pod it runs, as a real kubelet's pod workers do: the
// sandbox, and per container its lifecycle record beside the live things that go with it (the
// process, its log, attached clients). Lost on a restart, when running pods are adopted afresh.
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Lifecycle } from './lifecycle.js';
import type { ContainerLog } from './logs.js';
import type { Program } from './program.js';
import type { RunningProcess } from './types.js';

/** Where a container's probes stand (kept beside the container, run by probes.ts). */
export type ProbeKind = 'startup' | 'liveness' | 'readiness';

export interface ProbeState {
  nextAt: number;
  failures: number;
  successes: number;
}

export type Probes = Partial<Record<ProbeKind, ProbeState>>;

export interface ContainerState {
  readonly name: string;
  readonly init: boolean;
  spec: Container;
  /** Where it is in its life: stepped by lifecycle.step, read by the pod's status. */
  life: Lifecycle;
  /** containerd's id of the current container (a restart makes a new one). */
  id: string;
  probes: Probes;
  process?: RunningProcess;
  program?: Program;
  log: ContainerLog;
  previousLog?: ContainerLog;
  /** When requests were served, for the CPU they cost. */
  served: number[];
  /** CPU a busy program burns on its own (a stress test), in millicores. */
  burnMillicores?: number;
  /** Memory the program says it holds beyond the image's idle use (a stress test). */
  memoryBytes?: number;
  /** Typed into an attached container's stdin, not read yet; `end` once the client closed it. */
  stdin?: { chunks: Buffer[]; end: boolean };
  /** Attached clients, who see the main process's output as it is written. */
  attached?: Set<(o: { stream: 'stdout' | 'stderr'; text: string }) => void>;
  /** Told when the main process ends (an attached session ends with it). */
  exitWatchers?: Set<() => void>;
}

export interface PodState {
  uid: string;
  node: string;
  sandboxAt: number;
  ip?: string;
  startTime: number;
  init: ContainerState[];
  containers: ContainerState[];
  stopping?: { since: number; deadline: number };
  /** `name_namespace(uid)`, as the kubelet names a pod in messages. */
  ref: string;
  hostIP: string;
  mountWarnedAt?: number;
}

/** Whether a container is running now. */
export const isRunning = (c: ContainerState): boolean => c.life.phase === 'running';

/** Whether an init container has done its work. */
export const succeeded = (c: ContainerState): boolean => c.life.phase === 'exited' && c.life.terminated?.exitCode === 0;

/** A pod's containers, init containers first. */
export const allOf = (state: PodState): ContainerState[] => [...state.init, ...state.containers];

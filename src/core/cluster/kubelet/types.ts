// What the kubelet needs from the container runtime's images and processes: the seam between
// pod lifecycle (kubelet.ts) and what runs inside a container (images, shell).
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ProgramGenerator } from './program.js';
import type { HttpRequest, HttpResponse, ProcessGen, StdinSource } from './shell/types.js';

export interface RuntimeImage {
  /** Normalised, as containerd reports it: docker.io/library/nginx:latest. */
  ref: string;
  /** repo@sha256:… */
  id: string;
  size: number;
  pullMs: number;
  /** Memory the main process uses when idle, for `kubectl top` and OOM kills. */
  memoryBytes: number;
}

export type ImageResolution = { ok: true; image: RuntimeImage } | { ok: false; reason: string; message: string };

export interface ProcessSpec {
  image: RuntimeImage;
  /** The pod as stored (volumes, securityContext, hostname) and the container's spec in it. */
  pod: Pod;
  container: Container;
  /** The environment the kubelet computed (service links, envFrom, env); the image's comes under it. */
  env: Record<string, string>;
  hostname: string;
  podIP: string;
  namespace: string;
  startedAt: number;
  /** The simulated time the process has reached (the kubelet plays it ahead of the clock). */
  now(): number;
  /** What the program says it uses: a stress test's memory, a busy loop's CPU. */
  onMemory(bytes: number): void;
  onCpu(millicores: number): void;
  /** A signal sent to the main process from inside the container (`kill 1`). */
  onSignal?(signal: string): void;
}

/** How one process of a container is started beside its main one (exec, exec probes). */
export interface SpawnOptions {
  tty: boolean;
  stdin?: StdinSource;
  now(): number;
}

export interface RunningProcess {
  gen: ProgramGenerator;
  handlesTerm: boolean;
  /** Ports the process listens on. */
  ports: number[];
  /** The answer to an HTTP request on one of its ports (for probes, Services and port-forward). */
  http?(port: number, req: HttpRequest, at: number): HttpResponse;
  /** The line the server writes to its access log for a request it answered, if it keeps one. */
  accessLog?(req: HttpRequest, res: HttpResponse, clientIP: string, at: number): { stream: 'stdout' | 'stderr'; text: string } | undefined;
  /** Starts another process in the container, or says why the runtime cannot (a missing program). */
  spawn(argv: string[], opts: SpawnOptions): ProcessGen | { error: string };
}

/** A container whose process could not start: containerd's message, reported as StartError. */
export interface StartFailure {
  startError: string;
  exitCode: number;
}

export interface ContainerRuntime {
  resolveImage(ref: string): ImageResolution;
  start(spec: ProcessSpec): RunningProcess | StartFailure;
  /** The pod's sandbox is gone: its volumes go with it (claims and host paths stay). */
  removePod?(uid: string): void;
}

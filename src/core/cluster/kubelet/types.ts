// What the kubelet needs from the container runtime's images and processes: the seam between
// pod lifecycle (kubelet.ts) and what runs inside a container (images, shell).
import type { ProgramGenerator } from './program.js';

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
  /** command/args resolved against the image's entrypoint/cmd. */
  argv: string[];
  env: Record<string, string>;
  hostname: string;
  podIP: string;
  namespace: string;
  startedAt: number;
}

export interface RunningProcess {
  gen: ProgramGenerator;
  handlesTerm: boolean;
  /** Ports the process listens on. */
  ports: number[];
  /** The answer to an HTTP GET on one of its ports (for probes and Services). */
  http?(port: number, path: string): { status: number; body: string };
}

export interface ContainerRuntime {
  resolveImage(ref: string): ImageResolution;
  start(spec: ProcessSpec): RunningProcess;
}

// The seam between the API server's streaming subresources (exec, attach, port-forward) and
// whatever runs the pod's containers. The transports (WebSocket, SPDY) live beside this file;
// the runtime only sees bytes, sizes and exit codes.
import type { Cluster } from '../../cluster/cluster.js';

export interface ExecIO {
  /**
   * Aborted when the client has gone: a command that would run on (a shell waiting for a
   * terminal's input, `sleep`, `tail -f`) may stop, as its session's end would end it on a node.
   */
  signal?: AbortSignal;
  /** The client's stdin, ending when the client closes it; null when stdin was not asked for. */
  stdin: AsyncIterable<Buffer> | null;
  stdout: (data: Buffer) => void;
  /** Null with a TTY (stderr is merged into stdout) or when stderr was not asked for. */
  stderr: ((data: Buffer) => void) | null;
  tty: boolean;
  /** Terminal sizes as the client reports them (first one right after the session starts). */
  onResize(cb: (size: { width: number; height: number }) => void): void;
}

/**
 * How a command ended. `error` is a runtime failure in the runtime's own words (e.g. `failed to
 * exec in container: ... OCI runtime exec failed: ...`); the kubelet wraps it the way kubectl shows it.
 */
export type ExecOutcome = { exitCode: number } | { error: string };

/** A byte stream to a port inside the pod. */
export interface PodConnection {
  write(data: Buffer): void;
  end(): void;
  onData(cb: (d: Buffer) => void): void;
  onEnd(cb: () => void): void;
}

/**
 * Validation failures (pod or container not found, container not running...) may be thrown as
 * ApiError (src/core/cluster/errors.ts) before anything is streamed; they are answered as HTTP
 * errors instead of upgrading the connection.
 */
export interface StreamRuntime {
  exec(cluster: Cluster, namespace: string, pod: string, container: string | undefined, command: string[], io: ExecIO): Promise<ExecOutcome>;
  attach(cluster: Cluster, namespace: string, pod: string, container: string | undefined, io: ExecIO): Promise<ExecOutcome>;
  portForward(cluster: Cluster, namespace: string, pod: string, port: number): PodConnection | { error: string };
}

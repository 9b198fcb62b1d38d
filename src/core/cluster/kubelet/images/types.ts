// What the simulated runtime knows about an image: its config (as `docker inspect` shows it), what
// is installed in it, and what its own program does when run.

/** The distribution an image is built on; it decides the files, the shell and the tools. */
export type Distro = 'debian' | 'ubuntu' | 'centos' | 'oraclelinux' | 'alpine' | 'busybox' | 'scratch';

/** What /bin/sh is: busybox ash ('sh'), Debian's dash, or bash. */
export type ShellFlavour = 'sh' | 'dash' | 'bash';

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** When the line is written, in ms after the process started. */
  atMs?: number;
}

export interface StartupContext {
  /** Simulated time the process starts. */
  now: number;
  podIP: string;
  hostname: string;
  argv: string[];
  env: Record<string, string>;
}

/** How a server answers HTTP. */
export type HttpBehaviour =
  /** Files under a web root (nginx, httpd), with that server's error pages and headers. */
  | { kind: 'static'; root: string; server: 'nginx' | 'apache'; index: string }
  /** The same body for every path. */
  | { kind: 'text'; body: string; contentType: string }
  /** echoserver: the request described back. */
  | { kind: 'echoserver' }
  /** kuard's demo app: a page, /healthy, /ready, /env/api. */
  | { kind: 'kuard' }
  /** hashicorp/http-echo: the -text argument. */
  | { kind: 'http-echo' }
  /** agnhost netexec and serve-hostname: the pod's hostname. */
  | { kind: 'hostname' };

export interface ImageServer {
  /** The program that serves (argv[0]'s base name), so `command:` overrides are recognised. */
  program: string;
  /** An argument that must be present too (node-hello runs `node server.js`; bare `node` is a REPL). */
  requiresArg?: string;
  ports: number[];
  http?: HttpBehaviour;
  /** One line per request on stdout in this format. */
  accessLog?: 'nginx' | 'apache' | 'kuard';
  /** Environment the program refuses to start without (postgres, mysql); its complaint goes to the log. */
  requiredEnv?: { anyOf: string[]; exitCode: number; complaint(ctx: StartupContext): LogLine[] };
  /**
   * A configuration file the program cannot start without (haproxy ships none): its complaint when
   * the file is absent, and the ports it listens on as the file says.
   */
  requiredConfig?: { path: string; exitCode: number; complaint(ctx: StartupContext): LogLine[]; ports(text: string): number[] };
  /** What the image's entrypoint script prints before it hands over to the program (nginx's docker-entrypoint.sh). */
  preamble?(ctx: StartupContext): LogLine[];
  /** What the program prints as it starts. */
  startup(ctx: StartupContext): LogLine[];
  /** Servers exit promptly on SIGTERM. */
  handlesTerm: boolean;
}

export interface ImageInfo {
  /** Normalised as containerd reports it: docker.io/library/nginx:latest (or …@sha256:… when pulled by digest). */
  ref: string;
  /** docker.io/library/nginx */
  repository: string;
  tag?: string;
  /** sha256:… derived from the reference, stable across runs. */
  digest: string;
  /** repository@digest: the imageID a pod status shows. */
  id: string;
  /** Bytes, as the kubelet's "Image size" reports. */
  size: number;
  /** Simulated pull duration. */
  pullMs: number;
  /** Memory the default program uses, for `kubectl top` and OOM kills. */
  memoryBytes: number;
  /** The release the tag points at (1.25.5 for nginx:1.25). */
  version: string;
  variant?: string;
  entrypoint: string[];
  cmd: string[];
  workingDir: string;
  env: Record<string, string>;
  /** USER of the image config: '' for root, a name or uid[:gid]. */
  user: string;
  exposedPorts: number[];
  os: Distro;
  /** What /bin/sh is; null when the image has no shell (distroless, scratch). */
  shell: ShellFlavour | null;
  /** Programs installed in the image (shell builtins aside). */
  commands: readonly string[];
  /** What the image's server does when its program runs. */
  server?: ImageServer;
  /** The image's own files on top of its distribution: key of the rootfs overlay table. */
  overlay?: string;
}

// The seam between a simulated container's processes and whoever runs them (the kubelet for a
// container's main process, the exec stream for `kubectl exec`). A process is a generator of
// steps so it can be played on the simulated clock: the caller writes out what it prints,
// advances time after each sleep, and hands it input when it asks for some.
import type { ImageInfo } from '../images.js';
import type { ContainerFs } from './fs.js';
import type { User } from './user.js';

export type StdinChunk = string | Buffer;

/**
 * Marks a sleep as one period of a poll (CoreDNS's reload looking at its Corefile). Once a look
 * in one advance finds nothing and the program sleeps the same period again, every later look in
 * that advance finds nothing too (nothing outside changes while a program is advanced), so the
 * program is resumed once, at the last period due, and told here how many it slept through.
 * At the fastest clock one advance may span millions of periods.
 */
export interface Periodic {
  skipped: number;
}

/** 'read': the process needs more standard input; the caller answers with a chunk, or undefined for end of input. */
export type Step =
  | { kind: 'stdout'; data: string | Buffer }
  | { kind: 'stderr'; data: string | Buffer }
  /** untilWoken: an Infinity sleep that something from outside (a connection) may end early. */
  | { kind: 'sleep'; ms: number; untilWoken?: boolean; periodic?: Periodic }
  | { kind: 'read' };

/** A running program: yields steps, receives stdin chunks after 'read' steps, returns its exit code. */
export type ProcessGen = Generator<Step, number, StdinChunk | undefined>;

export type { User } from './user.js';

/** A row of the container's process table, as `ps` shows it. */
export interface Process {
  pid: number;
  argv: string[];
  uid: number;
  /** Simulated time the process started. */
  startedAt: number;
  /** 'pts/0' for a process with a terminal. */
  tty?: string;
  rssBytes?: number;
  vszBytes?: number;
  /** CPU time used so far. */
  cpuMs?: number;
}

export interface DnsAnswer {
  /** The fully qualified name that answered. */
  name: string;
  addresses: string[];
  /** Set when the name is an alias (an ExternalName Service): nslookup prints "canonical name = …". */
  cname?: string;
}

export interface HttpRequest {
  method: string;
  url: string;
  /** The host as the client wrote it (the Host header's value without the port). */
  host: string;
  /** The address the client resolved the host to and connects to. */
  ip: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  statusText?: string;
  headers: Record<string, string>;
  body: string | Buffer;
}

/**
 * A program listening on a port of the pod (nc -l, python -m http.server): the kubelet hands it
 * the HTTP requests that reach the port, from other pods, Services, probes and port-forward.
 */
export interface Listener {
  http(req: HttpRequest, at: number): HttpResponse;
  /** What the program writes for the request it answered (its log line, or what nc prints). */
  log?(req: HttpRequest, res: HttpResponse, clientIP: string, at: number): { stream: 'stdout' | 'stderr'; text: string } | undefined;
}

export type NetFailure = { error: 'refused' | 'timeout' | 'unreachable' };

/** The pod's view of the cluster network, implemented by the cluster. */
export interface Network {
  /** Resolves one fully qualified name; callers walk the search path themselves, as resolvers do. */
  lookup(name: string): DnsAnswer | undefined;
  http(request: HttpRequest): HttpResponse | NetFailure;
  /** Whether an ICMP echo to the address is answered (pods answer, Service IPs do not). */
  ping(ip: string): boolean;
  /** A bare TCP connect, for `nc -z`; when absent an HTTP HEAD stands in. */
  connect?(ip: string, port: number): 'open' | NetFailure['error'];
  /** Whether DNS queries to the nameserver get through (a NetworkPolicy may drop them); absent: they do. */
  resolverAnswers?(nameserver: string): boolean;
}

/**
 * Where standard input comes from. Absent: nothing (a container without `stdin: true` reads end of
 * input). An iterable: input known up front (tests, a finished upload). 'stream': each read is a
 * 'read' step answered by the caller, which is how an attached or exec'd session feeds keystrokes.
 */
export type StdinSource = Iterable<StdinChunk> | 'stream';

export interface ProcessContext {
  env: Record<string, string>;
  cwd: string;
  user: User;
  hostname: string;
  podIP: string;
  namespace: string;
  fs: ContainerFs;
  image: ImageInfo;
  /** Simulated time in ms; the caller advances it after each sleep step. */
  now(): number;
  stdin?: StdinSource;
  /** A terminal is attached (`kubectl exec -t`): a shell prompts, output is one stream. */
  tty: boolean;
  net: Network;
  processes(): Process[];
  /** This process's pid; 1 for a container's main process. */
  pid?: number;
  /** Sends a signal to a process of the container; false when there is no such process. */
  kill?(pid: number, signal: string): boolean;
  /** Memory the process holds beyond the image's baseline (stress --vm); the kubelet OOM-kills past the limit. */
  setMemory?(bytes: number): void;
  /** CPU the process burns (stress --cpu), for metrics and throttling. */
  setCpuMillicores?(millicores: number): void;
  /**
   * Opens a port of the pod for a listener; the function closes it again. 'in-use' when another
   * process of the container holds the port. Absent where nothing can listen.
   */
  listen?(port: number, listener: Listener): (() => void) | 'in-use';
  /** Writes to the main process's output (`echo hi > /proc/1/fd/1` from an exec shows in kubectl logs). */
  writeToMain?(stream: 'stdout' | 'stderr', data: string | Buffer): void;
}

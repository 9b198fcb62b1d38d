// The ports a container's own programs open (nc -l, python -m http.server), as the runtime hands
// them to the kubelet: the open ports, and each request passed to the program listening there.
import type { HttpRequest, HttpResponse, Listener } from './types.js';

export class Listeners {
  /** Made for the first port opened: a container that runs its image's server opens none here. */
  private byPort?: Map<number, Listener>;
  /** The open ports, in the order they were opened; the kubelet reads this array as it changes. */
  readonly ports: number[] = [];
  /** Who answered the last request, for its log line (asked right after the answer). */
  private answered?: Listener;

  /** Opens a port for a listener (ProcessContext.listen). */
  readonly listen = (port: number, listener: Listener): (() => void) | 'in-use' => {
    const byPort = (this.byPort ??= new Map());
    if (byPort.has(port)) return 'in-use';
    byPort.set(port, listener);
    this.ports.push(port);
    return () => {
      if (byPort.get(port) !== listener) return;
      byPort.delete(port);
      this.ports.splice(this.ports.indexOf(port), 1);
    };
  };

  readonly http = (port: number, req: HttpRequest, at: number): HttpResponse => {
    const l = this.byPort?.get(port);
    this.answered = l;
    // The kubelet asks only for a port it was told is open.
    return l ? l.http(req, at) : { status: 502, headers: {}, body: '' };
  };

  readonly accessLog = (req: HttpRequest, res: HttpResponse, clientIP: string, at: number) => this.answered?.log?.(req, res, clientIP, at);
}

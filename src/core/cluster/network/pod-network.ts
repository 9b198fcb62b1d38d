// A pod's view of the cluster network, for the container shell (nslookup, wget, curl, ping, nc):
// names from cluster DNS and the pod's own /etc/hosts, connections routed as kube-proxy routes
// them, judged by NetworkPolicy (a dropped packet times out), and the last hop answered by the
// process listening in the destination pod.
import type { Cluster } from '../cluster.js';
import type { HttpRequest, HttpResponse, NetFailure, Network } from '../kubelet/shell/types.js';
import { resolveName, type DnsRecord } from './dns.js';
import { wellKnownHost } from './external.js';
import { connectionVerdict, dnsVerdict, pingVerdict } from './connections.js';
import { answersPing, randomPick, route, type Pick } from './routing.js';
import type { Destination, PodServers } from './types.js';
import { nodeIP, storeView, type NetView } from './view.js';

export interface PodNetworkOptions {
  /** Who answers on pods' ports; by default the cluster's kubelet. */
  servers?: PodServers;
  view?: NetView;
  pick?: Pick;
}

/** The Network a container of `namespace/podName` sees. */
export function podNetwork(cluster: Cluster, namespace: string, podName: string, opts: PodNetworkOptions = {}): Network & { lookup(name: string): DnsRecord | undefined } {
  const view = opts.view ?? storeView(cluster);
  const servers = (): PodServers | undefined => opts.servers ?? cluster.controlPlane?.kubelet;
  const self = () => {
    const pod = view.pod(namespace, podName);
    return { namespace, pod: podName, ip: pod?.status?.podIP as string | undefined, hostname: (pod?.spec?.hostname ?? podName) as string, node: pod?.spec?.nodeName as string | undefined };
  };
  const pick = opts.pick ?? randomPick;
  const destination = (ip: string, port: number): Destination => route(view, ip, port, self(), pick);
  /** Where the connection ends: its destination, or a timeout when a NetworkPolicy drops it. */
  const admitted = (ip: string, port: number): Destination => {
    const dest = destination(ip, port);
    const me = view.pod(namespace, podName);
    if (!me || (dest.kind === 'failure' && dest.error === 'timeout')) return dest;
    return connectionVerdict(view, me, { ip, port }, dest, 'TCP').allowed ? dest : { kind: 'failure', error: 'timeout' };
  };
  /** The address the destination sees the connection come from. */
  const sourceFor = (ip: string, dest: Destination): string => {
    const me = self();
    if (ip === '127.0.0.1') return '127.0.0.1';
    // Traffic through a node port is masqueraded to the node's address.
    const node = view.nodes().find((n) => nodeIP(n) === ip);
    if (node && dest.kind === 'pod' && dest.via) return ip;
    return me.ip ?? '127.0.0.1';
  };
  return {
    lookup(name: string): DnsRecord | undefined {
      const bare = name.toLowerCase().replace(/\.$/, '');
      const me = self();
      // /etc/hosts first, as the resolver reads it.
      if (bare === 'localhost') return { name: bare, addresses: ['127.0.0.1'] };
      if (me.ip && (bare === me.hostname.toLowerCase() || bare === podName.toLowerCase())) return { name: bare, addresses: [me.ip] };
      return resolveName(view, name, wellKnownHost);
    },
    http(req: HttpRequest): HttpResponse | NetFailure {
      const dest = admitted(req.ip, req.port);
      if (dest.kind === 'failure') return { error: dest.error };
      const s = servers();
      if (!s?.serveHttp) return { error: 'refused' };
      const answer = s.serveHttp(dest.namespace, dest.pod, dest.port, { ...req, ip: dest.ip, port: dest.port }, sourceFor(req.ip, dest));
      return answer ?? { error: 'refused' };
    },
    ping(ip: string): boolean {
      const me = view.pod(namespace, podName);
      return answersPing(view, ip, self()) && (!me || pingVerdict(view, me, ip).allowed);
    },
    connect(ip: string, port: number): 'open' | NetFailure['error'] {
      const dest = admitted(ip, port);
      if (dest.kind === 'failure') return dest.error;
      const s = servers();
      if (!s) return 'refused';
      if (s.listening) return s.listening(dest.namespace, dest.pod, dest.port) ? 'open' : 'refused';
      const probe = s.serveHttp(dest.namespace, dest.pod, dest.port, { method: 'HEAD', url: `http://${dest.ip}:${dest.port}/`, host: dest.ip, ip: dest.ip, port: dest.port, path: '/', headers: {} }, sourceFor(ip, dest));
      if (!probe) return 'refused';
      return 'error' in probe ? probe.error : 'open';
    },
    resolverAnswers(nameserver: string): boolean {
      const me = view.pod(namespace, podName);
      return !me || dnsVerdict(view, me, nameserver, pick).allowed;
    },
  };
}

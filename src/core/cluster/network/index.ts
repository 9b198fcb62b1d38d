// The cluster network: DNS, Service routing, the pod's view of both, and Service env variables.
export { podNetwork, type PodNetworkOptions } from './pod-network.js';
export { resolveName, resolveFromPod, resolvConf, searchDomains, type DnsRecord } from './dns.js';
export { route, answersPing, serviceBackend, type Pick } from './routing.js';
export { serviceEnv, servicesForEnv } from './env.js';
export { storeView, listView, type NetView } from './view.js';
export type { PodServers, Destination } from './types.js';
export { CLUSTER_DOMAIN, DNS_SERVICE_IP } from './types.js';
export { apiProxy, serviceProxyTarget, podProxyTarget, splitSchemeNamePort } from './api-proxy.js';
export { wellKnownHost } from './external.js';

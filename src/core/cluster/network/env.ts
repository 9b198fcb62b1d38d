// The docker-links style variables the kubelet gives a container for each Service it may reach
// (pkg/kubelet/envvars): FOO_SERVICE_HOST, FOO_SERVICE_PORT, FOO_PORT, FOO_PORT_80_TCP_ADDR...
import { dict } from '../own.js';
import type { Unstructured } from '../kinds/types.js';

const MASTER_NAMESPACE = 'default';

/** `my-svc` → `MY_SVC`, as the variable names spell a Service's name. */
function envName(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/** The variables for these Services, in order; a headless or ExternalName Service has none. */
export function serviceEnv(services: Unstructured[]): Record<string, string> {
  const env = dict<string>();
  for (const svc of services) {
    const ip: string | undefined = svc.spec?.clusterIP;
    if (!ip || ip === 'None' || svc.spec?.type === 'ExternalName') continue;
    const ports: Unstructured[] = svc.spec?.ports ?? [];
    if (!ports.length) continue;
    const name = envName(svc.metadata.name);
    env[`${name}_SERVICE_HOST`] = ip;
    env[`${name}_SERVICE_PORT`] = String(ports[0].port);
    for (const p of ports) if (p.name) env[`${name}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
    const first = ports[0];
    env[`${name}_PORT`] = `${String(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`;
    for (const p of ports) {
      const protocol = String(p.protocol ?? 'TCP').toUpperCase();
      const prefix = `${name}_PORT_${p.port}_${protocol}`;
      env[prefix] = `${protocol.toLowerCase()}://${ip}:${p.port}`;
      env[`${prefix}_PROTO`] = protocol.toLowerCase();
      env[`${prefix}_PORT`] = String(p.port);
      env[`${prefix}_ADDR`] = ip;
    }
  }
  return env;
}

/**
 * The Services a pod in `namespace` gets variables for: its namespace's (unless
 * enableServiceLinks is false), and always the `kubernetes` Service of the default namespace.
 * A Service of the pod's namespace wins over a master one of the same name.
 */
export function servicesForEnv(all: Unstructured[], namespace: string, enableServiceLinks = true): Unstructured[] {
  const byName = new Map<string, Unstructured>();
  for (const svc of all) {
    if (svc.metadata.namespace === MASTER_NAMESPACE && svc.metadata.name === 'kubernetes') byName.set(svc.metadata.name, svc);
  }
  if (enableServiceLinks) for (const svc of all) if (svc.metadata.namespace === namespace) byName.set(svc.metadata.name, svc);
  return [...byName.values()];
}

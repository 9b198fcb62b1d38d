// pods/log: what the node's kubelet kept of a container's output, read once or followed.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { badRequest } from '../../cluster/errors.js';
import { format as formatLogLine } from '../../cluster/kubelet/logs.js';
import type { SubresourceRequest } from './request.js';
import { boolParam } from '../query.js';

export function servePodLog(r: SubresourceRequest, pod: Pod): void {
  const spec = pod.spec ?? { containers: [] };
  const names = (spec.containers ?? []).map((c) => c.name);
  const inits = (spec.initContainers ?? []).map((c) => c.name);
  let container = r.q.get('container') ?? '';
  if (!container) {
    if (names.length !== 1) {
      throw badRequest(`a container name must be specified for pod ${r.name}, choose one of: [${names.join(' ')}]${inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : ''}`);
    }
    container = names[0];
  } else if (!names.includes(container) && !inits.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${r.name}`);
  }
  const kubelet = r.cluster.controlPlane?.kubelet;
  const found = kubelet?.logOf(pod, container, boolParam(r.q, 'previous'));
  if (!found) throw badRequest(`container "${container}" in pod "${r.name}" is waiting to start: ContainerCreating`);
  if ('error' in found) throw badRequest(found.error);
  const now = r.cluster.clock.now().getTime();
  const num = (k: string) => (r.q.has(k) && /^-?\d+$/.test(r.q.get(k)!) ? Number(r.q.get(k)) : undefined);
  const sinceSeconds = num('sinceSeconds');
  const sinceTime = r.q.get('sinceTime') ? Date.parse(r.q.get('sinceTime')!) : sinceSeconds !== undefined ? now - sinceSeconds * 1000 : undefined;
  const timestamps = boolParam(r.q, 'timestamps');
  const text = found.log.read({ tailLines: num('tailLines'), sinceTime, timestamps, limitBytes: num('limitBytes') });
  const res = r.res;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  if (!boolParam(r.q, 'follow') || !found.running()) {
    res.end(text);
    return;
  }
  // Follow: stream new lines until the container stops or the client goes away.
  res.write(text);
  const stop = found.log.follow((line) => res.write(formatLogLine(line, timestamps)));
  const watchEnd = r.cluster.store.subscribe('/pods', () => {
    if (!found.running()) finish();
  });
  const finish = () => {
    stop();
    watchEnd();
    res.end();
  };
  r.req.on('close', () => {
    stop();
    watchEnd();
  });
}

// The core of a learner's day with each kubectl version beside the one on PATH (1.27 and 1.33
// where present): discovery, apply, get, label, scale, patch, delete.
import { beforeAll, describe, expect, it } from 'vitest';
import { useCluster } from './support.js';
import { Kubectl, kubectlBinaries } from '../helpers/kubectl.js';

const c = useCluster();

const bins = kubectlBinaries();
const versions = (['default', '1.27', '1.33'] as const).filter((v) => bins[v]).map((v) => [v, bins[v]] as const);

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
`;

describe.each(versions)('kubectl %s against kubedojo', (version, bin) => {
  const ns = `v-${version.replace('.', '-')}`;
  let k: Kubectl;
  beforeAll(async () => {
    k = new Kubectl(c.kubeconfig, bin);
    await k.ok(['create', 'namespace', ns]);
  });

  it('lists the nodes with their roles', async () => {
    const out = await k.ok(['get', 'nodes']);
    expect(out).toMatch(/kubedojo-control-plane\s+Ready\s+control-plane/);
  });

  it('lists the short names in api-resources', async () => {
    const out = await k.ok(['api-resources']);
    for (const [plural, short] of [['pods', 'po'], ['deployments', 'deploy'], ['services', 'svc'], ['namespaces', 'ns'], ['cronjobs', 'cj']]) {
      expect(out).toMatch(new RegExp(`^${plural}\\s+${short}\\s`, 'm'));
    }
  });

  it('applies, labels, scales, patches and deletes a deployment', async () => {
    expect(await k.ok(['-n', ns, 'apply', '-f', '-'], { input: deployment('web') })).toBe('deployment.apps/web created\n');
    expect(await k.ok(['-n', ns, 'get', 'deploy', 'web'])).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/1\s+1\s+0\s+\S+\n$/);
    expect(await k.ok(['-n', ns, 'label', 'deploy', 'web', 'tier=front'])).toBe('deployment.apps/web labeled\n');
    expect(await k.ok(['-n', ns, 'get', 'deploy', '-l', 'tier in (front)', '-o', 'name'])).toBe('deployment.apps/web\n');
    expect(await k.ok(['-n', ns, 'scale', 'deploy', 'web', '--replicas=3'])).toBe('deployment.apps/web scaled\n');
    expect(await k.ok(['-n', ns, 'patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}'])).toBe('deployment.apps/web patched\n');
    expect(await k.ok(['-n', ns, 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}'])).toBe('3 nginx:1.27');
    expect(await k.ok(['-n', ns, 'delete', 'deploy', 'web'])).toBe('deployment.apps "web" deleted\n');
    const gone = await k.run(['-n', ns, 'get', 'deploy', 'web']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe('Error from server (NotFound): deployments.apps "web" not found\n');
  });

  it('explains a field', async () => {
    expect(await k.ok(['explain', 'deployment.spec.replicas'])).toContain('Number of desired pods.');
  });
});

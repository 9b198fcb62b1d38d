// The cluster commands of the study notes, run with the real kubectl against `kubedojo serve`,
// asserting on kubectl's own output and exit codes. (exec, logs, attach, cp, port-forward, top
// and rollout history need a kubelet and controllers: they belong to the cluster-behaviour suite.)
import { describe, expect, it } from 'vitest';
import { Kubectl } from '../helpers/kubectl.js';
import { cell, deletedRe, expectFailure, expectHeader, fixture, lines, newNamespace, rowOf, runWithEnv, sedEditor, useCluster } from './support.js';

const c = useCluster();

describe('looking around a cluster', () => {
  it('kubectl get componentstatuses warns that the API is deprecated and shows healthy parts', async () => {
    const r = await c.k.run(['get', 'componentstatuses']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Warning: v1 ComponentStatus is deprecated in v1.19+');
    expectHeader(r.stdout, ['NAME', 'STATUS', 'MESSAGE', 'ERROR']);
    for (const name of ['controller-manager', 'scheduler', 'etcd-0']) expect(cell(r.stdout, name, 'STATUS')).toBe('Healthy');
  });

  it('kubectl cluster-info names the control plane and CoreDNS', async () => {
    const out = await c.k.ok(['cluster-info']);
    expect(out).toMatch(/Kubernetes control plane is running at https:\/\/127\.0\.0\.1:\d+\/clusters\/default/);
    expect(out).toMatch(/CoreDNS is running at .*\/api\/v1\/namespaces\/kube-system\/services\/kube-dns:dns\/proxy/);
  });

  it('kubectl describe node shows roles, taints, conditions, capacity and its pods', async () => {
    const out = await c.k.ok(['describe', 'node', 'kubedojo-control-plane']);
    for (const text of ['Roles:              control-plane', 'Taints:             node-role.kubernetes.io/control-plane:NoSchedule', 'Ready            True', 'Capacity:', 'System Info:', 'Non-terminated Pods:', 'etcd-kubedojo-control-plane']) {
      expect(out).toContain(text);
    }
  });

  it('kubectl get nodes --show-labels lists each node\'s labels', async () => {
    const out = await c.k.ok(['get', 'nodes', '--show-labels']);
    expect(rowOf(out, 'kubedojo-worker')?.at(-1)).toContain('kubernetes.io/hostname=kubedojo-worker');
  });

  it('kubectl get deployments --namespace=kube-system coredns shows two ready replicas', async () => {
    const out = await c.k.ok(['get', 'deployments', '--namespace=kube-system', 'coredns']);
    expect(cell(out, 'coredns', 'READY')).toBe('2/2');
  });

  it('kubectl get daemonSets --namespace=kube-system kube-proxy runs one pod per node', async () => {
    const out = await c.k.ok(['get', 'daemonSets', '--namespace=kube-system', 'kube-proxy']);
    expect(cell(out, 'kube-proxy', 'DESIRED')).toBe('3');
  });

  it('kubectl get namespaces lists the system namespaces', async () => {
    const out = await c.k.ok(['get', 'namespaces']);
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) expect(cell(out, ns, 'STATUS')).toBe('Active');
  });

  it('kubectl get sc marks the default storage class', async () => {
    expect(await c.k.ok(['get', 'sc'])).toMatch(/^standard \(default\)\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer/m);
  });
});

describe('pods, labels and selectors', () => {
  it('applies the kuard pod and shows it with get, -o wide, -o yaml and custom columns', async () => {
    const ns = await newNamespace(c.k, 'kuard');
    expect(await c.k.ok(['-n', ns, 'apply', '-f', fixture('kuard-pod.yaml')])).toBe('pod/kuard created\n');
    const out = await c.k.ok(['-n', ns, 'get', 'pods']);
    expectHeader(out, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(cell(out, 'kuard', 'STATUS')).toBe('ContainerCreating');
    c.advance(10);
    expect(cell(await c.k.ok(['-n', ns, 'get', 'pods']), 'kuard', 'STATUS')).toBe('Running');
    expectHeader(await c.k.ok(['-n', ns, 'get', 'pods', '-o', 'wide']), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(await c.k.ok(['-n', ns, 'get', 'pod', 'kuard', '--output=yaml'])).toMatch(/^kind: Pod$/m);
    const cc = await c.k.ok(['-n', ns, 'get', 'pod', 'kuard', '-o', 'custom-columns=NAME:metadata.name,POLICY:spec.restartPolicy']);
    expect(lines(cc)).toEqual([expect.stringMatching(/^NAME\s+POLICY$/), expect.stringMatching(/^kuard\s+Always$/)]);
    expect((await c.ticking(() => c.k.ok(['-n', ns, 'delete', 'pods/kuard']))).trim()).toMatch(deletedRe('pod/kuard'));
  });

  it('labels, relabels with --overwrite, removes a label and selects by equality and set', async () => {
    const ns = await newNamespace(c.k, 'labels');
    await c.k.ok(['-n', ns, 'create', 'deployment', 'alpaca-prod', '--image=gcr.io/kuar-demo/kuard-amd64:blue']);
    await c.k.ok(['-n', ns, 'create', 'deployment', 'bandicoot-prod', '--image=gcr.io/kuar-demo/kuard-amd64:green']);
    expect(await c.k.ok(['-n', ns, 'label', 'deployments', 'alpaca-prod', 'canary=true', 'ver=1'])).toBe('deployment.apps/alpaca-prod labeled\n');
    const clash = await c.k.run(['-n', ns, 'label', 'deployments', 'alpaca-prod', 'ver=2']);
    expectFailure(clash, "error: 'ver' already has a value (1), and --overwrite is false");
    await c.k.ok(['-n', ns, 'label', 'deployments', 'alpaca-prod', 'ver=2', '--overwrite']);
    expect(await c.k.ok(['-n', ns, 'get', 'deployments', '-l', 'ver=2', '-o', 'name'])).toBe('deployment.apps/alpaca-prod\n');
    expect(await c.k.ok(['-n', ns, 'get', 'deployments', '-l', 'app in (alpaca-prod,bandicoot-prod)', '-o', 'name'])).toBe('deployment.apps/alpaca-prod\ndeployment.apps/bandicoot-prod\n');
    expect(await c.k.ok(['-n', ns, 'get', 'deployments', '-l', '!canary', '-o', 'name'])).toBe('deployment.apps/bandicoot-prod\n');
    await c.k.ok(['-n', ns, 'label', 'deployments', 'alpaca-prod', 'canary-']);
    expect(await c.k.ok(['-n', ns, 'get', 'deployments', '-L', 'canary'])).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CANARY$/m);
    expect(await c.k.ok(['-n', ns, 'delete', 'deploy', '--all'])).toMatch(/deployment\.apps "alpaca-prod" deleted/);
  });

  it('annotates a service and reads the annotation back', async () => {
    const ns = await newNamespace(c.k, 'annotate');
    await c.k.ok(['-n', ns, 'apply', '-f', fixture('guestbook/frontend-service.yaml')]);
    await c.k.ok(['-n', ns, 'annotate', 'service', 'frontend', 'external-dns.alpha.kubernetes.io/hostname=guestbook.k8s.example.com.']);
    expect(await c.k.ok(['-n', ns, 'get', 'svc', 'frontend', '-o', "jsonpath={.metadata.annotations['external-dns\\.alpha\\.kubernetes\\.io/hostname']}"])).toBe('guestbook.k8s.example.com.');
  });

  it('filters pods with a field selector and refuses an unknown field', async () => {
    const out = await c.k.ok(['get', 'pods', '-n', 'kube-system', '--field-selector', 'spec.nodeName=kubedojo-worker', '-o', 'name']);
    expect(lines(out).sort()).toEqual([expect.stringMatching(/^pod\/kindnet-/), expect.stringMatching(/^pod\/kube-proxy-/)]);
    const bad = await c.k.run(['get', 'pods', '--field-selector', 'spec.color=blue']);
    expectFailure(bad, /field label not supported: spec\.color/);
  });
});

describe('workloads and services', () => {
  it('creates the notes\' deployment, scales it, sets its image and env, restarts it, exposes it and deletes it', async () => {
    const ns = await newNamespace(c.k, 'deploy');
    expect(await c.k.ok(['-n', ns, 'create', '-f', fixture('nginx-deployment.yaml')])).toBe('deployment.apps/nginx-deployment created\n');
    expect(await c.k.ok(['-n', ns, 'scale', 'deployment', 'nginx-deployment', '--replicas=4'])).toBe('deployment.apps/nginx-deployment scaled\n');
    const container = JSON.parse(await c.k.ok(['-n', ns, 'get', 'deploy', 'nginx-deployment', '-o', 'jsonpath={.spec.template.spec.containers[0]}']));
    await c.k.ok(['-n', ns, 'set', 'image', 'deployment/nginx-deployment', `${container.name}=nginx:1.27`]);
    await c.k.ok(['-n', ns, 'set', 'env', 'deployment/nginx-deployment', 'MODE=demo']);
    await c.k.ok(['-n', ns, 'rollout', 'restart', 'deployment', 'nginx-deployment']);
    const d = JSON.parse(await c.k.ok(['-n', ns, 'get', 'deploy', 'nginx-deployment', '-o', 'json']));
    expect(d.spec.replicas).toBe(4);
    expect(d.spec.template.spec.containers[0]).toMatchObject({ image: 'nginx:1.27', env: [{ name: 'MODE', value: 'demo' }] });
    expect(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-/);
    // created, scaled, image set, env set, restarted: five spec changes.
    expect(d.metadata.generation).toBe(5);
    expect(await c.k.ok(['-n', ns, 'expose', 'deployment', 'nginx-deployment', '--type=NodePort', '--port=80'])).toBe('service/nginx-deployment exposed\n');
    expect(cell(await c.k.ok(['-n', ns, 'get', 'svc']), 'nginx-deployment', 'PORT(S)')).toMatch(/^80:3\d{4}\/TCP$/);
  });

  it('edits a deployment through $EDITOR and replaces it from a file', async () => {
    const ns = await newNamespace(c.k, 'edit');
    await c.k.ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx:1.25']);
    const edited = await runWithEnv(c.k, sedEditor('s/replicas: 1/replicas: 2/'), ['-n', ns, 'edit', 'deployment', 'web']);
    expect(edited).toMatchObject({ code: 0, stdout: 'deployment.apps/web edited\n' });
    const yaml = await c.k.ok(['-n', ns, 'get', 'deploy', 'web', '-o', 'yaml']);
    expect(await c.k.ok(['-n', ns, 'replace', '-f', '-'], { input: yaml.replace('replicas: 2', 'replicas: 5') })).toBe('deployment.apps/web replaced\n');
    expect(await c.k.ok(['-n', ns, 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('5');
  });

  it('diffs against the live object with exit code 1 and applies server-side and as a server dry run', async () => {
    const ns = await newNamespace(c.k, 'diff');
    const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pingpong-config\n  namespace: ${ns}\ndata:\n  PORT: "${v}"\n`;
    await c.k.ok(['apply', '-f', '-'], { input: cm('7000') });
    const diff = await c.k.run(['diff', '-f', '-'], { input: cm('8000') });
    expect(diff.code).toBe(1);
    expect(diff.stdout).toMatch(/^-\s+PORT: "7000"$/m);
    expect(diff.stdout).toMatch(/^\+\s+PORT: "8000"$/m);
    expect(await c.k.ok(['apply', '--dry-run=server', '-f', '-'], { input: cm('9000') })).toBe('configmap/pingpong-config configured (server dry run)\n');
    expect(await c.k.ok(['-n', ns, 'get', 'cm', 'pingpong-config', '-o', 'jsonpath={.data.PORT}'])).toBe('7000');
    expect(await c.k.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: cm('8000') })).toBe('configmap/pingpong-config serverside-applied\n');
    expect(await c.k.ok(['-n', ns, 'get', 'cm', 'pingpong-config', '-o', 'jsonpath={.data.PORT}'])).toBe('8000');
  });

  it('patches with merge, JSON and strategic patches', async () => {
    const ns = await newNamespace(c.k, 'patch');
    await c.k.ok(['-n', ns, 'create', 'deployment', 'p', '--image=busybox']);
    await c.k.ok(['-n', ns, 'patch', 'deployment', 'p', '--type=merge', '-p', '{"spec":{"replicas":2}}']);
    await c.k.ok(['-n', ns, 'patch', 'deployment', 'p', '--type=json', '-p', '[{"op":"replace","path":"/spec/minReadySeconds","value":5}]']);
    await c.k.ok(['-n', ns, 'patch', 'deployment', 'p', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"alpine"}]}}}}']);
    const d = JSON.parse(await c.k.ok(['-n', ns, 'get', 'deploy', 'p', '-o', 'json']));
    expect([d.spec.replicas, d.spec.minReadySeconds, d.spec.template.spec.containers.map((x: { name: string }) => x.name).sort()]).toEqual([2, 5, ['busybox', 'sidecar']]);
    const failing = await c.k.run(['-n', ns, 'patch', 'deployment', 'p', '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":9}]']);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/test/);
  });

  it('creates services of every type from the notes and prints their addresses', async () => {
    const ns = await newNamespace(c.k, 'svc');
    for (const f of ['sleep-2-service.yaml', 'numbers-web-service.yaml', 'numbers-api-externalname.yaml', 'la-lb-service.yaml']) await c.k.ok(['-n', ns, 'apply', '-f', fixture(f)]);
    const out = await c.k.ok(['-n', ns, 'get', 'svc']);
    expect(cell(out, 'numbers-api', 'TYPE')).toBe('ExternalName');
    expect(cell(out, 'sleep-2', 'CLUSTER-IP')).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(table_types(out)).toEqual(expect.arrayContaining(['ClusterIP', 'ExternalName']));
  });

  it('creates a Job and a CronJob from the notes\' files', async () => {
    const ns = await newNamespace(c.k, 'batch');
    expect(await c.k.ok(['-n', ns, 'create', '-f', fixture('pi-job.yaml')])).toBe('job.batch/pi created\n');
    expect(await c.k.ok(['-n', ns, 'create', '-f', fixture('cronpi.yaml')])).toBe('cronjob.batch/cronpi created\n');
    expectHeader(await c.k.ok(['-n', ns, 'get', 'cronjobs']), ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    expect(await c.k.ok(['-n', ns, 'describe', 'jobs/pi'])).toMatch(/^Name:\s+pi$/m);
  });

  it('creates config maps and secrets from literals and files', async () => {
    const ns = await newNamespace(c.k, 'config');
    await c.k.ok(['-n', ns, 'create', 'secret', 'generic', 'port', '--from-literal=PORT=7000']);
    await c.k.ok(['-n', ns, 'create', 'configmap', 'configmap-demo', `--from-file=${fixture('nginx/proxy.conf')}`]);
    await c.k.ok(['-n', ns, 'create', 'secret', 'generic', 'tls-demo', `--from-file=${fixture('tls')}`]);
    expect(Buffer.from(await c.k.ok(['-n', ns, 'get', 'secret', 'port', '-o', 'jsonpath={.data.PORT}']), 'base64').toString()).toBe('7000');
    expect(cell(await c.k.ok(['-n', ns, 'get', 'secrets']), 'tls-demo', 'DATA')).toBe('2');
    expect(await c.k.ok(['-n', ns, 'describe', 'configmap', 'configmap-demo'])).toContain('proxy.conf:');
  });
});

describe('nodes and scheduling', () => {
  it('cordons and uncordons a node, and taints it', async () => {
    expect(await c.k.ok(['cordon', 'kubedojo-worker2'])).toBe('node/kubedojo-worker2 cordoned\n');
    expect(cell(await c.k.ok(['get', 'nodes']), 'kubedojo-worker2', 'STATUS')).toBe('Ready,SchedulingDisabled');
    expect(await c.k.ok(['uncordon', 'kubedojo-worker2'])).toBe('node/kubedojo-worker2 uncordoned\n');
    expect(await c.k.ok(['taint', 'nodes', 'kubedojo-worker2', 'dedicated=lessons:NoSchedule'])).toBe('node/kubedojo-worker2 tainted\n');
    expect(await c.k.ok(['get', 'node', 'kubedojo-worker2', '-o', 'jsonpath={.spec.taints[0].key}'])).toBe('dedicated');
    await c.k.ok(['taint', 'nodes', 'kubedojo-worker2', 'dedicated=lessons:NoSchedule-']);
  });

  it('drains a node with --ignore-daemonsets, refusing bare pods until --force', async () => {
    const ns = await newNamespace(c.k, 'drain');
    await c.k.ok(['-n', ns, 'run', 'lonely', '--image=nginx', '--overrides={"spec":{"nodeName":"kubedojo-worker"}}']);
    const refused = await c.k.run(['drain', 'kubedojo-worker', '--ignore-daemonsets', '--timeout=20s']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`cannot delete Pods that declare no controller (use --force to override): ${ns}/lonely`);
    const forced = await c.k.run(['drain', 'kubedojo-worker', '--ignore-daemonsets', '--force', '--timeout=20s']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`pod/lonely evicted`);
    expect(forced.stdout).toContain('node/kubedojo-worker drained');
    expect(cell(await c.k.ok(['get', 'nodes']), 'kubedojo-worker', 'STATUS')).toBe('Ready,SchedulingDisabled');
    await c.k.ok(['uncordon', 'kubedojo-worker']);
  });
});

describe('contexts and errors', () => {
  it('names the kubedojo context and switches namespaces with set-context', async () => {
    // A private copy: these commands write to the kubeconfig.
    const k = new Kubectl(c.kubeconfigCopy());
    expect(await k.ok(['config', 'current-context'])).toBe('kubedojo\n');
    expect(await k.ok(['config', 'set-context', 'my-context', '--cluster=kubedojo', '--user=kubedojo', '--namespace=mystuff'])).toBe('Context "my-context" created.\n');
    expect(await k.ok(['config', 'use-context', 'my-context'])).toBe('Switched to context "my-context".\n');
    expect(await k.ok(['config', 'view', '--minify', '-o', 'jsonpath={.contexts[0].context.namespace}'])).toBe('mystuff');
  });

  it('reports a missing object, a duplicate and an unknown resource type as kubectl does', async () => {
    expectFailure(await c.k.run(['get', 'pod', 'nope']), 'Error from server (NotFound): pods "nope" not found');
    await c.k.ok(['create', 'namespace', 'twice']);
    expectFailure(await c.k.run(['create', 'namespace', 'twice']), 'Error from server (AlreadyExists): namespaces "twice" already exists');
    expectFailure(await c.k.run(['get', 'widgets']), `error: the server doesn't have a resource type "widgets"`);
  });

  it('rejects the notes\' misprinted manifests with the errors a learner would meet', async () => {
    const rc = await c.k.run(['apply', '-f', fixture('hello-rc-as-printed.yml')]);
    expect(rc.code).toBe(1);
    expect(rc.stderr).toContain('cannot be handled as a ReplicationController');
    const sec = await c.k.run(['apply', '-f', fixture('security.yaml')]);
    expect(sec.code).toBe(1);
    expect(sec.stderr).toContain('strict decoding error: unknown field');
  });
});

function table_types(out: string): string[] {
  return lines(out)
    .slice(1)
    .map((l) => l.split(/\s+/)[1]);
}

// CoreDNS as kind runs it, driven through its ConfigMap with the real kubectl: a changed Corefile
// takes effect once the kubelet has synced the volume and the reload plugin has looked (a minute
// at most on the cluster's clock), at once for the pods of a rollout restart, and a broken one is
// refused with CoreDNS's own error while the last good configuration keeps answering. Its own
// cluster, as it changes the DNS every other test would use.
import { describe, expect, it } from 'vitest';
import { json, newNamespace, useCluster } from './support.js';

const c = useCluster();

const corefile = async () => json(await c.k.ok(['-n', 'kube-system', 'get', 'configmap', 'coredns', '-o', 'json'])).data.Corefile as string;
const setCorefile = async (text: string) => {
  const cm = json(await c.k.ok(['-n', 'kube-system', 'get', 'configmap', 'coredns', '-o', 'json']));
  cm.data.Corefile = text;
  await c.k.ok(['replace', '-f', '-'], { input: JSON.stringify(cm) });
};
const corednsLogs = async () => c.k.ok(['-n', 'kube-system', 'logs', '-l', 'k8s-app=kube-dns', '--tail=-1']);

describe('CoreDNS and its Corefile', () => {
  it('follows a changed Corefile after its reload: rewrite, hosts, another cluster domain; refuses a broken one and keeps the last good; a rollout restart applies it at once', async () => {
    const ns = await newNamespace(c.k, 'dns');
    await c.k.ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx']);
    await c.k.ok(['-n', ns, 'expose', 'deployment', 'web', '--port=80']);
    await c.k.ok(['-n', ns, 'run', 'client', '--image=busybox', '--', 'sleep', '36000']);
    c.advance(10);
    const ip = await c.k.ok(['-n', ns, 'get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    const lookup = (name: string) => c.k.run(['-n', ns, 'exec', 'client', '--', 'nslookup', name]);
    const answers = async (name: string) => {
      const r = await lookup(name);
      return r.code === 0 ? [...r.stdout.matchAll(/^Address: (\S+)$/gm)].map((m) => m[1]) : [];
    };
    expect(await answers('web.example.test')).toEqual([]);

    const original = await corefile();
    const edited = original
      .replace(/^(\s*)kubernetes cluster\.local /m, `$1rewrite name web.example.test web.${ns}.svc.cluster.local\n$1hosts {\n$1   10.1.2.3 legacy.internal\n$1   fallthrough\n$1}\n$1kubernetes cluster.local my.domain `);
    expect(edited).not.toBe(original);
    await setCorefile(edited);
    // Not yet: the kubelet syncs the mounted ConfigMap, then the reload plugin looks, every 30 s.
    c.advance(5);
    expect(await answers('web.example.test')).toEqual([]);
    c.advance(70);
    expect(await answers('web.example.test')).toEqual([ip]);
    expect(await answers('legacy.internal')).toEqual(['10.1.2.3']);
    expect(await answers(`web.${ns}.svc.my.domain`)).toEqual([ip]);
    expect(await answers(`web.${ns}.svc.cluster.local`)).toEqual([ip]);
    expect(await corednsLogs()).toMatch(/\[INFO\] Reloading\n\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}\n\[INFO\] Reloading complete/);

    // A directive CoreDNS does not have: it says so and keeps answering as before.
    await setCorefile(edited.replace(/^(\s*)errors$/m, '$1errors\n$1banana'));
    c.advance(75);
    expect(await corednsLogs()).toMatch(/\[ERROR\] plugin\/reload: Corefile changed but reload failed: starting with listener file descriptors: \/etc\/coredns\/Corefile:\d+ - Error during parsing: Unknown directive 'banana'/);
    expect(await answers('web.example.test')).toEqual([ip]);

    // Back to the original, and a rollout restart: the new pods read it as they start.
    await setCorefile(original);
    await c.k.ok(['-n', 'kube-system', 'rollout', 'restart', 'deployment/coredns']);
    c.advance(15);
    expect(await answers('web.example.test')).toEqual([]);
    expect(await answers('legacy.internal')).toEqual([]);
    expect(await answers(`web.${ns}.svc.cluster.local`)).toEqual([ip]);
  });

  it('stops a new CoreDNS that cannot load its Corefile, while the pods it would replace keep answering', async () => {
    const ns = await newNamespace(c.k, 'broken');
    await c.k.ok(['-n', ns, 'create', 'service', 'clusterip', 'db', '--tcp=5432:5432']);
    await c.k.ok(['-n', ns, 'run', 'client', '--image=busybox', '--', 'sleep', '36000']);
    c.advance(5);
    const original = await corefile();
    await setCorefile(original.replace(/^(\s*)errors$/m, '$1errors\n$1banana'));
    await c.k.ok(['-n', 'kube-system', 'rollout', 'restart', 'deployment/coredns']);
    c.advance(20);
    const pods = json(await c.k.ok(['-n', 'kube-system', 'get', 'pods', '-l', 'k8s-app=kube-dns', '-o', 'json'])).items as Array<{ metadata: { name: string }; status: { containerStatuses: Array<{ ready: boolean; lastState: { terminated?: { exitCode: number } } }> } }>;
    const failing = pods.filter((p) => p.status.containerStatuses[0].lastState.terminated?.exitCode === 1);
    expect(failing.length).toBeGreaterThan(0);
    expect(await c.k.ok(['-n', 'kube-system', 'logs', failing[0].metadata.name, '--previous'])).toMatch(/^\/etc\/coredns\/Corefile:\d+ - Error during parsing: Unknown directive 'banana'$/m);
    const lookup = await c.k.ok(['-n', ns, 'exec', 'client', '--', 'nslookup', 'db']);
    expect(lookup).toContain(`Name:\tdb.${ns}.svc.cluster.local`);
    await setCorefile(original);
  });
});

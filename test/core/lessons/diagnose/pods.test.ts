// Pods that do not run as the task needs, diagnosed from their status on a real simulated cluster.
import { describe, expect, it } from 'vitest';
import { diagnose, type DiagnoseContext } from '../../../../src/core/lessons/diagnose/index.js';
import { POD_DETECTORS } from '../../../../src/core/lessons/diagnose/detectors/pods.js';
import type { KubeObject } from '../../../../src/core/kube/client.js';
import type { Check } from '../../../../src/core/lessons/types.js';
import { useLab } from './harness.js';

const ns = 'diag-pods';
const lab = useLab([ns]);
const client = () => lab.p.target.client!;

/** Waits until a container of the pod (or of the pods with the prefix) waits for `reason`. */
async function waitingFor(prefix: string, reason: string): Promise<KubeObject> {
  let found: KubeObject | undefined;
  await lab.until(async () => {
    const pods = await client().list('pods', { namespace: ns });
    found = pods.find((p) => (p.metadata?.name === prefix || p.metadata?.name?.startsWith(`${prefix}-`)) && JSON.stringify(p.status ?? {}).includes(`"reason":"${reason}"`));
    return !!found;
  });
  return found!;
}
const phase = (pod: KubeObject | undefined) => (pod?.status as { phase?: string } | undefined)?.phase;
const only = (ids: string[]) => (ctx: DiagnoseContext) => diagnose(ctx, 2, POD_DETECTORS.filter((d) => ids.includes(d.id)));

describe('detectors of pods that do not run', () => {
  it('an image that fails to pull with a near name that would pull is named, with the fix', async () => {
    const last = await lab.run(`kubectl create deployment web --image=ngnix:1.25 -n ${ns}`);
    await waitingFor('web', 'ImagePullBackOff');
    const check: Check = { count: { kind: 'pods', selector: 'app=web', phase: 'Running', equals: 1 } };
    const [d] = await diagnose(lab.ctx({ check, last }));
    expect(d).toMatchObject({ detector: 'image-near-name', fix: `kubectl set image deployment/web ngnix=nginx:1.25 -n ${ns}` });
    expect(d.mistake).toMatch(/^Pod web-\S+ cannot pull image "ngnix:1\.25" \((ErrImagePull|ImagePullBackOff)\): there is no such image\. Did you mean nginx\?$/);
    await lab.run(`kubectl run bb --image=busybx -n ${ns} -- sleep 3600`);
    await waitingFor('bb', 'ErrImagePull');
    const [bare] = await diagnose(lab.ctx({ check: { pod: { name: 'bb', phase: 'Running' } } }));
    expect(bare).toMatchObject({ detector: 'image-near-name', fix: `kubectl set image pod/bb bb=busybox -n ${ns}` });
    // The near name would pull: the fix, applied, brings the pod up.
    await lab.run(bare.fix!);
    await lab.until(async () => phase(await client().get('pods', 'bb', ns)) === 'Running');
  });

  it('an image whose tag does not exist is named, with a tag near it', async () => {
    await lab.run(`kubectl run tagless --image=busybox:lastest -n ${ns} -- sleep 3600`);
    const pod = await waitingFor('tagless', 'ErrImagePull');
    expect(JSON.stringify(pod.status)).toContain('not found');
    expect(await only(['image-near-name', 'image-tag-missing'])(lab.ctx({ check: { pod: { name: 'tagless', phase: 'Running' } } }))).toEqual([
      { detector: 'image-tag-missing', mistake: 'Pod tagless cannot pull "busybox:lastest": the image busybox exists, but it has no tag "lastest". Did you mean latest?', fix: `kubectl set image pod/tagless tagless=busybox:latest -n ${ns}` },
    ]);
  });

  it('a pod Pending because no node fits is explained: requests, nodeSelector', async () => {
    await lab.apply(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: greedy\nspec:\n  containers:\n  - name: app\n    image: nginx\n    resources:\n      requests:\n        cpu: "64"\n`);
    await lab.until(async () => JSON.stringify((await client().get('pods', 'greedy', ns))?.status ?? {}).includes('Unschedulable'));
    const [d] = await only(['unschedulable'])(lab.ctx({ check: { pod: { name: 'greedy', phase: 'Running' } } }));
    expect(d.mistake).toMatch(/^Pod greedy is Pending: no node has enough free cpu for what it requests \(app asks for 64\) \(the largest node can give \d+ CPU in all\)\. Ask for less\.$/);
    expect(d.fix).toBe(`kubectl set resources pod/greedy --requests=cpu=LESS -n ${ns}`);
    await lab.apply(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: picky\nspec:\n  nodeSelector:\n    disktype: ssd\n  containers:\n  - name: app\n    image: nginx\n`);
    await lab.until(async () => JSON.stringify((await client().get('pods', 'picky', ns))?.status ?? {}).includes('Unschedulable'));
    const [sel] = await only(['unschedulable'])(lab.ctx({ check: { pod: { name: 'picky', phase: 'Running' } } }));
    expect(sel.mistake).toBe('Pod picky is Pending: no node matches its node selector disktype=ssd. Label a node to match, or change the selector to labels a node has (`kubectl get nodes --show-labels`).');
    expect(sel.fix).toMatch(/^kubectl label node \S+ disktype=ssd$/);
    await client().delete('pods', 'greedy', ns);
    await client().delete('pods', 'picky', ns);
  });

  it('a pod Pending on a taint it does not tolerate is told of the taint and the toleration', async () => {
    const nodes = (await client().list('nodes')).map((n) => n.metadata!.name!);
    for (const n of nodes) await lab.run(`kubectl taint node ${n} dedicated=gpu:NoSchedule`);
    try {
      await lab.run(`kubectl run shy --image=nginx -n ${ns}`);
      await lab.until(async () => JSON.stringify((await client().get('pods', 'shy', ns))?.status ?? {}).includes('Unschedulable'));
      const [d] = await only(['unschedulable'])(lab.ctx({ check: { pod: { name: 'shy', phase: 'Running' } } }));
      expect(d.mistake).toBe("Pod shy is Pending: the nodes carry the taint dedicated=gpu:NoSchedule and the pod does not tolerate it. Add a toleration for it to the pod's spec, or remove the taint.");
      expect(d.fix).toMatch(/^tolerations: \[\{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule\}\], or kubectl taint node \S+ dedicated:NoSchedule-$/);
    } finally {
      for (const n of nodes) await lab.run(`kubectl taint node ${n} dedicated-`);
      await client().delete('pods', 'shy', ns);
    }
  });

  it('CrashLoopBackOff is named with the last exit code and kubectl logs --previous', async () => {
    await lab.run(`kubectl run crash --image=busybox -n ${ns} -- sh -c 'echo starting; exit 3'`);
    await waitingFor('crash', 'CrashLoopBackOff');
    const [d] = await only(['crash-loop'])(lab.ctx({ check: { pod: { name: 'crash', ready: true } } }));
    expect(d.mistake).toMatch(/^Container crash of pod crash keeps crashing \(CrashLoopBackOff, \d+ restarts\): its program failed \(exit code 3\)\. Its last run's output says why\.$/);
    expect(d.fix).toBe(`kubectl logs crash -c crash --previous -n ${ns}`);
    const logs = await lab.run(d.fix!);
    expect(logs.output).toContain('starting');
  });

  it('an env var naming a missing ConfigMap key (CreateContainerConfigError) is named, with the near key', async () => {
    await lab.run(`kubectl create configmap app-config --from-literal=log-levle=debug -n ${ns}`);
    await lab.apply(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: configured\nspec:\n  containers:\n  - name: app\n    image: nginx\n    env:\n    - name: LOG_LEVEL\n      valueFrom:\n        configMapKeyRef: {name: app-config, key: log-level}\n`);
    await waitingFor('configured', 'CreateContainerConfigError');
    expect(await only(['missing-config-key'])(lab.ctx({ check: { pod: { name: 'configured', phase: 'Running' } } }))).toEqual([
      {
        detector: 'missing-config-key',
        mistake: "Container app of pod configured cannot start: its env reads key log-level of ConfigMap app-config, which has log-levle, not log-level: a slip in the key's name.",
        fix: `in the pod's manifest write configMapKeyRef key: log-levle, then kubectl replace --force -f FILE -n ${ns} (a pod's containers cannot change in place), or add key log-level to ConfigMap app-config`,
      },
    ]);
  });

  it('a wrong container name (logs -c, or the container a check runs in) is named, with the pod\'s containers', async () => {
    await lab.run(`kubectl run box --image=busybox -n ${ns} -- sleep 3600`);
    await lab.until(async () => phase(await client().get('pods', 'box', ns)) === 'Running');
    const last = await lab.run(`kubectl logs box -c bx -n ${ns}`);
    expect(last.output).toContain('container bx is not valid for pod box');
    expect(await diagnose(lab.ctx({ last }))).toEqual([{ detector: 'wrong-container', mistake: 'Pod box has no container bx; its containers are box. Did you mean box?', fix: `kubectl logs box -c box -n ${ns}` }]);
    const exec = await lab.run(`kubectl exec box --container=boxx -n ${ns} -- ls`);
    expect((await diagnose(lab.ctx({ last: exec })))[0].fix).toBe(`kubectl exec box --container=box -n ${ns} -- ls`);
    const check: Check = { exec: { name: 'box', container: 'sidecar', command: ['ls'] } };
    const [d] = await only(['wrong-container'])(lab.ctx({ check }));
    expect(d.mistake).toBe('The task runs its command in container sidecar of pod box, but that pod\'s containers are box. A container\'s name is set in the pod\'s spec and cannot change: create the pod again with the container named sidecar.');
  });

  it('a field set on a Deployment\'s pod instead of its template is named, with the Deployment to change', async () => {
    await lab.run(`kubectl create deployment site --image=nginx -n ${ns}`);
    let podName = '';
    await lab.until(async () => {
      const pods = await client().list('pods', { namespace: ns, labelSelector: 'app=site' });
      podName = pods[0]?.metadata?.name ?? '';
      return !!podName;
    });
    const last = await lab.run(`kubectl set image pod/${podName} nginx=nginx:1.25 -n ${ns}`);
    expect(last.exitCode, last.output).toBe(0);
    const check: Check = { field: { kind: 'deploy', name: 'site', path: '{.spec.template.spec.containers[0].image}', equals: 'nginx:1.25' } };
    expect(await only(['pod-not-template'])(lab.ctx({ check, last }))).toEqual([
      {
        detector: 'pod-not-template',
        mistake: `Pod ${podName} is run by Deployment site: a change made to the pod itself is lost when the pod is replaced, and Deployment site never hears of it. Change Deployment site's pod template instead.`,
        fix: `kubectl set image deployment/site nginx=nginx:1.25 -n ${ns}`,
      },
    ]);
    expect(await only(['pod-not-template'])(lab.ctx({ check }))).toEqual([
      { detector: 'pod-not-template', mistake: `Pod ${podName} has the change, but Deployment site's pod template does not: the Deployment replaces its pods from the template, so the change belongs there.`, fix: `kubectl edit deployment site -n ${ns}` },
    ]);
  });

  it('healthy pods and commands on them yield no diagnosis from this family', async () => {
    await lab.run(`kubectl run calm --image=nginx:1.25 -n ${ns}`);
    await lab.until(async () => phase(await client().get('pods', 'calm', ns)) === 'Running');
    // The namespace still holds the broken pods of the tests above; a check on the calm pod is not about them.
    const quiet = await lab.run(`kubectl logs calm -n ${ns}`);
    expect(await diagnose(lab.ctx({ check: { pod: { name: 'calm', phase: 'Running' } }, last: quiet }), 5, POD_DETECTORS)).toEqual([]);
    const labelled = await lab.run(`kubectl label pod calm tier=web -n ${ns}`);
    expect(await diagnose(lab.ctx({ last: labelled }), 5, POD_DETECTORS)).toEqual([]);
    // A check about a ConfigMap is not about the crash-looping pod beside it.
    expect(await diagnose(lab.ctx({ check: { exists: { kind: 'configmap', name: 'elsewhere' } } }), 5, POD_DETECTORS)).toEqual([]);
    // With nothing named, every pod of the lesson is looked at: the broken ones are found.
    expect((await diagnose(lab.ctx({}), 5, POD_DETECTORS)).length).toBeGreaterThan(0);
  });
});

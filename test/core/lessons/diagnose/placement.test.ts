// The object a check looks for is elsewhere, or a slip away from what it names.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../../src/core/lessons/diagnose/index.js';
import { PLACEMENT_DETECTORS, dataKey } from '../../../../src/core/lessons/diagnose/detectors/placement.js';
import { runCheck } from '../../../../src/core/lessons/checks.js';
import type { Check } from '../../../../src/core/lessons/types.js';
import { useLab } from './harness.js';

const ns = 'diag-place';
const second = 'diag-place-two';
const lab = useLab([ns, second]);
const failing = async (check: Check) => {
  const r = await runCheck(check, { client: lab.p.target.client!, namespace: ns });
  expect(r.passed).toBe(false);
  return r.message;
};

describe('detectors of misplaced or misnamed objects', () => {
  it('an object made in another namespace is found there, with the command again with -n', async () => {
    const last = await lab.run('kubectl create configmap cluster-map --from-literal=control-plane-node=cp1');
    expect(last.output).toContain('configmap/cluster-map created');
    const check: Check = { field: { kind: 'configmap', name: 'cluster-map', path: '{.data.control-plane-node}', equals: 'cp1' } };
    expect(await diagnose(lab.ctx({ check, last, failure: await failing(check) }))).toEqual([
      {
        detector: 'other-namespace',
        mistake: `ConfigMap cluster-map is in namespace default, not in ${ns} where the task looks for it: the command had no -n, so kubectl used your context's namespace. Create it again in ${ns} (and delete the one in default).`,
        fix: `kubectl create configmap cluster-map --from-literal=control-plane-node=cp1 -n ${ns}`,
      },
    ]);
    await lab.run(`kubectl create serviceaccount robot -n ${second}`);
    const [d] = await diagnose(lab.ctx({ check: { exists: { kind: 'sa', name: 'robot' } } }));
    expect(d).toEqual({
      detector: 'other-namespace',
      mistake: `ServiceAccount robot is in namespace ${second}, not in ${ns} where the task looks for it. Create it again in ${ns} (and delete the one in ${second}).`,
      fix: `kubectl get serviceaccounts robot -n ${second} -o yaml, then create it again with -n ${ns}`,
    });
  });

  it('an object name a slip away from the checked one is named', async () => {
    await lab.run(`kubectl create deployment web-app --image=nginx -n ${ns}`);
    const check: Check = { exists: { kind: 'deployment', name: 'webapp' } };
    expect(await diagnose(lab.ctx({ check, failure: await failing(check) }))).toEqual([
      {
        detector: 'name-near-miss',
        mistake: `There is no Deployment named webapp in namespace ${ns}, but there is web-app: a slip in the name? An object cannot be renamed: create it again as webapp, then delete web-app.`,
        fix: `kubectl get deployments web-app -n ${ns} -o yaml > webapp.yaml, change metadata.name to webapp, kubectl apply -f webapp.yaml, then kubectl delete deployments web-app -n ${ns}`,
      },
    ]);
  });

  it('a label key or value a slip away from the checked selector is named, with the label command', async () => {
    await lab.run(`kubectl run tagged --image=nginx --labels=tier=frontnd -n ${ns}`);
    const check: Check = { exists: { kind: 'pods', selector: 'tier=frontend' } };
    expect(await diagnose(lab.ctx({ check, failure: await failing(check) }))).toEqual([
      { detector: 'label-near-miss', mistake: `Nothing in namespace ${ns} has the labels tier=frontend, but Pod tagged has tier=frontnd: a slip in the label.`, fix: `kubectl label pods tagged tier=frontend --overwrite -n ${ns}` },
    ]);
    await lab.run(`kubectl run keyed --image=nginx --labels=aap=cache -n ${ns}`);
    const [d] = await diagnose(lab.ctx({ check: { count: { kind: 'pods', selector: 'app=cache', equals: 1 } } }));
    expect(d).toMatchObject({ detector: 'label-near-miss', fix: `kubectl label pods keyed app=cache aap- --overwrite -n ${ns}` });
    const [owned] = await diagnose(lab.ctx({ check: { exists: { kind: 'deployments', selector: 'app=web-ap' } } }));
    expect(owned).toMatchObject({ detector: 'label-near-miss', fix: `kubectl label deployments web-app app=web-ap --overwrite -n ${ns}` });
  });

  it('a ConfigMap key a slip away from the checked one is named', async () => {
    await lab.run(`kubectl create configmap settings --from-literal=log-levle=debug -n ${ns}`);
    const check: Check = { field: { kind: 'configmap', name: 'settings', path: '{.data.log-level}', equals: 'debug' } };
    expect(await diagnose(lab.ctx({ check, failure: await failing(check) }))).toEqual([
      { detector: 'key-near-miss', mistake: 'ConfigMap settings has no key log-level, but it has log-levle: a slip in the key\'s name.', fix: `kubectl edit configmaps settings -n ${ns} (rename the key log-levle to log-level)` },
    ]);
    expect(dataKey("{.data['app.properties']}")).toBe('app.properties');
    expect(dataKey('{.data.app\\.properties}')).toBe('app.properties');
    expect(dataKey('{.metadata.name}')).toBeUndefined();
  });

  it('a workload asking for another number of replicas than the task wants is named, with kubectl scale', async () => {
    await lab.run(`kubectl create deployment api --image=nginx --replicas=2 -n ${ns}`);
    const check: Check = { field: { kind: 'deploy', name: 'api', path: '{.spec.replicas}', equals: 3 } };
    expect(await diagnose(lab.ctx({ check, failure: await failing(check) }))).toEqual([
      { detector: 'replicas-differ', mistake: 'Deployment api asks for 2 replicas; the task wants 3.', fix: `kubectl scale deployment api --replicas=3 -n ${ns}` },
    ]);
    const quiet: Check = { field: { kind: 'deploy', name: 'api', path: '{.spec.replicas}', equals: 3 }, says: 'Scale api to the number of zones.' };
    expect(await diagnose(lab.ctx({ check: quiet, failure: await failing(quiet) }))).toEqual([
      { detector: 'replicas-differ', mistake: 'Deployment api asks for 2 replicas, not the number the task wants.', fix: `kubectl scale deployment api --replicas=N -n ${ns}` },
    ]);
    const [count] = await diagnose(lab.ctx({ check: { count: { kind: 'pods', selector: 'app=api', atLeast: 4 } } }));
    expect(count).toEqual({ detector: 'replicas-differ', mistake: 'Deployment api asks for 2 replicas; the task wants at least 4.', fix: `kubectl scale deployment api --replicas=4 -n ${ns}` });
  });

  it('objects that are where the check looks, and unrelated names, yield no diagnosis from this family', async () => {
    const checks: Check[] = [
      { exists: { kind: 'deployment', name: 'api' } },
      { exists: { kind: 'deployment', name: 'database' } },
      { field: { kind: 'configmap', name: 'settings', path: '{.data.colour}', equals: 'blue' } },
      { field: { kind: 'deploy', name: 'api', path: '{.spec.replicas}', equals: 2 } },
      { exists: { kind: 'pods', selector: 'role=db' } },
    ];
    for (const check of checks) expect(await diagnose(lab.ctx({ check }), 5, PLACEMENT_DETECTORS), JSON.stringify(check)).toEqual([]);
  });
});

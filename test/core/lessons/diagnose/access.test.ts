// A request made as someone else and refused: which RBAC objects would grant it.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../../src/core/lessons/diagnose/index.js';
import { ACCESS_DETECTORS } from '../../../../src/core/lessons/diagnose/detectors/access.js';
import { useLab } from './harness.js';

const ns = 'diag-access';
const lab = useLab([ns]);
const bob = `system:serviceaccount:${ns}:bob`;

describe('detectors of access mistakes', () => {
  it('Forbidden for an --as request explains which Role and RoleBinding grant it', async () => {
    await lab.run(`kubectl create serviceaccount bob -n ${ns}`);
    const last = await lab.run(`kubectl get pods -n ${ns} --as=${bob}`);
    expect(last.output).toContain('Error from server (Forbidden)');
    expect(await diagnose(lab.ctx({ last }))).toEqual([
      {
        detector: 'forbidden-as',
        mistake: `${bob} may not list pods in namespace ${ns}: that takes a Role whose rules allow verb list on pods (apiGroup "") and a RoleBinding that binds it to ServiceAccount bob. Nothing binds it to a role that allows that.`,
        fix: `kubectl create role list-pods --verb=list --resource=pods -n ${ns} && kubectl create rolebinding list-pods --role=list-pods --serviceaccount=${ns}:bob -n ${ns}`,
      },
    ]);
  });

  it('Forbidden for an --as request names the binding the subject has and the role that lacks the verb', async () => {
    await lab.run(`kubectl create role getter --verb=get --resource=deployments.apps -n ${ns}`);
    await lab.run(`kubectl create rolebinding bob-getter --role=getter --serviceaccount=${ns}:bob -n ${ns}`);
    const last = await lab.run(`kubectl get deployments -n ${ns} --as=${bob}`);
    const [d] = await diagnose(lab.ctx({ last }));
    expect(d.mistake).toContain('It is bound now by RoleBinding bob-getter (to Role getter), which does not allow list on deployments');
    expect(d.fix).toBe(`kubectl edit role getter -n ${ns}`);
  });

  it('an allowed request, and a refusal without --as, yield no diagnosis from this family', async () => {
    const ok = await lab.run(`kubectl get deployment nothing -n ${ns} --as=${bob} --ignore-not-found`);
    expect(ok.exitCode, ok.output).toBe(0);
    expect(await diagnose(lab.ctx({ last: ok }), 5, ACCESS_DETECTORS)).toEqual([]);
    const mine = await lab.run(`kubectl get pods -n ${ns}`);
    expect(await diagnose(lab.ctx({ last: mine }), 5, ACCESS_DETECTORS)).toEqual([]);
  });
});

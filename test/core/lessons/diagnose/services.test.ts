// Traffic that does not reach the pods: selectors, target ports, probes.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../../src/core/lessons/diagnose/index.js';
import { SERVICE_DETECTORS } from '../../../../src/core/lessons/diagnose/detectors/services.js';
import type { KubeObject } from '../../../../src/core/kube/client.js';
import type { Check } from '../../../../src/core/lessons/types.js';
import { useLab } from './harness.js';

const ns = 'diag-svc';
const lab = useLab([ns]);
const client = () => lab.p.target.client!;
const deployment = (name: string, port: number, probe = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}, tier: front}\n    spec:\n      containers:\n      - name: ${name}\n        image: nginx\n        ports:\n        - containerPort: ${port}\n          name: http\n${probe}`;
const running = async (selector: string) => lab.until(async () => (await client().list('pods', { namespace: ns, labelSelector: selector })).some((p: KubeObject) => (p.status as { phase?: string } | undefined)?.phase === 'Running'));

describe('detectors of traffic that does not reach the pods', () => {
  it('a Service whose selector matches no pod is named, with the labels the pods do have', async () => {
    await lab.apply(deployment('shop', 80));
    await running('app=shop');
    const last = await lab.run(`kubectl create service clusterip shop-svc --tcp=80:80 -n ${ns}`);
    await lab.run(`kubectl set selector service shop-svc app=shopp -n ${ns}`);
    const check: Check = { endpoints: { service: 'shop-svc' } };
    expect(await diagnose(lab.ctx({ check, last }))).toEqual([
      {
        detector: 'selector-matches-no-pod',
        mistake: `Service shop-svc selects app=shopp, and no pod in namespace ${ns} has those labels, so it has no endpoints. The pods there have: app=shop,tier=front.`,
        fix: `kubectl set selector service shop-svc 'app=shop' -n ${ns}`,
      },
    ]);
  });

  it('a Service targetPort that matches no containerPort is named, with the port the containers declare', async () => {
    await lab.run(`kubectl set selector service shop-svc app=shop -n ${ns}`);
    await lab.run(`kubectl patch service shop-svc -n ${ns} -p '{"spec":{"ports":[{"port":80,"targetPort":8080}]}}'`);
    const [d] = await diagnose(lab.ctx({ check: { endpoints: { service: 'shop-svc' } } }), 2, SERVICE_DETECTORS);
    expect(d).toEqual({
      detector: 'target-port-mismatch',
      mistake: 'Service shop-svc sends port 80 to targetPort 8080 of its pods, but their containers declare port 80: the traffic goes where nothing listens.',
      fix: `kubectl patch service shop-svc -n ${ns} -p '{"spec":{"ports":[{"port":80,"targetPort":80}]}}'`,
    });
    // The fix, run as given, leaves nothing to diagnose.
    expect((await lab.run(d.fix!)).exitCode).toBe(0);
    expect(await diagnose(lab.ctx({ check: { endpoints: { service: 'shop-svc' } } }), 2, SERVICE_DETECTORS)).toEqual([]);
  });

  it('a probe pointing at a port no container exposes is named, with the port to use', async () => {
    await lab.apply(deployment('probed', 80, '        readinessProbe:\n          httpGet: {path: /, port: 8080}\n          periodSeconds: 2\n'));
    await lab.until(async () => (await client().list('pods', { namespace: ns, labelSelector: 'app=probed' })).some((p: KubeObject) => (p.status as { phase?: string } | undefined)?.phase === 'Running'));
    const check: Check = { pod: { selector: 'app=probed', ready: true } };
    const [d] = await diagnose(lab.ctx({ check }));
    expect(d.detector).toBe('probe-wrong-port');
    expect(d.mistake).toMatch(/^The readinessProbe of container probed in pod probed-\S+ checks port 8080, but the container exposes port 80 \(http\): the probe fails and the pod never becomes ready\.$/);
    expect(d.fix).toBe(`kubectl edit deployment probed -n ${ns} (readinessProbe port: 80)`);
  });

  it('a Service that reaches ready pods on a declared port yields no diagnosis from this family', async () => {
    await lab.run(`kubectl expose deployment shop --name=shop-ok --port=80 -n ${ns}`);
    expect(await diagnose(lab.ctx({ check: { endpoints: { service: 'shop-ok' } } }), 5, SERVICE_DETECTORS)).toEqual([]);
    expect(await diagnose(lab.ctx({ check: { pod: { selector: 'app=shop', ready: true } } }), 5, SERVICE_DETECTORS)).toEqual([]);
  });
});

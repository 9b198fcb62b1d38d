// Mistakes in the command line: the program, the verb, the kind, a flag, a flag with a surprise.
import { describe, expect, it } from 'vitest';
import { diagnose, DETECTORS } from '../../../../src/core/lessons/diagnose/index.js';
import { TYPING_DETECTORS } from '../../../../src/core/lessons/diagnose/detectors/typing.js';
import { useLab } from './harness.js';

const ns = 'diag-typing';
const lab = useLab([ns]);
const only = (id: string) => DETECTORS.filter((d) => d.id === id);

describe('detectors of command-line mistakes', () => {
  it('kubectl misspelt as the shell meets it ("command not found") is named, with the line spelt right', async () => {
    const last = await lab.run(`kubeclt get pods -n ${ns}`);
    expect(last.exitCode).toBe(127);
    expect(await diagnose(lab.ctx({ last }), 2, only('kubectl-misspelt'))).toEqual([
      { detector: 'kubectl-misspelt', mistake: 'The shell has no program called "kubeclt", so nothing ran: the command is spelt kubectl.', fix: `kubectl get pods -n ${ns}` },
    ]);
    const [d] = await diagnose(lab.ctx({ last: await lab.run('kubect version --client') }), 2, only('kubectl-misspelt'));
    expect(d.fix).toBe('kubectl version --client');
  });

  it('a misspelt kubectl command is named, with the command meant', async () => {
    const last = await lab.run(`kubectl craete deployment web --image=nginx -n ${ns}`);
    expect(last.output).toContain('unknown command "craete"');
    expect(await diagnose(lab.ctx({ last }))).toEqual([
      { detector: 'verb-misspelt', mistake: 'kubectl has no command "craete": did you mean create?', fix: `kubectl create deployment web --image=nginx -n ${ns}` },
    ]);
  });

  it('a misspelt kind is named from the create commands and the server\'s discovery: serviceacount, pdos, deploymnet', async () => {
    const sa = await lab.run(`kubectl create serviceacount robot -n ${ns}`);
    expect(sa.output).toContain('Unexpected args');
    expect(await diagnose(lab.ctx({ last: sa }))).toEqual([
      { detector: 'kind-misspelt', mistake: 'kubectl create has no "serviceacount": did you mean serviceaccount?', fix: `kubectl create serviceaccount robot -n ${ns}` },
    ]);
    const pods = await lab.run(`kubectl get pdos -n ${ns}`);
    expect(pods.output).toContain('the server doesn\'t have a resource type "pdos"');
    const [d] = await diagnose(lab.ctx({ last: pods }));
    expect(d).toEqual({ detector: 'kind-misspelt', mistake: 'The cluster has no resource type "pdos": did you mean pods? (`kubectl api-resources` lists them all.)', fix: `kubectl get pods -n ${ns}` });
    const [deploy] = await diagnose(lab.ctx({ last: await lab.run(`kubectl describe Deploymnet/web -n ${ns}`) }));
    expect(deploy.fix).toBe(`kubectl describe deployment/web -n ${ns}`);
  });

  it('reads a command typed with the k alias of the exam terminals as kubectl', async () => {
    // The alias runs kubectl itself, so what it prints is kubectl's.
    const pods = await lab.run(`kubectl get pdos -n ${ns}`);
    const [d] = await diagnose(lab.ctx({ last: { ...pods, line: `k get pdos -n ${ns}` } }));
    expect(d).toEqual({ detector: 'kind-misspelt', mistake: 'The cluster has no resource type "pdos": did you mean pods? (`kubectl api-resources` lists them all.)', fix: `k get pods -n ${ns}` });
  });

  it('kubectl run with a removed flag (--replicas, --generator) says what replaced it', async () => {
    const last = await lab.run(`kubectl run web --image=nginx --replicas=3 -n ${ns}`);
    expect(last.output).toContain('unknown flag: --replicas');
    expect(await diagnose(lab.ctx({ last }))).toEqual([
      { detector: 'unknown-flag', mistake: 'kubectl run makes one Pod and no longer takes --replicas; a Deployment keeps several copies running.', fix: `kubectl create deployment web --image=nginx --replicas=3 -n ${ns}` },
    ]);
    const gen = await lab.run(`kubectl run web --image=nginx --generator=run-pod/v1 -n ${ns}`);
    expect((await diagnose(lab.ctx({ last: gen })))[0]).toEqual({ detector: 'unknown-flag', mistake: 'kubectl run no longer takes --generator: it always makes a Pod now.', fix: `kubectl run web --image=nginx -n ${ns}` });
    const typo = await lab.run(`kubectl run web --imgae=nginx -n ${ns}`);
    expect((await diagnose(lab.ctx({ last: typo })))[0]).toEqual({ detector: 'unknown-flag', mistake: 'kubectl run has no flag --imgae: did you mean --image?', fix: `kubectl run web --image=nginx -n ${ns}` });
  });

  it('create deployment without --image says the image is needed', async () => {
    const last = await lab.run(`kubectl create deployment web -n ${ns}`);
    expect(last.output).toContain('required flag(s) "image" not set');
    expect(await diagnose(lab.ctx({ last }))).toEqual([
      { detector: 'required-flag', mistake: 'kubectl create deployment needs --image (the image its containers run), so nothing was created.', fix: `kubectl create deployment web -n ${ns} --image=IMAGE` },
    ]);
  });

  it('expose without a port, for containers that declare none, says to give --port', async () => {
    await lab.run(`kubectl create deployment portless --image=nginx -n ${ns}`);
    const last = await lab.run(`kubectl expose deployment portless -n ${ns}`);
    expect(last.output).toContain("couldn't find port via --port flag or introspection");
    expect(await diagnose(lab.ctx({ last }))).toEqual([
      {
        detector: 'expose-without-port',
        mistake: "kubectl expose takes the Service's port from the containers' declared ports, and Deployment portless's containers declare no port: give the port yourself.",
        fix: `kubectl expose deployment portless -n ${ns} --port=PORT --target-port=CONTAINER_PORT`,
      },
    ]);
  });

  it('--dry-run=client is named as the reason nothing was created', async () => {
    const last = await lab.run(`kubectl create configmap settings --from-literal=mode=fast --dry-run=client -n ${ns}`);
    expect(last.output).toContain('(dry run)');
    const check = { exists: { kind: 'configmap', name: 'settings' } };
    expect(await diagnose(lab.ctx({ last, check }))).toEqual([
      { detector: 'dry-run', mistake: 'With --dry-run=client kubectl only checked the request; nothing was created. Run it again without --dry-run.', fix: `kubectl create configmap settings --from-literal=mode=fast -n ${ns}` },
    ]);
    const printed = await lab.run(`kubectl create configmap settings --from-literal=mode=fast --dry-run=client -o yaml -n ${ns}`);
    expect((await diagnose(lab.ctx({ last: printed })))[0].fix).toBe(`kubectl create configmap settings --from-literal=mode=fast --dry-run=client -o yaml -n ${ns} > manifest.yaml && kubectl apply -f manifest.yaml`);
  });

  it('another context or kubeconfig in the last command is named, with the line without it', async () => {
    const last = await lab.run(`kubectl --context staging get pods -n ${ns}`);
    expect(last.output).toMatch(/context "staging" does not exist|context was not found for specified context: staging/);
    expect(await diagnose(lab.ctx({ last }))).toEqual([
      {
        detector: 'other-cluster',
        mistake: 'There is no context "staging" in your kubeconfig, so the command did not reach any cluster. `kubectl config get-contexts` lists the contexts; without --context the lesson\'s cluster is used.',
        fix: `kubectl get pods -n ${ns}`,
      },
    ]);
    const file = await lab.run(`kubectl get pods --kubeconfig /nonexistent/other.kubeconfig -n ${ns}`);
    expect((await diagnose(lab.ctx({ last: file })))[0]).toMatchObject({ detector: 'other-cluster', fix: `kubectl get pods -n ${ns}` });
    const right = await lab.run(`kubectl --context kubedojo get pods -n ${ns}`);
    expect(right.exitCode).toBe(0);
    expect(await diagnose(lab.ctx({ last: right }), 2, only('other-cluster'))).toEqual([]);
  });

  it('--dry-run whose manifest goes to a file or another command is not a mistake', async () => {
    const saved = await lab.run(`kubectl create configmap settings --from-literal=mode=fast --dry-run=client -o yaml -n ${ns} > /dev/null`);
    expect(saved.exitCode).toBe(0);
    expect(await diagnose(lab.ctx({ last: saved }), 5, TYPING_DETECTORS)).toEqual([]);
  });

  it('correct command lines yield no diagnosis from this family', async () => {
    for (const line of [`kubectl create deployment calm --image=nginx -n ${ns}`, `kubectl get pods -n ${ns}`, `kubectl run solo --image=busybox -n ${ns} -- sleep 3600`, `kubectl expose deployment calm --port=80 -n ${ns}`]) {
      const last = await lab.run(line);
      expect(last.exitCode, last.output).toBe(0);
      expect(await diagnose(lab.ctx({ last }), 5, TYPING_DETECTORS), line).toEqual([]);
    }
  });
});

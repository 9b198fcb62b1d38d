// Command items are graded by what they do to a scratch cluster, not by their spelling; manifest
// items by checks run after applying the learner's YAML.
import { describe, expect, it } from 'vitest';
import { gradeAnswer, parseChoices } from '../../../src/core/quiz/grade.js';
import type { ChoiceItem, CommandItem, ManifestItem } from '../../../src/core/quiz/types.js';
import { useHost } from '../../helpers/proving.js';

const source = { file: '001_109c03d2a4c17646.txt', heading: 'Running pods with controllers' };
const h = useHost();

const scale: CommandItem = {
  id: 't-scale',
  kind: 'command',
  topic: 'deployments',
  difficulty: 2,
  source,
  question: 'Scale the deployment web in namespace shop to 3 replicas.',
  explanation: 'kubectl scale sets spec.replicas.',
  setup: [
    {
      apply: `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`,
    },
  ],
  answer: 'kubectl scale deployment web --replicas=3 -n shop',
};

const label: CommandItem = {
  id: 't-label',
  kind: 'command',
  topic: 'labels',
  difficulty: 1,
  source,
  question: 'Label pod api with tier=backend.',
  explanation: 'kubectl label adds labels.',
  setup: [{ apply: 'apiVersion: v1\nkind: Pod\nmetadata: { name: api }\nspec: { containers: [{ name: api, image: nginx }] }\n' }],
  answer: 'kubectl label pod api tier=backend',
};

describe('command items', () => {
  it('accept the model answer itself', async () => {
    expect((await gradeAnswer(scale, scale.answer, { host: h.host, env: h.env })).verdict).toBe('correct');
  });

  it('accept equivalent spellings: short names, --namespace=, flag order, another verb form', async () => {
    for (const answer of [
      'kubectl scale deploy/web --replicas 3 --namespace=shop',
      'kubectl -n shop scale deployments web --replicas=3',
      "kubectl patch deployment web -n shop -p '{\"spec\":{\"replicas\":3}}'",
    ]) {
      const g = await gradeAnswer(scale, answer, { host: h.host, env: h.env });
      expect(g.verdict, `${answer}: ${g.details.join('; ')}`).toBe('correct');
    }
    for (const answer of ['kubectl label po api tier=backend', 'kubectl label pods/api tier=backend --overwrite']) {
      expect((await gradeAnswer(label, answer, { host: h.host, env: h.env })).verdict, answer).toBe('correct');
    }
  });

  it('compare pods made by two runs of a command, whose generated names differ', async () => {
    const run: CommandItem = { ...label, id: 't-run', setup: undefined, answer: 'kubectl run web --image=nginx --labels=app=web' };
    for (const answer of ['kubectl run web --image nginx -l app=web', 'kubectl run --image=nginx web --restart=Always --labels app=web']) {
      const g = await gradeAnswer(run, answer, { host: h.host, env: h.env });
      expect(g.verdict, `${answer}: ${g.details.join('; ')}`).toBe('correct');
    }
    expect((await gradeAnswer(run, 'kubectl run web --image=nginx', { host: h.host, env: h.env })).details.join()).toMatch(/metadata\.labels/);
  });

  it('treat an RBAC rule\'s verbs as a set, so their order does not matter', async () => {
    const role: CommandItem = { ...label, id: 't-role', setup: undefined, answer: 'kubectl create clusterrole node-viewer --verb=get,list --resource=nodes' };
    expect((await gradeAnswer(role, 'kubectl create clusterrole node-viewer --verb=list,get --resource=nodes', { host: h.host, env: h.env })).verdict).toBe('correct');
    expect((await gradeAnswer(role, 'kubectl create clusterrole node-viewer --verb=list --resource=nodes', { host: h.host, env: h.env })).verdict).toBe('wrong');
  });

  it('reject a command with a different effect and say what differs', async () => {
    const g = await gradeAnswer(scale, 'kubectl scale deployment web --replicas=2 -n shop', { host: h.host, env: h.env });
    expect(g.verdict).toBe('wrong');
    expect(g.details.join('\n')).toMatch(/deployment\/web in shop: spec\.replicas is 2, expected 3/);
    expect(g.feedback).toContain('Kubernetes in a Month of Lunches, chapter 2, Running containers in Kubernetes with Pods and Deployments: "Running pods with controllers"');
  });

  it('reject a command kubectl refuses, quoting kubectl', async () => {
    const g = await gradeAnswer(scale, 'kubectl scale deployment nope --replicas=3 -n shop', { host: h.host, env: h.env });
    expect(g.verdict).toBe('wrong');
    expect(g.feedback).toMatch(/not found/);
  });

  it('run nothing for shell metacharacters, and say why', async () => {
    for (const answer of ['kubectl get pods; rm -rf /', 'kubectl get pods | sh', 'kubectl get pods $(id)', 'ls -la']) {
      const g = await gradeAnswer(label, answer, { host: h.host, env: h.env });
      expect(g.verdict, answer).toBe('wrong');
      expect(g.feedback, answer).toMatch(/cannot run here/);
    }
  });

  it('leave no scratch cluster behind', async () => {
    await gradeAnswer(label, label.answer, { host: h.host, env: h.env });
    expect(h.host.server.hosted('anything')).toBeUndefined();
    expect((h.host as unknown as { live: Set<string> }).live.size).toBe(0);
  });
});

describe('manifest items', () => {
  const item: ManifestItem = {
    id: 't-manifest',
    kind: 'manifest',
    topic: 'configmaps',
    difficulty: 2,
    source,
    question: 'Write a ConfigMap named settings with mode=debug and level=3.',
    explanation: 'A ConfigMap holds string data.',
    checks: [
      { field: { kind: 'ConfigMap', name: 'settings', path: '{.data.mode}', equals: 'debug' } },
      { field: { kind: 'ConfigMap', name: 'settings', path: '{.data.level}', equals: '3' } },
    ],
    answer: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { mode: debug, level: "3" }\n',
  };

  it('pass when every check holds', async () => {
    expect((await gradeAnswer(item, item.answer, { host: h.host, env: h.env })).verdict).toBe('correct');
  });

  it('call one failing check of several close, and name it', async () => {
    const g = await gradeAnswer(item, 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { mode: debug, level: "4" }\n', { host: h.host, env: h.env });
    expect(g.verdict).toBe('close');
    expect(g.details).toEqual(["ConfigMap settings: `data.level` is `4`, which is not what the task asks."]);
  });

  it('report YAML the cluster does not accept, as kubectl words it', async () => {
    const g = await gradeAnswer(item, 'kind: ConfigMap\nmetadata: [oops\n', { host: h.host, env: h.env });
    expect(g.verdict).toBe('wrong');
    expect(g.feedback).toMatch(/did not accept/);
  });
});

describe('choice items', () => {
  const item: ChoiceItem = { id: 't-c', kind: 'choice', topic: 'architecture', difficulty: 1, source, question: 'Which stores cluster state?', explanation: 'etcd is the store.', choices: ['kubelet', 'etcd', 'kube-proxy'], answer: 1 };

  it('take letters or numbers', async () => {
    expect((await gradeAnswer(item, 'b')).verdict).toBe('correct');
    expect((await gradeAnswer(item, '2')).verdict).toBe('correct');
    expect((await gradeAnswer(item, 'a')).verdict).toBe('wrong');
    expect(parseChoices('a, c', 3)).toEqual([0, 2]);
    expect(parseChoices('d', 3)).toBeUndefined();
  });

  it('call all-but-one of a choose-all answer close', async () => {
    const many: ChoiceItem = { ...item, choices: ['a', 'b', 'c', 'd'], answer: [0, 2, 3] };
    expect((await gradeAnswer(many, 'a,c,d')).verdict).toBe('correct');
    expect((await gradeAnswer(many, 'a,c')).verdict).toBe('close');
    expect((await gradeAnswer(many, 'a,b')).verdict).toBe('wrong');
  });
});

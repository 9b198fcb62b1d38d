// Short answers are judged as a person would judge them: spelling slips are forgiven as "close",
// equivalent kubectl spellings are simply right.
import { describe, expect, it } from 'vitest';
import { damerauLevenshtein, normalizeAnswer, shortAnswerVerdict } from '../../../src/core/quiz/short-answer.js';
import type { ShortItem } from '../../../src/core/quiz/types.js';

function item(answer: string, accept?: string[]): ShortItem {
  return { id: 't-1', kind: 'short', topic: 'architecture', difficulty: 1, source: { file: 'x.md', heading: 'X' }, question: 'Q?', answer, accept, explanation: 'E.' };
}

describe('shortAnswerVerdict on words', () => {
  it('ignores case, spacing, punctuation and a leading article', () => {
    const it1 = item('Container Runtime Interface');
    expect(shortAnswerVerdict('container runtime interface', it1)).toBe('correct');
    expect(shortAnswerVerdict('  The   Container Runtime Interface. ', it1)).toBe('correct');
    expect(shortAnswerVerdict('a container-runtime interface', it1)).toBe('correct');
  });

  it('treats a plural and a singular as the same answer', () => {
    expect(shortAnswerVerdict('Service', item('Services'))).toBe('correct');
    expect(shortAnswerVerdict('replica sets', item('ReplicaSet'))).toBe('correct');
    expect(shortAnswerVerdict('ingresses', item('Ingress'))).toBe('correct');
  });

  it('treats a hyphen and a space alike but keeps the name itself', () => {
    expect(shortAnswerVerdict('kube proxy', item('kube-proxy'))).toBe('correct');
    expect(shortAnswerVerdict('kubeproxy', item('kube-proxy'))).toBe('correct');
    expect(shortAnswerVerdict('proxy', item('kube-proxy'))).toBe('wrong');
  });

  it('accepts the synonyms listed in accept', () => {
    const cni = item('Container Network Interface', ['CNI']);
    expect(shortAnswerVerdict('cni', cni)).toBe('correct');
    expect(shortAnswerVerdict('CNM', cni)).toBe('wrong');
  });

  it('calls a one-letter slip in a short answer close', () => {
    expect(shortAnswerVerdict('ectd', item('etcd'))).toBe('close');
    expect(shortAnswerVerdict('kublet', item('kubelet'))).toBe('close');
  });

  it('allows two slips in a longer answer, and one misspelt word among several', () => {
    expect(shortAnswerVerdict('shceduelr', item('scheduler'))).toBe('close');
    expect(shortAnswerVerdict('Container Netwrok Interface', item('Container Network Interface'))).toBe('close');
    expect(shortAnswerVerdict('Controler Manager', item('Controller Manager'))).toBe('close');
  });

  it('does not call a different two-letter short name close', () => {
    expect(shortAnswerVerdict('pv', item('po'))).toBe('wrong');
    expect(shortAnswerVerdict('sc', item('sa'))).toBe('wrong');
  });

  it('calls a different word wrong', () => {
    expect(shortAnswerVerdict('scheduler', item('controller manager'))).toBe('wrong');
    expect(shortAnswerVerdict('', item('etcd'))).toBe('wrong');
  });
});

describe('shortAnswerVerdict on kubectl commands', () => {
  const get = item('kubectl -n mynamespace get pods', ['kubectl -n mynamespace get pods']);

  it('accepts the namespace flag in every spelling', () => {
    for (const given of ['kubectl get pods -n mynamespace', 'kubectl get pods --namespace mynamespace', 'kubectl get pods --namespace=mynamespace', 'kubectl --namespace=mynamespace get po', 'kubectl get pod -nmynamespace'])
      expect(shortAnswerVerdict(given, get), given).toBe('correct');
  });

  it('accepts short names of resources and free flag order', () => {
    const label = item('kubectl label pods -l app=hello --overwrite app=x');
    expect(shortAnswerVerdict('kubectl label po app=x --overwrite --selector app=hello', label)).toBe('correct');
    expect(shortAnswerVerdict('kubectl label po app=x --overwrite --selector=app=hello', label)).toBe('correct');
    const deploy = item('kubectl rollout restart deployment mydeployment -n ns');
    expect(shortAnswerVerdict('kubectl rollout restart deploy mydeployment --namespace ns', deploy)).toBe('correct');
    expect(shortAnswerVerdict('kubectl rollout restart deploy/mydeployment --namespace ns', deploy)).toBe('correct');
  });

  it('treats bundled and long boolean flags alike', () => {
    const exec = item('kubectl exec -it hello -- sh');
    expect(shortAnswerVerdict('kubectl exec --stdin --tty hello -- sh', exec)).toBe('correct');
    expect(shortAnswerVerdict('kubectl exec -t -i hello -- sh', exec)).toBe('correct');
    expect(shortAnswerVerdict('kubectl exec -it hello -- bash', exec)).toBe('wrong');
  });

  it('reads -f as follow for logs and as a file elsewhere', () => {
    expect(shortAnswerVerdict('kubectl logs --follow web', item('kubectl logs -f web'))).toBe('correct');
    expect(shortAnswerVerdict('kubectl apply --filename pod.yaml', item('kubectl apply -f pod.yaml'))).toBe('correct');
    expect(shortAnswerVerdict('kubectl apply -f pod.yaml', item('kubectl logs -f web'))).toBe('wrong');
  });

  it('calls a command with one misspelt word close', () => {
    expect(shortAnswerVerdict('kubectl descrbe pod hello-kiamol', item('kubectl describe pod hello-kiamol'))).toBe('close');
    expect(shortAnswerVerdict('kubectl get pods --namepsace=mynamespace', get)).toBe('close');
  });

  it('calls a command that does something else wrong', () => {
    expect(shortAnswerVerdict('kubectl describe pods', get)).toBe('wrong');
    expect(shortAnswerVerdict('kubectl get pods', get)).toBe('wrong');
    expect(shortAnswerVerdict('get pods', get)).toBe('wrong');
  });
});

describe('helpers', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(damerauLevenshtein('etcd', 'ectd')).toBe(1);
    expect(damerauLevenshtein('pods', 'pods')).toBe(0);
    expect(damerauLevenshtein('abc', '')).toBe(3);
  });

  it('normalises answers to lower-case singular words', () => {
    expect(normalizeAnswer('The Pods!')).toBe('pod');
    expect(normalizeAnswer('ReplicaSets')).toBe('replicaset');
  });
});

// What the Slack bot runs: kubectl commands of the exercises, nothing that needs a terminal,
// reaches another cluster, or touches the files of the machine running the bot.
import { describe, expect, it } from 'vitest';
import { kubectlArgs, splitWords } from '../../../src/core/kube/kubectl.js';
import { vetKubectl } from '../../../src/core/kube/kubectl-policy.js';
import { LearnerError } from '../../../src/core/problems.js';

const vet = (line: string, manifest?: string) => vetKubectl(kubectlArgs(`kubectl ${line}`), manifest);
const refusal = (line: string, manifest?: string) => {
  try {
    vet(line, manifest);
  } catch (err) {
    expect(err).toBeInstanceOf(LearnerError);
    return `${(err as LearnerError).message} | ${(err as LearnerError).nextStep}`;
  }
  throw new Error(`"${line}" was allowed`);
};

describe('splitting a command line', () => {
  it('splits words as a shell would, keeping quoted spaces', () => {
    expect(splitWords(`kubectl exec web -- sh -c 'echo "hi there"'`)).toEqual(['kubectl', 'exec', 'web', '--', 'sh', '-c', 'echo "hi there"']);
    expect(splitWords('kubectl label pod a x=y\\ z')).toEqual(['kubectl', 'label', 'pod', 'a', 'x=y z']);
  });

  it('refuses pipes, redirections, substitutions and second commands', () => {
    for (const line of ['kubectl get pods | grep x', 'kubectl get pods > /tmp/x', 'kubectl get pods; rm -rf /', 'kubectl get $(whoami)', 'kubectl get `id`', 'kubectl get pods && id', 'kubectl get "$HOME"']) {
      expect(() => splitWords(line), line).toThrow(LearnerError);
    }
  });

  it('runs nothing but kubectl', () => {
    expect(() => kubectlArgs('rm -rf /')).toThrow(/only kubectl commands run here/);
    expect(() => kubectlArgs('sh -c id')).toThrow(/only kubectl commands run here/);
  });
});

describe('the Slack policy', () => {
  it('lets the exercises\' commands through', () => {
    for (const line of ['get pods -A', 'describe deploy web -n shop', 'create deployment web --image=nginx', 'scale deploy web --replicas=3', 'exec web -- cat /etc/hostname', 'logs web --tail=20', 'auth can-i list pods --as=system:serviceaccount:x:y', 'rollout undo deploy/web', 'get pods -o jsonpath={.items[*].metadata.name}', 'run box --image=busybox -- sleep 3600']) {
      expect(vet(line).args.length, line).toBeGreaterThan(0);
    }
  });

  it('explains commands that need a terminal instead of running them', () => {
    expect(refusal('edit deploy web')).toMatch(/opens an editor.*kubectl patch/s);
    expect(refusal('exec -it web -- sh')).toMatch(/interactive/);
    expect(refusal('exec web -ti -- sh')).toMatch(/interactive/);
    expect(refusal('run tmp --image=busybox -i --rm -- sh')).toMatch(/interactive/);
    expect(refusal('port-forward pod/web 8080:80')).toMatch(/get --raw/);
    expect(refusal('get pods -w')).toMatch(/watch never ends/);
    expect(refusal('logs web -f')).toMatch(/follow the logs forever/);
  });

  it('keeps the learner to their own cluster and off the machine\'s files', () => {
    expect(refusal('get pods --kubeconfig=/etc/kubernetes/admin.conf')).toMatch(/cluster is chosen for you/);
    expect(refusal('get pods --server https://10.0.0.1')).toMatch(/cluster is chosen for you/);
    expect(refusal('get pods --token abc')).toMatch(/credentials/);
    expect(refusal('apply -f /etc/passwd')).toMatch(/lines after the command/);
    expect(refusal('apply -f https://example.com/x.yaml')).toMatch(/lines after the command/);
    expect(refusal('apply --filename=/root/x.yaml')).toMatch(/lines after the command/);
    expect(refusal('cp web:/etc/passwd ./passwd')).toMatch(/bot's/);
    expect(refusal('config view --raw')).toMatch(/one cluster and one context/);
    expect(refusal('get pods --log-file=/tmp/x')).toMatch(/writes files/);
    expect(refusal('krew install x')).toMatch(/not a command the exercises use/);
  });

  it('takes a manifest from the lines after `-f -`', () => {
    expect(vet('apply -f -', 'apiVersion: v1\nkind: ConfigMap\n').stdin).toContain('ConfigMap');
    expect(refusal('apply -f -')).toMatch(/lines after/);
  });

  it('reads clusters of short flags as kubectl does: a value after -o, each letter otherwise', () => {
    for (const line of ['get pods -owide', 'get pods -Aowide', 'get pods -lapp=web', 'logs web -p', 'patch deploy web -p {"spec":{"replicas":2}}']) {
      expect(vet(line).args.length, line).toBeGreaterThan(0);
    }
    expect(refusal('get pods -Aw')).toMatch(/watch never ends/);
    expect(refusal('logs web -pf')).toMatch(/follow the logs forever/);
    expect(refusal('exec web -qit -- sh')).toMatch(/interactive/);
    expect(refusal('apply -f=/etc/passwd')).toMatch(/lines after the command/);
    expect(vet('apply -f=-', 'kind: ConfigMap\n').stdin).toContain('ConfigMap');
  });

  it('leaves the words after -- to the container', () => {
    expect(vet('exec web -- ls -it /tmp').args).toEqual(['exec', 'web', '--', 'ls', '-it', '/tmp']);
  });
});

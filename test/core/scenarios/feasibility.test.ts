import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../src/core/scenarios/format.js';
import { codeBlocks, unplayableReasons } from '../../../src/core/scenarios/feasibility.js';

function scenario(stepText: string, verify = 'kubectl get pods'): Scenario {
  const page = { title: 'p', text: '' };
  return { id: 's', dir: '/s', title: 's', description: '', intro: page, finish: page, assets: [], steps: [{ title: 'one', text: stepText, verify: { file: 'verify.sh', text: verify } }] };
}

describe('what a scenario needs that the simulator cannot give', () => {
  it('finds ssh to a node, systemctl, crictl, etcdctl, kubeadm, docker and helm where commands name them', () => {
    const cases: [string, RegExp][] = [
      ['```\nssh node01\n```', /ssh/],
      ['```\nsudo systemctl restart kubelet\n```', /systemctl/],
      ['```\ncrictl ps | grep api\n```', /crictl/],
      ['```\nETCDCTL_API=3; etcdctl snapshot save /opt/backup.db\n```', /etcd/],
      ['```\nkubeadm upgrade plan\n```', /kubeadm/],
      ['```\ndocker build -t app .\n```', /docker/],
      ['```\nhelm install web bitnami/nginx\n```', /helm/],
    ];
    for (const [text, reason] of cases) expect(unplayableReasons(scenario(text)).join(' '), text).toMatch(reason);
  });

  it('reads the scripts too: a check that logs in to a node makes the scenario unplayable', () => {
    expect(unplayableReasons(scenario('Do it.', 'ssh node01 "test -f /etc/x"'))).toHaveLength(1);
  });

  it('ignores prose, comments and words that only contain a program name', () => {
    const text = 'Docker images and Helm charts are mentioned here.\n```\n# docker is not needed\nkubectl create deploy dockerized --image=nginx\necho helmet\n```';
    expect(unplayableReasons(scenario(text, '# no ssh here\nkubectl get deploy dockerized'))).toEqual([]);
  });

  it('reads fenced code blocks with Killercoda markers after them', () => {
    expect(codeBlocks('Run:\n```\nkubectl get pods\n```{{exec}}\nand\n~~~bash\nk get no\n~~~\n')).toEqual(['kubectl get pods\n', 'k get no\n']);
  });
});

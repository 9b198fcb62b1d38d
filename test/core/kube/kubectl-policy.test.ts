// What the Slack bot runs: kubectl commands of the exercises, nothing that needs a terminal,
// reaches another cluster, or touches the files of the machine running the bot; and what runs is
// the policy's own reading of the words, which must be kubectl's reading too.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { kubectlArgs, kubectlBinary, splitWords } from '../../../src/core/kube/kubectl.js';
import { COMMANDS, GLOBAL_FLAGS } from '../../../src/core/kube/kubectl-flags.js';
import { allowedKubectlFlags, vetKubectl, type VetOptions } from '../../../src/core/kube/kubectl-policy.js';
import { LearnerError } from '../../../src/core/problems.js';
import { disagreements, offlineEnv, parseHelp, pooled, run } from '../../../scripts/gen-kubectl-flags.mjs';

const vet = (line: string, opts?: VetOptions) => vetKubectl(kubectlArgs(`kubectl ${line}`), opts);
const refusal = (line: string, opts?: VetOptions) => {
  try {
    vet(line, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(LearnerError);
    return `${(err as LearnerError).message} | ${(err as LearnerError).nextStep}`;
  }
  throw new Error(`"${line}" was allowed`);
};
const MANIFEST = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';

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

describe('what runs: the command, then each flag as --name=value, then the arguments', () => {
  it.each([
    ['get pods -owide', ['get', '--output=wide', 'pods']],
    ['get pods -Aowide', ['get', '--all-namespaces=true', '--output=wide', 'pods']],
    ['get po -A', ['get', '--all-namespaces=true', 'po']],
    ['get pods -lapp=web', ['get', '--selector=app=web', 'pods']],
    ['get pods -o jsonpath={.items[*].metadata.name}', ['get', '--output=jsonpath={.items[*].metadata.name}', 'pods']],
    ['get pods -o jsonpath --template={.items[0].metadata.name}', ['get', '--output=jsonpath', '--template={.items[0].metadata.name}', 'pods']],
    ['get pods --all_namespaces', ['get', '--all-namespaces=true', 'pods']],
    ['get pods --show-kind=F', ['get', '--show-kind=false', 'pods']],
    ['get --raw /api/v1/namespaces', ['get', '--raw=/api/v1/namespaces']],
    ['logs -p pod', ['logs', '--previous=true', 'pod']],
    ['logs pod --tail=20', ['logs', '--tail=20', 'pod']],
    ['logs web -c app --since 5m', ['logs', '--container=app', '--since=5m', 'web']],
    ['exec pod -- ls /', ['exec', 'pod', '--', 'ls', '/']],
    ['exec web -c app -- ls -it /tmp', ['exec', '--container=app', 'web', '--', 'ls', '-it', '/tmp']],
    ['run x --image=nginx -- sleep 10', ['run', '--image=nginx', 'x', '--', 'sleep', '10']],
    ['create deployment web --image=nginx --replicas=3', ['create', 'deployment', '--image=nginx', '--replicas=3', 'web']],
    ['create deploy web --image nginx -r 3', ['create', 'deployment', '--image=nginx', '--replicas=3', 'web']],
    ['create configmap c --from-literal=a=b', ['create', 'configmap', '--from-literal=a=b', 'c']],
    ['create cm c --from_literal a=b', ['create', 'configmap', '--from-literal=a=b', 'c']],
    ['create secret generic s --from-literal=k=v', ['create', 'secret', 'generic', '--from-literal=k=v', 's']],
    ['auth can-i list pods --as=system:serviceaccount:a:b', ['auth', 'can-i', '--as=system:serviceaccount:a:b', 'list', 'pods']],
    ['set image deploy/web nginx=nginx:1.25', ['set', 'image', 'deploy/web', 'nginx=nginx:1.25']],
    ['rollout undo deploy/web --to-revision=1', ['rollout', 'undo', '--to-revision=1', 'deploy/web']],
    [`patch deploy web -p '{"spec":{}}'`, ['patch', '--patch={"spec":{}}', 'deploy', 'web']],
    ['scale deploy web --replicas=2', ['scale', '--replicas=2', 'deploy', 'web']],
    ['describe deploy web -n shop', ['describe', '--namespace=shop', 'deploy', 'web']],
    ['top pods', ['top', 'pod']],
    ['top no', ['top', 'node']],
    ['explain pod.spec', ['explain', 'pod.spec']],
    ['version', ['version']],
    ['api-resources --namespaced=true -o name', ['api-resources', '--namespaced=true', '--output=name']],
    ['create deployment --help', ['create', 'deployment', '--help=true']],
    // Credentials for the learner's own sandbox cluster only: a token, a certificate's approval.
    ['create token ci-bot -n ops --duration=10m', ['create', 'token', '--namespace=ops', '--duration=10m', 'ci-bot']],
    ['certificate approve jane', ['certificate', 'approve', 'jane']],
    ['certificate deny jane --force', ['certificate', 'deny', '--force=true', 'jane']],
  ])('`kubectl %s` runs as written, in one reading', (line, args) => {
    expect(vet(line)).toEqual({ args, stdin: undefined, notes: [] });
  });

  it('takes global flags before the command, as kubectl does', () => {
    expect(vet('-n shop get pods').args).toEqual(['get', '--namespace=shop', 'pods']);
    expect(vet('-nshop get pods').args).toEqual(['get', '--namespace=shop', 'pods']);
    expect(vet('-n=shop get pods').args).toEqual(['get', '--namespace=shop', 'pods']);
    expect(vet('--namespace shop --as jane get pods').args).toEqual(['get', '--namespace=shop', '--as=jane', 'pods']);
    // Before the command kubectl does not know -o yet, so it passes over it and its value alike.
    expect(vet('-o wide get pods').args).toEqual(['get', '--output=wide', 'pods']);
  });

  it('reads a flag\'s value wherever it is, so the word after -n is never the command', () => {
    expect(refusal('-n get config view --raw')).toMatch(/kubectl config.*one cluster and one context/s);
    expect(vet('-n get get pods').args).toEqual(['get', '--namespace=get', 'pods']);
    expect(vet('get pods -n --watch').args).toEqual(['get', '--namespace=--watch', 'pods']);
  });

  it('takes a manifest from the lines after `-f -`', () => {
    expect(vet('apply -f -', { manifest: MANIFEST })).toEqual({ args: ['apply', '--filename=-'], stdin: MANIFEST, notes: [] });
    expect(vet('apply -f=-', { manifest: MANIFEST }).stdin).toBe(MANIFEST);
    expect(refusal('apply -f -')).toMatch(/needs the manifest on the lines after the command/);
    expect(refusal('apply -f -', { manifest: ' \n' })).toMatch(/needs the manifest/);
  });

  it('reads one of the lesson\'s own files by name, passing its content on stdin', () => {
    const files = { 'kuard-pod.yaml': 'kind: Pod\n' };
    expect(vet('apply -f kuard-pod.yaml', { files })).toEqual({ args: ['apply', '--filename=-'], stdin: 'kind: Pod\n', notes: [] });
    expect(vet('apply --filename ./kuard-pod.yaml', { files }).stdin).toBe('kind: Pod\n');
    expect(refusal('apply -f other.yaml', { files })).toMatch(/reads only the lines after the command, or one of this lesson's files: kuard-pod\.yaml/);
    expect(refusal('apply -f kuard-pod.yaml -f -', { files, manifest: MANIFEST })).toMatch(/only one `-f`/);
  });

  it('shortens a wait longer than a reply can take, and says so', () => {
    expect(vet('wait --for=condition=Ready pod/x --timeout=100h')).toEqual({
      args: ['wait', '--for=condition=Ready', '--timeout=60s', 'pod/x'],
      stdin: undefined,
      notes: ['`--timeout=100h` waits longer than a reply here can: it runs as `--timeout=60s`.'],
    });
    expect(vet('wait --for=delete pod/x --timeout=20s').args).toEqual(['wait', '--for=delete', '--timeout=20s', 'pod/x']);
    expect(vet('wait --for=delete pod/x --timeout=-1s').args).toContain('--timeout=60s');
    expect(vet('get pods --request-timeout=0').args).toEqual(['get', '--request-timeout=60s', 'pods']);
    expect(vet('get pods --request-timeout=5').args).toEqual(['get', '--request-timeout=5', 'pods']);
    expect(refusal('wait --for=delete pod/x --timeout=soon')).toMatch(/not a length of time/);
  });

  it('bounds the commands that would otherwise wait for ever', () => {
    expect(vet('rollout status deploy/web')).toEqual({
      args: ['rollout', 'status', '--timeout=60s', 'deploy/web'],
      stdin: undefined,
      notes: ['`kubectl rollout status` waits at most 60s here.'],
    });
    expect(vet('rollout status deploy/web --timeout=0').args).toEqual(['rollout', 'status', '--timeout=60s', 'deploy/web']);
    expect(vet('drain node-1 --ignore-daemonsets').args).toEqual(['drain', '--ignore-daemonsets=true', '--timeout=60s', 'node-1']);
  });

  it('keeps the words after -- for the container, and nothing after -- elsewhere', () => {
    expect(vet('exec web -- ls -it /tmp').args).toEqual(['exec', 'web', '--', 'ls', '-it', '/tmp']);
    expect(vet('create job j --image=busybox -- date').args).toEqual(['create', 'job', '--image=busybox', 'j', '--', 'date']);
    expect(refusal('get -- --kubeconfig=x')).toMatch(/takes nothing after `--`/);
    expect(refusal('get pods -- -A')).toMatch(/takes nothing after `--`/);
  });
});

describe('what is refused', () => {
  it.each([
    // Commands hidden behind a flag's value.
    ['-n get config view --raw', /`kubectl config` is not run here.*one cluster and one context/s],
    ['-n get cp x:/etc/passwd /tmp/x', /`kubectl cp` is not run here.*bot's/s],
    ['-n get proxy --address=0.0.0.0', /`kubectl proxy` is not run here/],
    ['-n get edit', /opens an editor.*kubectl patch/s],
    ['-n get kustomize .', /`kubectl kustomize` is not run here.*reads folders/s],
    ['config set-credentials x --exec-command=/bin/sh', /one cluster and one context/],
    // Files of the machine, read or written.
    ['create configmap x --from-file=/etc/passwd', /`--from-file=\/etc\/passwd`|`--from-file` is not allowed here: it reads files.*--from-literal/s],
    ['create configmap x --from_file=/etc/passwd', /`--from_file` is not allowed here: it reads files/],
    ['create secret generic x --from-env-file=/proc/self/environ', /`--from-env-file` is not allowed here: it reads files/],
    ['create secret tls x --cert=/etc/ssl/a --key=/etc/ssl/b', /certificate and key from files.*kubernetes.io\/tls/s],
    ['get pods -o go-template-file=/etc/passwd', /reads a template from a file/],
    ['get pods -ojsonpath-file=/x', /reads a template from a file/],
    ['get pods -o=custom-columns-file=/x', /reads a template from a file/],
    ['get pods -o templatefile --template=/x', /reads a template from a file/],
    ['get pods --template=/etc/passwd -o go-template-file', /`-o go-template-file` is not allowed here: it reads a template from a file/],
    ['get pods --profile=heap', /`--profile=heap`|`--profile` is not allowed here: it writes files/],
    ['get pods --profile_output=/tmp/x', /`--profile_output` is not allowed here: it writes files/],
    ['cluster-info dump --output-directory=/tmp/x', /cluster-info dump/],
    ['cluster-info dump --output_directory=/tmp/x', /cluster-info dump/],
    ['get pods --output_directory=/tmp/x', /writes files/],
    ['get pods --cache_dir=/tmp', /`--cache_dir` is not allowed here: it writes files/],
    ['get pods --log-file=/tmp/x', /writes files/],
    ['apply -k .', /`-k` \(--kustomize\) is not allowed here: it reads folders/],
    ['apply -f /etc/passwd', /reads only the lines after the command/],
    ['apply -f https://example.com/x.yaml', /reads only the lines after the command/],
    ['apply --filename=/etc/passwd', /reads only the lines after the command/],
    ['apply -f=/x', /reads only the lines after the command/],
    ['apply -R -f -', /`-R` \(--recursive\) is not allowed here: it reads folders/],
    ['patch deploy web --patch-file=/etc/passwd', /reads files.*-p/s],
    // Another cluster or identity.
    ['get pods --kubeconfig=/x', /cluster is chosen for you/],
    ['get pods --kubeconfig /x', /cluster is chosen for you/],
    ['--kubeconfig /x get pods', /cluster is chosen for you/],
    ['-s https://evil get pods', /`-s` \(--server\) is not allowed here: the cluster is chosen for you/],
    ['get pods --server=https://evil', /cluster is chosen for you/],
    ['get pods --context=other', /cluster is chosen for you/],
    ['get pods --insecure-skip-tls-verify', /cluster is chosen for you/],
    ['get pods --token abc', /credentials are chosen for you/],
    ['get pods --user=admin', /credentials are chosen for you/],
    // Commands that never end, or need a terminal.
    ['get pods -Aw', /`-w` \(--watch\) is not allowed here: a watch never ends/],
    ['get pods --watch=true', /a watch never ends/],
    ['get pods --watch=false', /a watch never ends/],
    ['get pods --watch-only', /a watch never ends/],
    ['events -w', /a watch never ends/],
    ['logs x -f', /follow the logs forever.*--tail=20/s],
    ['logs web -pf', /follow the logs forever/],
    ['exec -it x -- sh', /interactive session needs a terminal/],
    ['exec web -ti -- sh', /interactive/],
    ['exec web -qit -- sh', /interactive/],
    ['run tmp --image=busybox -i --rm -- sh', /interactive/],
    ['delete pods --all -i', /asks for confirmation/],
    ['create -f - --edit', /opens an editor/],
    ['edit deploy web', /opens an editor.*kubectl patch/s],
    ['port-forward pod/web 8080:80', /get --raw/],
    // Verbosity, which prints the requests with their credentials.
    ['get pods -v=9', /`-v` \(--v\) is not allowed here: it prints the requests/],
    ['get pods --v 9', /`--v` is not allowed here/],
    ['get pods --vmodule=*=9', /prints the requests/],
    // Flags kubectl does not have, and flags before the command that kubectl would misread.
    ['get pods --foo', /unknown flag: --foo/],
    ['get pods -Z', /unknown shorthand flag: 'Z' in -Z/],
    ['get pods ---x', /bad flag syntax/],
    ['-A get pods', /`-A` comes before the command/],
    ['get pods -n', /flag needs an argument: 'n' in -n/],
    ['get pods --constructor', /unknown flag: --constructor/],
    ['get pods --__proto__=x', /unknown flag: --__proto__/],
    ['constructor', /`kubectl constructor` is not a command the exercises use/],
    ['get pods --prune', /unknown flag: --prune/],
    ['apply -f - --prune', /`--prune` is not one of the flags used here with `kubectl apply`/],
    // Values that would be guessed, or that do not mean what they seem.
    ['create deployment x --image=nginx --dry-run', /`--dry-run` needs its value written with = here.*--dry-run=client/s],
    ['get pods --show-kind=maybe', /invalid argument "maybe"/],
    ['get pods --show-kind=toString', /invalid argument "toString"/],
    ['get pods -o yaml --template={{.x}}', /goes with `-o go-template` or `-o jsonpath`/],
    ['get pods -o toml', /not an output format used here/],
    ['get --raw https://evil/api', /not a path of the API/],
    // Commands that are not run here at all.
    ['krew install x', /not a command the exercises use/],
    ['diff -f -', /runs another program \(diff\)/],
    ['rollout', /`kubectl rollout` needs one of its commands: history, pause, restart, resume, status, undo/],
    ['create foo', /`foo` is not one of `kubectl create`'s commands/],
    ['auth reconcile -f -', /`kubectl auth reconcile` is not one of the commands the exercises use/],
    ['', /no kubectl command/],
  ])('refuses `kubectl %s`', (line, why) => {
    expect(refusal(line, { manifest: MANIFEST })).toMatch(why);
  });

  it('says what to do next with every refusal', () => {
    for (const line of ['get pods --foo', 'apply -f /etc/passwd', 'get pods -w', 'config view', '-A get pods']) {
      expect(refusal(line).split(' | ')[1], line).toMatch(/\w/);
    }
  });
});

describe('whatever runs', () => {
  // Words from the attacks above and from ordinary commands, shuffled into many command lines.
  const WORDS = ['get', 'pods', 'po', '-n', 'shop', '-n=get', '--namespace=--kubeconfig=/x', '--kubeconfig', '/x', '-o', 'wide', '-owide', '-Aowide',
    '-A', '-Aw', '--', 'exec', 'run', 'config', 'view', 'create', 'deployment', 'deploy', 'cm', 'secret', 'generic', 'tls', '--image=nginx',
    '-f', '-', '-f=-', '--filename=/etc/passwd', '--from-file=/x', '--from_literal=a=b', '-v', '9', '--as', 'jane', 'logs', '-p', '--tail', '5',
    '-c', 'app', '--watch', 'cp', '--raw', '/api', '-ojsonpath-file=/x', '--template', '{.x}', 'jsonpath', 'rollout', 'status', '--timeout',
    '0', '-s', 'https://e', '--all_namespaces', '--cache_dir=/t', '-h', '--help', 'edit', '-it', '--profile=heap', 'wait', '--for=delete',
    'cluster-info', 'dump', '--dry-run', '--dry-run=client', 'kuard-pod.yaml', '-rf', 'ls', '-la', '---x', '--=x', ''];
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const lines = Array.from({ length: 20_000 }, () => Array.from({ length: 1 + random(7) }, () => WORDS[random(WORDS.length)]));
  const opts = { manifest: MANIFEST, files: { 'kuard-pod.yaml': 'kind: Pod\n' } };
  const accepted = lines.flatMap((words) => {
    try {
      return [{ words, vetted: vetKubectl(words, opts) }];
    } catch (err) {
      if (!(err instanceof LearnerError)) throw err;
      return [];
    }
  });

  it('is found among many shuffled command lines, and the rest are refused as the learner\'s mistakes', () => {
    expect(accepted.length).toBeGreaterThan(100);
    expect(accepted.length).toBeLessThan(lines.length / 2);
  });

  it('reads the same when read again: the canonical words are their own canonical form', () => {
    for (const { words, vetted } of accepted) {
      expect(vetKubectl(vetted.args, { manifest: vetted.stdin }).args, words.join(' ')).toEqual(vetted.args);
    }
  });

  it('carries only allowed flags, each as --name=value, and words after -- only for a container\'s command', () => {
    const allowed = allowedKubectlFlags();
    for (const { words, vetted } of accepted) {
      const dash = vetted.args.indexOf('--');
      const own = dash < 0 ? vetted.args : vetted.args.slice(0, dash);
      const path = own.filter((w) => !w.startsWith('-')).slice(0, 3).join(' ');
      const command = Object.keys(allowed).filter((p) => path === p || path.startsWith(`${p} `)).sort((a, b) => b.length - a.length)[0];
      expect(command, words.join(' ')).toBeDefined();
      for (const word of own.filter((w) => w.startsWith('-'))) {
        expect(word, words.join(' ')).toMatch(/^--[a-z][a-z0-9-]*=/);
        expect(allowed[command], words.join(' ')).toContain(word.slice(2, word.indexOf('=')));
      }
      if (dash >= 0) expect(['exec', 'run', 'create deployment', 'create job', 'create cronjob'], words.join(' ')).toContain(command);
    }
  });
});

describe('the flag table generated from kubectl', () => {
  it('has every command and flag the policy allows', () => {
    for (const [path, names] of Object.entries(allowedKubectlFlags())) {
      expect(COMMANDS[path], path).toBeDefined();
      for (const name of names.filter((n) => n !== 'help')) {
        expect(COMMANDS[path].flags[name] ?? GLOBAL_FLAGS[name], `${path} --${name}`).toBeDefined();
      }
    }
  });

  const found = spawnSync(kubectlBinary(), ['version', '--client'], { stdio: 'ignore' }).error === undefined;
  const offline = found ? offlineEnv() : undefined;
  afterAll(() => offline?.cleanup());

  it.skipIf(!found)('reads each allowed flag as the kubectl on PATH does: its short letter and whether it takes the next word', async () => {
    const allowed = allowedKubectlFlags();
    const problems = await pooled(Object.keys(allowed).map((path) => async () => {
      const help = parseHelp((await run(kubectlBinary(), [...path.split(' '), '--help'], offline!.env)).stdout);
      const own = allowed[path].filter((n) => n !== 'help' && !GLOBAL_FLAGS[n]);
      const found = own.flatMap((n) => {
        const flag = COMMANDS[path].flags[n];
        if (!help.flags[n]) return [`--${n} is gone`];
        if (help.flags[n].short !== flag.short) return [`--${n} is -${help.flags[n].short} now`];
        return help.flags[n].looksBool === (flag.takes === 'bool') ? [] : [`--${n} is ${flag.takes === 'bool' ? 'no longer' : 'now'} a bool`];
      });
      found.push(...await disagreements(kubectlBinary(), offline!.env, path.split(' '), Object.fromEntries(own.map((n) => [n, COMMANDS[path].flags[n].takes]))));
      return found.map((f) => `kubectl ${path}: ${f}`);
    }), 2);
    const globals = allowedKubectlFlags().get.filter((n) => GLOBAL_FLAGS[n]);
    problems.push(await disagreements(kubectlBinary(), offline!.env, ['api-versions'], Object.fromEntries(globals.map((n) => [n, GLOBAL_FLAGS[n].takes]))));
    expect(problems.flat()).toEqual([]);
  });

  it.skipIf(!found)('notices when the table and kubectl disagree', async () => {
    expect(await disagreements(kubectlBinary(), offline!.env, ['get'], { output: 'bool', 'show-kind': 'bool', 'chunk-size': 'value' })).toEqual(['--chunk-size took no value, or --output took one']);
    expect(await disagreements(kubectlBinary(), offline!.env, ['get'], { output: 'value', 'show-kind': 'value' })).toEqual(['--show-kind took no value']);
    expect(await disagreements(kubectlBinary(), offline!.env, ['create', 'deployment'], { 'dry-run': 'value', replicas: 'value', image: 'value' })).toEqual(['--dry-run took no value']);
  });

  it.skipIf(!found)('means by the canonical words what the learner\'s words mean to kubectl', async () => {
    // Client-side dry runs of `create` print the object kubectl would send without a cluster
    // (`run`, `create role` and the rest ask the cluster first): the same object from both lists
    // of words shows they were read alike.
    const lines = [
      'create deployment web --image=nginx --replicas=3 --dry-run=client -o yaml',
      '-n shop create deploy web --image nginx -r 2 --port 80 --dry-run=client -oyaml',
      '-o json create deployment web --image=busybox --dry-run=client -- sleep 10',
      'create configmap c --from-literal=a=b --from-literal c=d --dry-run=client -o yaml',
      'create cm c --from_literal=a=b --append-hash --dry-run=client -o yaml',
      'create secret generic s --from-literal=k=v --type=Opaque --dry-run=client -o yaml',
      'create job j --image=busybox --dry-run=client -o yaml -- echo hi',
      'create cronjob cj --image=busybox --schedule="*/5 * * * *" --dry-run=client -o yaml -- date',
      'create deployment web --image=busybox --dry-run=client -o yaml -- sh -c "echo -n hi"',
      'create secret docker-registry d --docker-server=r --docker-username=u --docker-password=p --dry-run=client -o yaml',
      'create clusterrolebinding crb --clusterrole=view --user=jane --dry-run=client -oyaml',
      'create priorityclass hi --value=1000 --description=x --dry-run=client -o yaml',
      'create service nodeport np --tcp=80:8080 --node-port=30080 --dry-run=client -o yaml',
      '-nshop create serviceaccount sa --dry-run=client -o name',
      'create service clusterip s --tcp=80:8080 --dry-run=client -o yaml',
      'create namespace shop --dry-run=client -o name',
      'create rolebinding rb --role=r --serviceaccount=shop:sa --dry-run=client -o yaml',
      'create quota q --hard=pods=2 --dry-run=client -o yaml',
      'create ingress i --rule=foo.com/=svc:80 --dry-run=client -o yaml',
      'create poddisruptionbudget p --selector=app=x --min-available=1 --dry-run=client -o yaml',
      'create deployment web --image=nginx --dry-run=client -o jsonpath={.spec.replicas}',
      'create deployment web --image=nginx --dry-run=client -o go-template={{.metadata.name}}',
      'create deployment web --image=nginx --dry-run=client -o jsonpath --template={.metadata.name}',
      'create deployment web --image=nginx -n=shop --dry-run=client -o yaml --show-managed-fields=false',
      'version --client -o yaml',
    ];
    const results = await pooled(lines.map((line) => async () => {
      const words = kubectlArgs(`kubectl ${line}`);
      const [original, canonical] = await Promise.all([words, vetKubectl(words).args].map((args) => run(kubectlBinary(), args, offline!.env)));
      return { line, original, canonical };
    }), 2);
    for (const { line, original, canonical } of results) {
      expect(original.code, `${line}: ${original.stderr}`).toBe(0);
      expect(canonical.stdout, line).toBe(original.stdout);
      expect(canonical.code, line).toBe(original.code);
    }
  });
});

// The pure readers the detectors share: edit distance, command lines, image references, indentation.
import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../../../../src/core/lessons/diagnose/distance.js';
import { parseCommand } from '../../../../src/core/lessons/diagnose/command.js';
import { parseImage, officialName } from '../../../../src/core/lessons/diagnose/images.js';

describe('distance and command reading', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('pdos', 'pods')).toBe(1);
    expect(editDistance('ngnix', 'nginx')).toBe(1);
    expect(editDistance('kubeclt', 'kubectl')).toBe(1);
    expect(editDistance('busybx', 'busybox')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('names the nearest candidate only when it is a slip away and not tied', () => {
    expect(nearest('deploymnet', ['deployments', 'deployment', 'daemonsets'])).toBe('deployment');
    expect(nearest('pods', ['pods', 'pod'])).toBeUndefined();
    expect(nearest('xyz', ['nginx', 'redis'])).toBeUndefined();
    expect(nearest('ab', ['aa', 'bb'])).toBeUndefined();
  });

  it('reads a command line as kubectl does: command path, positionals, flags with their values', () => {
    const c = parseCommand("kubectl -n shop create deployment web --image nginx --replicas=2 -- sh -c 'sleep 1' | grep x");
    expect(c.command).toEqual(['create', 'deployment']);
    expect(c.args).toEqual(['web']);
    expect({ ...c.flags }).toEqual({ namespace: 'shop', image: 'nginx', replicas: '2' });
    expect(c.rest).toEqual(['sh', '-c', 'sleep 1']);
    expect(c.piped).toBe(true);
    expect(parseCommand('kubectl create deploy web').command).toEqual(['create', 'deployment']);
    expect(parseCommand('kubectl logs -f web -c app').flags.container).toBe('app');
    expect(parseCommand('kubectl get pods 2>&1').words).toEqual(['kubectl', 'get', 'pods']);
    expect(parseCommand("kubectl get pods -o jsonpath='{.items[?(@.x>1)]}'")).toMatchObject({ piped: false, args: ['pods'] });
    expect(parseCommand('kubectl create cm x --dry-run=client -o yaml>x.yaml')).toMatchObject({ piped: true, words: ['kubectl', 'create', 'cm', 'x', '--dry-run=client', '-o', 'yaml'] });
  });

  it('keeps a learner\'s odd flag names as plain entries, never as a prototype', () => {
    const c = parseCommand('kubectl get pods --__proto__=x --constructor -n shop');
    expect(Object.getPrototypeOf(c.flags)).toBeNull();
    expect(Object.keys(c.flags).sort()).toEqual(['__proto__', 'constructor', 'namespace']);
    expect(c.flags.__proto__).toBe('x');
  });

  it('reads an image reference into registry, path and tag', () => {
    expect(parseImage('ngnix:1.25')).toEqual({ registry: '', path: 'ngnix', tag: '1.25', digest: undefined });
    expect(officialName(parseImage('docker.io/library/busybx'))).toBe('busybx');
    expect(officialName(parseImage('quay.io/ngnix/ngnix:1'))).toBeUndefined();
    expect(parseImage('localhost:5000/app:v1')).toMatchObject({ registry: 'localhost:5000', path: 'app', tag: 'v1' });
  });
});

describe('indentation reading', () => {
  it('finds no slip in valid manifests: block text, URLs, ports, flow maps, several documents', async () => {
    const { firstSlip, heredocManifest } = await import('../../../../src/core/lessons/diagnose/indentation.js');
    const valid = [
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: box\nspec:\n  containers:\n  - name: box\n    image: busybox\n    command:\n    - sh\n    - -c\n    - |\n      echo hi\n        indented text: here\n    env:\n    - name: URL\n      value: http://web:80\n    ports:\n    - containerPort: 80\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  config.yaml: |\n    a: 1\n      b:2\n  other: x\n',
    ];
    for (const m of valid) expect(firstSlip(m), m).toBeUndefined();
    expect(heredocManifest("kubectl apply -f - <<'EOF'\nkind: Pod\nEOF")).toBe('kind: Pod');
    expect(heredocManifest('kubectl apply -f web.yaml')).toBeUndefined();
  });
});

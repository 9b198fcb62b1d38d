// Mistakes a manifest (or a change to an object) makes, read from kubectl's own error text.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../../src/core/lessons/diagnose/index.js';
import { MANIFEST_DETECTORS } from '../../../../src/core/lessons/diagnose/detectors/manifest.js';
import { useLab } from './harness.js';

const ns = 'diag-manifest';
const lab = useLab([ns]);
const apply = (manifest: string) => lab.run(`kubectl apply -f - -n ${ns}`, manifest);
const pod = (body: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: box\nspec:\n${body}`;

describe('detectors of manifest mistakes', () => {
  it('a YAML error is explained with its line and the indentation meant: tab, key:value, depth, list item, mixed', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['a tab', pod('\tcontainers:\n  - name: box\n    image: nginx\n'), /^The manifest is not valid YAML: there is a tab on line 6: YAML indents with spaces only\./],
      ['key:value without a space', pod('  containers:\n  - name: box\n    image:nginx\n'), /^The manifest is not valid YAML: a `key:value` on line 9 or just above it has no space after the colon/],
      ['a line too deep', pod('  containers:\n  - name: box\n     image: nginx\n'), /^The manifest is not valid YAML: line 8 is indented deeper than the lines it belongs with/],
      ['a list item at the wrong depth', pod('  containers:\n- name: box\n  image: nginx\n'), /^The manifest is not valid YAML: the indentation around line 6 mixes depths: .*a list item \(`- name: …`\) sits under the key that holds the list/],
      ['mixed indentation', 'apiVersion: v1\nkind: Pod\nmetadata:\n    name: box\n  labels:\n    app: box\nspec:\n  containers:\n  - name: box\n    image: nginx\n', /^The manifest is not valid YAML: /],
    ];
    for (const [what, manifest, mistake] of cases) {
      const last = await apply(manifest);
      expect(last.exitCode, what).not.toBe(0);
      const [d] = await diagnose(lab.ctx({ last }));
      expect(d?.detector, `${what}: ${last.output}`).toBe('yaml-error');
      expect(d.mistake, what).toMatch(mistake);
      expect(d.fix, what).toMatch(/^Fix line \d+ of the manifest, then apply it again\.$/);
    }
    const flat = await apply('apiVersion: v1\nkind: Pod\nmetadata:\n  name:box\nspec:\n  containers:\n  - name: box\n    image: nginx\n');
    expect(flat.output).toContain('cannot unmarshal string');
    expect(await diagnose(lab.ctx({ last: flat }))).toEqual([
      {
        detector: 'yaml-error',
        mistake: 'In the manifest, `metadata` holds a single string where Kubernetes expects fields indented under it. Usually a `key:value` inside it has no space after the colon (write `key: value`), or its lines are not indented under it.',
        fix: 'Fix `metadata:` in the manifest, then apply it again.',
      },
    ]);
  });

  it('a YAML error in a manifest typed in the command (a heredoc) names the line that slipped and the spaces meant', async () => {
    const heredoc = (manifest: string) => `kubectl apply -n ${ns} -f - <<EOF\n${manifest}EOF`;
    const cases: Array<[string, string, string]> = [
      ['a tab', pod('\tcontainers:\n  - name: box\n    image: nginx\n'), 'line 6 is indented with a tab; YAML takes spaces only: 2 spaces here.'],
      ['key:value', pod('  containers:\n  - name: box\n    image:nginx\n'), 'line 8 (`image:nginx`) has no space after the colon: write `image: nginx`.'],
      ['too deep', pod('  containers:\n  - name: box\n     image: nginx\n'), 'line 8 (`image: nginx`) starts at column 5, between the blocks around it: 4 spaces, lined up with `name: box` on line 7.'],
      ['a list item too shallow', pod('  containers:\n- name: box\n  image: nginx\n'), 'line 7 (`- name: box`) is an item of the list under `containers:` on line 6, so it starts at column 2 or deeper: usually 4 spaces.'],
      ['mixed', 'apiVersion: v1\nkind: Pod\nmetadata:\n    name: box\n  labels:\n    app: box\nspec:\n  containers:\n  - name: box\n    image: nginx\n', 'line 5 (`labels:`) starts at column 2, between the blocks around it: 4 spaces, lined up with `name: box` on line 4.'],
    ];
    for (const [what, manifest, meant] of cases) {
      const last = await lab.run(heredoc(manifest));
      expect(last.exitCode, `${what}: ${last.output}`).not.toBe(0);
      const [d] = await diagnose(lab.ctx({ last }));
      expect(d?.detector, `${what}: ${last.output}`).toBe('yaml-error');
      expect(d.mistake, what).toMatch(/^The manifest is not valid YAML \(kubectl stopped at line \d+: [^)]+\): /);
      expect(d.mistake.replace(/^[^)]*\): /, ''), what).toBe(meant);
    }
  });

  it('an unknown field is named with where it belongs: containers under the template\'s spec', async () => {
    const last = await apply('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    containers:\n    - name: web\n      image: nginx\n');
    expect(last.output).toContain('strict decoding error: unknown field "spec.template.containers"');
    expect(await diagnose(lab.ctx({ last }))).toEqual([
      {
        detector: 'unknown-field',
        mistake: "In a Deployment, `containers` does not go under spec.template: it belongs under spec.template.spec (the pod template's spec).",
        fix: 'Move `containers:` (with what is under it) to spec.template.spec, then apply again.',
      },
    ]);
    const typo = await apply(pod('  containers:\n  - name: box\n    image: nginx\n  restartPolicey: Never\n'));
    expect((await diagnose(lab.ctx({ last: typo })))[0]).toEqual({ detector: 'unknown-field', mistake: 'A Pod has no field `restartPolicey` at spec: did you mean `restartPolicy`?', fix: 'Rename `restartPolicey:` to `restartPolicy:`, then apply again.' });
    const image = await apply(pod('  containers:\n  - name: box\n  image: nginx\n'));
    expect((await diagnose(lab.ctx({ last: image })))[0].mistake).toBe('In a Pod, `image` does not go under spec: it belongs under an item of spec.containers.');
  });

  it('a kind in the wrong apiVersion is told which apiVersion it has', async () => {
    const last = await apply('apiVersion: v1\nkind: Deployment\nmetadata:\n  name: web\n');
    expect(last.output).toContain('no matches for kind "Deployment" in version "v1"');
    expect(await diagnose(lab.ctx({ last }))).toEqual([
      { detector: 'wrong-api-version', mistake: 'Deployment is not in v1: its apiVersion is apps/v1.', fix: 'In the manifest, write `apiVersion: apps/v1` for kind Deployment.' },
    ]);
  });

  it('AlreadyExists says the object is there: inspect or delete it, do not create it again', async () => {
    expect((await lab.run(`kubectl create serviceaccount robot -n ${ns}`)).exitCode).toBe(0);
    const last = await lab.run(`kubectl create serviceaccount robot -n ${ns}`);
    expect(last.output).toContain('already exists');
    expect(await diagnose(lab.ctx({ last }))).toEqual([
      {
        detector: 'already-exists',
        mistake: 'ServiceAccount robot already exists in namespace diag-manifest, so creating it again fails. Look at what is there; change it with `kubectl apply` or `kubectl edit`, or delete it first if you mean to start over.',
        fix: `kubectl get serviceaccounts robot -n ${ns} -o yaml`,
      },
    ]);
  });

  it('a change to an immutable field (a Deployment selector, a Job template) says to re-create or replace --force', async () => {
    await lab.run(`kubectl create deployment fixed --image=nginx -n ${ns}`);
    const last = await lab.run(`kubectl patch deployment fixed -n ${ns} -p '{"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}}'`);
    expect(last.output).toContain('field is immutable');
    expect(await diagnose(lab.ctx({ last }))).toEqual([
      {
        detector: 'immutable-field',
        mistake: 'spec.selector of Deployment fixed cannot change once it is created (the selector ties it to the pods it already made), so the change was refused. Delete the Deployment and create it again with the change, or replace it in one step.',
        fix: `kubectl delete deployment fixed -n ${ns}, then create it again with the change`,
      },
    ]);
    await lab.run(`kubectl create job once --image=busybox -n ${ns} -- sleep 5`);
    const job = await lab.run(`kubectl set image job/once once=busybox:1.36 -n ${ns}`);
    expect((await diagnose(lab.ctx({ last: job })))[0].mistake).toMatch(/^spec\.template of Job once cannot change once it is created \(a Job's pod template is fixed when it is created\)/);
    const file = await lab.run(`kubectl apply -f - -n ${ns}`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fixed\nspec:\n  selector:\n    matchLabels: {app: other}\n  template:\n    metadata:\n      labels: {app: other}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n`);
    expect((await diagnose(lab.ctx({ last: file })))[0].fix).toBe(`kubectl replace --force -f - -n ${ns}`);
  });

  it('a Job whose pods would restart forever is told to use Never or OnFailure', async () => {
    const last = await lab.run(`kubectl create -f - -n ${ns}`, 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: count\nspec:\n  template:\n    spec:\n      restartPolicy: Always\n      containers:\n      - name: count\n        image: busybox\n');
    expect(last.output).toMatch(/spec\.template\.spec\.restartPolicy: (Required|Unsupported) value/);
    const [d] = await diagnose(lab.ctx({ last }));
    expect(d).toMatchObject({ detector: 'job-restart-policy', fix: 'Set `restartPolicy: Never` (or OnFailure) at spec.template.spec in the manifest, then create it again.' });
    expect(d.mistake).toMatch(/^Job count's pod template has (restartPolicy Always|no restartPolicy \(which means Always\)), but a Job's pods must stop when their work is done: the server takes only Never or OnFailure there\.$/);
  });

  it('a manifest that applies cleanly yields no diagnosis from this family', async () => {
    const last = await apply(pod('  containers:\n  - name: box\n    image: nginx\n    ports:\n    - containerPort: 80\n'));
    expect(last.exitCode, last.output).toBe(0);
    expect(await diagnose(lab.ctx({ last }), 5, MANIFEST_DETECTORS)).toEqual([]);
  });
});

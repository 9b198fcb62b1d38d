// The official Python client (Debian's python3-kubernetes) against `kubedojo serve`, driving it as
// the client's own end-to-end tests do. Each difference it found is covered over raw HTTP as well
// (test/core/apiserver/boolean-params.test.ts, client-requests.test.ts), so a machine without the
// package still tests the behaviour; CI installs it (.ci/run).
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeHome, startServe, type ServeProcess } from '../helpers/serve.js';

const SCRIPT = fileURLToPath(new URL('../fixtures/python/client-e2e.py', import.meta.url));

/** A python3 that can import the client: the system's first, as a version manager may shadow it. */
function pythonWithClient(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import kubernetes'], { stdio: 'ignore' });
    if (r.status === 0) return python;
  }
  return undefined;
}

const python = pythonWithClient();
const title = python ? 'the official Python client' : 'the official Python client (skipped: python3-kubernetes is not installed; apt-get install python3-kubernetes)';

describe.skipIf(!python)(title, () => {
  let serve: ServeProcess;
  let steps: Map<string, { value?: unknown; status?: number; reason?: string }>;

  beforeAll(async () => {
    serve = await startServe();
    // Asynchronously: the server's output is read by this process while the client runs.
    const out = await new Promise<string>((resolve, reject) =>
      execFile(python!, [SCRIPT, serve.kubeconfig, 'python-e2e'], { encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`the Python client failed: ${err.message}\n${stdout}${stderr}`)) : resolve(stdout),
      ),
    );
    steps = new Map(out.trim().split('\n').map((line) => {
      const r = JSON.parse(line) as { step: string; value?: unknown; status?: number; reason?: string };
      return [r.step, r];
    }));
  }, 180_000);

  afterAll(async () => {
    await serve?.stop();
    if (serve) removeHome(serve.home);
  });

  const value = (step: string) => {
    const r = steps.get(step);
    expect(r, `step "${step}" did not run`).toBeDefined();
    expect(r!.status, `step "${step}" failed: ${r!.status} ${r!.reason}`).toBeUndefined();
    return r!.value;
  };

  it('creates, reads and patches a namespace', () => {
    expect(value('create namespace')).toBe('python-e2e');
    expect(value('read namespace')).toBe('Active');
    expect(value('patch namespace')).toBe('yes');
  });

  it('lists by label and field selector, and in pages with limit and _continue', () => {
    expect(value('list by label')).toEqual(['cm0', 'cm2', 'cm4']);
    expect(value('list by field')).toEqual(['cm3']);
    expect(value('list in pages')).toEqual([['cm0', 'cm1'], ['cm2', 'cm3']]);
  });

  it('patches with a strategic merge patch and a JSON patch', () => {
    expect(value('strategic merge patch')).toEqual({ k: 'v', k2: 'v2' });
    expect(value('json patch')).toEqual({ k: 'changed', k2: 'v2' });
  });

  it('deletes a collection by label', () => {
    expect(value('delete collection')).toBe('ConfigMapList');
    expect(value('after delete collection')).toEqual(['cm0', 'cm2', 'cm4']);
  });

  it('reads an error as an ApiException with its Status', () => {
    expect(steps.get('read missing')).toMatchObject({ status: 404, reason: 'NotFound' });
  });

  it('reads the API groups and the version at the paths it asks for, with a trailing slash', () => {
    expect(value('api groups')).toBe('apiregistration.k8s.io');
    expect(value('version')).toBe('1');
  });

  it('creates a deployment and watches its pod start (watch=True)', () => {
    expect(value('create deployment')).toBe('web');
    expect(value('patch deployment')).toEqual({ tier: 'front' });
    expect(value('watch until running')).toEqual([true, 'web']);
  });

  it('reads logs, with timestamps=True and follow=True', () => {
    expect(value('logs')).toBe('started\n');
    expect(value('logs with timestamps')).toBe('started\n');
    expect(value('logs followed')).toBe('started\n');
  });

  it('execs through kubernetes.stream (stdout=True), with and without stdin', () => {
    expect(value('exec')).toBe('out\nerr\n');
    expect(value('exec with stdin')).toBe('ping');
  });

  // The client's own tests write stdin as soon as the WebSocket opens; this cluster's exec loses
  // such early input about two times in three (a real kubelet keeps it), so the script waits.
  it.todo('keeps stdin written the moment an exec session opens');

  it('gets the pod back from a delete that is done at once, and deletes the rest', () => {
    expect(value('delete pod at once')).toBe(true);
    expect(value('delete deployment')).toBe('Deployment');
    expect(value('apiservices')).toEqual([null]);
    expect(value('delete namespace')).toBe('Namespace');
  });
});

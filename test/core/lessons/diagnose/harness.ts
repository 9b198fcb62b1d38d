// One simulated cluster per test file, the real kubectl on PATH, and the learner's last command as
// the terminal showed it: what the detectors are handed when a check fails.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { ClusterHost } from '../../../../src/core/hosting/cluster-host.js';
import { manifestObjects, prepare } from '../../../../src/core/lessons/workspace.js';
import type { Check } from '../../../../src/core/lessons/types.js';
import type { DiagnoseContext, LastCommand } from '../../../../src/core/lessons/diagnose/index.js';
import { shellWords } from '../../../../src/core/lessons/diagnose/command.js';
import { Kubectl, removeKubectlCaches } from '../../../helpers/kubectl.js';
import { freshCluster, type Proving } from '../../../helpers/proving.js';

export interface Lab {
  readonly p: Proving;
  /** Runs a command line as the learner typed it: kubectl for real, anything else through bash. */
  run(line: string, input?: string): Promise<LastCommand>;
  /** Applies a manifest through the API, in the lesson's namespace unless it names one. */
  apply(manifest: string, namespace?: string): Promise<void>;
  ctx(extra?: Partial<DiagnoseContext> & { check?: Check }): DiagnoseContext;
  /** Lets simulated time pass until `ready` holds (or `seconds` of it have gone by). */
  until(ready: () => Promise<boolean>, seconds?: number): Promise<void>;
}

export function useLab(namespaces: string[]): Lab {
  let host: ClusterHost;
  let p: Proving;
  let kubectl: Kubectl;
  beforeAll(async () => {
    host = await ClusterHost.start();
    p = freshCluster(host);
    kubectl = new Kubectl(p.target.kubeconfig!);
    await p.ticking(() => prepare({ namespaces }, p.target));
  });
  afterAll(async () => {
    p?.dispose();
    await host?.close();
    removeKubectlCaches();
  });
  return {
    get p() {
      return p;
    },
    async run(line, input) {
      const words = shellWords(line);
      if (words[0] === 'kubectl' && !/[<>|]/.test(line)) {
        const r = await p.ticking(() => kubectl.run(words.slice(1), { input }));
        return { line, exitCode: r.code, output: r.stderr + r.stdout };
      }
      return new Promise((resolve) => {
        execFile('bash', ['-c', line], { env: { ...process.env, KUBECONFIG: p.target.kubeconfig, HOME: kubectl.cacheDir, KUBECACHEDIR: kubectl.cacheDir } }, (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
          resolve({ line, exitCode: code, output: stderr + stdout });
        });
      });
    },
    async apply(manifest, namespace = namespaces[0]) {
      for (const obj of manifestObjects(manifest)) await p.ticking(() => p.target.client!.apply(obj, namespace));
    },
    ctx(extra = {}) {
      return { client: p.target.client!, namespace: namespaces[0], namespaces, ...extra };
    },
    async until(ready, seconds = 120) {
      for (let waited = 0; waited < seconds; waited += 2) {
        if (await ready()) return;
        p.clock.advance(1000);
        p.clock.advance(1000);
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`the cluster did not reach the state the test needs within ${seconds} simulated seconds`);
    },
  };
}

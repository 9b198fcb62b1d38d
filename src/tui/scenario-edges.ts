// What the tutor needs to play Killercoda scenarios: their folder, the learner's progress in
// them, a fresh Killercoda-shaped cluster for each play (hosted beside the quiz's scratch
// clusters, on their API server), the scripts' environment (k and sudo as Killercoda has them),
// and the shell's kubeconfig file, rewritten to point at that cluster while a scenario plays.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ClusterHost, openScenarioProgress, scenarioEnv } from '../core/index.js';
import type { ScenarioEdges } from './components/use-tutor.js';

export interface ScenarioEdgeOptions {
  root: string;
  env: NodeJS.ProcessEnv;
  home: string;
  host: () => Promise<ClusterHost>;
  /** The file the shell's KUBECONFIG names. */
  shellKubeconfig: string;
  /** The tutor's own kubeconfig, to point the shell back at. */
  tutorKubeconfig: () => string;
  report: (message: string) => void;
}

export function scenarioEdges(o: ScenarioEdgeOptions): ScenarioEdges {
  return {
    root: o.root,
    home: o.home,
    progress: openScenarioProgress(o.env, o.report),
    async cluster() {
      const sandbox = (await o.host()).create({ shape: 'killercoda' });
      return { kubeconfig: sandbox.kubeconfig, client: sandbox.client, dispose: () => sandbox.dispose() };
    },
    env: (kubeconfig) => scenarioEnv({ kubeconfig, home: path.join(o.home, '.scenario'), base: o.env }),
    useKubeconfig(file) {
      writeFileSync(o.shellKubeconfig, file ? readFileSync(file, 'utf8') : o.tutorKubeconfig(), { mode: 0o600 });
    },
  };
}

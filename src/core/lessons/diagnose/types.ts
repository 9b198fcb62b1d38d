// What a detector is handed and what it answers. A detector names one mistake a learner makes
// often, from the cluster's state (read through the Kubernetes API only) and, when known, the
// learner's last command and what the terminal showed for it.
import type { KubeClient } from '../../kube/client.js';
import type { Check } from '../types.js';

/** The learner's last command line, its exit code and (when known) what the terminal showed. */
export interface LastCommand {
  line: string;
  exitCode: number;
  output?: string;
}

export interface DiagnoseContext {
  /** Reads the cluster through the API. */
  client: KubeClient;
  /** The lesson's default namespace. */
  namespace: string;
  /** All the lesson's namespaces. */
  namespaces: string[];
  /** The failing check, when diagnosing a check. */
  check?: Check;
  /** That check's own message. */
  failure?: string;
  last?: LastCommand;
}

/** A named mistake: what went wrong, in words, and (when there is one) the command or edit that fixes it. */
export interface Diagnosis {
  detector: string;
  mistake: string;
  fix?: string;
}

export interface Detector {
  id: string;
  /** What the detector notices, for the table in lessons/README.md. */
  about: string;
  detect(ctx: DiagnoseContext): Promise<Diagnosis | undefined>;
}

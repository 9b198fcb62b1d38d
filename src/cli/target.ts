// Which cluster a CLI command acts on: --kubeconfig/--context when given, else $KUBECONFIG, else
// the kubeconfig `kubedojo serve` wrote, else kubectl's own default.
import { existsSync } from 'node:fs';
import { defaultKubeconfig, KubeClient, type Target } from '../core/index.js';

export function cliTarget(values: { kubeconfig?: string; context?: string }, env: NodeJS.ProcessEnv = process.env): Target {
  let kubeconfig = values.kubeconfig;
  if (!kubeconfig && !env.KUBECONFIG && existsSync(defaultKubeconfig(env))) kubeconfig = defaultKubeconfig(env);
  const client = new KubeClient({ kubeconfig, context: values.context });
  return { client, kubeconfig: kubeconfig ?? env.KUBECONFIG, context: values.context };
}

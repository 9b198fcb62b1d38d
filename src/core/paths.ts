// Where kubedojo keeps its own files: certificates, kubeconfigs and saved clusters. Never the
// learner's ~/.kube: a learner's own clusters stay untouched.
import os from 'node:os';
import path from 'node:path';

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KUBEDOJO_HOME) return path.resolve(env.KUBEDOJO_HOME);
  const base = env.XDG_DATA_HOME ? path.resolve(env.XDG_DATA_HOME) : path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'kubedojo');
}

export function tlsDir(env?: NodeJS.ProcessEnv): string {
  return path.join(dataDir(env), 'pki');
}

export function clustersDir(env?: NodeJS.ProcessEnv): string {
  return path.join(dataDir(env), 'clusters');
}

export function defaultKubeconfig(env?: NodeJS.ProcessEnv): string {
  return path.join(dataDir(env), 'kubeconfig');
}

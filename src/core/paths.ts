// Where kubedojo keeps its own files: certificates, kubeconfigs and saved clusters. Never the
// learner's ~/.kube: a learner's own clusters stay untouched.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** kubedojo's own folder (where package.json, lessons/ and dist/ are), from src/ or dist/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'lessons'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find kubedojo\'s folder above its code');
    dir = up;
  }
  return (root = dir);
}

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

/** The lessons, quiz and exam banks compiled to JSON by the build (scripts/compile-content.mjs). */
export function contentDir(): string {
  return path.join(packageRoot(), 'dist', 'content');
}

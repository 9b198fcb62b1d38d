// What a client needs of a kubeconfig to reach most clusters: the current context's server, its CA
// and the user's client certificate or bearer token, read as kubectl reads them (the files of
// $KUBECONFIG merged, the first to set a name winning; relative paths from the file that names
// them). @kubernetes/client-node knows every way a kubeconfig can authenticate, but takes the better
// part of a second to load; it is left the users that authenticate another way (an exec plugin, an
// auth provider, a password) and the clusters behind a proxy.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LearnerError } from '../problems.js';
import { parseYaml } from '../yaml-on-demand.js';

interface Named<T> {
  name: string;
  value: T;
  /** The file the entry came from: relative paths in it are relative to its folder. */
  file: string;
}

interface Merged {
  currentContext?: string;
  clusters: Map<string, Named<Record<string, unknown>>>;
  contexts: Map<string, Named<Record<string, unknown>>>;
  users: Map<string, Named<Record<string, unknown>>>;
}

/** How to reach the cluster of the chosen context, or `handled: false` when only client-node can. */
export interface Connection {
  context: string;
  server: string;
  /** False when the user or cluster needs what only client-node does (exec, auth-provider, proxy). */
  handled: boolean;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecure: boolean;
  servername?: string;
}

/**
 * The kubeconfig files in effect: the one given, else those $KUBECONFIG lists (one that is missing
 * is an error when read), else ~/.kube/config when there is one.
 */
export function kubeconfigFiles(kubeconfig: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (kubeconfig) return [kubeconfig];
  if (env.KUBECONFIG) return env.KUBECONFIG.split(path.delimiter).filter((f) => f);
  const home = path.join(env.HOME || os.homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : [];
}

function entries(list: unknown, key: string, file: string): Array<Named<Record<string, unknown>>> {
  if (!Array.isArray(list)) return [];
  return list
    .filter((e): e is Record<string, unknown> => Boolean(e) && typeof e === 'object' && typeof (e as { name?: unknown }).name === 'string')
    .map((e) => ({ name: e.name as string, value: (e[key] && typeof e[key] === 'object' ? e[key] : {}) as Record<string, unknown>, file }));
}

/** The files merged, the first to name a cluster, context or user (or the current context) winning. */
export function readKubeconfigs(files: string[]): Merged {
  const merged: Merged = { clusters: new Map(), contexts: new Map(), users: new Map() };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const doc = (text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown> | null;
    if (!doc || typeof doc !== 'object') continue;
    if (!merged.currentContext && typeof doc['current-context'] === 'string' && doc['current-context']) merged.currentContext = doc['current-context'];
    for (const [key, into] of [['cluster', merged.clusters], ['context', merged.contexts], ['user', merged.users]] as const) {
      for (const e of entries(doc[`${key}s`], key, file)) if (!into.has(e.name)) into.set(e.name, e);
    }
  }
  return merged;
}

const USER_KEYS_HANDLED = new Set(['token', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data']);
const CLUSTER_KEYS_HANDLED = new Set(['server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name', 'extensions']);

/** A file's bytes, from `<key>-data` (base64) or `<key>` (a path, relative to the kubeconfig). */
function bytes(entry: Named<Record<string, unknown>>, key: string): Buffer | undefined {
  const data = entry.value[`${key}-data`];
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
  const file = entry.value[key];
  if (typeof file === 'string' && file) return readFileSync(path.resolve(path.dirname(entry.file), file));
  return undefined;
}

/** The connection of `context` (or the current one), with the errors a learner can act on. */
export function connectionOf(merged: Merged, context?: string): Connection {
  if (context && !merged.contexts.has(context)) {
    throw new LearnerError(`context "${context}" is not in the kubeconfig`, 'Run `kubectl config get-contexts` to see the contexts there are.');
  }
  const name = context ?? merged.currentContext;
  const ctx = name ? merged.contexts.get(name) : undefined;
  const cluster = ctx && typeof ctx.value.cluster === 'string' ? merged.clusters.get(ctx.value.cluster) : undefined;
  if (!name || !ctx || !cluster || typeof cluster.value.server !== 'string') {
    throw new LearnerError('the kubeconfig has no current cluster', 'Run `kubectl config use-context NAME`, or pass --context NAME.');
  }
  const user = typeof ctx.value.user === 'string' ? merged.users.get(ctx.value.user) : undefined;
  const handled = Object.keys(cluster.value).every((k) => CLUSTER_KEYS_HANDLED.has(k)) && Object.keys(user?.value ?? {}).every((k) => USER_KEYS_HANDLED.has(k));
  const conn: Connection = { context: name, server: cluster.value.server.replace(/\/$/, ''), handled, insecure: cluster.value['insecure-skip-tls-verify'] === true };
  if (!handled) return conn;
  conn.ca = bytes(cluster, 'certificate-authority');
  if (typeof cluster.value['tls-server-name'] === 'string') conn.servername = cluster.value['tls-server-name'];
  if (user) {
    conn.cert = bytes(user, 'client-certificate');
    conn.key = bytes(user, 'client-key');
    if (typeof user.value.token === 'string' && user.value.token) conn.token = user.value.token;
  }
  return conn;
}

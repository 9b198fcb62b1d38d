// Making clusters. The kind-like default state is built once per process through the API and
// then shared, frozen, by every new cluster: a fresh cluster costs its maps, not its objects. A
// cluster on a clock of its own (the learner's, kept on disk) is made from the same state as the
// build wrote it, with its own CA, uids and times put in: bootstrapping it through the API at start
// cost a cold process most of its start-up.
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cluster } from './cluster.js';
import type { Clock } from './clock.js';
import { ManualClock, RealClock, rfc3339, rfc3339Micro } from './clock.js';
import { packageRoot } from '../paths.js';
import { bootstrapCluster } from './bootstrap.js';
import type { ClusterShape } from './shapes.js';
import { installCrdSupport } from './crds.js';
import { tokenVolumeName } from './kinds/pod.js';
import { installAdmission } from './admission/index.js';
import { installApiServices } from './apiservices.js';
import { builtinKinds } from './kinds/index.js';
import type { Snapshot } from './snapshot.js';
import { startControlPlane } from './controllers/index.js';
import { snapshotOf } from './snapshot.js';

export interface NewClusterOptions {
  clock?: Clock;
  /** Start empty instead of with the kind-like default objects. */
  empty?: boolean;
  /** The CA the kube-root-ca.crt config maps carry. */
  caCert?: string;
  /** Without controllers, scheduler and kubelets: a bare store and registry (for unit tests). */
  controlPlane?: boolean;
  /** What the cluster is made as: kind's three nodes (the default) or Killercoda's two. */
  shape?: ClusterShape;
  /** False: bootstrapped through the API even where a built template could be read. */
  fromTemplate?: boolean;
}

const templates = new Map<string, Snapshot>();

function template(caCert: string, shape: ClusterShape): Snapshot {
  const key = `${shape}\n${caCert}`;
  let t = templates.get(key);
  if (!t) {
    const seed = new Cluster({ kinds: builtinKinds(), clock: new RealClock() });
    installCrdSupport(seed);
    bootstrapCluster(seed, caCert, shape);
    t = snapshotOf(seed);
    templates.set(key, t);
  }
  return t;
}

/** The instant a built template's objects were made at: each of its times is this one. */
const TEMPLATE_EPOCH = new Date(Date.UTC(2000, 0, 1));
/** Where a built template has the CA: each cluster's own goes in its place. */
const TEMPLATE_CA = 'KUBEDOJO-TEMPLATE-CA';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const UID = /"uid":"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/g;
const TOKEN_VOLUME = /kube-api-access-[a-z0-9]{5}/g;

/** A shape's default state as the build writes it (dist/content/cluster-SHAPE.json): made through the API as newCluster makes it. */
export function clusterTemplateText(shape: ClusterShape = 'kind'): string {
  const seed = newCluster({ clock: new ManualClock(TEMPLATE_EPOCH), caCert: TEMPLATE_CA, controlPlane: false, shape, fromTemplate: false });
  return JSON.stringify(snapshotOf(seed));
}

/**
 * A built template made one cluster's own: its CA, fresh uids (the references to them follow),
 * fresh service-account token volume names (random per pod on a real cluster), and its times now.
 */
export function fromClusterTemplate(text: string, caCert: string, now: Date): Snapshot {
  // The objects' uids (and the owner references and events naming them); other ids, such as a
  // node's system UUID, stay as the kubelet reports them.
  const uids = new Map<string, string>();
  for (const m of text.matchAll(UID)) uids.set(m[1], randomUUID());
  const volumes = new Map<string, string>();
  const volume = (name: string) => {
    let fresh = volumes.get(name);
    if (!fresh) volumes.set(name, (fresh = tokenVolumeName()));
    return fresh;
  };
  const own = text
    .split(rfc3339Micro(TEMPLATE_EPOCH))
    .join(rfc3339Micro(now))
    .split(rfc3339(TEMPLATE_EPOCH))
    .join(rfc3339(now))
    .split(TEMPLATE_CA)
    .join(JSON.stringify(caCert).slice(1, -1))
    .replace(UUID, (u) => uids.get(u) ?? u)
    .replace(TOKEN_VOLUME, volume);
  return JSON.parse(own) as Snapshot;
}

/** Each shape's built template as first read (null: none to use), for the process's life. */
const builtTemplates = new Map<ClusterShape, string | null>();

/**
 * The built template of a shape, when the code running is built and the template is not older
 * than it (a template the code has changed since would make a cluster the code no longer makes).
 * Under the test runner the code is the source, and a cluster is bootstrapped instead. Read once:
 * a Slack bot makes a cluster for each learner from it.
 */
function builtTemplate(shape: ClusterShape): string | undefined {
  let text = builtTemplates.get(shape);
  if (text === undefined) builtTemplates.set(shape, (text = readBuiltTemplate(shape)));
  return text ?? undefined;
}

function readBuiltTemplate(shape: ClusterShape): string | null {
  const code = fileURLToPath(import.meta.url);
  if (!code.endsWith('.js')) return null;
  const file = path.join(packageRoot(), 'dist', 'content', `cluster-${shape}.json`);
  try {
    if (statSync(file).mtimeMs < statSync(code).mtimeMs) return null;
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export function newCluster(opts: NewClusterOptions = {}): Cluster {
  const cluster = new Cluster({ kinds: builtinKinds(), clock: opts.clock });
  installCrdSupport(cluster);
  installApiServices(cluster);
  installAdmission(cluster);
  if (!opts.empty) {
    const built = opts.clock && opts.fromTemplate !== false ? builtTemplate(opts.shape ?? 'kind') : undefined;
    if (opts.clock && built) {
      cluster.store.load(fromClusterTemplate(built, opts.caCert ?? '', opts.clock.now()));
      cluster.reloaded();
    } else if (opts.clock) {
      // A cluster on its own clock gets objects stamped by that clock.
      bootstrapCluster(cluster, opts.caCert ?? '', opts.shape);
    } else {
      cluster.store.load(template(opts.caCert ?? '', opts.shape ?? 'kind'), true);
      cluster.reloaded();
    }
  }
  if (opts.controlPlane !== false) cluster.controlPlane = startControlPlane(cluster);
  return cluster;
}

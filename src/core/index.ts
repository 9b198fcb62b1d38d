// The only door from the UIs into the core.
export { ApiServer, type HostedCluster } from './apiserver/server.js';
export { loadOrCreateTls, generateTls, type TlsMaterial } from './apiserver/tls.js';
export { Cluster } from './cluster/cluster.js';
export { ManualClock, RealClock, type Clock } from './cluster/clock.js';
export { newCluster } from './cluster/factory.js';
export { saveClusterFile, loadClusterFile, snapshotOf, restoreSnapshot, type Snapshot } from './cluster/snapshot.js';
export { serve, type Serving, type ServeOptions } from './hosting/serve.js';
export { LearnerError, BugError, renderProblem } from './problems.js';
export { dataDir } from './paths.js';

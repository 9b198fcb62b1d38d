// Durable before acknowledged, at the API server's door: an answer leaves only once every change
// its cluster has made so far is on disk (journal.ts), as a real apiserver answers a write only
// after etcd has it. Reads wait too while changes are in flight, so nothing a client sees can
// vanish in a crash. An answer with nothing to wait for goes at once.
import type { ServerResponse } from 'node:http';
import type { ApiServer } from '../apiserver/server.js';
import { durable } from '../cluster/journal.js';

const held = new WeakSet<ServerResponse>();

export function holdRepliesUntilDurable(server: ApiServer): void {
  // Every answer the server gives about a cluster's objects goes through json() (errors too).
  const send = server.json.bind(server);
  server.json = (res, code, body, headers, contentType) => {
    // A request answered once already (its answer waiting here) gets no second one.
    if (held.has(res)) return;
    const wait = durable(clusterOf(server, res));
    if (!wait) return send(res, code, body, headers, contentType);
    held.add(res);
    wait.then(
      () => send(res, code, body, headers, contentType),
      (err: Error) =>
        send(res, 500, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: `${err.message}; the change may not survive a restart` }),
    );
  };
}

/** The cluster a request was for, from its path; undefined (every cluster) when the path does not say. */
function clusterOf(server: ApiServer, res: ServerResponse) {
  const m = /^\/clusters\/([^/?]+)/.exec(res.req?.url ?? '');
  const hosted = m ? server.hosted(m[1]) : undefined;
  return hosted?.cluster;
}

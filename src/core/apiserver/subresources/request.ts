// One request on a subresource, as the API server hands it to the subresource's handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from '../../cluster/cluster.js';
import type { KindDef } from '../../cluster/kinds/types.js';
import type { UserInfo } from '../../cluster/rbac.js';

export interface SubresourceRequest {
  cluster: Cluster;
  def: KindDef;
  namespace: string | undefined;
  name: string;
  subresource: string;
  /** Path segments after the subresource (a proxied path). */
  rest: string[];
  req: IncomingMessage;
  res: ServerResponse;
  q: URLSearchParams;
  /** Whom the request acts as. */
  user?: UserInfo;
  /** Answers with a JSON body and the API server's usual headers. */
  json(code: number, body: unknown): void;
}

/** The Status a POST on a subresource answers with when it returns no object. */
export const CREATED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as const;

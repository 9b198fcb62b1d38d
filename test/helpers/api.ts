// An in-process API server with one cluster, and a small HTTPS client that trusts its CA:
// for tests that speak the API directly (bad input, status codes, headers).
import https from 'node:https';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiServer } from '../../src/core/apiserver/server.js';
import { generateTls, type TlsMaterial } from '../../src/core/apiserver/tls.js';
import { newCluster } from '../../src/core/cluster/factory.js';
import { ManualClock } from '../../src/core/cluster/clock.js';
import type { Cluster } from '../../src/core/cluster/cluster.js';

let tlsOnce: Promise<TlsMaterial> | undefined;

export interface TestApi {
  server: ApiServer;
  cluster: Cluster;
  clock: ManualClock;
  id: string;
  token: string;
  kubeconfig: string;
  request(method: string, p: string, opts?: { body?: string | Buffer; headers?: Record<string, string>; token?: string | null }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; json(): any }>;
  close(): Promise<void>;
}

export async function startApi(opts: { empty?: boolean } = {}): Promise<TestApi> {
  tlsOnce ??= generateTls();
  const tls = await tlsOnce;
  const server = new ApiServer({ tls });
  await server.listen();
  const clock = new ManualClock(new Date());
  const cluster = newCluster({ clock, empty: opts.empty, caCert: tls.caCert });
  const hosted = server.host(cluster, 'test');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-api-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, server.kubeconfig(hosted.id));
  return {
    server,
    cluster,
    clock,
    id: hosted.id,
    token: hosted.token,
    kubeconfig,
    request(method, p, o = {}) {
      return new Promise((resolve, reject) => {
        const headers: Record<string, string> = { ...(o.headers ?? {}) };
        const token = o.token === undefined ? hosted.token : o.token;
        if (token !== null) headers.authorization = `Bearer ${token}`;
        const req = https.request(
          { host: '127.0.0.1', port: server.port, path: p.startsWith('/clusters/') ? p : `/clusters/${hosted.id}${p}`, method, headers, ca: tls.caCert },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
            });
          },
        );
        req.on('error', reject);
        if (o.body !== undefined) req.end(o.body);
        else req.end();
      });
    },
    close: () => server.close(),
  };
}

export interface OpenWatch {
  status: number;
  /** The first n events, or all there were if the stream ended first. */
  events(n: number): Promise<any[]>;
  close(): void;
}

/** Opens a watch on the test cluster (`path` with its query) and reads its events as they come. */
export function openWatch(api: TestApi, p: string, headers: Record<string, string> = {}): Promise<OpenWatch> {
  return new Promise((resolve, reject) => {
    const events: any[] = [];
    let ended = false;
    let wake = () => {};
    let buf = '';
    const req = https.get(
      { host: '127.0.0.1', port: api.server.port, path: `/clusters/${api.id}${p}`, headers: { authorization: `Bearer ${api.token}`, ...headers }, ca: api.server.caCert },
      (res) => {
        res.on('data', (d) => {
          buf += d;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            events.push(JSON.parse(buf.slice(0, nl)));
            buf = buf.slice(nl + 1);
          }
          wake();
        });
        res.on('end', () => {
          ended = true;
          wake();
        });
        resolve({
          status: res.statusCode ?? 0,
          events: (n) =>
            new Promise((done) => {
              const check = () => (events.length >= n || ended ? done(events.slice(0, n)) : undefined);
              wake = check;
              check();
            }),
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', (e) => (ended || req.destroyed ? undefined : reject(e)));
  });
}

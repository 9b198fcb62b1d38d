// A small stand-in for Slack on loopback: the Web API (chat.postMessage, chat.scheduleMessage,
// views.open, views.publish, …) and response_url endpoints, recording what the bot sends; and
// requests signed as Slack signs them (HMAC-SHA256 over v0:timestamp:body).
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Recorded {
  path: string;
  body: Record<string, unknown>;
  at: number;
  /** The Authorization header: which token the call used. */
  auth?: string;
}

export class FakeSlack {
  readonly calls: Recorded[] = [];
  private readonly server: http.Server;
  private waiters: Array<() => void> = [];
  private scheduled = 0;
  /** What apps.connections.open hands a Socket Mode client. */
  socketUrl?: string;

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> = {};
        const type = req.headers['content-type'] ?? '';
        try {
          if (type.includes('json')) body = JSON.parse(raw);
          else {
            body = Object.fromEntries(new URLSearchParams(raw));
            for (const k of ['blocks', 'view', 'attachments']) if (typeof body[k] === 'string') body[k] = JSON.parse(body[k] as string);
          }
        } catch {
          body = { raw };
        }
        this.calls.push({ path: req.url ?? '', body, at: Date.now(), auth: req.headers.authorization });
        for (const w of this.waiters.splice(0)) w();
        res.setHeader('content-type', 'application/json');
        const method = (req.url ?? '').replace(/^\/api\//, '');
        if (method === 'chat.scheduleMessage') res.end(JSON.stringify({ ok: true, scheduled_message_id: `Q${++this.scheduled}`, post_at: body.post_at }));
        else if (method === 'chat.deleteScheduledMessage') res.end(JSON.stringify({ ok: true }));
        else if (method === 'chat.postMessage' || method === 'chat.postEphemeral') res.end(JSON.stringify({ ok: true, ts: `${Date.now() / 1000}`, channel: body.channel }));
        else if (method === 'views.open' || method === 'views.publish') res.end(JSON.stringify({ ok: true, view: { id: 'V1' } }));
        else if (method === 'apps.connections.open') res.end(JSON.stringify(this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'not_allowed_token_type' }));
        else if (method === 'auth.test') res.end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' }));
        else res.end(JSON.stringify({ ok: true }));
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The Web API base URL, as Bolt's slackApiUrl takes it. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  to(pathPrefix: string): Recorded[] {
    return this.calls.filter((c) => c.path.startsWith(pathPrefix));
  }

  /** Waits until a call to the path (prefix) satisfies `match`. */
  async waitFor(pathPrefix: string, match: (c: Recorded) => boolean = () => true, timeoutMs = 20_000): Promise<Recorded> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.calls.find((c) => c.path.startsWith(pathPrefix) && match(c));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no call to ${pathPrefix} matched; calls: ${JSON.stringify(this.calls.map((c) => [c.path, c.body]), null, 1).slice(0, 3000)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** Slack's signature headers for a body. */
export function sign(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sig };
}

/** A slash command's form body, as Slack sends it. */
export function slashBody(fields: { command: string; text: string; user_id?: string; team_id?: string; channel_id?: string; response_url: string; trigger_id?: string }): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: fields.team_id ?? 'T1',
    team_domain: 'dojo',
    channel_id: fields.channel_id ?? 'C1',
    channel_name: 'general',
    user_id: fields.user_id ?? 'U1',
    user_name: 'learner',
    command: fields.command,
    text: fields.text,
    api_app_id: 'A1',
    response_url: fields.response_url,
    trigger_id: fields.trigger_id ?? 'trig.1',
  }).toString();
}

/** Posts a (signed) request to the bot's HTTP receiver; returns status and body. */
export async function post(url: string, body: string, headers: Record<string, string>, contentType = 'application/x-www-form-urlencoded'): Promise<{ status: number; body: string; ms: number }> {
  const t = Date.now();
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': contentType, ...headers } });
  return { status: res.status, body: await res.text(), ms: Date.now() - t };
}

/**
 * A WebSocket standing in for Slack's Socket Mode endpoint: `slack` hands out its address through
 * apps.connections.open; `connected` resolves once the bot has connected and been greeted;
 * `received` holds what the bot sent on it (its envelope acks).
 */
export async function socketModeStandIn(slack: FakeSlack): Promise<{ connected: Promise<WebSocket>; received: Array<Record<string, unknown>>; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  slack.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
  const received: Array<Record<string, unknown>> = [];
  const connected = new Promise<WebSocket>((resolve) =>
    wss.once('connection', (ws) => {
      ws.on('message', (data) => received.push(JSON.parse(String(data))));
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'loopback' }, connection_info: { app_id: 'A1' } }));
      resolve(ws);
    }),
  );
  return { connected, received, close: () => new Promise<void>((r) => wss.close(() => r())) };
}

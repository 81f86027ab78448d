// The console server: plain node:http + ws on loopback. Every request passes the guard (Host,
// Origin, and the token for writes and the stream); /api/* is the contract's table (API in
// src-shared/contract/api.ts), /metrics is Prometheus, everything else is the built console.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  EVENT_STREAM, matchHttpRoute, validateControl,
  type ApiName, type ControlErrorCode, type ControlResponse, type StreamEvent,
} from '../../../src-shared/contract';
import type { Disposable } from '../lifecycle';
import type { ConsoleBackend } from './backend';
import { answerRead, ApiError, MAX_LIMIT } from './answer-read';
import { EventStream } from './event-stream';
import { RequestGuard, type Verdict } from './guard';
import { createConsoleMetrics, type ConsoleMetrics } from './prometheus';
import { CONTENT_SECURITY_POLICY, DEFAULT_WEB_ROOT, serveStatic, webBuilt } from './static-files';

export interface ConsoleServerOptions {
  backend: ConsoleBackend;
  /** A loopback address (the config refuses anything else); default 127.0.0.1. */
  host?: string;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  token: string;
  /** Who the token stands for in the audit log ('operator:<name>'). */
  actor: string;
  /** The built console; default out/web of the repository. */
  webRoot?: string;
}

export interface ConsoleServer extends Disposable {
  readonly host: string;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** The link to open: the origin with `?token=` (the console moves it out of the address bar). */
  readonly consoleUrl: string;
  readonly webRoot: string;
  /** False when webRoot has no index.html: the API answers, the page says how to build it. */
  readonly webBuilt: boolean;
  /** Consoles on the event stream. */
  readonly clients: number;
  /** Sends an event to every console (the backend's events come this way; tests and benchmarks push their own). */
  publish(event: StreamEvent): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

/** The HTTP status of a refused control (the body always carries `{ok:false, error, code}`). */
export const CONTROL_HTTP_STATUS: Record<ControlErrorCode, number> = {
  UNKNOWN_CONTROL: 404, BAD_REQUEST: 400, REASON_REQUIRED: 422, UNAUTHORIZED: 403, NOT_DEMO: 409,
  NOT_FOUND: 404, REFUSED: 409, CONFLICT: 409, UNAVAILABLE: 503,
};


export async function startConsoleServer(o: ConsoleServerOptions): Promise<ConsoleServer> {
  const host = o.host ?? '127.0.0.1';
  const webRoot = o.webRoot ?? DEFAULT_WEB_ROOT;
  const backend = o.backend;
  const stream = new EventStream(backend);
  let guard: RequestGuard | undefined;
  const metrics: ConsoleMetrics = createConsoleMetrics(backend, () => stream.clients);

  const server: Server = createServer((req, res) => {
    security(res);
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof ApiError ? err.status : 500;
      const error = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) json(res, status, { ok: false, error, code: status === 500 ? 'UNAVAILABLE' : 'BAD_REQUEST' });
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const g = guard!;
    const site = g.checkSite(req.headers);
    if (!site.ok) return refuse(res, site);
    const url = new URL(req.url ?? '/', 'http://guardian.invalid');
    const method = req.method ?? 'GET';
    const read = method === 'GET' || method === 'HEAD';

    if (url.pathname === '/metrics') {
      if (!read) throw new ApiError(405, 'GET /metrics');
      const bearer = g.checkOptionalBearer(req.headers);
      if (!bearer.ok) return refuse(res, bearer);
      const text = await metrics.render();
      res.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
      res.end(method === 'HEAD' ? undefined : text);
      return;
    }

    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      let route: ReturnType<typeof matchHttpRoute>;
      try {
        route = matchHttpRoute(read ? 'GET' : method, url.pathname);
      } catch {
        throw new ApiError(400, 'The path is not valid URL encoding');
      }
      if (!route) {
        const other = matchHttpRoute(read ? 'POST' : 'GET', url.pathname);
        throw new ApiError(other ? 405 : 404, other ? `${url.pathname} answers ${read ? 'POST' : 'GET'} only` : `No API at ${url.pathname}`);
      }
      if (route.name === 'control') {
        // Every write carries the token; the actor in the audit log is the token's, never the request's.
        const bearer = g.checkBearer(req.headers);
        if (!bearer.ok) return refuse(res, bearer);
        const body = await readJson(req);
        const checked = validateControl(route.params.name, body, { demo: backend.demo });
        if (!checked.ok) return answerControl(res, { ok: false, error: checked.error, code: checked.code });
        return answerControl(res, await backend.control(checked.call, o.actor));
      }
      const bearer = g.checkOptionalBearer(req.headers);
      if (!bearer.ok) return refuse(res, bearer);
      const body = answerGet(route.name, route.params, url.searchParams);
      json(res, 200, body, method === 'HEAD');
      return;
    }

    if (!read) throw new ApiError(405, 'The console answers GET only');
    const bearer = g.checkOptionalBearer(req.headers);
    if (!bearer.ok) return refuse(res, bearer);
    await serveStatic(webRoot, url.pathname, res, method === 'HEAD');
  }

  function answerGet(name: ApiName, params: Record<string, string>, q: URLSearchParams): unknown {
    const before = q.get('before_ts');
    return answerRead(backend, name, {
      id: params.id ?? '',
      limit: intParam(q, 'limit', 1, MAX_LIMIT),
      window_s: intParam(q, 'window_s', 1, 86_400),
      ...(before !== null ? { before_ts: before } : {}),
      ...(q.get('format') !== null ? { format: q.get('format') } : {}),
    });
  }

  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    const g = guard!;
    const path = new URL(req.url ?? '/', 'http://guardian.invalid').pathname;
    const verdict: Verdict = path !== EVENT_STREAM.path ? { ok: false, status: 403, error: `No event stream at ${path}` }
      : ((v) => (v.ok ? g.checkStream(req.headers) : v))(g.checkSite(req.headers));
    if (!verdict.ok) {
      const body = JSON.stringify({ ok: false, error: verdict.error, code: 'UNAUTHORIZED' });
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    stream.accept(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: o.port ?? 8787 }, () => {
      server.off('error', reject);
      // Known only now (port 0 picks one): set before the first request can be read.
      guard = new RequestGuard({ host, port: (server.address() as AddressInfo).port, token: o.token });
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const subscription = backend.onEvent((e) => stream.publish(e));
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const origin = `http://${urlHost}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      subscription.dispose();
      server.close();
      await stream.close();
      server.closeAllConnections();
    })();
    return closing;
  };

  return {
    host,
    port,
    origin,
    consoleUrl: `${origin}/?token=${o.token}`,
    webRoot,
    webBuilt: webBuilt(webRoot),
    get clients() {
      return stream.clients;
    },
    publish: (e) => stream.publish(e),
    close,
    dispose: () => void close(),
  };
}

/** Headers on every answer: nothing framed, nothing sniffed, no referrer (the URL may hold the token). */
function security(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function json(res: ServerResponse, status: number, body: unknown, head = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(head ? undefined : text);
}

function refuse(res: ServerResponse, v: Extract<Verdict, { ok: false }>): void {
  json(res, v.status, { ok: false, error: v.error, code: 'UNAUTHORIZED' });
}

function answerControl(res: ServerResponse, out: ControlResponse): void {
  json(res, out.ok ? 200 : CONTROL_HTTP_STATUS[out.code], out);
}

function intParam(q: URLSearchParams, key: string, min: number, max: number): number | undefined {
  const raw = q.get(key);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ApiError(400, `${key} must be a whole number from ${min} to ${max}`);
  return Math.min(n, max);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new ApiError(415, 'Send the control as JSON (Content-Type: application/json)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, `The request is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new ApiError(400, 'The request body is not valid JSON');
  }
}

// WebSocket /api/events: `hello`, then the current `status`, then every event the backend
// publishes. Each event is serialised once for every console. A console that cannot keep up
// skips statuses (each one replaces the last) and is cut off if even the other events pile up.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { EVENT_STREAM, type StreamEvent } from '../../../src-shared/contract';
import type { ConsoleBackend } from './backend';

/** Above this many bytes queued for one console, statuses are skipped for it. */
const SKIP_STATUS_BYTES = 1 << 20;
/** Above this, the console is disconnected: it reconnects and resyncs from the snapshots. */
const DROP_CLIENT_BYTES = 16 << 20;
const PING_EVERY_MS = 15_000;

export class EventStream {
  private readonly wss: WebSocketServer;
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly ping: NodeJS.Timeout;

  constructor(private readonly backend: ConsoleBackend, private readonly wallNow: () => number = Date.now) {
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      // The console sends nothing that matters; a large frame from it is an attack.
      maxPayload: 4096,
      // Echo only guardian.v1: the bearer subprotocol is never sent back.
      handleProtocols: (protocols) => (protocols.has(EVENT_STREAM.protocol) ? EVENT_STREAM.protocol : false),
    });
    this.ping = setInterval(() => this.heartbeat(), PING_EVERY_MS);
    this.ping.unref();
  }

  get clients(): number {
    return this.wss.clients.size;
  }

  /** The request has passed the guard: take the connection over. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.alive.set(ws, true);
      ws.on('pong', () => this.alive.set(ws, true));
      ws.on('error', () => ws.terminate());
      const b = this.backend;
      send(ws, JSON.stringify({ type: 'hello', server_ts: new Date(this.wallNow()).toISOString(), version: b.version, pulse_ms: b.pulse_ms, demo: b.demo } satisfies StreamEvent));
      send(ws, JSON.stringify({ type: 'status', status: b.status() } satisfies StreamEvent));
    });
  }

  publish(event: StreamEvent): void {
    if (this.wss.clients.size === 0) return;
    const text = JSON.stringify(event);
    for (const ws of this.wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > DROP_CLIENT_BYTES) {
        ws.close(1013, 'too far behind: reconnect and resync');
        continue;
      }
      if (event.type === 'status' && ws.bufferedAmount > SKIP_STATUS_BYTES) continue;
      send(ws, text);
    }
  }

  private heartbeat(): void {
    for (const ws of this.wss.clients) {
      if (this.alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }

  /** Says goodbye to every console, and cuts off any that does not answer within grace_ms. */
  async close(grace_ms = 500): Promise<void> {
    clearInterval(this.ping);
    const open = [...this.wss.clients];
    for (const ws of open) ws.close(1001, 'Guardian stopping');
    await Promise.race([
      Promise.all(open.map((ws) => (ws.readyState === WebSocket.CLOSED ? undefined : new Promise((r) => ws.once('close', r))))),
      new Promise((r) => setTimeout(r, grace_ms).unref()),
    ]);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}

function send(ws: WebSocket, text: string): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(text);
}

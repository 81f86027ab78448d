// Who may talk to the service: a loopback Host (a DNS-rebinding page names its own host), no
// foreign Origin (a page on another site), and the bearer token for everything that changes
// something and for the event stream. Pure: request headers in, a verdict out.
import type { IncomingHttpHeaders } from 'node:http';
import { EVENT_STREAM } from '../../../src-shared/contract';
import { sameToken } from './token';

export type Verdict = { ok: true } | { ok: false; status: 403; error: string };

export interface GuardOptions {
  /** The address the server listens on, e.g. 127.0.0.1. */
  host: string;
  port: number;
  token: string;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The Host header values this server answers to: its own address, and loopback names for it. */
export function allowedHosts(o: Pick<GuardOptions, 'host' | 'port'>): Set<string> {
  const names = new Set([o.host.toLowerCase(), ...LOOPBACK_NAMES]);
  const out = new Set<string>();
  for (const n of names) {
    out.add(`${n}:${o.port}`);
    if (o.port === 80) out.add(n);
  }
  return out;
}

export class RequestGuard {
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;

  constructor(private readonly o: GuardOptions) {
    this.hosts = allowedHosts(o);
    this.origins = new Set([...this.hosts].map((h) => `http://${h}`));
  }

  /** Host and Origin: every request, read or write. */
  checkSite(headers: IncomingHttpHeaders): Verdict {
    const host = headers.host?.toLowerCase();
    if (!host || !this.hosts.has(host)) return deny(`Host ${host ? `"${host}"` : '(none)'} is not this service; use http://${this.o.host}:${this.o.port}/`);
    const origin = headers.origin;
    // Browsers send Origin on writes and WebSockets; a tool (curl, Prometheus) sends none.
    if (origin !== undefined && !this.origins.has(origin.toLowerCase())) return deny(`Origin "${origin}" may not call this service`);
    return { ok: true };
  }

  /** The bearer token from `Authorization: Bearer <token>`. */
  checkBearer(headers: IncomingHttpHeaders): Verdict {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
    if (!m) return deny('This call needs the console token (Authorization: Bearer <token>)');
    return sameToken(m[1], this.o.token) ? { ok: true } : deny('The console token is not valid');
  }

  /** A GET may come without a token, but never with a wrong one. */
  checkOptionalBearer(headers: IncomingHttpHeaders): Verdict {
    return headers.authorization === undefined ? { ok: true } : this.checkBearer(headers);
  }

  /** The event stream: the token as the subprotocol `guardian.bearer.<token>` (or a Bearer header). */
  checkStream(headers: IncomingHttpHeaders): Verdict {
    const offered = parseProtocols(headers['sec-websocket-protocol']);
    if (!offered.includes(EVENT_STREAM.protocol)) return deny(`The event stream speaks the subprotocol ${EVENT_STREAM.protocol} only`);
    const bearer = offered.find((p) => p.startsWith(EVENT_STREAM.bearer_protocol_prefix));
    if (bearer !== undefined) {
      return sameToken(bearer.slice(EVENT_STREAM.bearer_protocol_prefix.length), this.o.token) ? { ok: true } : deny('The console token is not valid');
    }
    return this.checkBearer(headers);
  }
}

export function parseProtocols(header: string | undefined): string[] {
  return (header ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

function deny(error: string): Verdict {
  return { ok: false, status: 403, error };
}

// The API as one table: each entry names its HTTP route and its IPC channel, and ApiShapes gives
// its request and response. The HTTP server, the preload and both clients are built from this.
import type { AdviceList, AuditList, DeadLetterList, GateList, HeldSignalList, IncidentList, RoutesDetail } from './lists';
import type { AgentConsensus } from './agents';
import type { ControlCall, ControlResponse } from './controls';
import type { Incident } from './incidents';
import type { MetricsRecent } from './metrics';
import type { ReportFile, ReportRequest } from './reports';
import type { BufferStatus, GuardianStatus } from './status';
import type { RunManifest, TruthReport } from './truth';
import type { ExecutionView } from './execution';

export const CONTRACT_VERSION = '1.0';

export interface ApiEntry {
  method: 'GET' | 'POST';
  /** `:key` segments are filled from the request's field of that name. */
  path: string;
  ipc: string;
  /** For POST: the request field sent as the JSON body (the rest fill the path). */
  body?: string;
}

export const API = {
  status: { method: 'GET', path: '/api/status', ipc: 'guardian:status' },
  metricsRecent: { method: 'GET', path: '/api/metrics/recent', ipc: 'guardian:metrics-recent' },
  incidentsRecent: { method: 'GET', path: '/api/incidents/recent', ipc: 'guardian:incidents-recent' },
  incident: { method: 'GET', path: '/api/incidents/:id', ipc: 'guardian:incident' },
  routesStatus: { method: 'GET', path: '/api/routes/status', ipc: 'guardian:routes-status' },
  bufferStatus: { method: 'GET', path: '/api/buffer/status', ipc: 'guardian:buffer-status' },
  agentsConsensus: { method: 'GET', path: '/api/agents/consensus', ipc: 'guardian:agents-consensus' },
  gates: { method: 'GET', path: '/api/gates', ipc: 'guardian:gates' },
  auditRecent: { method: 'GET', path: '/api/audit/recent', ipc: 'guardian:audit-recent' },
  adviceList: { method: 'GET', path: '/api/learning/advice', ipc: 'guardian:learning-advice' },
  signalsHeld: { method: 'GET', path: '/api/signals/held', ipc: 'guardian:signals-held' },
  deadLetters: { method: 'GET', path: '/api/dead-letters', ipc: 'guardian:dead-letters' },
  control: { method: 'POST', path: '/api/controls/:name', ipc: 'guardian:control', body: 'request' },
  exportReport: { method: 'GET', path: '/api/reports/:id', ipc: 'guardian:export-report' },
  execution: { method: 'GET', path: '/api/execution', ipc: 'guardian:execution' },
  truth: { method: 'GET', path: '/api/truth', ipc: 'guardian:truth' },
  manifest: { method: 'GET', path: '/api/manifest', ipc: 'guardian:manifest' },
} as const satisfies Record<string, ApiEntry>;

type NoRequest = Record<never, never>;
type Limit = { limit?: number };

export interface ApiShapes {
  status: { request: NoRequest; response: GuardianStatus };
  metricsRecent: { request: { window_s?: number }; response: MetricsRecent };
  incidentsRecent: { request: Limit & { before_ts?: string }; response: IncidentList };
  incident: { request: { id: string }; response: Incident };
  routesStatus: { request: NoRequest; response: RoutesDetail };
  bufferStatus: { request: NoRequest; response: BufferStatus };
  agentsConsensus: { request: NoRequest; response: AgentConsensus };
  gates: { request: NoRequest; response: GateList };
  auditRecent: { request: Limit; response: AuditList };
  adviceList: { request: NoRequest; response: AdviceList };
  signalsHeld: { request: Limit; response: HeldSignalList };
  deadLetters: { request: Limit; response: DeadLetterList };
  control: { request: ControlCall; response: ControlResponse };
  exportReport: { request: ReportRequest; response: ReportFile };
  /** The trading truth: metrics computed by Guardian from the trade journal (Infinity as "inf"). */
  truth: { request: NoRequest; response: TruthReport };
  /** What is running: version, commit, config hash (secrets redacted), flags, data dir, protocol versions. */
  manifest: { request: NoRequest; response: RunManifest };
  /** Blocked signals, the kill switch, COMMAND outcomes, the ledger and reconciliation differences. */
  execution: { request: Limit; response: ExecutionView };
}

export type ApiName = keyof typeof API;
export type ApiRequest<N extends ApiName> = ApiShapes[N]['request'];
export type ApiResponse<N extends ApiName> = ApiShapes[N]['response'];
export const API_NAMES = Object.keys(API) as ApiName[];

// A compile-time check that the table and the shapes name the same entries.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _tableMatchesShapes: Same<ApiName, keyof ApiShapes> = true;
void _tableMatchesShapes;

export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  /** Path and query, relative to the service's origin. */
  url: string;
  body?: unknown;
}

/** How a client sends `name` with `request` over HTTP. */
export function toHttpRequest<N extends ApiName>(name: N, request: ApiRequest<N>): HttpRequestSpec {
  const entry: ApiEntry = API[name];
  const rest: Record<string, unknown> = { ...(request as Record<string, unknown>) };
  const path = entry.path.replace(/:([a-z_]+)/g, (_m, key: string) => {
    const value = rest[key];
    delete rest[key];
    if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`${name}: "${key}" is required`);
    return encodeURIComponent(String(value));
  });
  if (entry.method === 'POST') {
    return { method: 'POST', url: path, body: entry.body ? rest[entry.body] : rest };
  }
  const query = Object.entries(rest)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return { method: 'GET', url: query ? `${path}?${query}` : path };
}

/**
 * The inverse, for the server: which entry a method and path name, with the path's parameters.
 * The server still validates the request (validateControl for controls).
 */
export function matchHttpRoute(method: string, pathname: string): { name: ApiName; params: Record<string, string> } | null {
  for (const name of API_NAMES) {
    const entry: ApiEntry = API[name];
    if (entry.method !== method) continue;
    const want = entry.path.split('/');
    const got = pathname.split('/');
    if (want.length !== got.length) continue;
    const params: Record<string, string> = {};
    const same = want.every((seg, i) => {
      if (seg.startsWith(':')) {
        params[seg.slice(1)] = decodeURIComponent(got[i] ?? '');
        return (got[i] ?? '') !== '';
      }
      return seg === got[i];
    });
    if (same) return { name, params };
  }
  return null;
}

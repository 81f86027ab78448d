// Test support: a ConsoleBackend over fixed data, and HTTP / WebSocket helpers that can set any
// header (Host, Origin), as an attacker's page or tool would.
import { request } from 'node:http';
import { WebSocket } from 'ws';
import {
  GATE_NAMES,
  type AuditEntry, type ControlCall, type ControlResponse, type GuardianStatus, type Incident, type RunManifest, type StreamEvent, type TruthReport, type ExecutionView,
} from '../../../src-shared/contract';
import { Emitter, type Disposable } from '../lifecycle';
import type { ConsoleBackend } from './backend';
import { StatusHistory } from './history';

export function fixtureStatus(ts = new Date().toISOString()): GuardianStatus {
  return {
    mode: 'NORMAL', overall_score: 93.5,
    scores: Object.fromEntries(GATE_NAMES.map((g) => [g, 93])) as GuardianStatus['scores'],
    routes: { active: 'socket', standby: ['pipe', 'spool'], metrics: { socket: { healthy: true, latency_ms: 3.2, drop_pct: 0, retries: 0, acks_per_s: 4, queue_depth: 0, last_error: null }, pipe: { healthy: false, drop_pct: 0, retries: 0, acks_per_s: 0, queue_depth: 0, last_error: 'stalled' } } },
    buffer: { depth: 2, enq_per_s: 3, deq_per_s: 3, oldest_age_s: 0.4 },
    incidents: [], agent_votes: { risk: { action: 'CONTINUE', confidence: 0.9 } }, policy: { recover_threshold: 85, dwell_seconds: 20 },
    ts, pulse_ms: 250, demo: false, version: 'test', peers: [], active_tier: 'primary', last_switch: null,
    consensus: { ts, decision: 'CONTINUE', confidence: 0.9, votes: [], veto: null, reasoning: 'all clear' },
    open_incident_ids: ['INC-1'],
  };
}

export const FIXTURE_INCIDENT: Incident = {
  id: 'INC-1', opened_ts: '2026-01-05T08:00:00.000Z', closed_ts: null, severity: 'warning', title: 'DEGRADED.COMM: socket down',
  mode: 'DEGRADED.COMM', events: [{ ts: '2026-01-05T08:00:00.000Z', type: 'mode_change', text: 'NORMAL -> DEGRADED.COMM' }],
  why: { causes: [{ constraint_id: 'bridge_latency', value: 210, limit: 60 }] }, runbook: null, estimate_to_recover_s: null, acknowledged_by: null,
};

export const FIXTURE_TRUTH: TruthReport = {
  ts: '2026-01-05T08:00:00.000Z', source: 'trade journal: 4 TRADE event(s)', journal_events: 4, first_event_ts: '2026-01-05T07:00:00.000Z', correlation_days: 20,
  metrics: {
    trades: 2, wins: 2, losses: 0, win_rate_pct: 100, net_pnl: 12.5, fees: 1.4, expectancy: 6.25, profit_factor: 'inf', avg_win: 6.25, avg_loss: null,
    return_days: 0, sharpe: null, sortino: null, max_drawdown_pct: 0.4, max_drawdown_duration_s: 120, max_drawdown_recovered: true, drawdown_pct: 0,
    var95_pct: null, es95_pct: null, consecutive_losses: 0, max_consecutive_losses: 0, reject_rate_pct: 0, orders: 2, avg_slippage_bps: 0.8,
    symbols_held: [], correlations: [], max_correlation: null,
  },
};

export const FIXTURE_EXECUTION: ExecutionView = {
  kill_switch: { engaged: false, by: null, reason: null, since: null, release: 'resume' }, gate_enabled: true, blocks_per_min: 1,
  blocked: [{ ts: '2026-01-05T08:00:00.000Z', message_id: 'sig-1.7', signal_id: 's-7', origin: 'sig-1', symbol: 'EURUSD', action: 'BUY', lots: 9, reason_code: 'ORDER_SIZE_BLOCK', detail: '9 lots > max_lots_per_order 5' }],
  commands: [], positions: [], differences: [], last_reconcile: null,
};

export const FIXTURE_MANIFEST: RunManifest = {
  version: '0.0.0-test', git_commit: null, git_ref: null, config_hash: 'f'.repeat(64), config_files: [{ file: 'config/guardian.yaml', sha256: 'e'.repeat(64) }],
  flags: { demo: false }, data_dir: '/tmp/guardian-test', protocol_versions: ['1.2', '1.0'], contract_version: '1.0', node: 'v20', platform: 'linux-x64',
  pid: 1, started_ts: '2026-01-05T07:00:00.000Z',
};

/** A backend over fixed data; controls are audited in memory, and refused the way the real one does. */
export class FakeBackend implements ConsoleBackend {
  readonly version = 'test';
  readonly pulse_ms = 250;
  readonly events = new Emitter<StreamEvent>();
  readonly calls: { call: ControlCall; actor: string }[] = [];
  readonly auditLog: AuditEntry[] = [];
  current = fixtureStatus();
  private readonly history = new StatusHistory(250);

  constructor(readonly demo = false) {
    this.history.record(this.current, this.current.ts!);
  }

  status() { return this.current; }
  metricsRecent(window_s?: number) { return this.history.recent(window_s); }
  incidents(limit: number) { return [FIXTURE_INCIDENT].slice(0, limit); }
  incident(id: string) { return id === FIXTURE_INCIDENT.id ? FIXTURE_INCIDENT : null; }
  audit(limit: number) { return this.auditLog.slice(0, limit); }
  advice() { return []; }
  heldSignals() { return []; }
  deadLetters() { return []; }
  report(id: string, format: 'markdown' | 'json' | 'html') {
    if (id !== FIXTURE_INCIDENT.id && id !== 'timeline') return null;
    return { filename: `incident-${id}.${format === 'markdown' ? 'md' : format}`, content_type: 'text/plain', body: `${FIXTURE_INCIDENT.title} because bridge_latency` };
  }
  control(call: ControlCall, actor: string): ControlResponse {
    this.calls.push({ call, actor });
    const refused = call.name === 'force_path_switch' && !this.current.routes.metrics[call.request.path]?.healthy;
    const entry: AuditEntry = {
      id: `AUD-${String(this.auditLog.length + 1).padStart(6, '0')}`, ts: new Date().toISOString(), actor, control: call.name,
      reason: call.request.reason, outcome: refused ? 'refused' : 'accepted',
      ...(refused ? { detail: 'the path is not up' } : {}),
    };
    this.auditLog.unshift(entry);
    this.events.fire([{ type: 'audit', entry }]);
    return refused ? { ok: false, code: 'REFUSED', error: 'the path is not up' } : { ok: true, audit_id: entry.id };
  }
  onEvent(listener: (e: StreamEvent) => void): Disposable { return this.events.on(listener); }
  truth() { return FIXTURE_TRUTH; }
  manifest() { return FIXTURE_MANIFEST; }
  execution() { return FIXTURE_EXECUTION; }
  figures() { return { msgs_per_s: 3, store_failures: 1, bad_input: { BAD_JSON: 2, FRAME_SIZE: 1 }, peers_connected: 2 }; }
}

export interface RawAnswer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** One HTTP request with exactly these headers (fetch will not let a test set Host). */
export function rawRequest(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { Host: `127.0.0.1:${port}`, ...headers }, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens the event stream; resolves with the socket and its first messages, or the HTTP status it was refused with. */
export function openStream(port: number, protocols: string[], headers: Record<string, string> = {}, first = 2): Promise<{ ws: WebSocket; protocol: string; messages: StreamEvent[] } | { refused: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events`, protocols, { headers: { Host: `127.0.0.1:${port}`, ...headers } });
    const messages: StreamEvent[] = [];
    ws.on('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.on('message', (data) => {
      messages.push(JSON.parse(String(data)) as StreamEvent);
      if (messages.length === first) resolve({ ws, protocol: ws.protocol, messages });
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

/** The Prometheus text format (0.0.4), strictly: every line a comment, a blank, or `name{labels} value`. */
export function parsePrometheus(text: string): Map<string, { labels: Record<string, string>; value: number }[]> {
  const out = new Map<string, { labels: Record<string, string>; value: number }[]>();
  const types = new Map<string, string>();
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const sample = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (-?(?:[0-9.]+(?:e[+-]?[0-9]+)?|NaN|\\+Inf|-Inf))(?: -?[0-9]+)?$`);
  const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"$/;
  for (const [i, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const meta = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3]!)) throw new Error(`line ${i + 1}: bad TYPE ${meta[3]}`);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = sample.exec(line);
    if (!m) throw new Error(`line ${i + 1} is not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    if (m[2]) {
      for (const part of m[2].match(/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"/g) ?? []) {
        const l = label.exec(part)!;
        labels[l[1]!] = l[2]!;
      }
    }
    const base = [...types.keys()].find((t) => m[1] === t || m[1]!.startsWith(`${t}_`));
    if (!base) throw new Error(`line ${i + 1}: ${m[1]} has no TYPE`);
    const list = out.get(m[1]!) ?? [];
    list.push({ labels, value: Number(m[3]) });
    out.set(m[1]!, list);
  }
  return out;
}

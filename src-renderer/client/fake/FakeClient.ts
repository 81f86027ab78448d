// FakeClient: the contract answered from fixtures, for tests and for `?fake=1` (screenshots,
// design work, a demo with no service running). Answers are copied, as a real transport would.
import {
  TIMELINE_REPORT_ID, validateControl,
  type ApiName, type ApiRequest, type ApiResponse, type ApiShapes, type ReportFile, type ReportJson, type ReportRequest,
} from '../../../src-shared/contract';
import { BaseClient } from '../base';
import { connectionLost, connectionOpened } from '../connection';
import type { ConnectionState } from '../types';
import type { ScenarioName } from './fixtures/scenario';
import { incidentMarkdown } from './markdown';
import { FakeWorld } from './world';
import { fakeManifest, fakeTruth } from './truth';
import { fakeExecution } from './execution';

export interface FakeClientOptions {
  scenario?: ScenarioName;
  /** How many closed incidents the history holds (default 40; 5000 to test the timeline). */
  incidents?: number;
  now?: () => number;
  /** Emit a status every pulse on a timer; tests leave this off and call tick(). */
  auto?: boolean;
  /** Keep the stream in this state, to show the connection banner. */
  connection?: Exclude<ConnectionState, 'connecting'>;
}

export class FakeClient extends BaseClient {
  readonly kind = 'fake' as const;
  readonly world: FakeWorld;
  private pulseTimer: ReturnType<typeof setInterval> | null = null;
  private started = false;
  private readonly holdState: FakeClientOptions['connection'];
  private readonly auto: boolean;

  constructor(options: FakeClientOptions = {}) {
    super({ now: options.now, random: () => 1 });
    this.world = new FakeWorld(options.scenario ?? 'normal', options.incidents ?? 40, this.now());
    this.holdState = options.connection;
    this.auto = options.auto ?? false;
  }

  async call<N extends ApiName>(name: N, request: ApiRequest<N>): Promise<ApiResponse<N>> {
    return structuredClone(this.answer(name, request)) as ApiResponse<N>;
  }

  private answer<N extends ApiName>(name: N, request: ApiRequest<N>): ApiShapes[ApiName]['response'] {
    const w = this.world;
    const limit = (request as { limit?: number }).limit ?? Infinity;
    switch (name) {
      case 'status': return w.status;
      case 'metricsRecent': return w.metrics;
      case 'incidentsRecent': return { incidents: w.incidents.slice(0, limit) };
      case 'incident': {
        const found = w.incidents.find((i) => i.id === (request as ApiRequest<'incident'>).id);
        if (!found) throw new Error(`No incident ${(request as ApiRequest<'incident'>).id}`);
        return found;
      }
      case 'routesStatus':
        return { routes: w.status.routes, peers: w.status.peers ?? [], active_tier: w.status.active_tier ?? 'primary', last_switch: w.status.last_switch ?? null };
      case 'bufferStatus': return w.status.buffer;
      case 'agentsConsensus': return w.status.consensus!;
      case 'gates': return { gates: Object.values(w.status.gates ?? {}) };
      case 'auditRecent': return { entries: w.audit.slice(0, limit) };
      case 'adviceList': return { advice: w.advice };
      case 'signalsHeld': return { signals: w.signals.slice(0, limit) };
      case 'deadLetters': return { dead_letters: w.dead_letters.slice(0, limit) };
      case 'control': return this.control_(request as ApiRequest<'control'>);
      case 'exportReport': return this.report(request as ReportRequest);
      case 'truth': return fakeTruth(this.now());
      case 'manifest': return fakeManifest(this.now());
      case 'execution': return fakeExecution(this.now(), w.status.controls?.kill_switch_engaged ?? false);
    }
    throw new Error(`unknown API entry ${String(name)}`);
  }

  private control_(call: ApiRequest<'control'>): ApiResponse<'control'> {
    const checked = validateControl(call.name, call.request, { demo: this.world.status.demo ?? false });
    if (!checked.ok) return { ok: false, error: checked.error, code: checked.code };
    const outcome = this.world.control(checked.call, this.now());
    if (outcome.audit) this.emit({ type: 'audit', entry: structuredClone(outcome.audit) });
    for (const incident of outcome.changed.incidents ?? []) this.emit({ type: 'incident', incident: structuredClone(incident) });
    if (outcome.changed.advice) this.emit({ type: 'advice', advice: structuredClone(outcome.changed.advice) });
    if (outcome.changed.status) this.emit({ type: 'status', status: structuredClone(this.world.status) });
    return outcome.response;
  }

  private report(req: ReportRequest): ReportFile {
    const incidents = req.id === TIMELINE_REPORT_ID ? this.world.incidents.slice(0, 200) : this.world.incidents.filter((i) => i.id === req.id);
    if (incidents.length === 0) throw new Error(`No incident ${req.id}`);
    const json: ReportJson = {
      generated_ts: new Date(this.now()).toISOString(), scope: req.id === TIMELINE_REPORT_ID ? 'timeline' : 'incident',
      incidents, audit: this.world.audit.slice(0, 50), chain: { head_hash: 'sha256:9f2c…e41a', verified: true },
    };
    const base = `guardian-${req.id}`;
    if (req.format === 'json') return { filename: `${base}.json`, content_type: 'application/json', body: JSON.stringify(json, null, 2) };
    const md = incidentMarkdown(json);
    if (req.format === 'markdown') return { filename: `${base}.md`, content_type: 'text/markdown', body: md };
    return { filename: `${base}.html`, content_type: 'text/html', body: `<pre>${md.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</pre>` };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.holdState && this.holdState !== 'live') {
      // The stream dropped 4 s ago and every retry fails: the banner has an age and a countdown.
      this.setConnection(connectionOpened(this.connection, this.now() - 4000));
      this.emit({ type: 'status', status: structuredClone({ ...this.world.status, ts: new Date(this.now() - 4000).toISOString() }) });
      const attempts = this.holdState === 'offline' ? 5 : 1;
      for (let i = 1; i < attempts; i++) this.setConnection(connectionLost(this.connection, this.now(), 'connection refused', () => 1));
      this.failAgain();
      return;
    }
    this.setConnection(connectionOpened(this.connection, this.now()));
    this.emit({ type: 'hello', server_ts: new Date(this.now()).toISOString(), version: '0.1.0-fake', pulse_ms: 250, demo: true });
    this.tick();
    if (this.auto) this.pulseTimer = setInterval(() => this.tick(), this.world.status.pulse_ms ?? 250);
  }

  /** One pulse: the world moves on and the new status (and any changed incident) is emitted. */
  tick(): void {
    const incident = this.world.tick(this.now());
    if (incident) this.emit({ type: 'incident', incident: structuredClone(incident) });
    this.emit({ type: 'status', status: structuredClone(this.world.status) });
  }

  /** Held down: each retry fails again, as against a service that is not there. */
  private failAgain(): void {
    if (this.auto) this.scheduleRetry('connection refused', () => this.failAgain());
    else this.setConnection(connectionLost(this.connection, this.now(), 'connection refused', () => 1));
  }

  reconnectNow(): void {
    if (this.holdState && this.holdState !== 'live') this.failAgain();
  }

  close(): void {
    if (this.pulseTimer !== null) clearInterval(this.pulseTimer);
    this.pulseTimer = null;
    this.cancelRetry();
  }
}

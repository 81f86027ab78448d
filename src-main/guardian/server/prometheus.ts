// GET /metrics: the Prometheus text format, so an existing Grafana can watch a fleet. Every figure
// is read from the backend when scraped (collect), so nothing here runs between scrapes. Base
// units, as Prometheus asks: seconds and ratios.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { GATE_NAMES, MODES, PATH_PRIORITY } from '../../../src-shared/contract';
import type { ConsoleBackend } from './backend';

export interface ConsoleMetrics {
  readonly registry: Registry;
  readonly contentType: string;
  render(): Promise<string>;
}

export function createConsoleMetrics(backend: ConsoleBackend, consoleClients: () => number): ConsoleMetrics {
  const registry = new Registry();
  const registers = [registry];
  // The standard process_* and nodejs_* series, unprefixed: the usual Node dashboards read them as they are.
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'guardian_mode', help: 'The operating mode: 1 for the current one, 0 for the others', labelNames: ['mode'], registers,
    collect() {
      const mode = backend.status().mode;
      for (const m of MODES) this.set({ mode: m }, m === mode ? 1 : 0);
    },
  });
  new Gauge({
    name: 'guardian_overall_score', help: 'Overall quality score, 0-100 (trading approved at >= 80)', registers,
    collect() {
      this.set(backend.status().overall_score);
    },
  });
  new Gauge({
    name: 'guardian_gate_score', help: 'Quality gate score, 0-100', labelNames: ['gate'], registers,
    collect() {
      const scores = backend.status().scores;
      for (const g of GATE_NAMES) this.set({ gate: g }, scores[g]);
    },
  });
  const perPath = (name: string, help: string, read: (m: NonNullable<ReturnType<ConsoleBackend['status']>['routes']['metrics']['socket']>) => number | undefined | null) =>
    new Gauge({
      name, help, labelNames: ['path'], registers,
      collect() {
        this.reset();
        const metrics = backend.status().routes.metrics;
        for (const p of PATH_PRIORITY) {
          const m = metrics[p];
          const v = m ? read(m) : undefined;
          if (typeof v === 'number' && Number.isFinite(v)) this.set({ path: p }, v);
        }
      },
    });
  perPath('guardian_path_latency_seconds', 'Round-trip latency (p95) of each path to the EA', (m) => (m.latency_ms == null ? null : m.latency_ms / 1000));
  perPath('guardian_path_drop_ratio', 'Share of probes lost on each path, 0-1', (m) => (m.drop_pct == null ? null : m.drop_pct / 100));
  perPath('guardian_path_up', 'Whether each path passes its probes (1) or not (0)', (m) => (m.healthy ? 1 : 0));
  new Gauge({
    name: 'guardian_path_active', help: 'The path orders travel on: 1 for the active one', labelNames: ['path'], registers,
    collect() {
      const active = backend.status().routes.active;
      for (const p of PATH_PRIORITY) this.set({ path: p }, p === active ? 1 : 0);
    },
  });
  new Gauge({
    name: 'guardian_buffer_depth', help: 'Messages sent and not yet acknowledged (the durable outbox)', registers,
    collect() {
      this.set(backend.status().buffer.depth);
    },
  });
  new Gauge({
    name: 'guardian_buffer_oldest_age_seconds', help: 'Age of the oldest unacknowledged message', registers,
    collect() {
      this.set(backend.status().buffer.oldest_age_s);
    },
  });
  new Gauge({
    name: 'guardian_messages_per_second', help: 'Messages received per second from every peer', registers,
    collect() {
      this.set(backend.figures().msgs_per_s);
    },
  });
  new Gauge({
    name: 'guardian_peers_connected', help: 'Peers (EAs and signal services) with an active path', registers,
    collect() {
      this.set(backend.figures().peers_connected);
    },
  });
  new Counter({
    name: 'guardian_store_failures_total', help: 'Durable store commits that failed', registers,
    collect() {
      this.reset();
      this.inc(backend.figures().store_failures);
    },
  });
  new Counter({
    name: 'guardian_bad_input_total', help: 'Bad input from peers, per reason code', labelNames: ['reason'], registers,
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(backend.figures().bad_input)) this.inc({ reason }, n);
    },
  });
  new Gauge({
    name: 'guardian_risk_veto_armed', help: "The risk agent's EMERGENCY_STOP veto: 1 when armed", registers,
    collect() {
      this.set(backend.status().risk?.veto_armed ? 1 : 0);
    },
  });
  new Gauge({
    name: 'guardian_open_incidents', help: 'Incidents not yet closed', registers,
    collect() {
      this.set(backend.status().open_incident_ids?.length ?? 0);
    },
  });
  new Gauge({
    name: 'guardian_console_clients', help: 'Consoles connected to the event stream', registers,
    collect() {
      this.set(consoleClients());
    },
  });

  return { registry, contentType: registry.contentType, render: () => registry.metrics() };
}

// A running simulator: N EAs and a signal service per tier, each with its own data dir under the
// simulator's, all pointed at one Guardian. The CLI, Guardian's demo mode, the benchmark and the
// e2e suite drive it through this handle.
import { join } from 'node:path';
import type { PathName, SignalTier } from '../../src-shared/protocol';
import { SimulatedEa } from './ea';
import { parseFaultSpec, type FaultSpec, type FaultTarget } from './fault-spec';
import type { PeerPaths, PeerStats } from './peer';
import { SimulatedSignalService } from './signal-service';

export interface SimOptions {
  eas: number;
  signals: SignalTier[];
  /** Signals per second, per signal service. */
  rate_per_s: number;
  socket?: { host: string; port: number };
  pipe?: string;
  /** Spool root: used by the first EA only (one spool directory serves one terminal). */
  spool?: string;
  dataDir: string;
  heartbeat_ms?: number;
  hmacKey?: string;
  legacy?: boolean;
  dualWrite?: boolean;
  reject_rate?: number;
  status_ms?: number;
  /** Allows the kill fault (process.exit). */
  processMode?: boolean;
  log?: (line: string) => void;
}

export interface SimTotals {
  peers: number;
  /** Peers with an active path. */
  connected: number;
  by_path: Record<PathName, number>;
  sent: number;
  acked: number;
  unacked: number;
  resent: number;
  delivered: number;
  errors: number;
  failovers: number;
  rtt_ms_p50: number | null;
  rtt_ms_p99: number | null;
  trades: number;
  open_positions: number;
  signals_emitted: number;
}

export interface SimStats {
  uptime_s: number;
  totals: SimTotals;
  peers: PeerStats[];
}

export interface SimHandle {
  readonly eas: SimulatedEa[];
  readonly signals: SimulatedSignalService[];
  stats(): SimStats;
  /** Applies a fault spec (fault-spec.ts); returns what it did. Throws FaultSpecError on a bad spec. */
  inject(spec: string): string;
  stop(): Promise<void>;
}

export function startSim(o: SimOptions): SimHandle {
  const started = Date.now();
  const common = {
    heartbeat_ms: o.heartbeat_ms, hmacKey: o.hmacKey, legacy: o.legacy, dualWrite: o.dualWrite,
    processMode: o.processMode, log: o.log,
  };
  const paths = (withSpool: boolean): PeerPaths => ({
    ...(o.socket ? { socket: o.socket } : {}),
    ...(o.pipe ? { pipe: { path: o.pipe } } : {}),
    ...(withSpool && o.spool && !o.legacy ? { spool: { dir: o.spool } } : {}),
  });
  const eas: SimulatedEa[] = [];
  for (let i = 1; i <= o.eas; i++) {
    const node_id = `ea-${i}`;
    eas.push(new SimulatedEa({
      ...common, node_id, dataDir: join(o.dataDir, node_id), paths: paths(i === 1),
      reject_rate: o.reject_rate, status_ms: o.status_ms, seed: i,
    }));
  }
  const signals = o.signals.map((tier, i) => new SimulatedSignalService({
    ...common, node_id: `signal-${tier}`, tier, dataDir: join(o.dataDir, `signal-${tier}`), paths: paths(false),
    rate_per_s: o.rate_per_s, seed: 100 + i,
  }));
  for (const ea of eas) ea.start();
  for (const s of signals) s.start();

  const targets = (t: FaultTarget): (SimulatedEa | SimulatedSignalService)[] => {
    if (t === 'ea') return eas;
    if (t === 'signals') return signals;
    if (t === 'all') return [...eas, ...signals];
    const one = [...eas, ...signals].filter((p) => p.node_id === t.node_id);
    if (one.length === 0) throw new Error(`no simulated peer is called ${t.node_id}`);
    return one;
  };

  return {
    eas,
    signals,
    stats: () => simStats(started, eas, signals),
    inject: (text) => applyFault(parseFaultSpec(text), targets, o.processMode ?? false),
    async stop() {
      await Promise.all([...eas.map((e) => e.stop()), ...signals.map((s) => s.stop())]);
    },
  };
}

function applyFault(f: FaultSpec, targets: (t: FaultTarget) => (SimulatedEa | SimulatedSignalService)[], processMode: boolean): string {
  if (f.kind === 'kill') {
    if (!processMode) throw new Error('kill ends the simulator process: only from `guardian sim`');
    process.exit(137);
  }
  const hit: string[] = [];
  const skipped: string[] = [];
  for (const peer of targets(f.target)) {
    const has = (p: PathName) => peer.client.stats().paths.some((x) => x.path === p);
    const ea = peer instanceof SimulatedEa ? peer : undefined;
    switch (f.kind) {
      case 'drop':
      case 'stall':
      case 'latency':
      case 'garbage':
      case 'oversize':
        if (!has(f.path) || (f.kind === 'oversize' && f.path === 'spool')) {
          skipped.push(peer.node_id);
          continue;
        }
        if (f.kind === 'drop') peer.faults.dropPath(f.path, f.ms);
        else if (f.kind === 'stall') peer.faults.stallPath(f.path, f.ms);
        else if (f.kind === 'latency') peer.faults.latency(f.path, f.ms);
        else if (f.kind === 'garbage') peer.faults.sendGarbage(f.path);
        else peer.faults.sendOversize(f.path);
        break;
      case 'corrupt':
        peer.faults.corruptNext(f.n);
        break;
      case 'slow_broker':
      case 'spike_correlation':
        if (!ea) continue; // brokers and portfolios belong to EAs
        if (f.kind === 'slow_broker') ea.faults.slowBroker(f.ms);
        else ea.faults.spikeCorrelation(f.value);
        break;
      case 'ignore_commands':
        if (!ea) continue;
        ea.faults.ignoreCommands(true);
        break;
      case 'clear':
        peer.faults.clear();
        break;
    }
    hit.push(peer.node_id);
  }
  const what = 'path' in f ? `${f.kind} ${f.path}` : f.kind;
  return `${what} on ${hit.length ? hit.join(', ') : 'no peer'}${skipped.length ? ` (skipped ${skipped.join(', ')}: path not configured)` : ''}`;
}

function simStats(started: number, eas: SimulatedEa[], signals: SimulatedSignalService[]): SimStats {
  const peers = [...eas, ...signals].map((p) => p.client.stats());
  const t: SimTotals = {
    peers: peers.length, connected: 0, by_path: { socket: 0, pipe: 0, spool: 0 },
    sent: 0, acked: 0, unacked: 0, resent: 0, delivered: 0, errors: 0, failovers: 0,
    rtt_ms_p50: null, rtt_ms_p99: null, trades: 0, open_positions: 0, signals_emitted: 0,
  };
  const p50s: number[] = [];
  const p99s: number[] = [];
  for (const s of peers) {
    if (s.active_path) {
      t.connected++;
      t.by_path[s.active_path]++;
    }
    t.acked += s.acked_seq;
    t.unacked += s.unacked;
    t.delivered += s.delivered;
    t.failovers += s.failovers;
    for (const p of s.paths) {
      t.sent += p.sent;
      t.resent += p.resent;
      t.errors += p.errors;
      if (p.active && p.rtt_ms_p50 !== null) p50s.push(p.rtt_ms_p50);
      if (p.active && p.rtt_ms_p99 !== null) p99s.push(p.rtt_ms_p99);
    }
  }
  // The peers' medians' median and the worst p99: one glance says "typical" and "worst".
  t.rtt_ms_p50 = p50s.length ? p50s.sort((a, b) => a - b)[p50s.length >> 1]! : null;
  t.rtt_ms_p99 = p99s.length ? Math.max(...p99s) : null;
  for (const ea of eas) {
    t.trades += ea.tradesSent;
    if (ea.client.running) t.open_positions += ea.positions().length;
  }
  for (const s of signals) t.signals_emitted += s.emitted;
  return { uptime_s: Math.round((Date.now() - started) / 100) / 10, totals: t, peers };
}

/** One compact line a second: is everything connected, flowing, acknowledged? */
export function formatSimLine(s: SimStats): string {
  const t = s.totals;
  const paths = (Object.entries(t.by_path) as [PathName, number][]).filter(([, n]) => n > 0).map(([p, n]) => `${p}:${n}`).join(' ') || 'none';
  const rtt = t.rtt_ms_p50 === null ? 'rtt -' : `rtt p50 ${t.rtt_ms_p50.toFixed(2)} p99 ${(t.rtt_ms_p99 ?? 0).toFixed(2)} ms`;
  return `sim ${Math.round(s.uptime_s)}s | peers ${t.connected}/${t.peers} up (${paths}) | sent ${t.sent} acked ${t.acked} unacked ${t.unacked} resent ${t.resent} | recv ${t.delivered} | ${rtt} | failovers ${t.failovers} errors ${t.errors} | signals ${t.signals_emitted} trades ${t.trades} open ${t.open_positions}`;
}

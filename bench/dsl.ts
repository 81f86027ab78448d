// Condition DSL throughput: the real constraint set (config/constraints.yaml, topped up to 64 distinct
// conditions) evaluated in rotation against 256 varied pulses, as the gates do it: one frame per pulse,
// every constraint against it. The same 64 expressions compiled with filtrex run against the same pulses
// as flat records. Results are accumulated into a sink so nothing is optimised away. Rounds alternate
// between the engines and the best round of each is reported: the machine is shared, so the best round is
// the one least disturbed by neighbours.
import { seededRandom } from '../src-shared/random';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileExpression } from 'filtrex';
import { CONSTRAINT_VARIABLES, CONSTRAINT_VARIABLE_INDEX, compile, loadConstraints } from '../src-main/guardian/constraints/index';
import type { CompiledCondition } from '../src-main/guardian/constraints/index';

export interface DslBenchResult {
  /** Compiled DSL, frame per pulse (the path the gates use). */
  dsl_evals_per_s: number;
  /** filtrex 3 on the same expressions and pulses (flat records). */
  filtrex_evals_per_s: number;
  /** Compiled DSL read from the same flat records as filtrex, by name (no frame). */
  dsl_record_evals_per_s: number;
  /** dsl_evals_per_s / filtrex_evals_per_s. */
  speedup_vs_filtrex: number;
  expressions: number;
  contexts: number;
}

const EXPRESSION_COUNT = 64;
const CONTEXT_COUNT = 256;

// Compound conditions that top the real set up to 64, exercising arithmetic, functions and three-valued logic.
const EXTRA_EXPRESSIONS = [
  'spread_pips / normal_spread_pips < 2.5 and tick_age_s < 30',
  'max(cpu_pct, memory_pct) < 92 and not (disk_free_pct < 5)',
  'abs(clock_skew_ms) + event_loop_lag_ms < 600 or db_ok == 0',
  '(bridge_latency_ms - p95_bridge_latency_ms) / max(p95_bridge_latency_ms, 1) < 0.5',
  'min(margin_level_pct / 100, 10) > 2 and daily_loss_pct + drawdown_pct < 12',
  'healthy_paths >= 2 or (drop_pct < 1 and heartbeat_age_ms < 3000)',
];

function expressions(): string[] {
  const configFile = fileURLToPath(new URL('../config/constraints.yaml', import.meta.url));
  const fromConfig = loadConstraints(configFile).map((d) => d.condition);
  const all = [...new Set([...fromConfig, ...EXTRA_EXPRESSIONS])];
  if (all.length < EXPRESSION_COUNT) throw new Error(`only ${all.length} distinct expressions; need ${EXPRESSION_COUNT}`);
  return all.slice(0, EXPRESSION_COUNT);
}

// Deterministic pseudo-random pulses, so runs are comparable.
const randomSource = seededRandom;

function pulses(): Record<string, number>[] {
  const random = randomSource(42);
  // Values spread around each constraint's limits so statuses vary between pulses.
  const typical: Record<string, number> = {
    spread_pips: 2, normal_spread_pips: 1.2, tick_age_s: 20, volatility_ratio: 2, slippage_bps: 6, p95_slippage_bps: 14,
    requote_rate_pct: 4, 'signal_age_s.primary': 25, 'signal_age_s.cached': 250, 'signal_age_s.heuristic': 700,
    portfolio_correlation: 0.6, margin_level_pct: 400, daily_loss_pct: 1.8, drawdown_pct: 7, consecutive_losses: 3,
    open_positions: 8, positions_without_stop: 0.3, gross_leverage: 6, cpu_pct: 70, memory_pct: 75, disk_free_pct: 20,
    event_loop_lag_ms: 40, db_ok: 0.9, db_write_latency_ms: 40, log_chain_ok: 0.95, clock_skew_ms: 300, buffer_depth: 300,
    oldest_age_s: 20, ea_state_code: 0.5, ea_halted: 0.1, bridge_latency_ms: 60, p95_bridge_latency_ms: 55, drop_pct: 0.8,
    heartbeat_age_ms: 1500, ack_latency_ms: 150, p95_ack_latency_ms: 120, resend_rate_pct: 1.5, healthy_paths: 2,
    reject_rate_pct: 1.5, broker_rtt_ms: 120, broker_connected: 0.9,
  };
  const flags = new Set(['db_ok', 'log_chain_ok', 'broker_connected', 'ea_halted', 'positions_without_stop']);
  const list: Record<string, number>[] = [];
  for (let i = 0; i < CONTEXT_COUNT; i++) {
    const pulse: Record<string, number> = {};
    for (const { name } of CONSTRAINT_VARIABLES) {
      const base = typical[name] ?? 1;
      if (flags.has(name)) pulse[name] = random() < base ? 1 : 0;
      else if (name === 'ea_state_code') pulse[name] = random() < base ? 0 : Math.floor(random() * 5);
      else if (name === 'clock_skew_ms') pulse[name] = (random() * 2 - 1) * base * 2;
      else if (name === 'healthy_paths') pulse[name] = Math.floor(random() * 4);
      else pulse[name] = Math.round(base * (0.3 + random() * 1.4) * 1000) / 1000;
    }
    list.push(pulse);
  }
  return list;
}

let sink = 0;

function dslRound(conditions: readonly CompiledCondition[], frames: readonly Float64Array[], ms: number): number {
  let evaluations = 0;
  let passes = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let f = 0; f < frames.length; f++) {
      const frame = frames[f] as Float64Array;
      for (let c = 0; c < conditions.length; c++) {
        if ((conditions[c] as CompiledCondition).evaluateFrame(frame) === 'pass') passes++;
      }
    }
    evaluations += frames.length * conditions.length;
    elapsed = performance.now() - start;
  }
  sink += passes;
  return evaluations / (elapsed / 1000);
}

function dslRecordRound(conditions: readonly CompiledCondition[], records: readonly Record<string, number>[], ms: number): number {
  let evaluations = 0;
  let passes = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let f = 0; f < records.length; f++) {
      const record = records[f] as Record<string, number>;
      for (let c = 0; c < conditions.length; c++) {
        if ((conditions[c] as CompiledCondition).evaluate(record) === 'pass') passes++;
      }
    }
    evaluations += records.length * conditions.length;
    elapsed = performance.now() - start;
  }
  sink += passes;
  return evaluations / (elapsed / 1000);
}

function filtrexRound(filters: readonly ((data: unknown) => unknown)[], records: readonly Record<string, number>[], ms: number): number {
  let evaluations = 0;
  let passes = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let f = 0; f < records.length; f++) {
      const record = records[f];
      for (let c = 0; c < filters.length; c++) {
        if ((filters[c] as (data: unknown) => unknown)(record) === true) passes++;
      }
    }
    evaluations += records.length * filters.length;
    elapsed = performance.now() - start;
  }
  sink += passes;
  return evaluations / (elapsed / 1000);
}

export function benchDsl(durationMs = 1500): DslBenchResult {
  const sources = expressions();
  const records = pulses();
  const conditions = sources.map((source) => compile(source, { index: CONSTRAINT_VARIABLE_INDEX }));
  const frames = records.map((record) => CONSTRAINT_VARIABLE_INDEX.frameFrom(record));
  const filters = sources.map((source) => compileExpression(source) as (data: unknown) => unknown);

  // Both engines must agree before their speed means anything.
  for (const record of records.slice(0, 16)) {
    sources.forEach((source, i) => {
      const ours = (conditions[i] as CompiledCondition).evaluate(record) === 'pass';
      const theirs = (filters[i] as (data: unknown) => unknown)(record) === true;
      if (ours !== theirs) throw new Error(`dsl and filtrex disagree on '${source}'`);
    });
  }

  const rounds = 5;
  const slice = Math.max(20, durationMs / (rounds * 3));
  // Warm-up: let both reach optimised code before anything is timed.
  dslRound(conditions, frames, slice / 2);
  dslRecordRound(conditions, records, slice / 2);
  filtrexRound(filters, records, slice / 2);
  let dsl = 0;
  let record = 0;
  let filtrex = 0;
  for (let r = 0; r < rounds; r++) {
    dsl = Math.max(dsl, dslRound(conditions, frames, slice));
    filtrex = Math.max(filtrex, filtrexRound(filters, records, slice));
    record = Math.max(record, dslRecordRound(conditions, records, slice));
  }
  if (sink === -1) console.log('unreachable'); // keeps the sink observable
  return {
    dsl_evals_per_s: Math.round(dsl),
    filtrex_evals_per_s: Math.round(filtrex),
    dsl_record_evals_per_s: Math.round(record),
    speedup_vs_filtrex: Math.round((dsl / filtrex) * 10) / 10,
    expressions: sources.length,
    contexts: records.length,
  };
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  console.log(JSON.stringify(benchDsl(), null, 2));
}

// One whole control-loop pulse, timed: 1,000 constraints (the shipped set replicated with varied
// thresholds) evaluated against the pulse's frame, the four quality gates scored, the six agents
// consulted, and the mode manager's decision, as the control plane runs it every pulse_ms.
// Rounds of 2,000 pulses over 64 varied frames (mostly healthy, some constraints failing, some
// variables missing), after a warm-up; the figure is the per-pulse wall time of the least
// disturbed round (the median round's p99 is given too). Target: p99 <= 1 ms.
//
//   npx tsx bench/pulse.ts   prints the JSON
import { seededRandom } from '../src-shared/random';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONSTRAINT_VARIABLES, CONSTRAINT_VARIABLE_INDEX, defineConstraints, loadConstraints, type ConstraintSpec } from '../src-main/guardian/constraints/index';
import { ConstraintEngine, decide } from '../src-main/guardian/control/index';
import { ManualClock } from '../src-main/guardian/clock';
import { ModeManager } from '../src-main/guardian/modes/index';

export interface PulseBenchResult {
  pulse_ms_p50: number;
  pulse_ms_p99: number;
  pulse_ms_max: number;
  constraints: number;
  /** p99 of the median round (the reported figures are the least disturbed round's). */
  pulse_ms_p99_median_round: number;
  /** Mean constraints per pulse that failed or were unknown (each one explained). */
  not_passing_per_pulse: number;
  /** Pulses per round. */
  pulses: number;
  rounds: number;
}

const CONSTRAINT_COUNT = 1000;
const PULSES = 2000;
const FRAMES = 64;
const ROUNDS = 5;

const seeded = seededRandom;

/** The shipped constraints, replicated to `count` with each limit moved by up to +/-30%. */
export function replicatedConstraints(count = CONSTRAINT_COUNT) {
  const file = fileURLToPath(new URL('../config/constraints.yaml', import.meta.url));
  const shipped = loadConstraints(file);
  const random = seeded(7);
  const specs: ConstraintSpec[] = [];
  for (let i = 0; specs.length < count; i++) {
    const d = shipped[i % shipped.length]!;
    const copy = Math.floor(i / shipped.length);
    const factor = copy === 0 ? 1 : 0.7 + random() * 0.6;
    // Limits after an ordering comparison or a multiplier; flags (== 1, != 4) stay as they are.
    const condition = copy === 0 ? d.condition : d.condition.replace(/(<=?|>=?|\*)\s*(\d+(?:\.\d+)?)/g, (_, op: string, n: string) => `${op} ${Number((Number(n) * factor).toPrecision(4))}`);
    specs.push({
      id: copy === 0 ? d.id : `${d.id}_${copy}`,
      gate: d.gate,
      severity: d.severity,
      condition,
      description: d.description,
      ...(d.filters ? { filters: d.filters } : {}),
    });
  }
  return defineConstraints(specs);
}

/** Pulses around healthy operation: a few figures drift past their limits, a few are missing. */
function frames(): { frame: Float64Array; vars: Record<string, number> }[] {
  const random = seeded(42);
  const healthy: Record<string, number> = {
    spread_pips: 1.1, normal_spread_pips: 1.0, tick_age_s: 2, volatility_ratio: 1.1, slippage_bps: 2, p95_slippage_bps: 6,
    requote_rate_pct: 1, 'signal_age_s.primary': 4, 'signal_age_s.cached': 60, 'signal_age_s.heuristic': 200,
    portfolio_correlation: 0.35, margin_level_pct: 900, daily_loss_pct: 0.4, drawdown_pct: 2, consecutive_losses: 1,
    open_positions: 3, positions_without_stop: 0, gross_leverage: 3, cpu_pct: 30, memory_pct: 55, disk_free_pct: 40,
    event_loop_lag_ms: 5, db_ok: 1, db_write_latency_ms: 4, log_chain_ok: 1, clock_skew_ms: 40, buffer_depth: 12,
    oldest_age_s: 0.4, ea_state_code: 0, ea_halted: 0, bridge_latency_ms: 3, p95_bridge_latency_ms: 4, drop_pct: 0.1,
    heartbeat_age_ms: 150, ack_latency_ms: 8, p95_ack_latency_ms: 12, resend_rate_pct: 0.2, healthy_paths: 3,
    reject_rate_pct: 0.5, broker_rtt_ms: 40, broker_connected: 1,
  };
  const flags = new Set(['db_ok', 'log_chain_ok', 'broker_connected', 'ea_halted', 'ea_state_code', 'healthy_paths', 'positions_without_stop']);
  const out: { frame: Float64Array; vars: Record<string, number> }[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const vars: Record<string, number> = {};
    for (const { name } of CONSTRAINT_VARIABLES) {
      const base = healthy[name] ?? 1;
      const r = random();
      if (r < 0.02) vars[name] = Number.NaN; // missing
      else if (flags.has(name)) vars[name] = base;
      else vars[name] = base * (r < 0.08 ? 2 + random() * 3 : 0.7 + random() * 0.6); // now and then far off
    }
    vars.orders_per_min = 2;
    vars.session_open = 1;
    out.push({ frame: CONSTRAINT_VARIABLE_INDEX.frameFrom(vars), vars });
  }
  return out;
}

export function benchPulse(pulses = PULSES): PulseBenchResult {
  const definitions = replicatedConstraints();
  const engine = new ConstraintEngine(definitions);
  const inputs = frames();
  const clock = new ManualClock();
  const modes = new ModeManager({ clock });
  const sessions = ['asia', 'london', 'new_york', 'sydney'] as const;
  const random = seeded(3);
  let sink = 0;
  let notPassing = 0;
  const run = (i: number) => {
    const input = inputs[i % inputs.length]!;
    clock.advance(250);
    const decision = decide(engine, {
      frame: input.frame,
      vars: input.vars,
      filter: { session: sessions[Math.floor(i / 500) % 4]!, symbol: 'EURUSD', regime: 'normal' },
      high_volatility: false,
      comm_score: random() < 0.02 ? 50 : 100,
      signal_score: 100,
      exec_score: 95,
    });
    const effects = modes.pulse(decision.pulse);
    sink += decision.results.length + effects.length;
    for (const r of decision.results) if (r.status !== 'pass') notPassing++;
  };
  for (let i = 0; i < 500; i++) run(i); // warm-up: optimised code before anything is timed
  // Rounds, as bench/dsl.ts does: the machine is shared, so the round least disturbed by its
  // neighbours (preemption, not the pulse's own work) is the one reported; the median round too.
  const times = new Float64Array(pulses);
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  const rounds: { p50: number; p99: number; max: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    notPassing = 0;
    for (let i = 0; i < pulses; i++) {
      const t0 = performance.now();
      run(i);
      times[i] = performance.now() - t0;
    }
    times.sort();
    const at = (p: number) => times[Math.min(pulses - 1, Math.ceil((p / 100) * pulses) - 1)] ?? Number.NaN;
    rounds.push({ p50: at(50), p99: at(99), max: times[pulses - 1] ?? Number.NaN });
  }
  if (sink === -1) console.log('unreachable');
  const byP99 = [...rounds].sort((a, b) => a.p99 - b.p99);
  const best = byP99[0]!;
  const median = byP99[Math.floor(byP99.length / 2)]!;
  return {
    pulse_ms_p50: r3(best.p50),
    pulse_ms_p99: r3(best.p99),
    pulse_ms_max: r3(best.max),
    pulse_ms_p99_median_round: r3(median.p99),
    constraints: definitions.length,
    not_passing_per_pulse: Math.round(notPassing / pulses),
    pulses,
    rounds: ROUNDS,
  };
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  console.log(JSON.stringify(benchPulse(), null, 2));
}

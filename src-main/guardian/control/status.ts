// The control plane's status in the words of the API contract (src-shared/contract): DESIGN.md
// section 4's /api/status (mode, overall_score, scores, routes, buffer, incidents, agent_votes,
// policy), the console's detail (gates with their failing constraints, consensus, risk, SLOs,
// controls), and the control plane's own detail (breakers, repairs, held signals, the why of each
// degradation). Unknown figures are NaN in number fields (JSON null); an unknown score reads 0.
import type {
  AgentAction as ContractAction, AgentConsensus, AgentVote, AgentVoteSummary, BufferStatus, ControlsState, FailingConstraint, GateDetail,
  GateName, KeyMetric, PathMetrics, PathSwitch, Routes, SloSample, StatusIncidentEvent,
} from '../../../src-shared/contract';
import { PATH_PRIORITY, type PathName } from '../../../src-shared/protocol';
import type { AgentAction } from '../agents';
import { DEFAULT_AGENT_CONFIG } from '../agents';
import type { BreakerBoard } from '../breakers';
import type { Clock } from '../clock';
import { CONSTRAINT_VARIABLES, type ConstraintResult } from '../constraints';
import { DEFAULT_GATE_POLICY, GATE_NAMES } from '../gates';
import { recoveryBlockers, type FailoverPolicy, type Mode, type ModeManager, type Why } from '../modes';
import type { Router } from '../router';
import type { PulseResult } from './control-plane';
import type { BreakerStatus, ControlEvent, ControlStatus, RepairStatus, WhyRecord } from './types';

export interface StatusInput {
  last: PulseResult | null;
  mode: Mode;
  modes: ModeManager;
  policy: FailoverPolicy;
  breakers: BreakerBoard;
  repairs: RepairStatus[];
  events: readonly ControlEvent[];
  router: Router;
  clock: Clock;
  pulse_ms: number;
  heldOutcomes: { held: number; released: number; expired: number; refused: number };
  operatorHold: { by: string; reason: string; untilDrained?: boolean } | null;
  /** The bridge's error-budget burn rate (control/error-budget), null until a minute was judged. */
  error_budget_burn?: number | null;
  name: string;
  entries: 'pass' | 'hold' | 'refuse';
  /** A constraint's next step and description, from the repository. */
  describe?: (id: string) => { next_step?: string; description?: string } | undefined;
}

const UNITS: ReadonlyMap<string, string> = new Map(CONSTRAINT_VARIABLES.map((v) => [v.name, v.unit]));
const LABELS: ReadonlyMap<string, string> = new Map(CONSTRAINT_VARIABLES.map((v) => [v.name, v.description]));

/** The figures each gate card shows, with the budget the shipped constraints hold them to. */
const KEY_METRICS: Record<GateName, { name: string; budget?: number }[]> = {
  market_quality: [{ name: 'spread_pips' }, { name: 'normal_spread_pips' }, { name: 'slippage_bps', budget: 5 }, { name: 'signal_age_s.primary', budget: 30 }],
  risk_management: [{ name: 'portfolio_correlation', budget: 0.7 }, { name: 'margin_level_pct', budget: 300 }, { name: 'daily_loss_pct', budget: 3 }, { name: 'drawdown_pct', budget: 15 }],
  system_health: [{ name: 'cpu_pct', budget: 85 }, { name: 'memory_pct', budget: 90 }, { name: 'event_loop_lag_ms', budget: 50 }, { name: 'db_write_latency_ms', budget: 50 }, { name: 'clock_skew_ms', budget: 500 }],
  broker_connectivity: [{ name: 'bridge_latency_ms', budget: 500 }, { name: 'p95_bridge_latency_ms' }, { name: 'ack_latency_ms', budget: 200 }, { name: 'drop_pct', budget: 1 }, { name: 'healthy_paths' }, { name: 'reject_rate_pct', budget: 2 }],
};

const round = (v: number, digits = 1) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
const finite = (v: number | undefined | null): number | null => (v !== undefined && v !== null && Number.isFinite(v) ? v : null);

/** The agents' REDUCE_RISK is the contract's REDUCE_SIZE; the rest share their names. */
export function contractAction(a: AgentAction): ContractAction {
  return a === 'REDUCE_RISK' ? 'REDUCE_SIZE' : a;
}

export function whyOf(why: Why): WhyRecord {
  return {
    text: why.text,
    by: why.by,
    constraints: why.constraints.map((c) => ({
      id: c.id, gate: c.gate, severity: c.severity, status: c.status, explanation: c.explanation,
      ...(c.value !== undefined ? { value: c.value } : {}), ...(c.limit !== undefined ? { limit: c.limit } : {}),
    })),
  };
}

function failingOf(r: ConstraintResult, describe: StatusInput['describe']): FailingConstraint {
  const d = describe?.(r.id);
  return {
    id: r.id,
    severity: r.severity,
    value: r.value ?? Number.NaN,
    limit: r.limit ?? Number.NaN,
    explanation: r.explanation,
    next_step: d?.next_step ?? '',
  };
}

export function buildStatus(s: StatusInput): ControlStatus {
  const wall = s.clock.wall_ms();
  const now = s.clock.now_ms();
  const shift = wall - now;
  const iso = (mono: number) => new Date(mono + shift).toISOString();
  const snap = s.last?.snapshot ?? null;
  const decision = s.last?.decision ?? null;
  const vars = snap?.vars ?? {};
  const v = (name: string) => vars[name] ?? Number.NaN;

  // ---- scores and gates
  const scores = {} as Record<GateName, number>;
  const gates: Partial<Record<GateName, GateDetail>> = {};
  for (const g of GATE_NAMES) {
    const score = decision?.gates.gates[g];
    scores[g] = round(score?.score ?? 0, 1);
    gates[g] = {
      name: g,
      score: scores[g],
      weight: DEFAULT_GATE_POLICY.weights[g],
      key_metrics: KEY_METRICS[g].map((m): KeyMetric => ({
        name: m.name, value: finite(v(m.name)) === null ? null : round(v(m.name), 3), unit: UNITS.get(m.name) ?? '',
        ...(m.budget !== undefined ? { budget: m.budget } : {}), label: LABELS.get(m.name) ?? m.name,
      })),
      failing: (score?.failing ?? []).map((r) => failingOf(r, s.describe)),
      unknown: (score?.unknown ?? []).map((r) => ({ id: r.id, missing: r.missing ?? [], explanation: r.explanation })),
    };
  }

  // ---- routes: the first EA's paths (the one the bridge serves)
  const ea = snap?.peers.find((p) => p.role === 'EA') ?? null;
  const active: PathName = ea?.active_path ?? PATH_PRIORITY[0]!;
  const metrics: Partial<Record<PathName, PathMetrics>> = {};
  for (const p of ea?.paths ?? []) {
    if (p.verdict === 'absent') continue;
    const open = s.breakers.get(`path:${p.path}`).state === 'OPEN';
    metrics[p.path] = {
      healthy: p.verdict === 'healthy' && !open,
      ...(p.latency_ms !== null ? { latency_ms: p.latency_ms } : p.rtt_ms_p50 !== null ? { latency_ms: p.rtt_ms_p50 } : {}),
      drop_pct: p.drop_pct,
      retries: p.resent,
      last_error: p.verdict === 'failing' ? (p.quorum?.why ?? p.last_error) : open ? `breaker open (${s.breakers.get(`path:${p.path}`).last_failure?.reason ?? ''})` : p.last_error,
      ...(p.path === 'spool' ? { queue_depth: p.active ? (snap?.buffer.depth ?? 0) : 0 } : {}),
    };
  }
  const routes: Routes = { active, standby: PATH_PRIORITY.filter((p) => p !== active), metrics };

  const buffer: BufferStatus = {
    depth: snap?.buffer.depth ?? 0,
    enq_per_s: snap?.buffer.enq_per_s ?? 0,
    deq_per_s: snap?.buffer.deq_per_s ?? 0,
    oldest_age_s: snap?.buffer.oldest_age_s ?? 0,
  };

  // ---- mode changes, newest first
  const incidents: StatusIncidentEvent[] = [];
  for (let i = s.events.length - 1; i >= 0 && incidents.length < 20; i--) {
    const e = s.events[i]!;
    if (e.type === 'mode_change' && e.to_mode) incidents.push({ ts: e.ts, event: `ENTER_${e.to_mode}`, reason: e.why?.text ?? e.text });
  }

  // ---- agents
  const consensus = decision?.consensus ?? null;
  const agent_votes: Record<string, AgentVoteSummary> = {};
  const votes: AgentVote[] = [];
  for (const vote of consensus?.votes ?? []) {
    agent_votes[`${vote.agent}_agent`] = { action: contractAction(vote.action), confidence: round(vote.confidence, 2) };
    votes.push({ agent: vote.agent, action: contractAction(vote.action), confidence: round(vote.confidence, 2), weight: DEFAULT_AGENT_CONFIG.weights[vote.agent], facts: vote.facts });
  }
  const state = s.modes.state;
  const agentConsensus: AgentConsensus | undefined = consensus
    ? {
        ts: new Date(snap?.wall_ms ?? wall).toISOString(),
        decision: contractAction(consensus.action),
        confidence: round(consensus.support, 2),
        votes,
        veto: consensus.veto
          ? { armed: true, agent: 'risk', action: 'EMERGENCY_STOP', reason: consensus.veto.facts.join('; '), since_ts: state.safe ? iso(state.safe.since_ms) : null }
          : null,
        reasoning: consensus.reasoning,
      }
    : undefined;

  // ---- last switch, controls, risk, SLOs, broker
  const peer = ea ? s.router.peers.get(ea.node_id) : undefined;
  const last_switch: PathSwitch | null = peer?.lastSwitch && peer.lastSwitch.from && peer.lastSwitch.to
    ? { ts: new Date(peer.lastSwitch.ts_ms).toISOString(), from: peer.lastSwitch.from, to: peer.lastSwitch.to, reason: peer.lastSwitch.reason, actor: /by the operator/.test(peer.lastSwitch.reason) ? 'operator' : 'guardian' }
    : null;
  const controls: ControlsState = {
    entries_held: s.operatorHold !== null,
    drain_buffer_first: s.operatorHold?.untilDrained ?? false,
    kill_switch_engaged: state.pin?.mode === 'SAFE_MODE',
    pinned_mode: state.pin?.mode ?? null,
    forced_path: ea?.forced_path ?? null,
  };
  const slo: SloSample = {
    ts: new Date(snap?.wall_ms ?? wall).toISOString(),
    bridge_rtt_p95_ms: finite(snap?.baselines.p95_bridge_latency_ms),
    ack_latency_p95_ms: finite(snap?.baselines.p95_ack_latency_ms),
    spread_pips: finite(v('spread_pips')),
    spread_normal_pips: finite(v('normal_spread_pips')),
    slippage_bps: finite(v('slippage_bps')),
    error_budget_burn: s.error_budget_burn ?? null,
  };

  // ---- the control plane's own detail
  const breakers: BreakerStatus[] = s.breakers.dependencies().sort().map((dep) => {
    const b = s.breakers.get(dep);
    return {
      dependency: dep, state: b.state, failures_recent: b.failures_ms.length,
      open_until_ms: b.open_until_ms === null ? null : Math.round(b.open_until_ms + shift),
      halted: b.halted ? b.halted.reason : null,
      last_failure: b.last_failure ? `${b.last_failure.reason}${b.last_failure.code ? ` (${b.last_failure.code})` : ''}` : null,
    };
  });
  const blockers = decision ? recoveryBlockers(decision.pulse, s.policy) : ['no pulse yet'];
  const results = decision?.results ?? [];
  const clean_for_s = state.clean_since_ms === null ? null : round((now - state.clean_since_ms) / 1000, 1);

  return {
    mode: s.mode,
    overall_score: round(decision?.gates.overall ?? 0, 1),
    scores,
    routes,
    buffer,
    incidents,
    agent_votes,
    policy: { recover_threshold: s.policy.recover_threshold, dwell_seconds: s.policy.dwell_seconds, safe_mode_exit: s.policy.safe_mode.exit },
    ts: new Date(snap?.wall_ms ?? wall).toISOString(),
    pulse_ms: s.pulse_ms,
    gates,
    active_tier: s.router.signals.activeTier,
    last_switch,
    risk: {
      veto_armed: state.veto.status === 'armed',
      correlation: v('portfolio_correlation'),
      correlation_cap: s.policy.risk_caps.correlation_max,
      slippage_bps: v('slippage_bps'),
      slippage_cap_bps: s.policy.risk_caps.slippage_max_bps,
    },
    controls,
    recovery: { blockers: blockers.map((b) => explainBlocker(b, gates)), clean_for_s },
    ...(agentConsensus ? { consensus: agentConsensus } : {}),
    slo,
    broker: {
      name: 'broker',
      connected: v('broker_connected') === 1 || (Number.isNaN(v('broker_connected')) && (snap?.eas_reporting ?? 0) > 0 && s.breakers.get('broker').state !== 'OPEN'),
      rtt_ms: finite(v('broker_rtt_ms')),
      clock_skew_ms: finite(v('clock_skew_ms')),
    },
    control: {
      pulse_seq: snap?.seq ?? 0,
      approved: decision?.gates.approved ?? false,
      approval_reasons: decision?.gates.reasons ?? ['no pulse yet'],
      entries: s.entries,
      held_signals: safeHeld(s.router),
      held_outcomes: { ...s.heldOutcomes },
      degradations: Object.entries(state.degradations).map(([d, ep]) => ({ degradation: `DEGRADED.${d}`, since: iso(ep.since_ms), why: whyOf(ep.why) })),
      safe: state.safe ? { since: iso(state.safe.since_ms), why: whyOf(state.safe.why) } : null,
      veto: { status: state.veto.status, why: state.veto.why?.text ?? null },
      recovery_blockers: blockers,
      clean_for_s,
      breakers,
      repairs: s.repairs,
      subsystems: { comm: s.last?.scores.comm.score ?? null, signal: s.last?.scores.signal.score ?? null, exec: s.last?.scores.exec.score ?? null },
      unknown_constraints: results.filter((r) => r.status === 'unknown').map((r) => r.id),
      filter: { ...(snap?.filter ?? {}) },
    },
  };
}

const SUBSYSTEM_WORDS: Record<string, string> = { comm: 'communications', signal: 'signal tier', exec: 'execution' };

/**
 * A recovery blocker in a trader's words: a gate's own (`market_quality 68`) says what holds it
 * down, for a gate can sit under the line with nothing failing, on readings it never gets.
 */
export function explainBlocker(blocker: string, gates: Partial<Record<GateName, GateDetail>>): string {
  const id = blocker.split(' ')[0]!;
  const subsystem = SUBSYSTEM_WORDS[id];
  if (subsystem) return `${subsystem}${blocker.slice(id.length)}`;
  const d = gates[id as GateName];
  if (!d) return blocker;
  const ids = (xs: readonly { id: string }[]) => xs.length > 3 ? `${xs.slice(0, 3).map((x) => x.id).join(', ')} and ${xs.length - 3} more` : xs.map((x) => x.id).join(', ');
  const why = [d.failing.length ? `failing ${ids(d.failing)}` : '', d.unknown?.length ? `no reading for ${ids(d.unknown)}` : ''].filter(Boolean).join('; ');
  return `${blocker.replace('_', ' ')}${why ? ` (${why})` : ''}`;
}

function safeHeld(router: Router): number {
  try {
    return router.heldCount();
  } catch {
    return Number.NaN;
  }
}

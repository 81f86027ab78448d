// The probe quorum (DESIGN.md section 1, Pulse): a path counts as failing only when at least two
// of its three probes say so (latency over budget, drop rate over budget, handshake failures), so
// one noisy probe (a GC pause, one lost ping) never moves traffic. The same rule in reverse keeps a
// blind path from reading as healthy: it is healthy only when two probes have seen it healthy.
// Pure.

export type ProbeVote = 'ok' | 'fail' | 'unknown';
export type PathVerdict = 'healthy' | 'failing' | 'unknown';

/** What the probes measured on one path; null when a probe has no reading yet. */
export interface ProbeReadings {
  /** Recent round trip of the loop-around pings (p95 of the last few seconds). */
  latency_ms: number | null;
  /** Pings lost, in percent of those sent recently. */
  drop_pct: number | null;
  /** Handshakes that failed recently (HELLO refused, timed out, wrong version). */
  handshake_failures: number | null;
}

export interface ProbeBudget {
  latency_ms: number;
  drop_pct: number;
  /** More than this many handshake failures in the window is a failing vote. */
  handshake_failures: number;
}

export const DEFAULT_PROBE_BUDGET: ProbeBudget = { latency_ms: 250, drop_pct: 5, handshake_failures: 0 };

export interface QuorumResult {
  verdict: PathVerdict;
  votes: { latency: ProbeVote; drops: ProbeVote; handshake: ProbeVote };
  failed: number;
  passed: number;
  /** The failing probes with their values, for the "why" ("latency 410 ms > 250 ms; drops 12% > 5%"). */
  why: string;
}

function vote(value: number | null, budget: number): ProbeVote {
  if (value === null || !Number.isFinite(value)) return 'unknown';
  return value > budget ? 'fail' : 'ok';
}

const fmt = (n: number) => String(Number(n.toFixed(1)));

/** Two of three probes failing make the path failing; two passing make it healthy; otherwise unknown. */
export function probeQuorum(readings: ProbeReadings, budget: ProbeBudget = DEFAULT_PROBE_BUDGET, needed = 2): QuorumResult {
  const votes = {
    latency: vote(readings.latency_ms, budget.latency_ms),
    drops: vote(readings.drop_pct, budget.drop_pct),
    handshake: vote(readings.handshake_failures, budget.handshake_failures),
  };
  const all = Object.values(votes);
  const failed = all.filter((v) => v === 'fail').length;
  const passed = all.filter((v) => v === 'ok').length;
  const reasons: string[] = [];
  if (votes.latency === 'fail') reasons.push(`latency ${fmt(readings.latency_ms ?? 0)} ms > ${budget.latency_ms} ms`);
  if (votes.drops === 'fail') reasons.push(`drops ${fmt(readings.drop_pct ?? 0)}% > ${budget.drop_pct}%`);
  if (votes.handshake === 'fail') reasons.push(`${readings.handshake_failures ?? 0} handshake failures > ${budget.handshake_failures}`);
  const verdict: PathVerdict = failed >= needed ? 'failing' : passed >= needed ? 'healthy' : 'unknown';
  const why = verdict === 'failing'
    ? `${failed} of 3 probes fail: ${reasons.join('; ')}`
    : verdict === 'healthy'
      ? `${passed} of 3 probes pass${reasons.length ? ` (${reasons.join('; ')})` : ''}`
      : `no quorum: ${passed} pass, ${failed} fail, ${3 - passed - failed} without a reading`;
  return { verdict, votes, failed, passed, why };
}

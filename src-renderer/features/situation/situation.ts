// The five-second read, as three sentences: what is broken, what Guardian is doing about it,
// and what that means for the desk. Pure, so it is tested on its own.
import { GATE_NAMES, type GateName, type GuardianStatus, type Incident, type PathName } from '../../../src-shared/contract';
import { fmtDuration, fmtUnit } from '../../ui/format';
import { SCORE_WATCH, type Tone } from '../../ui/tone';
import { entriesState } from '../topbar/entries';

export interface Situation {
  tone: Tone;
  broken: string;
  doing: string;
  desk: string;
}

export const GATE_WORDS: Record<GateName, string> = {
  market_quality: 'Market quality',
  risk_management: 'Risk management',
  system_health: 'System health',
  broker_connectivity: 'Broker connectivity',
};
/** For the gate cards' headings, where width is short. */
export const GATE_SHORT: Record<GateName, string> = {
  market_quality: 'Market',
  risk_management: 'Risk',
  system_health: 'System',
  broker_connectivity: 'Broker link',
};

export function situation(status: GuardianStatus | null, open: Incident | null): Situation {
  if (!status) return { tone: 'idle', broken: 'No status yet.', doing: 'Waiting for Guardian\'s first pulse.', desk: 'Do not rely on this screen until it is live.' };
  const { routes } = status;
  const downPaths = (Object.keys(routes.metrics) as PathName[]).filter((p) => routes.metrics[p]?.healthy === false);
  const failingGates = GATE_NAMES.filter((g) => status.scores[g] < SCORE_WATCH);
  const broken: string[] = downPaths.map((p) => {
    const m = routes.metrics[p]!;
    const detail = [m.last_error, m.drop_pct ? `${fmtUnit(m.drop_pct, '%', 1)} drop` : null].filter(Boolean).join(', ');
    return `${cap(p)} path down${detail ? ` (${detail})` : ''}`;
  });
  if (status.risk?.veto_armed) broken.unshift(`Risk veto armed (correlation ${status.risk.correlation.toFixed(2)} > ${status.risk.correlation_cap.toFixed(2)} cap)`);
  if (failingGates.length) {
    const list = failingGates.map((g) => `${GATE_WORDS[g]} ${status.scores[g].toFixed(1)}`);
    const joined = list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}` : list[0]!;
    broken.push(`${joined} ${list.length > 1 ? 'are' : 'is'} below ${SCORE_WATCH}`);
  }

  const active = routes.metrics[routes.active];
  const route = `Orders go over the ${routes.active}${active?.latency_ms !== undefined ? ` (${fmtUnit(active.latency_ms, 'ms')})` : ''}`;
  const doing: string[] = [];
  const sw = status.last_switch;
  if (downPaths.length && sw && sw.to === routes.active) doing.push(`${route}, switched from the ${sw.from} by ${sw.actor === 'guardian' ? 'Guardian' : 'an operator'}; nothing lost.`);
  else doing.push(`${route}.`);
  if (open?.runbook && open.closed_ts === null) {
    const r = open.runbook;
    const eta = open.estimate_to_recover_s !== null ? `, about ${fmtDuration(open.estimate_to_recover_s)} to recover` : '';
    doing.push(`Repairing: ${r.runbook.replace(/_/g, ' ')} step ${r.step} of ${r.of} (${r.name}, ${r.state})${eta}.`);
  } else if (status.risk?.veto_armed) {
    doing.push('Holding new entries under the risk veto until correlation falls back under the cap.');
  } else if (open && open.closed_ts === null) {
    doing.push(`Working incident ${open.id}.`);
  }
  const back = wayBack(status);
  if (back) doing.push(back);
  if (!broken.length) doing.push(`Watching every gate each pulse.`);

  const entries = entriesState(status.mode, status.controls ?? null);
  const needsYou = open && open.closed_ts === null && !open.acknowledged_by;
  const desk = `${entries.why}.${needsYou ? ` Incident ${open.id} is not acknowledged.` : status.mode === 'NORMAL' ? ' No action needed.' : ' No action needed unless you want to override.'}`;
  const tone: Tone = status.mode === 'SAFE_MODE' || status.risk?.veto_armed ? 'fail' : status.mode === 'NORMAL' && !broken.length ? 'ok' : 'watch';
  return { tone, broken: broken.length ? `${broken.join('. ')}.` : 'Nothing is broken.', doing: doing.join(' '), desk };
}

/**
 * How a degraded mode gets back to NORMAL, and what it waits on: a gate can sit under the
 * recovery line with nothing broken (on readings it never gets), and the trader needs to see it.
 */
export function wayBack(status: GuardianStatus): string | null {
  const r = status.recovery;
  if (status.mode === 'NORMAL' || !r) return null;
  if (status.controls?.kill_switch_engaged) return 'Stays in SAFE_MODE until an operator releases the kill switch.';
  if (status.controls?.pinned_mode) return `Stays in ${status.mode} while an operator's pin holds it.`;
  if (status.mode === 'SAFE_MODE' && status.policy.safe_mode_exit === 'operator') return 'Stays in SAFE_MODE until an operator takes it out (the policy leaves that to the desk).';
  const { recover_threshold: line, dwell_seconds: dwell } = status.policy;
  if (r.blockers.length) {
    const shown = r.blockers.slice(0, 2).join('; ') + (r.blockers.length > 2 ? `; and ${r.blockers.length - 2} more` : '');
    return `Back to NORMAL once every gate holds ${line} for ${dwell} s; under it now: ${shown}.`;
  }
  if (r.clean_for_s !== null) return `Back to NORMAL in about ${fmtDuration(Math.max(0, dwell - r.clean_for_s))}: every gate clean for ${fmtDuration(r.clean_for_s)} of ${dwell} s.`;
  return null;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

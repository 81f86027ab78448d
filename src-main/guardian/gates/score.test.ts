import { describe, expect, it } from 'vitest';
import { describeConstraint, gatePolicy, gateStatus, scoreGate, scoreGates, type ConstraintResult, type GateName } from './index';

type Outcome = 'pass' | 'warn' | 'crit' | 'unknown' | 'unknown-crit';
let seq = 0;
function c(gate: GateName, outcome: Outcome, extra: Partial<ConstraintResult> = {}): ConstraintResult {
  const base = { id: `${gate}-${++seq}`, gate, explanation: 'fixture' };
  switch (outcome) {
    case 'pass': return { ...base, severity: 'warning', status: 'pass', ...extra };
    case 'warn': return { ...base, severity: 'warning', status: 'fail', ...extra };
    case 'crit': return { ...base, severity: 'critical', status: 'fail', ...extra };
    case 'unknown': return { ...base, severity: 'warning', status: 'unknown', missing: ['x'], ...extra };
    case 'unknown-crit': return { ...base, severity: 'critical', status: 'unknown', missing: ['x'], ...extra };
  }
}
const allPass = (gate: GateName) => [c(gate, 'pass')];

describe('scoreGate', () => {
  it('is the mean of pass 100 / failed warning 60 / failed critical 0', () => {
    expect(scoreGate('market_quality', [c('market_quality', 'pass'), c('market_quality', 'warn')]).score).toBe(80);
    expect(scoreGate('market_quality', [c('market_quality', 'warn'), c('market_quality', 'warn'), c('market_quality', 'pass')]).score).toBeCloseTo(73.333, 3);
  });

  it('caps a gate with a failed critical at 40, and keeps the failing constraint with its value', () => {
    const corr = c('risk_management', 'crit', { id: 'portfolio_correlation', value: 0.82, limit: 0.7 });
    const g = scoreGate('risk_management', [c('risk_management', 'pass'), c('risk_management', 'pass'), c('risk_management', 'pass'), corr]);
    // mean (100 + 100 + 100 + 0) / 4 = 75, capped to 40
    expect(g.score).toBe(40);
    expect(g.capped).toBe(true);
    expect(g.status).toBe('red');
    expect(g.failing).toEqual([corr]);
    expect(g.counts).toEqual({ total: 4, pass: 3, failed_warning: 0, failed_critical: 1, unknown: 0 });
  });

  it('leaves a mean already below the cap alone', () => {
    const g = scoreGate('risk_management', [c('risk_management', 'crit'), c('risk_management', 'warn')]);
    expect(g.score).toBe(30);
    expect(g.capped).toBe(false);
  });

  it('counts unknown as a failed warning: never as pass, never as a failure, never capping', () => {
    const blind = c('risk_management', 'unknown-crit');
    const g = scoreGate('risk_management', [c('risk_management', 'pass'), blind]);
    expect(g.score).toBe(80);
    expect(g.capped).toBe(false);
    expect(g.failing).toEqual([]);
    expect(g.unknown).toEqual([blind]);
  });

  it('scores a gate that sees nothing at 60 (red), and a gate with no results as unknown', () => {
    expect(scoreGate('system_health', [c('system_health', 'unknown'), c('system_health', 'unknown')])).toMatchObject({ score: 60, status: 'red' });
    expect(scoreGate('system_health', [c('market_quality', 'pass')])).toMatchObject({ score: null, status: 'unknown' });
  });
});

describe('gateStatus', () => {
  it('is green >= 85, amber 70-84, red < 70', () => {
    expect([85, 84.99, 70, 69.99].map((s) => gateStatus(s))).toEqual(['green', 'amber', 'amber', 'red']);
    expect(gateStatus(null)).toBe('unknown');
  });
});

describe('scoreGates', () => {
  it('weights the gates 1.0 / 1.5 / 1.0 / 1.2 (hand-computed fixture)', () => {
    const report = scoreGates([
      c('market_quality', 'pass'), c('market_quality', 'warn'), // 80
      c('risk_management', 'pass'), c('risk_management', 'pass'), c('risk_management', 'crit'), // 66.7 capped to 40
      ...allPass('system_health'), // 100
      c('broker_connectivity', 'unknown'), c('broker_connectivity', 'pass'), // 80
    ]);
    // (80 * 1.0 + 40 * 1.5 + 100 * 1.0 + 80 * 1.2) / 4.7 = 336 / 4.7
    expect(report.overall).toBeCloseTo(71.4894, 4);
    expect(report.approved).toBe(false);
    expect(report.reasons).toEqual(['overall 71.49 < 80']);
  });

  it('approves at 80, but needs 85 in a high-volatility regime', () => {
    const results = [
      c('market_quality', 'pass'), c('market_quality', 'warn'), // 80
      c('risk_management', 'warn'), // 60
      ...allPass('system_health'),
      ...allPass('broker_connectivity'),
    ];
    // (80 + 60 * 1.5 + 100 + 100 * 1.2) / 4.7 = 390 / 4.7 = 82.98; an unweighted mean would be 85.
    const normal = scoreGates(results);
    expect(normal.overall).toBeCloseTo(82.9787, 4);
    expect(normal.approved).toBe(true);
    expect(normal.reasons).toEqual([]);
    const stormy = scoreGates(results, { high_volatility: true });
    expect(stormy.approve_at).toBe(85);
    expect(stormy.approved).toBe(false);
    expect(stormy.reasons).toEqual(['overall 82.98 < 85 (high-volatility regime)']);
  });

  it('approves exactly at the threshold', () => {
    // market 60, others 100: (60 + 150 + 100 + 120) / 4.7 = 91.49; lower the bar to meet it exactly.
    const results = [c('market_quality', 'warn'), ...allPass('risk_management'), ...allPass('system_health'), ...allPass('broker_connectivity')];
    const overall = scoreGates(results).overall ?? 0;
    expect(scoreGates(results, { policy: gatePolicy({ approve_at: overall }) }).approved).toBe(true);
  });

  it('follows DESIGN.md literally: one capped critical gate can still be approved unless the policy says otherwise', () => {
    const results = [
      ...allPass('market_quality'),
      c('risk_management', 'pass'), c('risk_management', 'pass'), c('risk_management', 'pass'),
      c('risk_management', 'crit', { id: 'portfolio_correlation', value: 0.82, limit: 0.7 }),
      ...allPass('system_health'),
      ...allPass('broker_connectivity'),
    ];
    // (100 + 40 * 1.5 + 100 + 100 * 1.2) / 4.7 = 380 / 4.7 = 80.85
    expect(scoreGates(results)).toMatchObject({ approved: true });
    const strict = scoreGates(results, { policy: gatePolicy({ critical_blocks_approval: true }) });
    expect(strict.approved).toBe(false);
    expect(strict.reasons).toEqual(['risk_management: portfolio_correlation 0.82 (limit 0.7), failed critical']);
  });

  it('leaves a gate without results out of the mean but refuses approval for it', () => {
    const report = scoreGates([...allPass('market_quality'), ...allPass('risk_management'), ...allPass('broker_connectivity')]);
    expect(report.overall).toBe(100);
    expect(report.gates.system_health.status).toBe('unknown');
    expect(report.approved).toBe(false);
    expect(report.reasons).toEqual(['system_health: no constraint results, so its health is unknown']);
    expect(scoreGates([])).toMatchObject({ overall: null, approved: false });
  });

  it('honours configured weights', () => {
    const results = [c('market_quality', 'warn'), ...allPass('risk_management'), ...allPass('system_health'), ...allPass('broker_connectivity')];
    const policy = gatePolicy({ weights: { market_quality: 3, risk_management: 1, system_health: 1, broker_connectivity: 1 } });
    // (60 * 3 + 100 + 100 + 100) / 6 = 80
    expect(scoreGates(results, { policy }).overall).toBe(80);
  });
});

describe('gatePolicy', () => {
  it('refuses figures that would let a blind or failing constraint rank as health', () => {
    expect(() => gatePolicy({ contribution: { pass: 100, failed_warning: 60, failed_critical: 0, unknown: 100 } })).toThrow(/unknown < pass/);
    expect(() => gatePolicy({ weights: { market_quality: 0, risk_management: 1.5, system_health: 1, broker_connectivity: 1.2 } })).toThrow(/weights.market_quality/);
    expect(() => gatePolicy({ approve_at: 120 })).toThrow(/approve_at/);
  });
});

describe('describeConstraint', () => {
  it('gives the value against the limit, or what was missing', () => {
    expect(describeConstraint(c('market_quality', 'warn', { id: 'spread', value: 3.14159, limit: 2.4 }))).toBe('spread 3.14 (limit 2.4), failed warning');
    expect(describeConstraint(c('market_quality', 'unknown', { id: 'spread', missing: ['spread_pips'] }))).toBe('spread unknown (missing spread_pips)');
  });
});

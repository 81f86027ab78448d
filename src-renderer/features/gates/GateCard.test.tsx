// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { GateDetail } from '../../../src-shared/contract';
import { scoreTone } from '../../ui/tone';
import { GateCard } from './GateCard';

afterEach(cleanup);

describe('gate colour thresholds', () => {
  it.each([
    [69.9, 'fail', 'Failing'],
    [70, 'watch', 'Watch'],
    [84.9, 'watch', 'Watch'],
    [85, 'ok', 'Healthy'],
    [100, 'ok', 'Healthy'],
    [0, 'fail', 'Failing'],
  ] as const)('score %s is %s ("%s")', (score, tone, word) => {
    expect(scoreTone(score)).toBe(tone);
    const { container } = render(<GateCard name="system_health" score={score} detail={null} spark={false} />);
    const card = container.querySelector('.gate-card')!;
    expect(card.getAttribute('data-tone')).toBe(tone);
    expect(card.classList.contains(`tone-${tone}`)).toBe(true);
    expect(screen.getByText(word)).toBeTruthy();
  });

  it('has no colour for a missing score', () => {
    expect(scoreTone(null)).toBe('idle');
    expect(scoreTone(Number.NaN)).toBe('idle');
  });
});

describe('GateCard', () => {
  const detail: GateDetail = {
    name: 'broker_connectivity', score: 58.9, weight: 1.2,
    key_metrics: [{ name: 'broker rtt', value: 61, unit: 'ms', label: 'Round trip to the broker server', budget: 100 }],
    failing: [{
      id: 'bridge_latency_vs_p95', severity: 'warning', value: 210, limit: 150, unit: 'ms',
      explanation: 'Socket latency 210 ms is over 1.25x its p95 baseline.', next_step: 'Orders go over the pipe while the socket is repaired.',
    }],
  };

  it('lists failing constraints with value and limit, and the next step', () => {
    render(<GateCard name="broker_connectivity" score={58.9} detail={detail} spark={false} />);
    expect(screen.getByText('bridge_latency_vs_p95')).toBeTruthy();
    expect(screen.getByText('210 ms')).toBeTruthy();
    expect(screen.getByText('/ 150')).toBeTruthy();
    expect(screen.getByText('Orders go over the pipe while the socket is repaired.')).toBeTruthy();
  });

  it('explains every number in a tooltip', () => {
    render(<GateCard name="broker_connectivity" score={58.9} detail={detail} spark={false} />);
    expect(screen.getByText('61 ms').getAttribute('title')).toBe('Round trip to the broker server = 61 ms, budget 100 ms');
    expect(screen.getByText('58.9').getAttribute('title')).toContain('Broker connectivity score');
  });

  it('says so when every constraint passes', () => {
    render(<GateCard name="market_quality" score={94} detail={{ ...detail, name: 'market_quality', failing: [] }} spark={false} />);
    expect(screen.getByText('All constraints pass')).toBeTruthy();
  });

  it('does not call a gate clean when constraints could not be judged: it names what is missing', () => {
    render(<GateCard name="market_quality" score={84} detail={{
      ...detail, name: 'market_quality', failing: [],
      unknown: [{ id: 'spread_vs_normal', missing: ['normal_spread_pips'], explanation: 'missing normal_spread_pips' }],
    }} spark={false} />);
    expect(screen.queryByText('All constraints pass')).toBeNull();
    expect(screen.getByText(/1 constraint not judged: no Normal spread/)).toBeTruthy();
  });

  it("shows a metric in words, with the variable's name in the tooltip", () => {
    render(<GateCard name="broker_connectivity" score={92} detail={{ ...detail, key_metrics: [{ name: 'p95_bridge_latency_ms', value: 13, unit: 'ms', label: 'p95' }] }} spark={false} />);
    expect(screen.getByText('Bridge latency p95').getAttribute('title')).toBe('p95_bridge_latency_ms');
  });

  it('shows the explanation of a failing compound condition, which has no one value against a limit', () => {
    render(<GateCard name="risk_management" score={80} detail={{
      ...detail, name: 'risk_management',
      failing: [{ id: 'profit_factor_floor', severity: 'warning', value: Number.NaN, limit: Number.NaN, explanation: 'closed_trades 35 >= 20 and profit_factor 0.9 < 1', next_step: 'Review the strategy.' }],
    }} spark={false} />);
    expect(screen.getByText('closed_trades 35 >= 20 and profit_factor 0.9 < 1')).toBeTruthy();
    expect(screen.queryByText('/ —')).toBeNull();
    // Laid out on two lines (id, then explanation): side by side, a 300 px card cut the id to "profi".
    const row = screen.getByText('profit_factor_floor').closest('li')!;
    expect(row.classList.contains('compound')).toBe(true);
    expect(screen.getByText('profit_factor_floor').className).toBe('fc-name');
  });
});

// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithDeck } from '../../test-utils';
import { ManifestPanel } from './ManifestPanel';
import { TruthPanel } from './TruthPanel';
import { fmtWire, toneOf } from './truthWords';

afterEach(cleanup);

describe('the truth panel', () => {
  it('writes infinity as ∞ and a figure without data as —', () => {
    expect(fmtWire('inf')).toBe('∞');
    expect(fmtWire(null)).toBe('—');
    expect(fmtWire(4.8, 2, '%')).toBe('4.8%');
    expect(fmtWire(1843.2)).toBe('1,843.2');
  });

  it('colours the five headline figures by their limits; no data is idle', () => {
    const base = { trades: 0, net_pnl: 0, profit_factor: null, max_drawdown_pct: null, var95_pct: null, consecutive_losses: 0, reject_rate_pct: null };
    const m = (over: object) => ({ ...base, ...over }) as Parameters<typeof toneOf>[1];
    expect(toneOf('profit_factor', m({}))).toBe('idle');
    expect(toneOf('profit_factor', m({ profit_factor: 'inf' }))).toBe('ok');
    expect(toneOf('profit_factor', m({ profit_factor: 0.8 }))).toBe('fail');
    expect(toneOf('max_drawdown_pct', m({ max_drawdown_pct: 10 }))).toBe('watch');
    expect(toneOf('consecutive_losses', m({ consecutive_losses: 5 }))).toBe('fail');
    expect(toneOf('net_pnl', m({}))).toBe('idle');
  });

  it('shows the headline figures and the manifest from the client', async () => {
    await renderWithDeck(<><TruthPanel /><ManifestPanel /></>);
    await waitFor(() => expect(screen.getByText('profit factor')).toBeTruthy());
    expect(screen.getByText('1.41')).toBeTruthy();
    expect(screen.getByText('4.8%')).toBeTruthy();
    await waitFor(() => expect(screen.getByText('2dc368c0d1e2')).toBeTruthy());
  });
});

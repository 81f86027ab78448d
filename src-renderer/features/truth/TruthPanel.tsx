// The trading truth, readable in five seconds: the five figures that say whether the strategy is
// healthy across the top (net P&L, profit factor, max drawdown, VaR, losing streak), the rest in
// a compact table below. Computed by Guardian from the raw TRADE events (GET /api/truth).
import { useEffect, useState } from 'react';
import type { TruthReport } from '../../../src-shared/contract';
import { useClient } from '../../client';
import { Panel } from '../../ui/Panel';
import { fmtSpan, fmtWire, toneOf, type Tone } from './truthWords';
import './truth.css';

const REFRESH_MS = 5000;

function Big({ label, value, tone, tip }: { label: string; value: string; tone: Tone; tip: string }) {
  return (
    <div className={`truth-big tone-${tone}`} title={tip}>
      <span className="truth-value">{value}</span>
      <span className="truth-label">{label}</span>
    </div>
  );
}

export function TruthPanel() {
  const client = useClient();
  const [report, setReport] = useState<TruthReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => client.call('truth', {})
      .then((r) => { if (live) { setReport(r); setError(null); } })
      .catch((err: unknown) => { if (live) setError(err instanceof Error ? err.message : String(err)); });
    void load();
    const t = setInterval(() => void load(), REFRESH_MS);
    return () => { live = false; clearInterval(t); };
  }, [client]);

  if (!report) {
    return <Panel title="Trading truth" icon="shield" className="truth"><p className="muted">{error ? `Not available: ${error}` : 'Loading…'}</p></Panel>;
  }
  const m = report.metrics;
  return (
    <Panel title="Trading truth" icon="shield" className="truth">
      <div className="truth-row">
        <Big label="net P&L" value={fmtWire(m.net_pnl)} tone={toneOf('net_pnl', m)} tip={`Sum of closed trades' net P&L (pnl + commission + swap); fees paid ${fmtWire(m.fees)}`} />
        <Big label="profit factor" value={fmtWire(m.profit_factor)} tone={toneOf('profit_factor', m)} tip="Wins over |losses|; ∞ with no losing trade, — with no trade" />
        <Big label="max drawdown" value={fmtWire(m.max_drawdown_pct, 2, '%')} tone={toneOf('max_drawdown_pct', m)} tip={`Largest fall of equity from a peak; lasted ${fmtSpan(m.max_drawdown_duration_s)}${m.max_drawdown_recovered === false ? ', not recovered yet' : ''}`} />
        <Big label="VaR 95% (1 day)" value={fmtWire(m.var95_pct, 2, '%')} tone={toneOf('var95_pct', m)} tip={`Historical, from ${m.return_days} daily returns (needs 2); expected shortfall ${fmtWire(m.es95_pct, 2, '%')}`} />
        <Big label="losses in a row" value={String(m.consecutive_losses)} tone={toneOf('consecutive_losses', m)} tip={`Longest run so far: ${m.max_consecutive_losses}`} />
      </div>
      <table className="truth-table">
        <tbody>
          <tr>
            <th>Trades</th><td>{m.trades} ({m.wins} won, {m.losses} lost)</td>
            <th>Win rate</th><td>{fmtWire(m.win_rate_pct, 1, '%')}</td>
            <th>Expectancy</th><td>{fmtWire(m.expectancy)}</td>
          </tr>
          <tr>
            <th>Avg win / loss</th><td>{fmtWire(m.avg_win)} / {fmtWire(m.avg_loss)}</td>
            <th>Sharpe</th><td>{fmtWire(m.sharpe)}</td>
            <th>Sortino</th><td>{fmtWire(m.sortino)}</td>
          </tr>
          <tr>
            <th>Drawdown now</th><td>{fmtWire(m.drawdown_pct, 2, '%')}</td>
            <th>Reject rate</th><td className={`tone-${toneOf('reject_rate_pct', m)}`}>{fmtWire(m.reject_rate_pct, 1, '%')} of {m.orders}</td>
            <th>Avg slippage</th><td>{fmtWire(m.avg_slippage_bps, 2, ' bps')}</td>
          </tr>
          <tr>
            <th>Held</th><td colSpan={3}>{m.symbols_held.length ? m.symbols_held.join(', ') : 'no open position'}</td>
            <th>Max correlation</th><td title={m.correlations.map((c) => `${c.a}/${c.b}: ${fmtWire(c.correlation)}`).join('\n') || 'fewer than two symbols held'}>{fmtWire(m.max_correlation)}</td>
          </tr>
        </tbody>
      </table>
      <p className="truth-source muted">{report.source}</p>
    </Panel>
  );
}

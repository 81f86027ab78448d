// The SLO strip: bridge RTT, ack latency, spread, slippage and error-budget burn, each with its
// budget, a state word and a 15-minute sparkline.
import { useGuardian, selectSlo, type SeriesName } from '../../store';
import { Num } from '../../ui/Num';
import { Sparkline } from '../../ui/Sparkline';
import { StateTag } from '../../ui/StateTag';
import { budgetTone } from '../../ui/tone';
import './slo.css';

interface Tile { series: SeriesName; title: string; label: string; unit: string; digits: number; value: number | null; budget: number | null }

const WORD = { ok: 'Within', watch: 'Near', fail: 'Over', idle: 'No data', info: '' } as const;

export function SloStrip() {
  const slo = useGuardian(selectSlo);
  const budgets = useGuardian((s) => s.budgets);
  const spreadBudget = slo?.spread_normal_pips != null ? slo.spread_normal_pips * budgets.spread_multiple : null;
  const tiles: Tile[] = [
    { series: 'bridge_rtt_p95_ms', title: 'Bridge RTT p95', label: 'p95 bridge round trip over the last 5 min', unit: 'ms', digits: 0, value: slo?.bridge_rtt_p95_ms ?? null, budget: budgets.bridge_rtt_p95_ms },
    { series: 'ack_latency_p95_ms', title: 'Ack latency p95', label: 'p95 time from send to acknowledgement over the last 5 min', unit: 'ms', digits: 0, value: slo?.ack_latency_p95_ms ?? null, budget: budgets.ack_latency_p95_ms },
    { series: 'spread_pips', title: 'Spread', label: `EURUSD spread now (normal ${slo?.spread_normal_pips ?? '—'} pips)`, unit: 'pips', digits: 1, value: slo?.spread_pips ?? null, budget: spreadBudget },
    { series: 'slippage_bps', title: 'Slippage', label: 'Average slippage of the last 20 fills', unit: 'bps', digits: 1, value: slo?.slippage_bps ?? null, budget: budgets.slippage_bps },
    { series: 'error_budget_burn', title: 'Error-budget burn', label: 'Error-budget burn rate (1x spends the budget exactly over its window)', unit: 'x', digits: 1, value: slo?.error_budget_burn ?? null, budget: budgets.error_budget_burn },
  ];
  return (
    <section className="slo-strip" aria-label="Service levels">
      {tiles.map((t) => {
        const tone = budgetTone(t.value, t.budget);
        return (
          <div key={t.series} className={`slo-tile tone-${tone}`}>
            {/* The state word sits by the budget it is judged against, so that the title keeps the
                tile's whole width (beside the word it was cut to "Bridge RTT p..." at 1280 px). */}
            <div className="slo-title" title={t.label}>{t.title}</div>
            <div className="slo-body">
              <Num className="slo-value" value={t.value} unit={t.unit} digits={t.digits} label={t.label} budget={t.budget} />
              <Sparkline series={t.series} label={t.title} width={130} height={30} reference={t.budget ?? undefined} digits={t.digits} className={`tone-${tone}`} />
            </div>
            <div className="slo-foot">
              <span className="slo-budget dim">budget <Num value={t.budget} unit={t.unit} label={`${t.title} budget`} /></span>
              <StateTag tone={tone} word={WORD[tone]} title={tone === 'fail' ? 'Over budget' : tone === 'watch' ? 'Within 20% of the budget' : 'Within budget'} />
            </div>
          </div>
        );
      })}
    </section>
  );
}

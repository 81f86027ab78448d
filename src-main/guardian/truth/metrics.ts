// The trading truth as pure functions: closed trades, order outcomes and the equity curve in,
// figures out. No I/O, no clock: the journal (journal.ts) assembles the input.
//
// Conventions (the README's "Trading truth" repeats them):
// - A trade's net P&L is pnl + commission + swap (MT4 signs: a cost is negative). Win: net > 0;
//   loss: net < 0; a trade at exactly 0 is neither, but it counts as a trade.
// - Daily returns are r_d = E_d / E_(d-1) - 1 over the last equity seen on each UTC day.
// - Sharpe and Sortino are annualised with sqrt(252). With fewer than 2 daily returns both are
//   NaN (not enough data); Sharpe is NaN with zero dispersion; Sortino is +Infinity with no losing
//   day and a positive mean, NaN with a zero mean and no losing day.
// - VaR and ES are historical, one day, 95%: the returns sorted ascending, k = ceil(5% of n), VaR
//   the loss at the k-th worst return, ES the mean loss of the k worst; both as positive percent,
//   floored at 0 (a tail of gains is no loss). Fewer than 2 returns: NaN.
// - Profit factor: sum of wins / |sum of losses|: +Infinity with wins and no loss, 0 with losses
//   and no win, NaN with neither.

export interface ClosedTrade {
  ticket: number;
  symbol: string;
  /** Gross P&L as the EA reports it (MT4 OrderProfit). */
  pnl: number;
  /** Signed as MT4 reports them: a cost is negative. */
  commission: number;
  swap: number;
  closed_ms: number;
}

export interface OrderOutcome {
  kind: 'fill' | 'broker_reject';
  /** Absolute slippage of a fill in bps of its price; NaN when the EA did not say. */
  slippage_bps: number;
}

export interface EquityPoint {
  ts_ms: number;
  equity: number;
}

export interface TruthInput {
  /** In close order. */
  trades: readonly ClosedTrade[];
  orders: readonly OrderOutcome[];
  /** The equity curve in time order (STATUS samples). */
  equity: readonly EquityPoint[];
  /** The highest equity ever seen (persisted), beyond the curve's own peak. */
  peak_equity?: number;
  /** Symbols with an open position. */
  symbols_held: readonly string[];
  /** Days of daily P&L per symbol the correlation reads. */
  correlation_days: number;
}

export interface DrawdownFigures {
  max_drawdown_pct: number;
  max_drawdown_duration_s: number;
  recovered: boolean;
}

export interface TruthMetrics {
  trades: number;
  wins: number;
  losses: number;
  win_rate_pct: number;
  net_pnl: number;
  fees: number;
  expectancy: number;
  profit_factor: number;
  avg_win: number;
  avg_loss: number;
  return_days: number;
  sharpe: number;
  sortino: number;
  max_drawdown_pct: number;
  max_drawdown_duration_s: number;
  max_drawdown_recovered: boolean | null;
  drawdown_pct: number;
  var95_pct: number;
  es95_pct: number;
  consecutive_losses: number;
  max_consecutive_losses: number;
  reject_rate_pct: number;
  orders: number;
  avg_slippage_bps: number;
  symbols_held: string[];
  correlations: { a: string; b: string; correlation: number }[];
  max_correlation: number;
}

const DAY_MS = 86_400_000;
export const TRADING_DAYS = 252;

export const netOf = (t: ClosedTrade): number => t.pnl + t.commission + t.swap;

const mean = (xs: readonly number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Sample standard deviation (n - 1); NaN with fewer than 2 values. */
export function sampleStdev(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

export function sharpeRatio(returns: readonly number[]): number {
  if (returns.length < 2) return Number.NaN;
  const sd = sampleStdev(returns);
  if (!(sd > 0)) return Number.NaN;
  return (mean(returns) / sd) * Math.sqrt(TRADING_DAYS);
}

export function sortinoRatio(returns: readonly number[]): number {
  if (returns.length < 2) return Number.NaN;
  const m = mean(returns);
  // Downside deviation against a target of 0, over every observation (days without loss count as 0).
  const downside = Math.sqrt(returns.reduce((a, r) => a + Math.min(r, 0) ** 2, 0) / returns.length);
  if (downside === 0) return m > 0 ? Infinity : Number.NaN;
  return (m / downside) * Math.sqrt(TRADING_DAYS);
}

/** Historical VaR and expected shortfall at `level` (0.95), as positive percentages of a day. */
export function historicalVarEs(returns: readonly number[], level = 0.95): { var_pct: number; es_pct: number } {
  if (returns.length < 2) return { var_pct: Number.NaN, es_pct: Number.NaN };
  const sorted = [...returns].sort((a, b) => a - b);
  const k = Math.max(1, Math.ceil((1 - level) * sorted.length - 1e-9));
  const tail = sorted.slice(0, k);
  const at = sorted[k - 1]!;
  return { var_pct: Math.max(0, -at * 100), es_pct: Math.max(0, -mean(tail) * 100) };
}

/** The last equity of each UTC day, in day order. */
export function dailyCloses(points: readonly EquityPoint[]): { day: string; equity: number }[] {
  // Whole UTC days as integers: a year of minute samples is half a million points.
  const byDay = new Map<number, number>();
  for (const p of points) if (Number.isFinite(p.equity)) byDay.set(Math.floor(p.ts_ms / DAY_MS), p.equity);
  return [...byDay].sort(([a], [b]) => a - b).map(([day, equity]) => ({ day: new Date(day * DAY_MS).toISOString().slice(0, 10), equity }));
}

export function dailyReturns(points: readonly EquityPoint[]): number[] {
  const closes = dailyCloses(points);
  const out: number[] = [];
  for (let i = 1; i < closes.length; i++) {
    const before = closes[i - 1]!.equity;
    if (before > 0) out.push(closes[i]!.equity / before - 1);
  }
  return out;
}

/**
 * The largest fall from a running peak (percent of the peak) and how long that episode lasted: from
 * the peak to the first point back at or above it, or to the last point if equity is still below.
 */
export function maxDrawdown(points: readonly EquityPoint[]): DrawdownFigures | null {
  const pts = points.filter((p) => Number.isFinite(p.equity) && p.equity > 0);
  if (pts.length === 0) return null;
  let peak = pts[0]!;
  let worst = { pct: 0, peak, trough: peak };
  for (const p of pts) {
    if (p.equity > peak.equity) peak = p;
    const pct = ((peak.equity - p.equity) / peak.equity) * 100;
    if (pct > worst.pct) worst = { pct, peak, trough: p };
  }
  if (worst.pct === 0) return { max_drawdown_pct: 0, max_drawdown_duration_s: 0, recovered: true };
  const recovery = pts.find((p) => p.ts_ms > worst.trough.ts_ms && p.equity >= worst.peak.equity);
  const end = recovery ?? pts[pts.length - 1]!;
  return { max_drawdown_pct: worst.pct, max_drawdown_duration_s: (end.ts_ms - worst.peak.ts_ms) / 1000, recovered: recovery !== undefined };
}

/** Losing trades in a row counted back from the latest, and the longest run. A 0 trade breaks neither. */
export function lossStreaks(nets: readonly number[]): { current: number; max: number } {
  let run = 0;
  let max = 0;
  for (const n of nets) {
    if (n < 0) run++;
    else if (n > 0) run = 0;
    max = Math.max(max, run);
  }
  return { current: run, max };
}

export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  if (n < 2) return Number.NaN;
  const ma = mean(a.slice(0, n));
  const mb = mean(b.slice(0, n));
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN;
}

/** A pair's correlation needs this many days on which either symbol closed a trade; fewer read as undefined (a spurious ±1). */
export const MIN_CORRELATION_DAYS = 5;

/** Pairwise correlation of the held symbols' daily net P&L over the last `days` UTC days before the newest close. */
export function symbolCorrelations(trades: readonly ClosedTrade[], held: readonly string[], days: number): { a: string; b: string; correlation: number }[] {
  const symbols = [...new Set(held)].sort();
  if (symbols.length < 2 || trades.length === 0) return symbols.length < 2 ? [] : pairs(symbols).map(([a, b]) => ({ a, b, correlation: Number.NaN }));
  const lastDay = Math.floor(Math.max(...trades.map((t) => t.closed_ms)) / DAY_MS);
  const first = lastDay - days + 1;
  const series = new Map(symbols.map((s) => [s, new Array<number>(days).fill(0)]));
  for (const t of trades) {
    const d = Math.floor(t.closed_ms / DAY_MS) - first;
    const s = series.get(t.symbol);
    if (s && d >= 0 && d < days) s[d]! += netOf(t);
  }
  const active = new Map(symbols.map((sym) => [sym, new Set<number>()]));
  for (const t of trades) {
    const d = Math.floor(t.closed_ms / DAY_MS) - first;
    if (d >= 0 && d < days) active.get(t.symbol)?.add(d);
  }
  return pairs(symbols).map(([a, b]) => {
    const days_active = new Set([...active.get(a)!, ...active.get(b)!]).size;
    return { a, b, correlation: days_active >= MIN_CORRELATION_DAYS ? pearson(series.get(a)!, series.get(b)!) : Number.NaN };
  });
}

function pairs(xs: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) out.push([xs[i]!, xs[j]!]);
  return out;
}

export function computeTruth(input: TruthInput): TruthMetrics {
  const nets = input.trades.map(netOf);
  const wins = nets.filter((n) => n > 0);
  const losses = nets.filter((n) => n < 0);
  const sumWins = wins.reduce((a, b) => a + b, 0);
  const sumLosses = losses.reduce((a, b) => a + b, 0);
  const net = nets.reduce((a, b) => a + b, 0);
  const fees = -input.trades.reduce((a, t) => a + t.commission + t.swap, 0);
  const profitFactor = losses.length > 0 ? sumWins / -sumLosses : wins.length > 0 ? Infinity : Number.NaN;

  const returns = dailyReturns(input.equity);
  const { var_pct, es_pct } = historicalVarEs(returns);
  const dd = maxDrawdown(input.equity);
  const lastEquity = input.equity.length ? input.equity[input.equity.length - 1]!.equity : Number.NaN;
  const curvePeak = input.equity.reduce((m, p) => (p.equity > m ? p.equity : m), Number.NEGATIVE_INFINITY);
  const peak = Math.max(curvePeak, input.peak_equity ?? Number.NEGATIVE_INFINITY);
  const drawdownNow = peak > 0 && Number.isFinite(lastEquity) ? Math.max(0, ((peak - lastEquity) / peak) * 100) : Number.NaN;
  // The persisted peak may stand above the curve (a restart, a peak between minute samples): the drawdown now is then the maximum.
  if (dd && drawdownNow > dd.max_drawdown_pct) {
    dd.max_drawdown_pct = drawdownNow;
    dd.recovered = false;
  }
  const streak = lossStreaks(nets);

  const fills = input.orders.filter((o) => o.kind === 'fill');
  const rejects = input.orders.length - fills.length;
  const slips = fills.map((f) => f.slippage_bps).filter(Number.isFinite);

  const correlations = symbolCorrelations(input.trades, input.symbols_held, input.correlation_days);
  const known = correlations.map((c) => Math.abs(c.correlation)).filter(Number.isFinite);

  const round = (v: number, places = 6) => (Number.isFinite(v) ? Number(v.toFixed(places)) : v);
  return {
    trades: nets.length,
    wins: wins.length,
    losses: losses.length,
    win_rate_pct: nets.length ? round((wins.length / nets.length) * 100) : Number.NaN,
    net_pnl: round(net, 2),
    fees: round(fees, 2),
    expectancy: nets.length ? round(net / nets.length, 4) : Number.NaN,
    profit_factor: round(profitFactor),
    avg_win: wins.length ? round(sumWins / wins.length, 4) : Number.NaN,
    avg_loss: losses.length ? round(sumLosses / losses.length, 4) : Number.NaN,
    return_days: returns.length,
    sharpe: round(sharpeRatio(returns)),
    sortino: round(sortinoRatio(returns)),
    max_drawdown_pct: dd ? round(dd.max_drawdown_pct) : Number.NaN,
    max_drawdown_duration_s: dd ? dd.max_drawdown_duration_s : Number.NaN,
    max_drawdown_recovered: dd ? dd.recovered : null,
    drawdown_pct: round(drawdownNow),
    var95_pct: round(var_pct),
    es95_pct: round(es_pct),
    consecutive_losses: streak.current,
    max_consecutive_losses: streak.max,
    reject_rate_pct: input.orders.length ? round((rejects / input.orders.length) * 100) : Number.NaN,
    orders: input.orders.length,
    avg_slippage_bps: slips.length ? round(mean(slips), 4) : Number.NaN,
    symbols_held: [...new Set(input.symbols_held)].sort(),
    correlations: correlations.map((c) => ({ ...c, correlation: round(c.correlation) })),
    max_correlation: known.length ? round(Math.max(...known)) : Number.NaN,
  };
}

// The trading truth: the trade journal (every raw TRADE event, equity per minute, the equity peak)
// and the metrics computed from it by Guardian, never by the learning loop. Other parts import from here.
//
// Decisions worth knowing before using it:
// - computeTruth(input) is pure (metrics.ts says each formula and its edge cases); TradingTruth
//   feeds it from the journal and the router's events, and caches the result (min_compute_ms).
// - On the wire, Infinity is "inf" and an undefined figure null (contract truth.ts, WireNumber).
// - For the risk gate (readings()), an unbounded profit factor reads as UNBOUNDED_AS (1e6): the
//   condition language reads Infinity as missing.
export { TradingTruth, DEFAULT_TRUTH_OPTIONS, UNBOUNDED_AS, toWire, type TruthOptions } from './truth';
export { TradeJournal, type JournalTrade, type JournalEquity, type JournalWriter } from './journal';
export {
  computeTruth, sharpeRatio, sortinoRatio, historicalVarEs, maxDrawdown, dailyReturns, dailyCloses, lossStreaks, pearson,
  symbolCorrelations, sampleStdev, netOf, TRADING_DAYS, MIN_CORRELATION_DAYS,
  type ClosedTrade, type OrderOutcome, type EquityPoint, type TruthInput, type TruthMetrics, type DrawdownFigures,
} from './metrics';

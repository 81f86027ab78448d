// The pulse: one snapshot of the whole chain every pulse_ms, with rolling baselines and the
// 2-of-3 probe quorum. Other parts import from here only.
export { PulseSampler, DEFAULT_PULSE_OPTIONS, PULSE_VARIABLES } from './pulse';
export type { PulseOptions, PulseSettings, PulseSnapshot, PeerPulse, PathPulse, PathVerdictNow, TierPulse, PulseDeps, TruthFeed, PingEvent, TradeEvent, ExtraVar } from './pulse';
export { probeQuorum, DEFAULT_PROBE_BUDGET } from './quorum';
export type { ProbeBudget, ProbeReadings, ProbeVote, PathVerdict, QuorumResult } from './quorum';
export { RollingWindow, percentileOfSorted } from './rolling';
export type { RollingStats } from './rolling';
export { fxSession, fxMarketOpen, regimeOf } from './session';
export { TradeTracker, DEFAULT_TRADE_WINDOWS, rejectKind, slippageBps, pipSize, wilsonLower, MT4_REQUOTE } from './trades';
export type { TradeWindows, TradeFigures, RejectKind } from './trades';
export { EaFacts, DEFAULT_EA_FACT_OPTIONS, parseServerTime, constraintStateCode } from './ea-facts';
export type { EaFactOptions, EaFigures } from './ea-facts';
export { PathProbe, DEFAULT_PROBE_WINDOWS } from './probes';
export type { ProbeWindows } from './probes';
export { HostSampler } from './host';
export type { HostFigures, HostSamplerOptions, ProbeWriter } from './host';

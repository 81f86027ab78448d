// The only module that creates zustand stores.
export { createGuardianStore, CHART_INTERVAL_MS, type GuardianState, type GuardianStore, type GuardianActions } from './guardian';
export { StoreProvider, useGuardian, useGuardianShallow, useGuardianStore } from './react';
export { RingBuffer, downsample } from './ring';
export { SERIES, HISTORY_WINDOW_S, historyCapacity, type SeriesName, type History } from './history';
export * from './selectors';

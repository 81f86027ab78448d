// The peer protocol stack (the client side of GBP 1.2): the simulator, tests and the benchmark
// build their EAs and signal services on it.
export { PeerClient } from './peer-client';
export type { PeerOptions, PeerPaths, DeliveryInfo } from './options';
export type { PeerStats, PathStatsSnapshot } from './peer-stats';
export type { PeerFaults } from './faults';
export { openSimDatabase, type SimMigration } from './sim-db';

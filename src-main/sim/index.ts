// The simulator's door: the MT4 stand-in (EAs, signal services, fault injection) that Guardian's
// CLI, demo mode, benchmark and e2e suite drive.
export { PeerClient, openSimDatabase } from './peer';
export type { PeerOptions, PeerPaths, PeerStats, PathStatsSnapshot, DeliveryInfo, PeerFaults, SimMigration } from './peer';
export { SimulatedEa, EaFaults, mt4Time, type SimulatedEaOptions, type StatusResponse } from './ea';
export type { LedgerRow, Position } from './ea-store';
export { SimulatedSignalService, type SignalServiceOptions } from './signal-service';
export { WireFaults } from './wire-faults';
export { parseFaultSpec, FaultSpecError, type FaultSpec, type FaultTarget } from './fault-spec';
export { startSim, formatSimLine, type SimOptions, type SimHandle, type SimStats, type SimTotals } from './sim-runner';
export { runSim, SIM_USAGE, type SimIo } from './cli';
export { startDemoPeers, injectDemoFault, DEMO_FAULT_SPECS, type DemoOptions } from './demo';
export { FakeGuardian, type FakeGuardianOptions, type Arrival } from './testing/fake-guardian';

// The control plane's door: what the CLI, the Electron main process and tests may use.
export { createGuardian, defaultDataDir, type Guardian, type GuardianDeps, type DataPlaneStatus, type PeerStatus, type PipeListenerFactory } from './guardian';
export { loadGuardianConfig, parseGuardianConfig, ConfigError, DEFAULT_CONFIG_FILE, type GuardianConfig } from './config';
export { systemClock, ManualClock, type Clock } from './clock';
export { configForTests } from './config-for-tests';
// The console server (HTTP + WebSocket API, /metrics, the built console): see guardian/server.
export { startConsoleServer, GuardianConsole, loadOrCreateToken, defaultOperator, DEFAULT_WEB_ROOT, WEB_BUILD_COMMAND, webBuilt, type ConsoleServer, type ConsoleBackend, type FaultInjector } from './server';
// The control plane (issue 3): the loop pulse -> gates -> agents -> modes -> effects, with repairs.
export { createControlPlane, consolePort, type ControlPlane, type ControlPlaneSettings, type ControlStatus, type ControlEvent, type IncidentSink } from './control';
// Active/standby (issue 7): the lease, its fencing token, the standby's wait.
export { waitForLease, stepDownOnLoss, refuseIfAnotherIsActive, EXIT_STEPPED_DOWN, Leadership, type LeadershipSettings } from './leadership';
// Issue 6: every config file checked together; the run manifest; the trading truth.
export { assertConfigFiles, checkConfigFiles, defaultConfigFiles, formatProblem, type ConfigFiles, type ConfigProblem } from './config';
export { buildManifest, manifestLine } from './manifest';
export { TradingTruth } from './truth';

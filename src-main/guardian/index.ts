// The control plane's door: what the CLI, the Electron main process and tests may use.
export { createGuardian, defaultDataDir, type Guardian, type GuardianDeps, type DataPlaneStatus, type PeerStatus } from './guardian';
export { loadGuardianConfig, parseGuardianConfig, ConfigError, DEFAULT_CONFIG_FILE, type GuardianConfig } from './config';
export { systemClock, ManualClock, type Clock } from './clock';
export { configForTests } from './config-for-tests';

export { ConfigError, loadYamlConfig, parseYamlConfig } from './yaml-config';
export {
  loadGuardianConfig, parseGuardianConfig, resolveInDataDir, pipeAddress, CONFIG_DIR, DEFAULT_CONFIG_FILE,
  type GuardianConfig, type DurabilityConfig, type HaConfig,
} from './guardian-config';
// Every file in config/ checked together (schemas, ranges, cross-field rules), and watched while running.
export { checkConfigFiles, checkConfigFile, assertConfigFiles, defaultConfigFiles, filesOf, type ConfigFiles, type ConfigFileKind } from './config-set';
export { formatProblem, type ConfigProblem } from './problems';
export { ConfigWatcher, DEFAULT_CONFIG_WATCH, type ConfigChange, type ConfigWatchOptions } from './watch';
export { startConfigReload, CONFIG_FAMILY, type ConfigReloadOptions, type ConfigIncidentSink } from './live-reload';

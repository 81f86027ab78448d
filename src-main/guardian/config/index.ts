export { ConfigError, loadYamlConfig, parseYamlConfig } from './yaml-config';
export {
  loadGuardianConfig, parseGuardianConfig, resolveInDataDir, pipeAddress, CONFIG_DIR, DEFAULT_CONFIG_FILE,
  type GuardianConfig,
} from './guardian-config';

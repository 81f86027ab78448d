// A config for tests and benchmarks: the embedded defaults with free ports and paths inside
// the given data dir, so that runs never collide with each other or with a live Guardian.
import { loadGuardianConfig, type GuardianConfig } from './config';

export function configForTests(overrides: (c: GuardianConfig) => void = () => {}): GuardianConfig {
  const c = loadGuardianConfig();
  c.paths.socket.port = 0;
  c.api.port = 0; // the console API too (guardian/server): tests never take 8787
  c.status_line_ms = 0;
  c.store.outbox_retention_s = 0;
  overrides(c);
  return c;
}

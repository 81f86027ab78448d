// The typed shape of config/guardian.yaml (the schema is the source of truth for ranges).
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadYamlConfig, parseYamlConfig, ConfigError } from './yaml-config';

export interface GuardianConfig {
  node_id: string;
  paths: {
    socket: { enabled: boolean; host: string; port: number; allow_remote: boolean };
    pipe: { enabled: boolean; name: string; path?: string };
    spool: { enabled: boolean; dir: string; poll_ms: number; stale_ms: number };
  };
  protocol: {
    heartbeat_ms: number;
    silent_heartbeats: number;
    frame_timeout_ms: number;
    hello_timeout_ms: number;
    ack_delay_ms: number;
    max_frame_bytes: number;
    versions: string[];
    auth_failures_to_close: number;
    hmac_key_env?: string;
  };
  router: {
    window: number;
    resend_timeout_ms: number;
    switchback_healthy_ms: number;
    dual_write: boolean;
    signal_tier: 'primary' | 'cached' | 'heuristic';
    no_route_hold_s: number;
  };
  store: { file: string; inbox_retention_s: number; outbox_retention_s: number; prune_every_ms: number };
  /** The console and status API (HTTP + WebSocket + /metrics): loopback only, see guardian/server. */
  api: { enabled: boolean; host: string; port: number };
  status_line_ms: number;
  /** Mirror, snapshots, status file (guardian/durability); filled with the schema's defaults. */
  durability?: DurabilityConfig;
  /** Active/standby under a lease (guardian/leadership); filled with the schema's defaults. */
  ha?: HaConfig;
}

export interface HaConfig {
  enabled: boolean;
  lease_ms: number;
  renew_ms: number;
  dead_holder_takeover: boolean;
}

export interface DurabilityConfig {
  mirror: { path?: string; check_every_s: number; integrity_every_s: number };
  snapshots: { every_s: number; dir: string; keep: number };
  status_file: { enabled: boolean; file: string; every_ms: number };
}

/** The repo's config folder: the embedded defaults travel with the code. */
export const CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../config');
export const DEFAULT_CONFIG_FILE = join(CONFIG_DIR, 'guardian.yaml');
const SCHEMA_FILE = join(CONFIG_DIR, 'guardian.schema.json');

export function loadGuardianConfig(file = DEFAULT_CONFIG_FILE): GuardianConfig {
  return check(loadYamlConfig<GuardianConfig>(file, SCHEMA_FILE), file);
}

export function parseGuardianConfig(text: string, file = '<inline>'): GuardianConfig {
  return check(parseYamlConfig<GuardianConfig>(text, file, SCHEMA_FILE), file);
}

/** Rules a schema cannot say. */
function check(cfg: GuardianConfig, file: string): GuardianConfig {
  const problems: string[] = [];
  const host = cfg.paths.socket.host;
  const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host);
  if (!loopback && !cfg.paths.socket.allow_remote) {
    problems.push(`${file}: paths.socket.host is ${host}, not a loopback address; set paths.socket.allow_remote: true if Guardian must listen beyond this machine`);
  }
  const apiHost = cfg.api.host;
  if (apiHost !== 'localhost' && !/^127\./.test(apiHost)) {
    problems.push(`${file}: api.host is ${apiHost}: the console and its API listen on loopback only (127.0.0.1 or localhost)`);
  }
  if (!cfg.paths.socket.enabled && !cfg.paths.pipe.enabled && !cfg.paths.spool.enabled) {
    problems.push(`${file}: paths: every path is disabled; enable at least one of socket, pipe, spool`);
  }
  if (problems.length) throw new ConfigError(problems);
  return cfg;
}

export function resolveInDataDir(dataDir: string, p: string): string {
  return isAbsolute(p) ? p : join(dataDir, p);
}

/** Where the pipe path listens: a Windows named pipe, or a Unix domain socket in the data dir. */
export function pipeAddress(cfg: GuardianConfig, dataDir: string, platform = process.platform): string {
  if (cfg.paths.pipe.path) return cfg.paths.pipe.path;
  if (platform === 'win32') return `\\\\.\\pipe\\${cfg.paths.pipe.name}`;
  return join(dataDir, `${cfg.paths.pipe.name}.sock`);
}

export function configExists(file: string): boolean {
  return existsSync(file);
}

// The messages between the Electron main process and the control-plane host (a utility process,
// or the same process with --in-process). Structured-cloned both ways, so plain data only; both
// sides check what arrives, since a message is only as good as its sender.
import type { ApiName, StreamEvent } from '../../../src-shared/contract';
import { API_NAMES } from '../../../src-shared/contract';
import type { ShutdownReport } from '../shutdown';

/** What the host needs to start Guardian; sent first, so no argv format is shared. */
export interface HostOptions {
  dataDir: string;
  /** config/guardian.yaml by default. */
  configFile?: string;
  /** Where to look for the bridge library besides the repo build (the app's resources folder). */
  resourcesDir?: string;
  repoRoot?: string;
  /** Run the MT4 simulator beside Guardian (fault injection from the console), as `serve --demo`. */
  demo?: boolean;
  /** Set by the watchdog when this host replaces one that stalled or stopped: recorded as an incident once up. */
  restart?: { reason: 'stalled' | 'exited'; detail: string; down_ms: number };
}

export type ToHost =
  | { kind: 'start'; options: HostOptions }
  | { kind: 'call'; id: number; name: ApiName; request: unknown }
  | { kind: 'shutdown'; flush_ms: number }
  /** The watchdog's ping: answered at once by the host's event loop (a stalled loop does not answer). */
  | { kind: 'ping'; id: number };

export interface HostReady {
  kind: 'ready';
  listening: Record<string, string>;
  /** False while the control plane has no console API: calls then fail with the reason. */
  console_api: boolean;
  native: { available: boolean; reason: string | null };
  secure_pipe: string;
}

export type FromHost =
  | HostReady
  | { kind: 'failed'; error: string; exit_code: number }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: string }
  | { kind: 'event'; event: StreamEvent }
  | { kind: 'stopped'; report: ShutdownReport }
  | { kind: 'pong'; id: number };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function parseToHost(x: unknown): ToHost | null {
  if (!isObject(x)) return null;
  if (x.kind === 'call' && Number.isSafeInteger(x.id) && typeof x.name === 'string' && (API_NAMES as string[]).includes(x.name)) {
    return { kind: 'call', id: x.id as number, name: x.name as ApiName, request: x.request };
  }
  if (x.kind === 'shutdown' && typeof x.flush_ms === 'number') return { kind: 'shutdown', flush_ms: x.flush_ms };
  if (x.kind === 'ping' && Number.isSafeInteger(x.id)) return { kind: 'ping', id: x.id as number };
  if (x.kind === 'start' && isObject(x.options) && typeof x.options.dataDir === 'string') return { kind: 'start', options: x.options as unknown as HostOptions };
  return null;
}

export function parseFromHost(x: unknown): FromHost | null {
  if (!isObject(x) || typeof x.kind !== 'string') return null;
  switch (x.kind) {
    case 'ready': return isObject(x.listening) && typeof x.console_api === 'boolean' ? (x as unknown as HostReady) : null;
    case 'failed': return typeof x.error === 'string' && typeof x.exit_code === 'number' ? (x as unknown as FromHost) : null;
    case 'result': return Number.isSafeInteger(x.id) && typeof x.ok === 'boolean' ? (x as unknown as FromHost) : null;
    case 'event': return isObject(x.event) && typeof x.event.type === 'string' ? (x as unknown as FromHost) : null;
    case 'stopped': return isObject(x.report) ? (x as unknown as FromHost) : null;
    case 'pong': return Number.isSafeInteger(x.id) ? { kind: 'pong', id: x.id as number } : null;
    default: return null;
  }
}

// The console's API over IPC, answered from the control plane's ConsoleBackend (guardian.console)
// with the same readings the HTTP server gives (guardian/server/console-server.ts, answerGet):
// same defaults and caps on limits, same refusals, controls validated again with the demo flag
// and run as this machine's operator.
// TODO(contract): the HTTP server keeps this mapping inside startConsoleServer; exporting one
// transport-neutral answer(backend, name, request, actor) from guardian/server would let both
// transports share it, so they cannot drift.
import { REPORT_FORMATS, validateControl, type ApiName, type ReportFormat } from '../../../src-shared/contract';
import type { ConsoleBackend } from '../../guardian/server';
import type { ConsoleApi } from './console-api';

const DEFAULT_LIMIT: Partial<Record<ApiName, number>> = { incidentsRecent: 50, auditRecent: 100, signalsHeld: 200, deadLetters: 200 };
const MAX_LIMIT = 10_000;

type Req = Record<string, unknown>;

function limitOf(name: ApiName, r: Req): number {
  const n = r.limit;
  if (n === undefined) return DEFAULT_LIMIT[name] ?? 100;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw new Error(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
  return n;
}

export function consoleApiFromBackend(backend: ConsoleBackend, actor: string): ConsoleApi {
  const answer = async (name: ApiName, r: Req): Promise<unknown> => {
    switch (name) {
      case 'status': return backend.status();
      case 'metricsRecent': {
        const w = r.window_s;
        if (w !== undefined && (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > 86_400)) throw new Error('window_s must be a whole number from 1 to 86400');
        return backend.metricsRecent(w as number | undefined);
      }
      case 'incidentsRecent': {
        const before = r.before_ts;
        if (before !== undefined && (typeof before !== 'string' || Number.isNaN(Date.parse(before)))) throw new Error('before_ts must be an ISO timestamp');
        return { incidents: backend.incidents(limitOf(name, r), before as string | undefined) };
      }
      case 'incident': {
        const found = typeof r.id === 'string' ? backend.incident(r.id) : null;
        if (!found) throw new Error(`No incident ${String(r.id)}`);
        return found;
      }
      case 'routesStatus': {
        const s = backend.status();
        return { routes: s.routes, peers: s.peers ?? [], active_tier: s.active_tier ?? 'primary', last_switch: s.last_switch ?? null };
      }
      case 'bufferStatus': return backend.status().buffer;
      case 'agentsConsensus': {
        const consensus = backend.status().consensus;
        if (!consensus) throw new Error('The agents have not voted yet');
        return consensus;
      }
      case 'gates': return { gates: Object.values(backend.status().gates ?? {}) };
      case 'auditRecent': return { entries: backend.audit(limitOf(name, r)) };
      case 'adviceList': return { advice: backend.advice() };
      case 'signalsHeld': return { signals: backend.heldSignals(limitOf(name, r)) };
      case 'deadLetters': return { dead_letters: backend.deadLetters(limitOf(name, r)) };
      case 'exportReport': {
        const format = r.format ?? 'markdown';
        if (!(REPORT_FORMATS as readonly unknown[]).includes(format)) throw new Error(`format must be one of ${REPORT_FORMATS.join(', ')}`);
        const file = typeof r.id === 'string' ? backend.report(r.id, format as ReportFormat) : null;
        if (!file) throw new Error(`No incident ${String(r.id)}`);
        return file;
      }
      case 'control': {
        const checked = validateControl(r.name, r.request, { demo: backend.demo });
        if (!checked.ok) return { ok: false, error: checked.error, code: checked.code };
        return backend.control(checked.call, actor);
      }
    }
  };
  return {
    call: (name, request) => answer(name, (request ?? {}) as Req) as never,
    subscribe: (listener) => {
      const sub = backend.onEvent(listener);
      return () => sub.dispose();
    },
  };
}

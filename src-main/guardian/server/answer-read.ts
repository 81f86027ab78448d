// The console's read calls answered from the backend: one mapping for both transports (the HTTP
// server and Electron IPC), so that they give the same answers, defaults and refusals. Each
// transport turns its own input (query string, IPC arguments) into a ReadInput first.
import { HELD_SIGNALS_PAGE, REPORT_FORMATS, type ApiName, type ReportFormat } from '../../../src-shared/contract';
import type { ConsoleBackend } from './backend';

/** A refusal with the HTTP status it maps to; over IPC only its message travels. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export const MAX_LIMIT = 10_000;
const DEFAULT_LIMIT: Partial<Record<ApiName, number>> = { incidentsRecent: 50, auditRecent: 100, signalsHeld: HELD_SIGNALS_PAGE, deadLetters: 200, execution: 100 };

export interface ReadInput {
  /** The incident (or `timeline`) a call names. */
  id?: string;
  /** Already a whole number in range: each transport checks its own form of it. */
  limit?: number;
  window_s?: number;
  before_ts?: string;
  format?: unknown;
}

export function answerRead(backend: ConsoleBackend, name: ApiName, input: ReadInput): unknown {
  const limit = () => input.limit ?? DEFAULT_LIMIT[name] ?? 100;
  switch (name) {
    case 'status':
      return backend.status();
    case 'metricsRecent':
      return backend.metricsRecent(input.window_s);
    case 'incidentsRecent': {
      const before = input.before_ts;
      if (before !== undefined && Number.isNaN(Date.parse(before))) throw new ApiError(400, 'before_ts must be an ISO timestamp');
      return { incidents: backend.incidents(limit(), before) };
    }
    case 'incident': {
      const found = backend.incident(input.id ?? '');
      if (!found) throw new ApiError(404, `No incident ${input.id ?? ''}`);
      return found;
    }
    case 'routesStatus': {
      const s = backend.status();
      return { routes: s.routes, peers: s.peers ?? [], active_tier: s.active_tier ?? 'primary', last_switch: s.last_switch ?? null };
    }
    case 'bufferStatus':
      return backend.status().buffer;
    case 'agentsConsensus': {
      const consensus = backend.status().consensus;
      if (!consensus) throw new ApiError(503, 'The agents have not voted yet');
      return consensus;
    }
    case 'gates':
      return { gates: Object.values(backend.status().gates ?? {}) };
    case 'auditRecent':
      return { entries: backend.audit(limit()) };
    case 'adviceList':
      return { advice: backend.advice() };
    case 'signalsHeld':
      return { signals: backend.heldSignals(limit()) };
    case 'deadLetters':
      return { dead_letters: backend.deadLetters(limit()) };
    case 'exportReport': {
      const format = input.format ?? 'markdown';
      if (!(REPORT_FORMATS as readonly unknown[]).includes(format)) throw new ApiError(400, `format must be one of ${REPORT_FORMATS.join(', ')}`);
      const file = backend.report(input.id ?? '', format as ReportFormat);
      if (!file) throw new ApiError(404, `No incident ${input.id ?? ''}`);
      return file;
    }
    case 'truth': {
      const truth = backend.truth?.() ?? null;
      if (!truth) throw new ApiError(503, 'The trading truth is not kept by this Guardian');
      return truth;
    }
    case 'manifest': {
      const manifest = backend.manifest?.() ?? null;
      if (!manifest) throw new ApiError(503, 'No run manifest: this Guardian was started without one');
      return manifest;
    }
    case 'execution': {
      const view = backend.execution?.(limit()) ?? null;
      if (!view) throw new ApiError(503, 'Execution safety runs with the control plane, which this Guardian does not run');
      return view;
    }
    case 'control':
      break; // a write: each transport checks its token, validates and calls backend.control
  }
  throw new ApiError(404, `No API ${name}`);
}

// The console's API over IPC, answered by the same mapping as the HTTP server
// (guardian/server answerRead): same defaults and caps on limits, same refusals; controls are
// validated again with the demo flag and run as this machine's operator.
import { validateControl, type ApiName } from '../../../src-shared/contract';
import { answerRead, MAX_LIMIT, type ConsoleBackend, type ReadInput } from '../../guardian/server';
import type { ConsoleApi } from './console-api';

type Req = Record<string, unknown>;

/** A whole number from min to max, or undefined; IPC callers get an error for anything else. */
function whole(r: Req, key: string, min: number, max: number): number | undefined {
  const n = r[key];
  if (n === undefined) return undefined;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw new Error(`${key} must be a whole number from ${min} to ${max}`);
  return n;
}

function readInput(r: Req): ReadInput {
  const before = r.before_ts;
  if (before !== undefined && typeof before !== 'string') throw new Error('before_ts must be an ISO timestamp');
  return {
    id: String(r.id),
    limit: whole(r, 'limit', 1, MAX_LIMIT),
    window_s: whole(r, 'window_s', 1, 86_400),
    ...(before !== undefined ? { before_ts: before } : {}),
    ...(r.format !== undefined ? { format: r.format } : {}),
  };
}

export function consoleApiFromBackend(backend: ConsoleBackend, actor: string): ConsoleApi {
  const answer = async (name: ApiName, r: Req): Promise<unknown> => {
    if (name !== 'control') return answerRead(backend, name, readInput(r));
    const checked = validateControl(r.name, r.request, { demo: backend.demo });
    if (!checked.ok) return { ok: false, error: checked.error, code: checked.code };
    return backend.control(checked.call, actor);
  };
  return {
    call: (name, request) => answer(name, (request ?? {}) as Req) as never,
    subscribe: (listener) => {
      const sub = backend.onEvent(listener);
      return () => sub.dispose();
    },
  };
}

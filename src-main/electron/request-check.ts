// What the main process checks in a console request before it reaches the control plane: it
// arrives from a renderer, so it is untrusted JSON. A request is a plain object (or nothing);
// a control goes through the contract's own validator, the one the HTTP server runs too, and a
// refused control is answered as the contract says (a ControlResponse), not thrown.
import { validateControl, type ApiName, type ControlResponse } from '../../src-shared/contract';

export type RequestCheck = { ok: true; request: unknown } | { ok: false; error: string } | { ok: false; answer: ControlResponse };

export function checkRequest(name: ApiName, request: unknown): RequestCheck {
  const r = request === undefined ? {} : request;
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return { ok: false, error: `${name}: the request must be an object` };
  if (name !== 'control') return { ok: true, request: r };
  const call = r as { name?: unknown; request?: unknown };
  const v = validateControl(call.name, call.request);
  if (!v.ok) return { ok: false, answer: { ok: false, code: v.code, error: v.error } };
  return { ok: true, request: v.call };
}

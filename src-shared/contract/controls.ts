// Operator controls: names, request shapes, responses, and the one validator that the server
// and the console both run, so that both refuse exactly the same requests.
import { MODES, PATH_PRIORITY, type Mode, type PathName } from './modes';

export const REASON_MIN_CHARS = 3;
export const REASON_MAX_CHARS = 500;
/** A control may lapse on its own; one day is the longest a desk would leave one standing. */
export const EXPIRES_MAX_S = 86_400;

export type FaultName = 'drop_socket' | 'stall_pipe' | 'slow_broker' | 'spike_correlation' | 'clear';
export const FAULT_NAMES: readonly FaultName[] = ['drop_socket', 'stall_pipe', 'slow_broker', 'spike_correlation', 'clear'];

export type OverrideDirection = 'pin' | 'leave_early';
export const OVERRIDE_DIRECTIONS: readonly OverrideDirection[] = ['pin', 'leave_early'];

/** Each control's own parameters; every request also carries `ControlBase`. */
export interface ControlParams {
  hold_new_entries: Record<never, never>;
  resume: Record<never, never>;
  drain_buffer_first: Record<never, never>;
  force_path_switch: { peer?: string; path: PathName };
  override_mode: { mode: Mode; direction: OverrideDirection };
  kill_switch: Record<never, never>;
  acknowledge_incident: { incident_id: string };
  apply_advice: { advice_id: string };
  rollback_advice: { advice_id: string };
  /** Demo only: refused unless the service runs with the simulator. */
  inject_fault: { fault: FaultName };
}
export type ControlName = keyof ControlParams;

export interface ControlBase {
  /** Why the operator did it; it lands in the audit log. At least REASON_MIN_CHARS after trimming. */
  reason: string;
  /** Lapse the control after this many seconds (1..EXPIRES_MAX_S). */
  expires_in_s?: number;
}
export type ControlRequest<N extends ControlName = ControlName> = ControlBase & ControlParams[N];
/** A control with its name: what the `control` API entry carries. */
export type ControlCall = { [N in ControlName]: { name: N; request: ControlRequest<N> } }[ControlName];

export type ControlErrorCode =
  | 'UNKNOWN_CONTROL' | 'BAD_REQUEST' | 'REASON_REQUIRED' | 'UNAUTHORIZED' | 'NOT_DEMO'
  | 'NOT_FOUND' | 'REFUSED' | 'CONFLICT' | 'UNAVAILABLE';
export type ControlResponse = { ok: true; audit_id: string } | { ok: false; error: string; code: ControlErrorCode };

type FieldSpec = { kind: 'string' } | { kind: 'enum'; values: readonly string[] };
type FieldTable = { [N in ControlName]: { required: Record<string, FieldSpec>; optional: Record<string, FieldSpec> } };
const ID: FieldSpec = { kind: 'string' };
const NONE = { required: {}, optional: {} };
const FIELDS: FieldTable = {
  hold_new_entries: NONE,
  resume: NONE,
  drain_buffer_first: NONE,
  force_path_switch: { required: { path: { kind: 'enum', values: PATH_PRIORITY } }, optional: { peer: ID } },
  override_mode: {
    required: { mode: { kind: 'enum', values: MODES }, direction: { kind: 'enum', values: OVERRIDE_DIRECTIONS } },
    optional: {},
  },
  kill_switch: NONE,
  acknowledge_incident: { required: { incident_id: ID }, optional: {} },
  apply_advice: { required: { advice_id: ID }, optional: {} },
  rollback_advice: { required: { advice_id: ID }, optional: {} },
  inject_fault: { required: { fault: { kind: 'enum', values: FAULT_NAMES } }, optional: {} },
};
export const CONTROL_NAMES = Object.keys(FIELDS) as ControlName[];
export const DEMO_ONLY_CONTROLS: ReadonlySet<ControlName> = new Set<ControlName>(['inject_fault']);

export function isControlName(x: unknown): x is ControlName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(FIELDS, x);
}

/** The problem with a reason in plain English, or null when it is acceptable. */
export function reasonProblem(reason: unknown): string | null {
  if (typeof reason !== 'string') return 'A reason is required.';
  const n = reason.trim().length;
  if (n < REASON_MIN_CHARS) return `Give a reason of at least ${REASON_MIN_CHARS} characters.`;
  if (n > REASON_MAX_CHARS) return `Keep the reason under ${REASON_MAX_CHARS} characters.`;
  return null;
}

export type ControlValidation =
  | { ok: true; call: ControlCall }
  | { ok: false; code: ControlErrorCode; error: string; field?: string };

/**
 * Checks a control request as it arrives (untrusted JSON) and returns it typed and trimmed.
 * `context.demo === false` refuses demo-only controls; leave it out where demo mode is unknown.
 */
export function validateControl(name: unknown, body: unknown, context: { demo?: boolean } = {}): ControlValidation {
  if (!isControlName(name)) return { ok: false, code: 'UNKNOWN_CONTROL', error: `Unknown control "${String(name)}".` };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, code: 'BAD_REQUEST', error: 'The request body must be a JSON object.' };
  }
  const input = body as Record<string, unknown>;
  const problem = reasonProblem(input.reason);
  if (problem) return { ok: false, code: 'REASON_REQUIRED', error: problem, field: 'reason' };
  if (DEMO_ONLY_CONTROLS.has(name) && context.demo === false) {
    return { ok: false, code: 'NOT_DEMO', error: `${name} is available only in demo mode.` };
  }
  const out: Record<string, unknown> = { reason: (input.reason as string).trim() };
  if (input.expires_in_s !== undefined) {
    const s = input.expires_in_s;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s > EXPIRES_MAX_S) {
      return { ok: false, code: 'BAD_REQUEST', field: 'expires_in_s', error: `Expiry must be a whole number of seconds from 1 to ${EXPIRES_MAX_S}.` };
    }
    out.expires_in_s = s;
  }
  const spec = FIELDS[name];
  for (const key of Object.keys(input)) {
    if (key !== 'reason' && key !== 'expires_in_s' && !(key in spec.required) && !(key in spec.optional)) {
      return { ok: false, code: 'BAD_REQUEST', field: key, error: `${name} does not take "${key}".` };
    }
  }
  for (const [key, field] of [...Object.entries(spec.required), ...Object.entries(spec.optional)]) {
    const value = input[key];
    if (value === undefined) {
      if (key in spec.required) return { ok: false, code: 'BAD_REQUEST', field: key, error: `${name} needs "${key}".` };
      continue;
    }
    const bad = fieldProblem(field, value);
    if (bad) return { ok: false, code: 'BAD_REQUEST', field: key, error: `"${key}" ${bad}.` };
    out[key] = typeof value === 'string' ? value.trim() : value;
  }
  // Every field of `out` was checked against FIELDS[name] above, which mirrors ControlParams.
  return { ok: true, call: { name, request: out } as unknown as ControlCall };
}

function fieldProblem(field: FieldSpec, value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (field.kind === 'string') return value.trim().length === 0 || value.length > 200 ? 'must be 1 to 200 characters' : null;
  return field.values.includes(value) ? null : `must be one of ${field.values.join(', ')}`;
}

// Who may act as an operator, and what a control's outcome looks like. Shared with learning/, whose
// advice is applied only by a named person.
import { reasonProblem, type ControlErrorCode } from '../../../src-shared/contract';
import type { AuditRecord } from './types';

export const OPERATOR_PREFIX = 'operator:';

/**
 * The actor as the log writes it ('operator:<name>'), or null when there is no person to name: an
 * empty actor, or 'guardian' itself, which never applies what only an operator may.
 */
export function operatorActor(actor: unknown): string | null {
  if (typeof actor !== 'string') return null;
  const trimmed = actor.trim();
  const name = (trimmed.startsWith(OPERATOR_PREFIX) ? trimmed.slice(OPERATOR_PREFIX.length) : trimmed).trim();
  // eslint-disable-next-line no-control-regex -- control characters would forge lines in reports
  if (!name || name.toLowerCase() === 'guardian' || name.length > 100 || /[\u0000-\u001f\u007f]/.test(name)) return null;
  return OPERATOR_PREFIX + name;
}

/** The outcome of an operator's control: accepted with its audit row, or refused and why. */
export type ControlOutcome<T> =
  | { ok: true; value: T; audit: AuditRecord }
  /** audit is null when the request named no operator or gave no reason: there is nothing to attribute. */
  | { ok: false; code: ControlErrorCode; error: string; audit: AuditRecord | null };

/** Refuses a request without an operator or a reason before anything is looked up. */
export function checkOperatorRequest(actor: unknown, reason: unknown): { actor: string; reason: string } | { ok: false; code: ControlErrorCode; error: string; audit: null } {
  const who = operatorActor(actor);
  if (!who) return { ok: false, code: 'UNAUTHORIZED', error: 'Only a named operator may do this; no operator was given.', audit: null };
  const problem = reasonProblem(reason);
  if (problem) return { ok: false, code: 'REASON_REQUIRED', error: problem, audit: null };
  return { actor: who, reason: (reason as string).trim() };
}

// The lease decision, pure: given the lease row, who I am and the time, what to do. The lease
// store runs it inside a BEGIN IMMEDIATE transaction, so the read and the write are one step.
//
// Times are wall-clock ms (Date.now()): the two instances are two processes on one workstation
// and read the same clock; a step of the wall clock longer than the lease could hand the lease
// over early, and the fencing token still keeps the former holder from writing.

export interface LeaseRow {
  holder: string;
  token: number;
  host: string;
  pid: number;
  acquired_ms: number;
  renewed_ms: number;
  expires_ms: number;
}

export interface LeaseCandidate {
  holder: string;
  /** The token this process holds, or null while it has never been active. */
  token: number | null;
}

export type LeaseDecision =
  /** Take the lease with this token (always the stored one + 1: tokens never repeat). */
  | { action: 'acquire'; token: number; why: string }
  /** It is mine: extend it. */
  | { action: 'renew'; token: number }
  /** Someone else holds a live lease: look again later. */
  | { action: 'wait'; holder: string; token: number; expires_ms: number }
  /** I held it and someone else has it now: step down at once, write nothing more. */
  | { action: 'lost'; holder: string; token: number; mine: number };

/**
 * `holderAlive` is what the caller knows of the holder's process on this machine: false when it is
 * gone (a kill -9), so the lease need not run out first; undefined when it cannot tell (another host).
 */
export function decideLease(row: LeaseRow | undefined, me: LeaseCandidate, now_ms: number, holderAlive?: boolean): LeaseDecision {
  if (!row) return me.token === null ? { action: 'acquire', token: 1, why: 'no lease yet' } : { action: 'lost', holder: '(nobody)', token: 0, mine: me.token };
  if (me.token !== null) {
    // Mine while the token is mine, even past expiry: nobody else took it, so nobody else wrote.
    if (row.token === me.token && row.holder === me.holder) return { action: 'renew', token: me.token };
    return { action: 'lost', holder: row.holder, token: row.token, mine: me.token };
  }
  if (row.holder === me.holder) return { action: 'renew', token: row.token };
  if (row.expires_ms <= now_ms) {
    const ago = now_ms - row.expires_ms;
    const why = row.renewed_ms === row.expires_ms ? `${row.holder} released the lease` : `the lease of ${row.holder} (token ${row.token}) expired ${ago} ms ago`;
    return { action: 'acquire', token: row.token + 1, why };
  }
  if (holderAlive === false) {
    return { action: 'acquire', token: row.token + 1, why: `the process of ${row.holder} (pid ${row.pid}, token ${row.token}) is gone` };
  }
  return { action: 'wait', holder: row.holder, token: row.token, expires_ms: row.expires_ms };
}

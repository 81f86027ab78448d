// The lease row in SQL. Every change runs decideLease inside BEGIN IMMEDIATE: SQLite lets one
// writer at a time hold the database, so two instances can never both read "expired" and both
// take the lease.
import type { Db } from '../store';
import { decideLease, type LeaseCandidate, type LeaseDecision, type LeaseRow } from './lease';

export interface Takeover {
  token: number;
  holder: string;
  previous_holder: string | null;
  previous_token: number | null;
  at_ms: number;
  why: string;
}

export class LeaseStore {
  private readonly read: () => LeaseRow | undefined;

  constructor(private readonly db: Db) {
    const get = db.prepare('SELECT holder, token, host, pid, acquired_ms, renewed_ms, expires_ms FROM ha_lease WHERE id = 1');
    this.read = () => get.get() as LeaseRow | undefined;
  }

  current(): LeaseRow | undefined {
    return this.read();
  }

  /**
   * One step of the lease protocol: acquire, renew, or learn that it waits or lost. Writes only
   * when it acquires or renews. `alive` answers for the holder's process (same host only).
   */
  step(me: LeaseCandidate & { host: string; pid: number }, now_ms: number, lease_ms: number, alive: (row: LeaseRow) => boolean | undefined): LeaseDecision {
    const decide = (row: LeaseRow | undefined) => decideLease(row, me, now_ms, row && row.holder !== me.holder ? alive(row) : undefined);
    // A look first, without the write lock: the standby looks several times a second and must not
    // make the active one's commits wait for it. Only a change is decided again under the lock.
    const look = decide(this.read());
    if (look.action === 'wait' || look.action === 'lost') return look;
    return this.immediate(() => {
      const row = this.read();
      const decision = decide(row);
      if (decision.action === 'acquire') {
        this.db.prepare(`INSERT INTO ha_lease (id, holder, token, host, pid, acquired_ms, renewed_ms, expires_ms) VALUES (1, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, token = excluded.token, host = excluded.host, pid = excluded.pid,
            acquired_ms = excluded.acquired_ms, renewed_ms = excluded.renewed_ms, expires_ms = excluded.expires_ms`)
          .run(me.holder, decision.token, me.host, me.pid, now_ms, now_ms, now_ms + lease_ms);
        this.db.prepare('INSERT INTO ha_takeovers (token, holder, previous_holder, previous_token, at_ms, why) VALUES (?, ?, ?, ?, ?, ?)')
          .run(decision.token, me.holder, row?.holder ?? null, row?.token ?? null, now_ms, decision.why);
      } else if (decision.action === 'renew') {
        this.db.prepare('UPDATE ha_lease SET renewed_ms = ?, expires_ms = ? WHERE id = 1 AND token = ?').run(now_ms, now_ms + lease_ms, decision.token);
      }
      return decision;
    });
  }

  /** A graceful stop hands the lease on at once: the standby need not wait for it to run out. */
  release(holder: string, token: number, now_ms: number): boolean {
    return this.immediate(() => this.db.prepare('UPDATE ha_lease SET renewed_ms = ?, expires_ms = ? WHERE id = 1 AND holder = ? AND token = ?').run(now_ms, now_ms, holder, token).changes === 1);
  }

  takeovers(limit = 20): Takeover[] {
    return this.db.prepare('SELECT token, holder, previous_holder, previous_token, at_ms, why FROM ha_takeovers ORDER BY token DESC LIMIT ?').all(limit) as Takeover[];
  }

  private immediate<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}

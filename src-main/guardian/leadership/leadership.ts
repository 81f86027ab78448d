// One Guardian instance's side of the lease: wait as the standby, take the lease, renew it, fence
// the active connection with its token, and step down the moment the lease is gone. The lease
// lives on a connection of its own, so that the fence (on the Guardian's connection) never
// blocks a renewal, and a standby opens nothing else before it is active.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { LeadershipStatus } from '../../../src-shared/contract';
import type { Clock } from '../clock';
import { ConfigError } from '../config';
import type { Disposable } from '../lifecycle';
import { openDatabase, type Db } from '../store';
import { installFence } from './fencing';
import type { LeaseDecision, LeaseRow } from './lease';
import { LeaseStore, type Takeover } from './lease-store';

export interface LeadershipSettings {
  /** How long a lease lasts without renewal. */
  lease_ms: number;
  /** How often the active renews, and the standby looks. Well below lease_ms. */
  renew_ms: number;
  /** Take over at once when the holder's process on this machine is gone (kill -9), not at expiry. */
  dead_holder_takeover: boolean;
}

export interface LeadershipDeps {
  clock: Clock;
  /** This instance's id in the lease row; host:pid:random by default. */
  holder?: string;
  pid?: number;
  host?: string;
  /** Is this pid alive on this host? (process.kill(pid, 0) by default). */
  isAlive?: (pid: number) => boolean;
}

export class Leadership {
  readonly holder: string;
  private readonly pid: number;
  private readonly host: string;
  private readonly db: Db;
  private readonly lease: LeaseStore;
  private token: number | null = null;
  private lastSeen: LeaseRow | undefined;
  private renewTimer: Disposable | undefined;
  private lostReason: string | null = null;
  private lostHandlers: ((reason: string) => void)[] = [];
  private closed = false;
  /** Why this instance took the lease (the takeover's reason), once active. */
  takeoverWhy: string | null = null;

  constructor(dbFile: string, private readonly settings: LeadershipSettings, private readonly deps: LeadershipDeps) {
    if (settings.renew_ms >= settings.lease_ms) {
      throw new ConfigError([`ha.renew_ms (${settings.renew_ms}) must be below ha.lease_ms (${settings.lease_ms}): the active renews several times per lease`]);
    }
    this.pid = deps.pid ?? process.pid;
    this.host = deps.host ?? hostname();
    this.holder = deps.holder ?? `${this.host}:${this.pid}:${randomBytes(3).toString('hex')}`;
    this.db = openDatabase(dbFile);
    // A renewal must not sit behind a lock for seconds: it tries again at the next tick.
    this.db.pragma('busy_timeout = 100');
    this.lease = new LeaseStore(this.db);
  }

  get role(): 'active' | 'standby' {
    return this.token !== null && this.lostReason === null ? 'active' : 'standby';
  }

  get fencingToken(): number | null {
    return this.token;
  }

  /**
   * The standby's loop: looks at the lease every renew_ms until it holds it, then starts renewing.
   * `onWait` hears who is active (for the status line). Resolves with the acquiring decision, or
   * null if `signal` stopped the wait first.
   */
  async waitUntilActive(onWait: (row: LeaseRow) => void = () => {}, signal?: AbortSignal): Promise<Extract<LeaseDecision, { action: 'acquire' | 'renew' }> | null> {
    for (;;) {
      if (signal?.aborted || this.closed) return null;
      let d: LeaseDecision | undefined;
      try {
        d = this.step();
      } catch (err) {
        // SQLITE_BUSY: a writer holds the database right now; look again at the next tick.
        if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      }
      if (d && (d.action === 'acquire' || d.action === 'renew')) {
        this.token = d.token;
        if (d.action === 'acquire') this.takeoverWhy = d.why;
        this.renewTimer = this.deps.clock.setInterval(() => this.renew(), this.settings.renew_ms);
        return d;
      }
      if (d?.action === 'wait' && this.lastSeen) onWait(this.lastSeen);
      await new Promise<void>((resolve) => {
        const onAbort = () => {
          t.dispose();
          resolve();
        };
        const t = this.deps.clock.setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, this.settings.renew_ms);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  /**
   * Fences a connection with this instance's token (see fencing.ts): call it right after opening the
   * Guardian's database, before anything reads state from it to act on.
   */
  fence(db: Db): string[] {
    if (this.token === null) throw new Error('cannot fence a connection before holding the lease');
    const mine = this.token;
    return installFence(db, mine, () => this.lose(`a write was refused by the fencing token (this instance holds token ${mine})`, true));
  }

  /** Called once, soon after the lease is lost (a renewal found another token, or a write was fenced). */
  onLost(handler: (reason: string) => void): void {
    this.lostHandlers.push(handler);
    if (this.lostReason !== null) queueMicrotask(() => handler(this.lostReason!));
  }

  get lost(): string | null {
    return this.lostReason;
  }

  status(): LeadershipStatus {
    const row = this.lastSeen;
    const active = this.role === 'active';
    return {
      role: this.role,
      holder: this.holder,
      token: active ? this.token! : (row?.token ?? 0),
      active_holder: active ? this.holder : (row?.holder ?? null),
      lease_expires_ts: row ? new Date(row.expires_ms).toISOString() : null,
      lease_ms: this.settings.lease_ms,
    };
  }

  takeovers(limit?: number): Takeover[] {
    return this.lease.takeovers(limit);
  }

  /** A graceful stop: hands the lease on at once (only if still ours), and closes the connection. */
  release(): void {
    this.renewTimer?.dispose();
    if (this.token !== null && this.lostReason === null && !this.closed) {
      try {
        this.lease.release(this.holder, this.token, this.deps.clock.wall_ms());
      } catch {
        // the standby waits for the lease to run out instead
      }
    }
    this.dispose();
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.renewTimer?.dispose();
    this.db.close();
  }

  private step(): LeaseDecision {
    const d = this.lease.step({ holder: this.holder, token: this.token, host: this.host, pid: this.pid }, this.deps.clock.wall_ms(), this.settings.lease_ms, (row) => this.holderAlive(row));
    this.lastSeen = this.lease.current();
    return d;
  }

  private renew(): void {
    if (this.closed || this.lostReason !== null) return;
    let d: LeaseDecision;
    try {
      d = this.step();
    } catch {
      return; // busy right now: the lease runs lease_ms, the next tick tries again
    }
    if (d.action === 'lost') this.lose(`the lease was taken by ${d.holder} (token ${d.token}; this instance held token ${d.mine})`);
  }

  private lose(reason: string, sayWho = false): void {
    if (this.lostReason !== null) return;
    this.lostReason = reason;
    this.renewTimer?.dispose();
    // Out of SQLite's call (a fence trigger) before anyone acts on it, or reads the lease row.
    queueMicrotask(() => {
      if (sayWho) {
        try {
          const row = this.lease.current();
          if (row) this.lostReason = reason = `${reason}: the lease is held by ${row.holder} (token ${row.token})`;
        } catch {
          // the reason stands without the name
        }
      }
      for (const h of this.lostHandlers) h(reason);
    });
  }

  private holderAlive(row: LeaseRow): boolean | undefined {
    if (!this.settings.dead_holder_takeover || row.host !== this.host) return undefined;
    if (this.deps.isAlive) return this.deps.isAlive(row.pid);
    return processAlive(row.pid);
  }
}

/** Is this pid a live process? A zombie (killed, not yet reaped by its parent) is not. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true; // cannot tell: count it alive, the lease runs out anyway
  }
}

// What the control plane keeps across a restart: the mode manager's and the breaker board's
// snapshots, the repair orchestrator's state, the signal tier in force and the operator's hold of
// new entries (table control_state, JSON per key, written on every change), and every finished
// repair (table repair_runs, the source of the estimates to recover).
import type { SignalTier } from '../../../src-shared/protocol';
import type { BoardSnapshot } from '../breakers';
import type { Clock, SavedAt } from '../clock';
import type { ModeSnapshot } from '../modes';
import type { RepairHistoryEntry, RepairRun, RepairState } from '../repair';
import type { Db } from '../store';

export interface SavedControlState {
  modes?: ModeSnapshot;
  breakers?: BoardSnapshot;
  repair?: { state: RepairState; saved_at: SavedAt };
  signal_tier?: SignalTier;
  /** The operator's hold of new entries (null: none): a restart must not lift it. */
  entry_hold?: EntryHold | null;
}

export interface EntryHold {
  by: string;
  reason: string;
  untilDrained: boolean;
  /** Wall-clock ms when it lapses by itself (the operator gave it an expiry), so that a restart keeps that too. */
  until_wall_ms?: number;
}

/** A saved entry hold as written, or null when the row says none or cannot be read as one. */
export function readEntryHold(value: unknown): EntryHold | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.by !== 'string' || typeof v.reason !== 'string') return null;
  const hold: EntryHold = { by: v.by, reason: v.reason, untilDrained: v.untilDrained === true };
  if (typeof v.until_wall_ms === 'number' && Number.isFinite(v.until_wall_ms)) hold.until_wall_ms = v.until_wall_ms;
  return hold;
}

const KEYS = ['modes', 'breakers', 'repair', 'signal_tier', 'entry_hold'] as const;

export class ControlStore {
  private readonly q;
  private readonly last = new Map<string, string>();

  constructor(private readonly db: Db) {
    this.q = {
      get: db.prepare('SELECT value FROM control_state WHERE key = ?').pluck(),
      put: db.prepare('INSERT INTO control_state (key, value, updated_ms) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms'),
      run: db.prepare(`INSERT INTO repair_runs (id, runbook, target, why, ok, started_ms, ended_ms, duration_ms, steps, detail)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      history: db.prepare('SELECT runbook, target, ok, ended_ms, duration_ms FROM repair_runs ORDER BY ended_ms DESC LIMIT ?'),
    };
  }

  load(): SavedControlState {
    const out: Record<string, unknown> = {};
    for (const key of KEYS) {
      const text = this.q.get.get(key) as string | undefined;
      if (text === undefined) continue;
      this.last.set(key, text);
      try {
        out[key] = JSON.parse(text) as unknown;
      } catch {
        // a damaged row is ignored: the control plane starts afresh for that part
      }
    }
    return out as SavedControlState;
  }

  /** Writes the parts that changed since the last save, in one transaction. Returns the keys written. */
  save(state: SavedControlState, wall_ms: number): string[] {
    const changed: [string, string][] = [];
    for (const key of KEYS) {
      const value = state[key];
      if (value === undefined) continue;
      const text = JSON.stringify(value);
      // saved_at moves on every snapshot; compare without it so that an unchanged part is not rewritten.
      const comparable = JSON.stringify(value, (k, v: unknown) => (k === 'saved_at' ? undefined : v));
      if (this.last.get(`${key}#cmp`) === comparable) continue;
      this.last.set(`${key}#cmp`, comparable);
      changed.push([key, text]);
    }
    if (changed.length === 0) return [];
    this.db.transaction(() => {
      for (const [key, text] of changed) this.q.put.run(key, text, wall_ms);
    })();
    return changed.map(([k]) => k);
  }

  /** A save that did not reach the disk: everything is written again next time, changed or not. */
  forget(): void {
    this.last.clear();
  }

  /** A finished repair, stamped on the wall clock. */
  recordRun(run: RepairRun, ok: boolean, clock: Clock): void {
    const shift = clock.wall_ms() - clock.now_ms();
    const ended = (run.ended_ms ?? clock.now_ms()) + shift;
    this.q.run.run(run.id, run.runbook, run.target, run.why, ok ? 1 : 0, Math.round(run.started_ms + shift), Math.round(ended), Math.round(ended - (run.started_ms + shift)),
      JSON.stringify(run.steps), run.detail);
  }

  /** The latest finished repairs, oldest first, with their end times on this process's monotonic clock. */
  history(clock: Clock, limit = 200): RepairHistoryEntry[] {
    const shift = clock.now_ms() - clock.wall_ms();
    const rows = this.q.history.all(limit) as { runbook: string; target: string | null; ok: number; ended_ms: number; duration_ms: number }[];
    return rows.reverse().map((r) => ({
      runbook: r.runbook, target: r.target as RepairHistoryEntry['target'], ok: r.ok === 1, duration_ms: r.duration_ms, ended_ms: r.ended_ms + shift,
    }));
  }
}

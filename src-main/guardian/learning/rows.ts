// Learning's SQL (tables `outcomes` and `advice`, migration 3), prepared once, and row mapping.
import type { Db } from '../store';
import type { AdviceEvidence, AdviceRecord, AdviceState, Mode, Outcome, Trigger } from './types';

interface OutcomeRow extends Omit<Outcome, 'repaired' | 'constraints' | 'mode'> {
  mode: string;
  repaired: number;
  constraints: string;
}

interface AdviceRow extends Omit<AdviceRecord, 'evidence' | 'state'> {
  evidence: string;
  state: string;
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const toOutcome = (r: OutcomeRow): Outcome => ({
  ...r,
  mode: r.mode as Mode,
  repaired: r.repaired === 1,
  constraints: parseJson<Trigger[]>(r.constraints, []),
});

const toAdvice = (r: AdviceRow): AdviceRecord => ({
  ...r,
  state: r.state as AdviceState,
  evidence: parseJson<AdviceEvidence>(r.evidence, { text: r.evidence } as AdviceEvidence),
});

export class LearningRows {
  private readonly s;

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      insertOutcome: p(`INSERT INTO outcomes (kind, mode, entered_ts, cleared_ts, duration_s, cleared_after_s, dwell_s, repaired, runbook, constraints, incident_id)
        VALUES (@kind, @mode, @entered_ts, @cleared_ts, @duration_s, @cleared_after_s, @dwell_s, @repaired, @runbook, @constraints, @incident_id)`),
      outcome: p('SELECT * FROM outcomes WHERE id = ?'),
      openEpisode: p("SELECT * FROM outcomes WHERE kind = 'degrade' AND mode = ? AND cleared_ts IS NULL ORDER BY id DESC LIMIT 1"),
      closeEpisode: p(`UPDATE outcomes SET cleared_ts = @cleared_ts, duration_s = @duration_s, cleared_after_s = @cleared_after_s,
        repaired = @repaired, runbook = @runbook WHERE id = @id`),
      markRepaired: p('UPDATE outcomes SET repaired = 1, runbook = COALESCE(?, runbook) WHERE id = ?'),
      outcomesSince: p('SELECT * FROM outcomes WHERE entered_ts >= ? ORDER BY id'),
      insertAdvice: p(`INSERT INTO advice (created_ts, constraint_id, condition_before, condition_after, previous_value, proposed_value, unit,
        false_positive_pct, evidence, state) VALUES (@created_ts, @constraint_id, @condition_before, @condition_after, @previous_value,
        @proposed_value, @unit, @false_positive_pct, @evidence, 'proposed')`),
      advice: p('SELECT * FROM advice WHERE id = ?'),
      adviceList: p("SELECT * FROM advice WHERE state != 'superseded' ORDER BY id DESC LIMIT ?"),
      adviceOf: p('SELECT * FROM advice WHERE constraint_id = ? ORDER BY id'),
      setState: p('UPDATE advice SET state = ? WHERE id = ?'),
      apply: p("UPDATE advice SET state = 'applied', applied_ts = ?, applied_by = ? WHERE id = ?"),
      rollback: p("UPDATE advice SET state = 'rolled_back', rolled_back_ts = ?, rolled_back_by = ? WHERE id = ?"),
      applied: p("SELECT * FROM advice WHERE state = 'applied' ORDER BY id"),
    };
  }

  insertOutcome(o: Omit<Outcome, 'id'>): number {
    return Number(this.s.insertOutcome.run({ ...o, repaired: o.repaired ? 1 : 0, constraints: JSON.stringify(o.constraints) }).lastInsertRowid);
  }

  outcome(id: number): Outcome | null {
    const r = this.s.outcome.get(id) as OutcomeRow | undefined;
    return r ? toOutcome(r) : null;
  }

  openEpisode(mode: Mode): Outcome | null {
    const r = this.s.openEpisode.get(mode) as OutcomeRow | undefined;
    return r ? toOutcome(r) : null;
  }

  closeEpisode(c: { id: number; cleared_ts: string; duration_s: number; cleared_after_s: number | null; repaired: boolean; runbook: string | null }): void {
    this.s.closeEpisode.run({ ...c, repaired: c.repaired ? 1 : 0 });
  }

  markRepaired(id: number, runbook: string | null): void {
    this.s.markRepaired.run(runbook, id);
  }

  outcomesSince(ts: string): Outcome[] {
    return (this.s.outcomesSince.all(ts) as OutcomeRow[]).map(toOutcome);
  }

  insertAdvice(a: Omit<AdviceRecord, 'id' | 'state' | 'applied_ts' | 'applied_by' | 'rolled_back_ts' | 'rolled_back_by'>): number {
    return Number(this.s.insertAdvice.run({ ...a, evidence: JSON.stringify(a.evidence) }).lastInsertRowid);
  }

  advice(id: number): AdviceRecord | null {
    const r = this.s.advice.get(id) as AdviceRow | undefined;
    return r ? toAdvice(r) : null;
  }

  adviceList(n: number): AdviceRecord[] {
    return (this.s.adviceList.all(n) as AdviceRow[]).map(toAdvice);
  }

  adviceOf(constraintId: string): AdviceRecord[] {
    return (this.s.adviceOf.all(constraintId) as AdviceRow[]).map(toAdvice);
  }

  supersede(id: number): void {
    this.s.setState.run('superseded', id);
  }

  apply(id: number, ts: string, by: string): void {
    this.s.apply.run(ts, by, id);
  }

  rollback(id: number, ts: string, by: string): void {
    this.s.rollback.run(ts, by, id);
  }

  applied(): AdviceRecord[] {
    return (this.s.applied.all() as AdviceRow[]).map(toAdvice);
  }
}

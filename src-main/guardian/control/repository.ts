// The constraint repository (DESIGN.md section 1): SQLite tables `constraints` (the definitions,
// seeded from config/constraints.yaml at start: the same ids are updated, never duplicated),
// `constraint_runs` (sampled outcomes: every change of status, and one row per constraint per
// sampling period, so it does not grow by a row per constraint per pulse) and `insights` (what
// was learnt about a constraint: blind for long, false positives, threshold advice).
import {
  constraintApplies, defineConstraints, type ConstraintDefinition, type ConstraintFilterContext, type ConstraintResult,
  type ConstraintSpec,
} from '../constraints';
import type { Db } from '../store';

export interface ConstraintRow extends ConstraintSpec {
  source: string;
  enabled: boolean;
  created_ms: number;
  updated_ms: number;
}

export interface ConstraintRun {
  ts_ms: number;
  constraint_id: string;
  status: ConstraintResult['status'];
  value: number | null;
  limit: number | null;
  explanation: string;
  reason: 'change' | 'sample';
  session: string | null;
  symbol: string | null;
  regime: string | null;
}

export interface Insight {
  id: number;
  ts_ms: number;
  constraint_id: string | null;
  kind: string;
  text: string;
  data: unknown;
}

export interface SeedReport {
  inserted: string[];
  updated: string[];
  unchanged: number;
  /** Rows from this source no longer in the file: disabled, kept for their history. */
  disabled: string[];
}

interface Row {
  id: string;
  gate: string;
  severity: string;
  condition: string;
  description: string;
  filters: string | null;
  next_step: string | null;
  source: string;
  enabled: number;
  created_ms: number;
  updated_ms: number;
}

function specOf(r: Row): ConstraintSpec {
  return {
    id: r.id,
    gate: r.gate as ConstraintSpec['gate'],
    severity: r.severity as ConstraintSpec['severity'],
    condition: r.condition,
    description: r.description,
    ...(r.filters ? { filters: JSON.parse(r.filters) as ConstraintSpec['filters'] } : {}),
    ...(r.next_step ? { next_step: r.next_step } : {}),
  };
}

export class ConstraintRepository {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      get: db.prepare('SELECT * FROM constraints WHERE id = ?'),
      all: db.prepare('SELECT * FROM constraints ORDER BY rowid'),
      enabled: db.prepare('SELECT * FROM constraints WHERE enabled = 1 ORDER BY rowid'),
      insert: db.prepare(`INSERT INTO constraints (id, gate, severity, condition, description, filters, next_step, source, enabled, created_ms, updated_ms)
        VALUES (@id, @gate, @severity, @condition, @description, @filters, @next_step, @source, 1, @now, @now)`),
      update: db.prepare(`UPDATE constraints SET gate = @gate, severity = @severity, condition = @condition, description = @description,
        filters = @filters, next_step = @next_step, source = @source, enabled = 1, updated_ms = @now WHERE id = @id`),
      bySource: db.prepare('SELECT id FROM constraints WHERE source = ? AND enabled = 1'),
      setEnabled: db.prepare('UPDATE constraints SET enabled = ?, updated_ms = ? WHERE id = ?'),
      run: db.prepare(`INSERT INTO constraint_runs (ts_ms, constraint_id, status, value, limit_value, explanation, reason, session, symbol, regime)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      runs: db.prepare('SELECT * FROM constraint_runs WHERE constraint_id = ? ORDER BY id DESC LIMIT ?'),
      runCount: db.prepare('SELECT COUNT(*) FROM constraint_runs').pluck(),
      prune: db.prepare('DELETE FROM constraint_runs WHERE ts_ms < ?'),
      insight: db.prepare('INSERT INTO insights (ts_ms, constraint_id, kind, text, data) VALUES (?, ?, ?, ?, ?)'),
      insights: db.prepare('SELECT * FROM insights ORDER BY id DESC LIMIT ?'),
    };
  }

  /**
   * Upserts the definitions under `source` (e.g. the file name): new ids are inserted, changed
   * ones updated, identical ones left alone; ids of this source missing from the list are disabled.
   * Idempotent: seeding the same file twice changes nothing.
   */
  seed(definitions: readonly ConstraintSpec[], source: string, now_ms: number): SeedReport {
    const report: SeedReport = { inserted: [], updated: [], unchanged: 0, disabled: [] };
    this.db.transaction(() => {
      const ids = new Set<string>();
      for (const d of definitions) {
        ids.add(d.id);
        const params = {
          id: d.id, gate: d.gate, severity: d.severity, condition: d.condition, description: d.description,
          filters: d.filters ? JSON.stringify(d.filters) : null, next_step: d.next_step ?? null, source, now: now_ms,
        };
        const existing = this.q.get.get(d.id) as Row | undefined;
        if (!existing) {
          this.q.insert.run(params);
          report.inserted.push(d.id);
          continue;
        }
        const same = existing.gate === params.gate && existing.severity === params.severity && existing.condition === params.condition
          && existing.description === params.description && existing.filters === params.filters && existing.next_step === params.next_step
          && existing.source === source && existing.enabled === 1;
        if (same) report.unchanged++;
        else {
          this.q.update.run(params);
          report.updated.push(d.id);
        }
      }
      for (const { id } of this.q.bySource.all(source) as { id: string }[]) {
        if (ids.has(id)) continue;
        this.q.setEnabled.run(0, now_ms, id);
        report.disabled.push(id);
      }
    })();
    return report;
  }

  rows(): ConstraintRow[] {
    return (this.q.all.all() as Row[]).map((r) => ({ ...specOf(r), source: r.source, enabled: r.enabled === 1, created_ms: r.created_ms, updated_ms: r.updated_ms }));
  }

  /** The enabled constraints, validated and compiled (a bad row is refused with its id). */
  load(): ConstraintDefinition[] {
    return defineConstraints((this.q.enabled.all() as Row[]).map(specOf), { file: 'constraints table' });
  }

  /** The enabled constraints that apply in these circumstances (session, symbol, regime). */
  forCircumstances(filter: ConstraintFilterContext): ConstraintSpec[] {
    return (this.q.enabled.all() as Row[]).map(specOf).filter((s) => constraintApplies(s.filters, filter));
  }

  setEnabled(id: string, enabled: boolean, now_ms: number): boolean {
    return this.q.setEnabled.run(enabled ? 1 : 0, now_ms, id).changes > 0;
  }

  recordRuns(runs: readonly ConstraintRun[]): void {
    if (runs.length === 0) return;
    this.db.transaction(() => {
      for (const r of runs) {
        this.q.run.run(r.ts_ms, r.constraint_id, r.status, r.value, r.limit, r.explanation, r.reason, r.session, r.symbol, r.regime);
      }
    })();
  }

  runs(constraint_id: string, limit = 100): ConstraintRun[] {
    return (this.q.runs.all(constraint_id, limit) as (Omit<ConstraintRun, 'limit'> & { limit_value: number | null })[]).map(({ limit_value, ...r }) => ({ ...r, limit: limit_value }));
  }

  runCount(): number {
    return this.q.runCount.get() as number;
  }

  pruneRuns(before_ms: number): number {
    return this.q.prune.run(before_ms).changes;
  }

  addInsight(insight: { ts_ms: number; constraint_id?: string | null; kind: string; text: string; data?: unknown }): number {
    return Number(this.q.insight.run(insight.ts_ms, insight.constraint_id ?? null, insight.kind, insight.text, insight.data === undefined ? null : JSON.stringify(insight.data)).lastInsertRowid);
  }

  insights(limit = 50): Insight[] {
    return (this.q.insights.all(limit) as (Omit<Insight, 'data'> & { data: string | null })[]).map((r) => ({ ...r, data: r.data === null ? null : JSON.parse(r.data) as unknown }));
  }
}

// Learning: bounded threshold advice, applied only by an operator and always reversible.
import type { IsoTs } from './modes';

export interface Advice {
  id: string;
  constraint: string;
  current: number;
  proposed: number;
  unit?: string;
  /** Plain English evidence, e.g. "14 of 20 degrades on this constraint were false positives". */
  evidence: string;
  false_positive_pct?: number;
  created_ts: IsoTs;
  applied: boolean;
  applied_ts: IsoTs | null;
  applied_by: string | null;
  /** The value a rollback restores, kept while the advice is applied. */
  rollback: { available: boolean; value: number } | null;
}

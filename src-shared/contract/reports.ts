// Incident reports (DESIGN.md section 1): Markdown, JSON, and a printable page.
import type { AuditEntry } from './audit';
import type { Incident } from './incidents';
import type { IsoTs } from './modes';
import type { RunManifest } from './truth';

export type ReportFormat = 'markdown' | 'json' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['markdown', 'json', 'html'];
/** The `id` that asks for the whole timeline rather than one incident. */
export const TIMELINE_REPORT_ID = 'timeline';

export interface ReportRequest {
  /** An incident id, or TIMELINE_REPORT_ID. */
  id: string;
  format: ReportFormat;
}

/** A finished file, ready to save: the same over HTTP and IPC. */
export interface ReportFile {
  filename: string;
  content_type: string;
  body: string;
}

/** The body of a `json` report, which the console's printable page also renders. */
export interface ReportJson {
  generated_ts: IsoTs;
  scope: 'incident' | 'timeline';
  incidents: Incident[];
  audit: AuditEntry[];
  /** The incident log's hash chain at export time. */
  chain: { head_hash: string | null; verified: boolean };
  /** What was running when the report was made (version, commit, config hash, flags). */
  manifest?: RunManifest;
}

// Incident reports, for a trader and for machines: Markdown (headings, a table of the timeline) and
// JSON (the contract's ReportJson, plus who did what). Pure: the data comes in assembled.
import type { AuditEntry, ReportFile, ReportJson, RunManifest } from '../../../src-shared/contract';
import type { CauseRecord } from './types';
import type { IncidentEventView, IncidentView } from './views';

export type IncidentReportFormat = 'markdown' | 'json';

export interface ReportData {
  generated_ts: string;
  scope: 'incident' | 'timeline';
  range?: { from_ts: string; to_ts: string };
  incidents: IncidentView[];
  /** Every operator action in scope, those outside any incident included. */
  audit: AuditEntry[];
  /** The actions recorded under each incident, by incident id. */
  audit_by_incident: Record<string, AuditEntry[]>;
  chain: { head_hash: string | null; verified: boolean; checked: number; problems: number };
  /** What was running (guardian/manifest); every report made by a running Guardian has it. */
  manifest?: RunManifest;
}

export interface WhoDidWhat {
  actor: string;
  actions: string[];
}

export interface IncidentReportJson extends ReportJson {
  incidents: IncidentView[];
  range?: { from_ts: string; to_ts: string };
  who_did_what: WhoDidWhat[];
}

/** Per actor, what they did, in the order first seen; repeats counted ("detect ×10"). */
export function whoDidWhat(incidents: readonly IncidentView[], audit: readonly AuditEntry[]): WhoDidWhat[] {
  const byActor = new Map<string, Map<string, number>>();
  const note = (actor: string, action: string) => {
    const actions = byActor.get(actor) ?? new Map<string, number>();
    byActor.set(actor, actions);
    actions.set(action, (actions.get(action) ?? 0) + 1);
  };
  // Controls are counted from the audit, which also holds those outside any incident.
  for (const i of incidents) for (const e of i.events) if (e.type !== 'control') note(e.actor, e.type);
  for (const a of audit) note(a.actor, `${a.control} (${a.outcome})`);
  return [...byActor].map(([actor, actions]) => ({ actor, actions: [...actions].map(([a, n]) => (n > 1 ? `${a} ×${n}` : a)) }));
}

export function renderReport(data: ReportData, format: IncidentReportFormat): ReportFile {
  const stem = data.scope === 'incident' ? `incident-${data.incidents[0]?.id ?? 'none'}` : `timeline-${data.generated_ts.slice(0, 10)}`;
  if (format === 'json') {
    const body: IncidentReportJson = {
      generated_ts: data.generated_ts,
      scope: data.scope,
      incidents: data.incidents,
      audit: data.audit,
      chain: { head_hash: data.chain.head_hash, verified: data.chain.verified },
      who_did_what: whoDidWhat(data.incidents, data.audit),
    };
    if (data.range) body.range = data.range;
    if (data.manifest) body.manifest = data.manifest;
    return { filename: `${stem}.json`, content_type: 'application/json', body: JSON.stringify(body, null, 2) + '\n' };
  }
  return { filename: `${stem}.md`, content_type: 'text/markdown; charset=utf-8', body: markdown(data) };
}

// ---- Markdown

const cell = (s: unknown) => String(s ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const row = (cells: unknown[]) => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: string[], rows: unknown[][]) => [row(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(row)].join('\n');
/** "2026-01-05 08:00:00" from an ISO stamp: the report says once that times are UTC. */
export const stamp = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '');
const time = (iso: string) => iso.slice(11, 23);

export function formatDuration(s: number | null): string {
  if (s === null) return '';
  if (s < 60) return `${Math.round(s * 10) / 10} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const num = (v: number | null | undefined, unit?: string) =>
  v === null || v === undefined || !Number.isFinite(v) ? 'unknown' : `${Number(v.toPrecision(6))}${unit ? ` ${unit}` : ''}`;

function causeTable(causes: readonly CauseRecord[]): string {
  if (!causes.length) return '_No constraint was recorded as the cause._';
  return table(['Constraint', 'Gate', 'Value', 'Limit', 'Detail'],
    causes.map((c) => [c.constraint_id, c.gate ?? '', num(c.value, c.unit), c.limit === undefined ? '' : num(c.limit, c.unit), c.text ?? '']));
}

/** Consecutive alerts with the same text under one incident make one row, counted: inhibited, not repeated. */
function timelineRows(events: readonly IncidentEventView[], opened_ts: string): unknown[][] {
  // the time of day alone, unless the incident ran past midnight
  const when = (iso: string) => (iso.slice(0, 10) === opened_ts.slice(0, 10) ? time(iso) : `${iso.slice(0, 10)} ${time(iso)}`);
  const rows: unknown[][] = [];
  let run: { e: IncidentEventView; n: number; last: string } | null = null;
  const flush = () => {
    if (!run) return;
    const what = run.n > 1 ? `${run.e.text} (×${run.n}, last at ${when(run.last)})` : run.e.text;
    rows.push([when(run.e.ts), run.e.type, run.e.severity, run.e.actor, what]);
    run = null;
  };
  for (const e of events) {
    if (run && e.detail.inhibited_by && run.e.detail.inhibited_by && e.text === run.e.text && e.type === run.e.type && e.actor === run.e.actor) {
      run.n++;
      run.last = e.ts;
      continue;
    }
    flush();
    run = { e, n: 1, last: e.ts };
  }
  flush();
  return rows;
}

function incidentSection(i: IncidentView, audit: readonly AuditEntry[], h: string, lead?: string): string {
  const facts: unknown[][] = [
    ['Severity', i.severity],
    ['State', i.state],
    ['Mode', i.mode ?? ''],
    ['Opened (UTC)', stamp(i.opened_ts)],
    ['Closed (UTC)', i.closed_ts ? stamp(i.closed_ts) : 'still open'],
    ['Time to recover', i.time_to_recover_s === null ? 'not recovered yet' : formatDuration(i.time_to_recover_s)],
    ['Acknowledged by', i.acknowledged_by ?? 'nobody yet'],
  ];
  if (i.inhibited_count) facts.push(['Alerts grouped under it', `${i.inhibited_count} (consequences of this incident, not raised again)`]);
  if (i.parent_id) facts.push(['Part of', i.parent_id]);
  if (i.children.length) facts.push(['Related incidents', i.children.join(', ')]);
  if (i.runbook) facts.push(['Runbook', `${i.runbook.runbook}: step ${i.runbook.step} of ${i.runbook.of} (${i.runbook.name}), ${i.runbook.state}`]);
  const actions = audit.length
    ? table(['Time (UTC)', 'Who', 'Control', 'Reason', 'Outcome'], audit.map((a) => [stamp(a.ts), a.actor, a.control, a.reason, a.detail ? `${a.outcome}: ${a.detail}` : a.outcome]))
    : '_No operator action._';
  return [
    `${h} ${i.id}: ${cell(i.title)}`,
    ...(lead ? [lead] : []),
    table(['Item', 'Value'], facts),
    `${h}# Why: the causes and their values`,
    causeTable(i.cause),
    `${h}# Timeline`,
    table(['Time (UTC)', 'Event', 'Severity', 'Who', 'What'], timelineRows(i.events, i.opened_ts)),
    `${h}# Actions`,
    actions,
  ].join('\n\n');
}

function markdown(d: ReportData): string {
  const parts: string[] = [];
  if (d.scope === 'incident') {
    const i = d.incidents[0];
    if (!i) return '# Incident report\n\nNo such incident.\n';
    parts.push(incidentSection(i, d.audit_by_incident[i.id] ?? d.audit, '#', `_Generated ${stamp(d.generated_ts)} UTC. All times are UTC._`));
  } else {
    const range = d.range ? `${stamp(d.range.from_ts)} to ${stamp(d.range.to_ts)} UTC` : 'all time';
    parts.push(`# Incident timeline, ${range}`, `_Generated ${stamp(d.generated_ts)} UTC. All times are UTC._`);
    parts.push(d.incidents.length
      ? table(['Opened (UTC)', 'Incident', 'Severity', 'State', 'Time to recover', 'Cause'], d.incidents.map((i) => [
        stamp(i.opened_ts), `${i.id}: ${i.title}`, i.severity, i.state,
        i.time_to_recover_s === null ? 'open' : formatDuration(i.time_to_recover_s),
        i.cause.map((c) => `${c.constraint_id} = ${num(c.value, c.unit)}`).join(', '),
      ]))
      : '_No incident in this period._');
    for (const i of d.incidents) parts.push(incidentSection(i, d.audit_by_incident[i.id] ?? [], '##'));
    const underIncidents = new Set(Object.values(d.audit_by_incident).flat().map((a) => a.id));
    const other = d.audit.filter((a) => !underIncidents.has(a.id));
    if (other.length) {
      parts.push('## Other operator actions', table(['Time (UTC)', 'Who', 'Control', 'Reason', 'Outcome'], other.map((a) => [stamp(a.ts), a.actor, a.control, a.reason, a.detail ? `${a.outcome}: ${a.detail}` : a.outcome])));
    }
  }
  const who = whoDidWhat(d.incidents, d.audit);
  parts.push('## Who did what', who.length ? table(['Who', 'What'], who.map((w) => [w.actor, w.actions.join(', ')])) : '_Nobody._');
  if (d.manifest) parts.push('## Run manifest', manifestTable(d.manifest));
  parts.push('## Log integrity', d.chain.verified
    ? `The hash chain verifies: ${d.chain.checked} entries checked; head \`${d.chain.head_hash ?? 'empty'}\`.`
    : `**The hash chain does NOT verify (${d.chain.problems} problem(s)).** Run \`guardian verify-log\` for the list.`);
  return parts.join('\n\n') + '\n';
}

/** What was running: the version, the commit, the configuration's hash (secrets redacted), flags, data dir. */
function manifestTable(m: RunManifest): string {
  const flags = Object.entries(m.flags).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  return table(['Item', 'Value'], [
    ['Version', m.version],
    ['Git commit', m.git_commit ? `${m.git_commit}${m.git_ref ? ` (${m.git_ref})` : ''}` : 'none (not a git checkout)'],
    ['Config hash (secrets redacted)', m.config_hash],
    ...m.config_files.map((f) => [`  ${f.file}`, f.sha256 ?? 'unreadable']),
    ['Flags', flags || 'none'],
    ['Data dir', m.data_dir],
    ['Protocol versions', m.protocol_versions.join(', ')],
    ['Started (UTC)', stamp(m.started_ts)],
  ]);
}

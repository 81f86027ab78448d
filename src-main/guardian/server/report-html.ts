// The printable report (format=html): the JSON report laid out as one self-contained page, for a
// trader to print or file. No script at all; styles inline, since the file is opened on its own.
import type { AuditEntry, Cause, Incident, ReportJson } from '../../../src-shared/contract';

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const stamp = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '');
const table = (head: string[], rows: unknown[][]) =>
  `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

function duration(from: string, to: string | null): string {
  if (!to) return 'still open';
  const s = Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
  return s < 60 ? `${Math.round(s * 10) / 10} s` : s < 3600 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** The causes: every recorded one (the log's view keeps unknown values), else the measured ones. */
function causesOf(i: Incident): { id: string; gate: string; value: string; limit: string; text: string }[] {
  const recorded = (i as Incident & { cause?: { constraint_id: string; gate?: string; value: number | null; limit?: number; unit?: string; text?: string }[] }).cause;
  const list: { constraint_id: string; gate?: string; value: number | null; limit?: number; unit?: string; text?: string }[] = recorded ?? i.why?.causes ?? [];
  const n = (v: number | null | undefined, unit?: string) => (v === null || v === undefined ? 'unknown' : `${Number(v.toPrecision(6))}${unit ? ` ${unit}` : ''}`);
  return list.map((c: Cause | (typeof list)[number]) => ({ id: c.constraint_id, gate: c.gate ?? '', value: n(c.value, c.unit), limit: c.limit === undefined ? '' : n(c.limit, c.unit), text: c.text ?? '' }));
}

function incidentHtml(i: Incident, audit: readonly AuditEntry[]): string {
  const causes = causesOf(i);
  const facts: unknown[][] = [
    ['Severity', i.severity],
    ['Mode', i.mode ?? ''],
    ['Opened (UTC)', stamp(i.opened_ts)],
    ['Closed (UTC)', i.closed_ts ? stamp(i.closed_ts) : 'still open'],
    ['Time to recover', duration(i.opened_ts, i.closed_ts)],
    ['Acknowledged by', i.acknowledged_by ?? 'nobody yet'],
  ];
  if (i.runbook) facts.push(['Runbook', `${i.runbook.runbook}: step ${i.runbook.step} of ${i.runbook.of} (${i.runbook.name}), ${i.runbook.state}`]);
  return `<section class="incident">
<h2>${esc(i.id)}: ${esc(i.title)}</h2>
${table(['Item', 'Value'], facts)}
<h3>Why: the causes and their values</h3>
${causes.length ? table(['Constraint', 'Gate', 'Value', 'Limit', 'Detail'], causes.map((c) => [c.id, c.gate, c.value, c.limit, c.text])) : '<p><em>No constraint was recorded as the cause.</em></p>'}
<h3>Timeline</h3>
${table(['Time (UTC)', 'Event', 'What'], i.events.map((e) => [stamp(e.ts), e.type, e.text]))}
<h3>Actions</h3>
${audit.length ? auditTable(audit) : '<p><em>No operator action.</em></p>'}
</section>`;
}

const auditTable = (audit: readonly AuditEntry[]) =>
  table(['Time (UTC)', 'Who', 'Control', 'Reason', 'Outcome'], audit.map((a) => [stamp(a.ts), a.actor, a.control, a.reason, a.detail ? `${a.outcome}: ${a.detail}` : a.outcome]));

export function reportHtml(report: ReportJson): string {
  const title = report.scope === 'incident' ? `Guardian incident ${report.incidents[0]?.id ?? ''}` : 'Guardian incident timeline';
  const ids = new Set(report.incidents.map((i) => i.id));
  const byIncident = (i: Incident) => report.audit.filter((a) => a.params?.incident_id === i.id || (report.scope === 'incident' && ids.has(i.id)));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body{font:13px/1.45 system-ui,sans-serif;color:#111;margin:24px auto;max-width:1000px;padding:0 16px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 6px;border-bottom:1px solid #999}h3{font-size:13px;margin:14px 0 4px}
table{border-collapse:collapse;width:100%;margin:4px 0 8px}th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eee}.meta{color:#444}.bad{color:#a00;font-weight:bold}
@media print{body{margin:0;max-width:none}section{break-inside:avoid-page}}
</style></head><body>
<h1>${esc(title)}</h1>
<p class="meta">Generated ${esc(stamp(report.generated_ts))} UTC. All times are UTC. ${report.incidents.length} incident${report.incidents.length === 1 ? '' : 's'}.
Hash chain: ${report.chain.verified ? 'verified' : '<span class="bad">NOT VERIFIED</span>'} (head <code>${esc(report.chain.head_hash ?? 'empty')}</code>).</p>
${report.incidents.map((i) => incidentHtml(i, byIncident(i))).join('\n')}
${report.scope === 'timeline' && report.audit.length ? `<section><h2>Operator actions</h2>${auditTable(report.audit)}</section>` : ''}
${report.manifest ? `<section><h2>Run manifest</h2>${table(['Item', 'Value'], [
    ['Version', report.manifest.version], ['Git commit', report.manifest.git_commit ?? 'none'], ['Config hash (secrets redacted)', report.manifest.config_hash],
    ['Flags', Object.entries(report.manifest.flags).map(([k, v]) => `${k}=${String(v)}`).join(', ')], ['Data dir', report.manifest.data_dir],
    ['Protocol versions', report.manifest.protocol_versions.join(', ')], ['Started (UTC)', stamp(report.manifest.started_ts)],
  ])}</section>` : ''}
</body></html>
`;
}

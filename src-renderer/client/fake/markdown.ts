// A Markdown incident report, as the service's exporter writes it (the fake's stand-in).
import type { ReportJson } from '../../../src-shared/contract';

export function incidentMarkdown(report: ReportJson): string {
  const lines = [`# Guardian incident report`, '', `Generated ${report.generated_ts}. Hash chain ${report.chain.verified ? 'verified' : 'NOT verified'} (head ${report.chain.head_hash ?? 'none'}).`, ''];
  for (const i of report.incidents) {
    lines.push(`## ${i.id}: ${i.title}`, '', `- Severity: ${i.severity}`, `- Opened: ${i.opened_ts}`, `- Closed: ${i.closed_ts ?? 'open'}`);
    if (i.runbook) lines.push(`- Runbook: ${i.runbook.runbook}, step ${i.runbook.step} of ${i.runbook.of} (${i.runbook.name}, ${i.runbook.state})`);
    if (i.why) lines.push('', '### Why', '', ...i.why.causes.map((c) => `- ${c.constraint_id}: ${c.value}${c.limit === undefined ? '' : ` (limit ${c.limit})`}`));
    lines.push('', '### Events', '', ...i.events.map((e) => `- ${e.ts} ${e.type}: ${e.text}`), '');
  }
  return lines.join('\n');
}

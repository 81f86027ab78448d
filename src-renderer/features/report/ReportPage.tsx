// The printable report (`#/report/<id>`): the client's JSON report laid out for paper.
import { useEffect, useState } from 'react';
import { TIMELINE_REPORT_ID, type ReportJson } from '../../../src-shared/contract';
import { useClient } from '../../client';
import { Icon } from '../../ui/icons';
import { fmtDuration, fmtStamp, fmtUnit } from '../../ui/format';
import './report.css';

export function ReportPage({ id }: { id: string }) {
  const client = useClient();
  const [report, setReport] = useState<ReportJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.exportReport({ id, format: 'json' })
      .then((file) => { if (live) setReport(JSON.parse(file.body) as ReportJson); })
      .catch((err: unknown) => { if (live) setError(err instanceof Error ? err.message : String(err)); });
    return () => { live = false; };
  }, [client, id]);

  return (
    <main className="report-page">
      <nav className="report-nav no-print">
        <a className="btn" href="#/"><Icon name="route" size={12} />Back to the deck</a>
        <button type="button" className="btn btn-primary" onClick={() => window.print()} disabled={!report}><Icon name="print" size={12} />Print</button>
      </nav>
      <h1>Guardian {id === TIMELINE_REPORT_ID ? 'incident timeline' : `incident ${id}`}</h1>
      {error && <p role="alert" className="refusal">Could not load the report: {error}</p>}
      {!report && !error && <p>Loading…</p>}
      {report && (
        <>
          <p className="report-meta">
            Generated {fmtStamp(report.generated_ts)} UTC · {report.incidents.length} incident{report.incidents.length === 1 ? '' : 's'} ·
            hash chain {report.chain.verified ? 'verified' : 'NOT VERIFIED'} (head <span className="mono">{report.chain.head_hash ?? 'none'}</span>)
          </p>
          {report.manifest && (
            <p className="report-meta">
              Guardian {report.manifest.version} · commit <span className="mono">{report.manifest.git_commit?.slice(0, 12) ?? 'none'}</span> ·
              config <span className="mono">{report.manifest.config_hash.slice(0, 12)}</span> · protocol {report.manifest.protocol_versions.join(', ')}
            </p>
          )}
          {report.incidents.map((i) => (
            <article key={i.id} className="report-incident">
              <h2>{i.id}: {i.title}</h2>
              <p>
                {i.severity} · opened {fmtStamp(i.opened_ts)} UTC · {i.closed_ts ? `closed ${fmtStamp(i.closed_ts)} UTC (${fmtDuration((Date.parse(i.closed_ts) - Date.parse(i.opened_ts)) / 1000)})` : 'open'}
                {i.mode ? ` · mode ${i.mode}` : ''}{i.acknowledged_by ? ` · acknowledged by ${i.acknowledged_by}` : ''}
              </p>
              {i.runbook && <p>Runbook {i.runbook.runbook}: step {i.runbook.step} of {i.runbook.of} ({i.runbook.name}, {i.runbook.state}){i.estimate_to_recover_s !== null ? `, about ${fmtDuration(i.estimate_to_recover_s)} to recover` : ''}</p>}
              {i.why && i.why.causes.length > 0 && (
                <table className="report-table">
                  <thead><tr><th>Constraint</th><th>Value</th><th>Limit</th><th>Gate</th></tr></thead>
                  <tbody>{i.why.causes.map((c, k) => <tr key={k}><td>{c.constraint_id}</td><td>{fmtUnit(c.value, c.unit ?? '')}</td><td>{c.limit === undefined ? '—' : fmtUnit(c.limit, c.unit ?? '')}</td><td>{c.gate ?? '—'}</td></tr>)}</tbody>
                </table>
              )}
              <table className="report-table">
                <thead><tr><th>Time (UTC)</th><th>Event</th><th>What happened</th></tr></thead>
                <tbody>{i.events.map((e, k) => <tr key={k}><td>{fmtStamp(e.ts)}</td><td>{e.type}</td><td>{e.text}</td></tr>)}</tbody>
              </table>
            </article>
          ))}
          {report.audit.length > 0 && (
            <article className="report-incident">
              <h2>Audit log</h2>
              <table className="report-table">
                <thead><tr><th>Time (UTC)</th><th>Who</th><th>Control</th><th>Outcome</th><th>Reason</th></tr></thead>
                <tbody>{report.audit.map((a) => <tr key={a.id}><td>{fmtStamp(a.ts)}</td><td>{a.actor}</td><td>{a.control}</td><td>{a.outcome}</td><td>{a.reason}</td></tr>)}</tbody>
              </table>
            </article>
          )}
        </>
      )}
    </main>
  );
}

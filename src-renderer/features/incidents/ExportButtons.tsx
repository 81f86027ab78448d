// Export an incident (or the whole timeline) as Markdown or JSON, or open its printable page.
import { useState } from 'react';
import type { ReportFormat } from '../../../src-shared/contract';
import { useClient } from '../../client';
import { Icon } from '../../ui/icons';
import { saveFile } from './download';

export function ExportButtons({ id, what }: { id: string; what: string }) {
  const client = useClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<ReportFormat | null>(null);
  const run = async (format: ReportFormat) => {
    setBusy(format);
    setError(null);
    try {
      saveFile(await client.exportReport({ id, format }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <span className="export-btns">
      <button type="button" className="mini-btn" onClick={() => void run('markdown')} disabled={busy !== null} title={`Download ${what} as Markdown`}><Icon name="download" size={11} />MD</button>
      <button type="button" className="mini-btn" onClick={() => void run('json')} disabled={busy !== null} title={`Download ${what} as JSON`}><Icon name="download" size={11} />JSON</button>
      <a className="mini-btn" href={`#/report/${encodeURIComponent(id)}`} title={`Open a printable page of ${what}`}><Icon name="print" size={11} />Print</a>
      {error && <span role="alert" className="inline-error">Export failed: {error}</span>}
    </span>
  );
}

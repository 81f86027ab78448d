// What is running: version, commit, configuration hash (secrets redacted), flags, data dir and
// protocol versions (GET /api/manifest). The same facts head every incident report.
import { useEffect, useState } from 'react';
import type { RunManifest } from '../../../src-shared/contract';
import { useClient } from '../../client';
import { Panel } from '../../ui/Panel';
import './truth.css';

export function ManifestPanel() {
  const client = useClient();
  const [m, setM] = useState<RunManifest | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.call('manifest', {})
      .then((r) => { if (live) setM(r); })
      .catch((err: unknown) => { if (live) setError(err instanceof Error ? err.message : String(err)); });
    return () => { live = false; };
  }, [client]);
  return (
    <Panel title="Run manifest" icon="info" className="manifest">
      {!m ? <p className="muted">{error ? `Not available: ${error}` : 'Loading…'}</p> : (
        <dl className="manifest-list">
          <dt>Version</dt><dd className="mono">{m.version}</dd>
          <dt>Commit</dt><dd className="mono" title={m.git_ref ?? ''}>{m.git_commit ? m.git_commit.slice(0, 12) : 'none'}</dd>
          <dt>Config</dt><dd className="mono" title={m.config_files.map((f) => `${f.file}: ${f.sha256 ?? 'unreadable'}`).join('\n')}>{m.config_hash.slice(0, 12)}</dd>
          <dt>Protocol</dt><dd className="mono">{m.protocol_versions.join(', ')}</dd>
          <dt>Data dir</dt><dd className="mono" title={m.data_dir}>{m.data_dir}</dd>
          <dt>Flags</dt><dd className="mono">{Object.entries(m.flags).filter(([, v]) => v !== false && v !== null).map(([k, v]) => (v === true ? k : `${k}=${String(v)}`)).join(' ') || 'none'}</dd>
          <dt>Started</dt><dd className="mono">{m.started_ts.replace('T', ' ').slice(0, 19)} UTC</dd>
        </dl>
      )}
    </Panel>
  );
}

// Shown whenever the console is not receiving Guardian's pulse: the data below may be stale.
import { useClient } from '../../client';
import { useGuardian, selectConnection } from '../../store';
import { Icon } from '../../ui/icons';
import { fmtAgo, fmtDuration } from '../../ui/format';
import { useNow } from '../../ui/useNow';
import './connection.css';

/** A live stream that has said nothing for this long is treated as stale too. */
export const STALE_AFTER_MS = 5000;

export function bannerText(state: string, last_update_ms: number | null, retry_at_ms: number | null, now_ms: number, error: string | null): string | null {
  const last = `last update ${fmtAgo(last_update_ms, now_ms)}`;
  const retry = retry_at_ms !== null ? ` Next try in ${fmtDuration(Math.max(0, (retry_at_ms - now_ms) / 1000))}.` : ' Trying now.';
  switch (state) {
    case 'connecting': return last_update_ms === null ? 'Connecting to Guardian…' : null;
    case 'reconnecting': return `Reconnecting to Guardian… ${last}.${retry}`;
    case 'offline': return `Offline: Guardian is not answering${error ? ` (${error})` : ''}; ${last}. Figures below are stale.${retry}`;
    default: return last_update_ms !== null && now_ms - last_update_ms > STALE_AFTER_MS ? `No pulse from Guardian: ${last}. Figures below may be stale.` : null;
  }
}

/**
 * The status came from Guardian's status file (the service does not answer: a read-only console,
 * or the desktop app while its control plane restarts): say so, with the file's age.
 */
export function staleFileText(stale: boolean, age_s: number | null): string | null {
  if (!stale) return null;
  const age = age_s === null ? 'at an unknown time' : `${fmtDuration(age_s)} ago`;
  return `Read-only: Guardian's service is not answering. Showing its status file, written ${age}; controls are unavailable.`;
}

export function ConnectionBanner() {
  const client = useClient();
  const conn = useGuardian(selectConnection);
  const last = useGuardian((s) => s.last_update_ms);
  const now = useNow(1000);
  const fromFile = useGuardian((s) => s.status?.stale === true);
  const fileAge = useGuardian((s) => s.status?.age_s ?? null);
  const text = bannerText(conn.state, last, conn.retry_at_ms, now, conn.last_error) ?? staleFileText(fromFile, fileAge);
  if (!text) return null;
  const severe = conn.state === 'offline' || fromFile;
  return (
    <div className={`conn-banner ${severe ? 'tone-fail' : 'tone-watch'}`} role="status">
      <Icon name={severe ? 'fail' : 'refresh'} size={14} />
      <span>{text}</span>
      {(conn.state === 'reconnecting' || conn.state === 'offline') && (
        <button type="button" className="mini-btn" onClick={() => client.reconnectNow()}>Retry now</button>
      )}
    </div>
  );
}

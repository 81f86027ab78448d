// The top bar: mode, overall score, risk, entries, connection and the UTC clock.
import { useGuardian, selectControls, selectMode, selectConnection } from '../../store';
import { Icon } from '../../ui/icons';
import { useNow } from '../../ui/useNow';
import { EntriesChip } from './EntriesChip';
import { ModePill } from './ModePill';
import { RiskChip } from './RiskChip';
import { ScoreGauge } from './ScoreGauge';
import './topbar.css';

const CONN_WORD = { connecting: 'Connecting', live: 'Live', reconnecting: 'Reconnecting', offline: 'Offline' } as const;
const CONN_TONE = { connecting: 'idle', live: 'ok', reconnecting: 'watch', offline: 'fail' } as const;

export function TopBar() {
  const mode = useGuardian(selectMode);
  const controls = useGuardian(selectControls);
  const conn = useGuardian(selectConnection);
  const pulse = useGuardian((s) => s.status?.pulse_ms ?? null);
  const now = useNow(1000);
  const clock = new Date(now).toISOString().slice(11, 19);
  return (
    <header className="topbar">
      <div className="brand" title="Guardian: the control plane of the MT4 workstation">
        <Icon name="shield" size={18} />
        <span>Guardian</span>
      </div>
      <ModePill mode={mode} pinned={controls?.pinned_mode != null} />
      <ScoreGauge />
      <RiskChip />
      <EntriesChip mode={mode} controls={controls} />
      <div className="topbar-spacer" />
      <span className={`conn-tag tone-${CONN_TONE[conn.state]}`} title={conn.state === 'live' ? `Receiving Guardian's pulse${pulse ? ` every ${pulse} ms` : ''}` : conn.last_error ?? CONN_WORD[conn.state]}>
        <Icon name={conn.state === 'live' ? 'dot' : conn.state === 'offline' ? 'fail' : 'refresh'} size={12} />
        {CONN_WORD[conn.state]}
      </span>
      <time className="clock" title="Desk clock, UTC">{clock} <small>UTC</small></time>
    </header>
  );
}

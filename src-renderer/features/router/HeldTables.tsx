// Signals Guardian held or refused, and messages that broke the schema (PROTOCOL.md 7).
import { useGuardian } from '../../store';
import { StateTag } from '../../ui/StateTag';
import { fmtClock } from '../../ui/format';

export function HeldTables({ which }: { which: 'held' | 'dead' }) {
  const signals = useGuardian((s) => s.signals);
  const dead = useGuardian((s) => s.dead_letters);
  if (which === 'held') {
    if (!signals.length) return <p className="muted">No signal is held or blocked.</p>;
    return (
      <table className="dense">
        <thead><tr><th>Time</th><th>Signal</th><th>Order</th><th>State</th><th>Why</th></tr></thead>
        <tbody>
          {signals.map((s) => (
            <tr key={s.signal_id}>
              <td className="mono">{fmtClock(s.received_ts)}</td>
              <td className="mono" title={s.message_id}>{s.signal_id}</td>
              <td>{s.action} {s.lots ?? ''} {s.symbol}</td>
              <td><StateTag tone={s.state === 'blocked' ? 'fail' : s.state === 'held' ? 'watch' : 'idle'} word={s.state} /></td>
              <td title={s.reason}><span className="mono">{s.reason_code}</span> {s.reason}{s.expires_ts ? `, expires ${fmtClock(s.expires_ts)}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if (!dead.length) return <p className="muted">No dead letter.</p>;
  return (
    <table className="dense">
      <thead><tr><th>Time</th><th>Peer</th><th>Reason</th><th>Detail</th></tr></thead>
      <tbody>
        {dead.map((d) => (
          <tr key={d.message_id}>
            <td className="mono">{fmtClock(d.ts)}</td>
            <td>{d.peer} <span className="dim">({d.path})</span></td>
            <td className="mono">{d.reason_code}</td>
            <td title={d.excerpt}>{d.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

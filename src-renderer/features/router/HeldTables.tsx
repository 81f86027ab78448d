// Signals Guardian held or refused, and messages that broke the schema (PROTOCOL.md 7).
// Windowed: a bad peer can fill the dead-letter store with thousands.
import { HELD_SIGNALS_PAGE, type DeadLetter, type HeldSignal } from '../../../src-shared/contract';
import { useGuardian } from '../../store';
import { StateTag } from '../../ui/StateTag';
import { VirtualTable, type Column } from '../../ui/VirtualTable';
import { fmtClock } from '../../ui/format';

const HELD_COLUMNS: Column<HeldSignal>[] = [
  { header: 'Time', width: '64px', cell: (s) => <span className="mono">{fmtClock(s.received_ts)}</span> },
  { header: 'Signal', width: '70px', cell: (s) => <span className="mono">{s.signal_id}</span>, title: (s) => s.message_id },
  { header: 'Order', width: '120px', cell: (s) => `${s.action} ${s.lots ?? ''} ${s.symbol}`, title: (s) => `${s.action} ${s.lots ?? '?'} lots ${s.symbol}, ${s.tier ?? 'unknown'} tier` },
  { header: 'State', width: '76px', cell: (s) => <StateTag tone={s.state === 'blocked' ? 'fail' : s.state === 'held' ? 'watch' : 'idle'} word={s.state} /> },
  {
    header: 'Why', width: 'minmax(0, 1fr)',
    cell: (s) => <><span className="mono">{s.reason_code}</span> {s.reason}{s.expires_ts ? `, expires ${fmtClock(s.expires_ts)}` : ''}</>,
    title: (s) => s.reason,
  },
];

const DEAD_COLUMNS: Column<DeadLetter>[] = [
  { header: 'Time', width: '64px', cell: (d) => <span className="mono">{fmtClock(d.ts)}</span> },
  { header: 'Peer', width: '120px', cell: (d) => <>{d.peer} <span className="dim">({d.path})</span></> },
  { header: 'Reason', width: '110px', cell: (d) => <span className="mono">{d.reason_code}</span> },
  { header: 'Detail', width: 'minmax(0, 1fr)', cell: (d) => d.detail, title: (d) => `${d.message_id}: ${d.excerpt}` },
];

export function HeldTables({ which }: { which: 'held' | 'dead' }) {
  const signals = useGuardian((s) => s.signals);
  const heldNow = useGuardian((s) => s.status?.buffer.held);
  const dead = useGuardian((s) => s.dead_letters);
  if (which === 'held') {
    if (!signals.length) return <p className="muted">No signal is held or blocked.</p>;
    // A hold at full rate holds thousands: the table is the newest page, and says so.
    const windowed = signals.length >= HELD_SIGNALS_PAGE || (heldNow ?? 0) > signals.length;
    return (
      <>
        {windowed && <p className="muted held-window">The newest {signals.length} shown; {heldNow?.toLocaleString('en-US') ?? 'more'} held now.</p>}
        <VirtualTable label="Held and blocked signals" rows={signals} columns={HELD_COLUMNS} rowKey={(s) => s.signal_id} />
      </>
    );
  }
  return dead.length
    ? <VirtualTable label="Dead letters" rows={dead} columns={DEAD_COLUMNS} rowKey={(d) => d.message_id} />
    : <p className="muted">No dead letter.</p>;
}

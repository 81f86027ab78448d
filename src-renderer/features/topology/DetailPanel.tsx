// What the operator clicked on the map, in detail. It reads the live status, so it updates.
import type { GuardianStatus, PathName } from '../../../src-shared/contract';
import { Icon } from '../../ui/icons';
import { Num } from '../../ui/Num';
import { StateTag } from '../../ui/StateTag';
import { fmtClock } from '../../ui/format';
import { MODE_VIEW } from '../topbar/mode';
import { BROKER_ID, EA_ID, pathState } from './graph/buildTopology';
import { PeerHealth } from './PeerHealth';
import { ROUTE_ICON, ROUTE_TONE, ROUTE_WORD } from './routeWords';

/** The map element an id names: edges are shown as the hop they lead to. */
function subject(id: string): { kind: 'path'; path: PathName } | { kind: 'tier'; tier: string } | { kind: 'guardian' | 'ea' | 'broker' } {
  const m = /^(?:path:|e:g-|e:)(socket|pipe|spool)(?:-ea)?$/.exec(id);
  if (m) return { kind: 'path', path: m[1] as PathName };
  const t = /^(?:tier:|e:)(primary|cached|heuristic)$/.exec(id);
  if (t) return { kind: 'tier', tier: t[1]! };
  if (id === EA_ID) return { kind: 'ea' };
  if (id === BROKER_ID || id === 'e:ea-broker') return { kind: 'broker' };
  return { kind: 'guardian' };
}

export function DetailPanel({ id, status, onClose }: { id: string; status: GuardianStatus; onClose: () => void }) {
  const s = subject(id);
  const peers = status.peers ?? [];
  let title = 'Guardian';
  let body;
  if (s.kind === 'path') {
    const m = status.routes.metrics[s.path];
    const state = pathState(status.routes, s.path);
    title = `${s.path} path`;
    body = (
      <>
        <p><StateTag tone={ROUTE_TONE[state]} word={ROUTE_WORD[state]} icon={ROUTE_ICON[state]} /> {m?.last_error && <span className="mono">last error {m.last_error}</span>}</p>
        <dl className="kv">
          <dt>Latency</dt><dd><Num value={m?.latency_ms} unit="ms" label={`${s.path} latency now`} /></dd>
          <dt>Drop</dt><dd><Num value={m?.drop_pct} unit="%" digits={1} label={`${s.path} frames dropped, last minute`} budget={1} budgetWord="limit" /></dd>
          <dt>Retries</dt><dd><Num value={m?.retries} label={`${s.path} resends in the last minute`} /></dd>
          <dt>Acks/s</dt><dd><Num value={m?.acks_per_s} label={`${s.path} acknowledgements per second`} /></dd>
          <dt>Queue</dt><dd><Num value={m?.queue_depth} label={`Messages queued on ${s.path}`} /></dd>
        </dl>
        <PeerHealth peers={peers} path={s.path} />
      </>
    );
  } else if (s.kind === 'tier') {
    title = `${s.tier} signal tier`;
    body = <PeerHealth peers={peers.filter((p) => p.tier === s.tier)} />;
  } else if (s.kind === 'ea') {
    title = 'MT4 Expert Advisor';
    body = <PeerHealth peers={peers.filter((p) => p.role === 'EA')} />;
  } else if (s.kind === 'broker') {
    const b = status.broker;
    title = b?.name ?? 'Broker';
    body = b ? (
      <dl className="kv">
        <dt>State</dt><dd><StateTag tone={b.connected ? 'ok' : 'fail'} word={b.connected ? 'Connected' : 'Lost'} /></dd>
        <dt>Round trip</dt><dd><Num value={b.rtt_ms} unit="ms" label="Round trip to the broker server" /></dd>
        <dt>Clock skew</dt><dd><Num value={b.clock_skew_ms} unit="ms" label="Host clock minus the broker's server_time" budget={500} budgetWord="limit" /></dd>
      </dl>
    ) : <p className="muted">The broker is not reported.</p>;
  } else {
    const view = MODE_VIEW[status.mode];
    const sw = status.last_switch;
    body = (
      <>
        <p>{view.meaning}</p>
        <dl className="kv">
          <dt>Recover at</dt><dd><Num value={status.policy.recover_threshold} label="Every gate must reach this score to leave a degraded mode" /> for <Num value={status.policy.dwell_seconds} unit="s" label="How long every gate must stay healthy before leaving a degraded mode" /></dd>
          {sw && <><dt>Last switch</dt><dd>{fmtClock(sw.ts)} {sw.from} → {sw.to} by {sw.actor}: {sw.reason}</dd></>}
        </dl>
      </>
    );
  }
  return (
    <aside className="detail-panel" aria-label={`Details: ${title}`}>
      <header>
        <h3>{title}</h3>
        <button type="button" className="icon-btn" onClick={onClose} aria-label="Close details" title="Close (Esc)"><Icon name="close" /></button>
      </header>
      {body}
    </aside>
  );
}

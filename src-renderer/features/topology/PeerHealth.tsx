// Per-peer health on each path: round trips, drops, handshakes, bad input, last error.
import type { PathName, Peer } from '../../../src-shared/contract';
import { Num } from '../../ui/Num';
import { StateTag } from '../../ui/StateTag';

export function PeerHealth({ peers, path }: { peers: Peer[]; path?: PathName }) {
  const rows = peers.flatMap((peer) =>
    (Object.keys(peer.paths) as PathName[])
      .filter((p) => !path || p === path)
      .map((p) => ({ peer, p, h: peer.paths[p]! })),
  );
  if (!rows.length) return <p className="muted">No peer reports this path.</p>;
  return (
    <table className="dense">
      <thead>
        <tr><th>Peer</th><th>Path</th><th>State</th><th title="Round trip, median / 95th / 99th percentile">RTT p50/95/99</th><th>Drop</th><th title="Failed handshakes in the last 60 s">HS fail</th><th title="Frames refused as bad input: size, JSON, checksum, auth, schema">Bad in</th><th>Last error</th></tr>
      </thead>
      <tbody>
        {rows.map(({ peer, p, h }) => {
          const bad = h.bad_input.frame_size + h.bad_input.bad_json + h.bad_input.bad_checksum + h.bad_input.auth_failed + h.bad_input.bad_message;
          return (
            <tr key={`${peer.node_id}:${p}`}>
              <td title={`${peer.role}${peer.tier ? ` (${peer.tier})` : ''}, GBP ${peer.version}`}>{peer.node_id}{peer.legacy && <span className="tag-legacy" title="Legacy GBP 1.0 peer: no handshake, no acknowledgements, best effort"> 1.0</span>}</td>
              <td>{p}{peer.active_path === p ? ' ★' : ''}</td>
              <td><StateTag tone={h.up ? 'ok' : 'fail'} word={h.up ? 'Up' : 'Down'} /></td>
              <td>
                <Num value={h.rtt_p50_ms} unit="" label={`${peer.node_id} ${p} round trip, median`} />/
                <Num value={h.rtt_p95_ms} unit="" label={`${peer.node_id} ${p} round trip, 95th percentile`} />/
                <Num value={h.rtt_p99_ms} unit="ms" label={`${peer.node_id} ${p} round trip, 99th percentile`} />
              </td>
              <td><Num value={h.drop_pct} unit="%" digits={1} label={`Frames dropped by ${peer.node_id} on ${p}`} /></td>
              <td><Num value={h.handshake_failures} label={`Failed handshakes of ${peer.node_id} on ${p} in the last 60 s`} /></td>
              <td title={`size ${h.bad_input.frame_size}, JSON ${h.bad_input.bad_json}, checksum ${h.bad_input.bad_checksum}, auth ${h.bad_input.auth_failed}, schema ${h.bad_input.bad_message}`}>{bad}</td>
              <td className="mono">{h.last_error ?? '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

// The compact live status line the headless service prints every second.
import type { DataPlaneStatus } from './guardian';

export function formatStatusLine(s: DataPlaneStatus, mode = 'NORMAL'): string {
  const time = new Date().toISOString().slice(11, 19);
  const peers = s.peers.length === 0
    ? 'no peers'
    : s.peers.map((p) => `${p.node_id}${p.legacy ? '(1.0)' : ''}@${p.active_path ?? 'NONE'}`).join(' ');
  const oldest = s.buffer.oldest_age_s === null ? '-' : `${s.buffer.oldest_age_s}s`;
  const errs = s.store.failures > 0 ? ` store-failures ${s.store.failures}` : '';
  const held = s.intake_held_backlog !== null ? ` | intake held (EA ${s.intake_held_backlog} behind)` : '';
  const ha = s.leadership ? ` | ${s.leadership.role} token ${s.leadership.token}` : '';
  return `${time} ${mode.padEnd(15)} ${peers} | buffer ${s.buffer.depth} (held ${s.buffer.held}, oldest ${oldest}) | ${s.msgs_per_s} msg/s in, ${s.buffer.deq_per_s} acked/s${errs}${held}${ha}`;
}

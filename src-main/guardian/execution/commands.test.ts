// COMMAND outcomes: sent -> acknowledged -> confirmed, or unknown after the timeout; never guessed.
import { describe, expect, it } from 'vitest';
import type { CommandName, StatusPayload } from '../../../src-shared/protocol';
import { onAcked, onStatus, onTimeout, stillOpen, type TrackedCommand } from './commands';

const cmd = (command: CommandName, seq: number, peer = 'ea-1'): TrackedCommand => ({
  id: seq, command, peer, seq, reason: 'kill switch', state: 'sent', sent_ms: 1000, acked_ms: null, confirmed_ms: null, sent_mono_ms: 0, detail: '',
});
const status = (p: Partial<StatusPayload> = {}): StatusPayload => ({
  ea_state: 'PAUSED', balance: 1, equity: 1, margin_level: 0, spread_pips: 1, open_positions: 0, server_time: '2026.11.22 10:00:00', ...p,
});

describe('command tracking', () => {
  it('an ACK up to the seq acknowledges; a STATUS after it that shows the effect confirms', () => {
    const open = [cmd('CANCEL_ALL', 5), cmd('FLATTEN', 6)];
    expect(onAcked(open, 'ea-1', 5, 2000).map((c) => c.id)).toEqual([5]);
    expect(open[1]!.state).toBe('sent');
    // FLATTEN is not acknowledged yet: a STATUS with no position does not confirm it.
    expect(onStatus(open, 'ea-1', status({ open_positions: 0 }), 2100).map((c) => c.id)).toEqual([5]);
    expect(open[0]).toMatchObject({ state: 'confirmed', confirmed_ms: 2100, detail: 'no pending order left (STATUS ea_state PAUSED)' });
    onAcked(open, 'ea-1', 6, 2200);
    expect(onStatus(open, 'ea-1', status({ open_positions: 2 }), 2300)).toEqual([]);
    expect(onStatus(open, 'ea-1', status({ open_positions: 0 }), 2400)[0]).toMatchObject({ command: 'FLATTEN', state: 'confirmed', detail: 'no open position left (STATUS open_positions 0)' });
  });

  it('another EA\'s ACK or STATUS is not evidence', () => {
    const open = [cmd('HOLD_NEW_ENTRIES', 3)];
    expect(onAcked(open, 'ea-2', 10, 2000)).toEqual([]);
    onAcked(open, 'ea-1', 3, 2000);
    expect(onStatus(open, 'ea-2', status(), 2100)).toEqual([]);
    expect(onStatus(open, 'ea-1', status({ ea_state: 'IDLE' }), 2100)).toEqual([]); // not holding: not confirmed
  });

  it('unknown after the timeout, saying what was missing; not before', () => {
    const open = [cmd('CANCEL_ALL', 1), cmd('FLATTEN', 2)];
    onAcked(open, 'ea-1', 1, 500);
    expect(onTimeout(open, 9_999, 10_000)).toEqual([]);
    const late = onTimeout(open, 10_000, 10_000);
    expect(late.map((c) => [c.command, c.state, c.detail])).toEqual([
      ['CANCEL_ALL', 'unknown', "acknowledged, but its effect was not seen in the EA's STATUS within 10 s"],
      ['FLATTEN', 'unknown', 'not acknowledged by the EA within 10 s: whether it acted is unknown'],
    ]);
    expect(onTimeout(open, 20_000, 10_000)).toEqual([]); // once
  });

  it('late evidence confirms an unknown command, and says it was late', () => {
    const open = [cmd('FLATTEN', 2)];
    onTimeout(open, 10_000, 10_000);
    onAcked(open, 'ea-1', 2, 11_000);
    expect(open[0]!.state).toBe('acknowledged');
    onStatus(open, 'ea-1', status({ open_positions: 0 }), 12_000);
    expect(open[0]).toMatchObject({ state: 'confirmed', detail: 'no open position left (STATUS open_positions 0), after the timeout' });
    expect(stillOpen(open, 12_000, 3_600_000)).toEqual([]);
  });

  it('a PING is confirmed by its ACK', () => {
    const open = [cmd('PING', 9)];
    onAcked(open, 'ea-1', 9, 100);
    expect(open[0]).toMatchObject({ state: 'confirmed', detail: 'acknowledged' });
  });
});

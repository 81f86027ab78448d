// A message queued for the EA by a listener while a batch tells its outcomes (a refusal's event
// handler that sends a COMMAND) belongs to the next batch: it may be sent only once that batch
// has stored it. Before, it rode on the earlier batch and could reach the EA unstored, so a crash
// then would have reused its seq for another message, which the EA would drop as a duplicate.
import { describe, expect, it } from 'vitest';
import { signalPayload } from './raw-peer.test-support';
import { useTestGuardian } from './test-guardian.test-support';
import type { GuardianConfig } from '.';

const tg = useTestGuardian('guardian-batch-');
const noSpoolNoApi = (c: GuardianConfig) => {
  c.paths.spool.enabled = false;
  c.api.enabled = false;
};

describe('batch boundaries', () => {
  it('never counts a frame of the next batch as stored with this one', async () => {
    const g = await tg.start(noSpoolNoApi);
    const router = g.router;
    const ea = await tg.greet(g.listening.socket!, 'ea-1', 'EA');
    const sig = await tg.greet(g.listening.socket!, 'sig-1', 'SIGNAL', 'primary');

    // Signal 1 is refused; signal 2 routes. Both land in one batch (one frame, one read).
    router.signals.policy = (s) => (s.signal_id === 's-1' ? { action: 'refuse', reason: 'MODE_BLOCK', detail: 'test' } : undefined);
    const storedMax = () => g.db.prepare("SELECT MAX(seq) FROM outbox WHERE peer = 'ea-1'").pluck().get() as number | null ?? 0;
    const seen: { committed: number; stored: number }[] = [];
    router.events.on((e) => {
      if (e.type !== 'signal_refused') return;
      // The refusal's handler sends the EA a COMMAND: a new batch, not yet stored.
      void router.send('ea-1', 'COMMAND', { command: 'PING', command_id: 'c-1' }).catch(() => undefined);
      // Once this batch has told every outcome, what counts as committed must be stored.
      queueMicrotask(() => seen.push({ committed: router.peers.get('ea-1')!.outbound.committed, stored: storedMax() }));
    });
    sig.sock.cork(); // one write: both frames in one read, so one batch
    sig.send('SIGNAL', signalPayload(1));
    sig.send('SIGNAL', signalPayload(2));
    sig.sock.uncork();
    await ea.until(() => ea.got.some((e) => e.header.message_type === 'COMMAND'));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.committed).toBeLessThanOrEqual(seen[0]!.stored);
    // Both reached the EA in seq order, each once: the routed signal with its batch, the COMMAND after.
    await ea.until(() => ea.got.some((e) => e.header.message_type === 'SIGNAL'));
    const data = ea.got.filter((e) => e.header.seq > 0).map((e) => `${e.header.message_type}:${e.header.seq}`);
    expect(data).toEqual(['SIGNAL:1', 'COMMAND:2']);
  });

  it('records as used only the seqs a batch has stored, so a crash before the next commit leaves no hole', async () => {
    const g = await tg.start(noSpoolNoApi);
    await tg.greet(g.listening.socket!, 'ea-1', 'EA');
    await g.router.send('ea-1', 'COMMAND', { command: 'PING', command_id: 'c-1' });
    const nextSeq = () => g.db.prepare("SELECT next_seq FROM streams_out WHERE peer = 'ea-1'").pluck().get() as number;
    expect(nextSeq()).toBe(2);
    // A second COMMAND reserves seq 2 in a batch not yet stored; the periodic prune runs meanwhile.
    const pending = g.router.send('ea-1', 'COMMAND', { command: 'PING', command_id: 'c-2' });
    g.router.prune();
    expect(nextSeq()).toBe(2); // were the process killed now, seq 2 would be free for the resend
    await pending;
    expect(nextSeq()).toBe(3);
  });
});

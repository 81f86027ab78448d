// How Guardian takes connections: the pipe path through a listener the host supplies (the desktop
// app's native secure pipe on Windows), with Node's own as the fallback; and stopIntake(), the
// first step of a graceful stop: no new connections, while the open sessions still flush.
import { describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { listenPipe, type Listener } from './paths';
import { signalPayload } from './raw-peer.test-support';
import { useTestGuardian } from './test-guardian.test-support';
import type { Guardian, PipeListenerFactory } from '.';

const tg = useTestGuardian('guardian-intake-');

function start(pipeListener?: PipeListenerFactory): Promise<Guardian> {
  return tg.start((c) => void (c.paths.spool.enabled = false), pipeListener ? { pipeListener } : {});
}

/** Resolves true when a TCP connection to host:port is accepted, false when it is refused. */
function accepts(address: string): Promise<boolean> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

describe('the pipe listener hook', () => {
  it("serves the pipe path through the host's listener, which carries the protocol like Node's", async () => {
    const asked: string[] = [];
    let served: Listener | undefined;
    const guardian = await start(async (address, onConnection) => {
      asked.push(address);
      served = await listenPipe(address, onConnection);
      return served;
    });
    expect(asked).toEqual([guardian.listening.pipe]);
    const ea = await tg.open(guardian.listening.pipe!, 'ea-1', 'EA');
    ea.hello();
    const ack = await ea.waitFor((e) => e.header.message_type === 'HELLO_ACK');
    expect(ack.payload).toMatchObject({ node_id: 'guardian-1' });
    expect(guardian.status().peers.find((p) => p.node_id === 'ea-1')?.active_path).toBe('pipe');
  });

  it("falls back to Node's listener when the host's declines (no library), never a start without a pipe", async () => {
    const guardian = await start(async () => null);
    await tg.greet(guardian.listening.pipe!, 'ea-1', 'EA');
  });
});

describe('stopIntake', () => {
  it('refuses new connections while an open session still delivers and is acknowledged', async () => {
    const guardian = await start();
    const ea = await tg.greet(guardian.listening.socket!, 'ea-1', 'EA');
    const sig = await tg.greet(guardian.listening.socket!, 'sig-1', 'SIGNAL', 'primary');
    expect(await accepts(guardian.listening.socket!)).toBe(true);

    guardian.stopIntake();
    expect(await accepts(guardian.listening.socket!)).toBe(false);
    // The sessions already open carry on: a signal still reaches the EA, and its ACK empties the outbox.
    sig.send('SIGNAL', signalPayload(1));
    const delivered = await ea.waitFor((e) => e.header.message_type === 'SIGNAL');
    ea.send('ACK', { ack_seq: delivered.header.seq });
    await sig.waitFor((e) => e.header.message_type === 'ACK');
    for (let t = Date.now(); guardian.status().buffer.depth > 0; await new Promise((r) => setTimeout(r, 10))) {
      if (Date.now() - t > 5000) throw new Error('the outbox never emptied');
    }
    expect(guardian.status().buffer.depth).toBe(0);
  });
});

import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_GRACE_MS, listenSocket, type Listener } from './listeners';

let listener: Listener | undefined;
const clients: Socket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await listener?.close();
  listener = undefined;
});

/** A peer that connects and then says nothing and never hangs up (it never greets). */
async function silentPeer(l: Listener): Promise<{ socket: Socket; closed: Promise<void> }> {
  const port = Number(l.address.split(':').pop());
  const socket = connect({ host: '127.0.0.1', port });
  clients.push(socket);
  socket.on('error', () => undefined);
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  return { socket, closed };
}

const settled = (p: Promise<unknown>) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);

describe('socket listener', () => {
  it('close() cuts a session that never hangs up, so a shutdown does not wait on a peer', async () => {
    const accepted: Socket[] = [];
    listener = await listenSocket('127.0.0.1', 0, (s) => accepted.push(s));
    const peer = await silentPeer(listener);
    while (accepted.length === 0) await new Promise((r) => setTimeout(r, 5));
    await listener.close(); // resolves: the silent session was cut after the grace
    await peer.closed;
    expect(accepted[0]!.destroyed).toBe(true);
  });

  it('stopAccepting() leaves open sessions up (a repair relistens while they flush), and resolves when they end', async () => {
    listener = await listenSocket('127.0.0.1', 0, () => undefined);
    const peer = await silentPeer(listener);
    const stopped = listener.stopAccepting();
    await new Promise((r) => setTimeout(r, CLOSE_GRACE_MS + 200));
    expect(await settled(stopped)).toBe(false);
    expect(peer.socket.destroyed).toBe(false);
    peer.socket.end();
    await stopped;
  });
});

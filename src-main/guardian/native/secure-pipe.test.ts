// The Windows pipe server's TypeScript side, run here against an in-memory stand-in for the
// library (the DLL itself is exercised by native/bridge/tests/test_pipe_server.c under wine):
// it declines off Windows with the reason, accepts clients as streams that carry bytes both
// ways, ends the stream when the client leaves, and closes everything on close().
import { describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import type { Duplex } from 'node:stream';
import { GB_ERROR } from './koffi-api';
import { unavailable } from './native-bridge';
import { PipeSocket, type PipeRead } from './pipe-socket';
import { listenSecurePipe, securePipeListenerFactory, type PipeServerCalls } from './secure-pipe';

/** A pipe server in memory: `connect()` plays a client, with what it sent and what it got. */
function fakePipeServer() {
  const waiting: ((conn: number) => void)[] = [];
  const conns = new Map<number, { toServer: Buffer[]; toClient: Buffer[]; clientGone: boolean; closed: boolean; wake?: () => void }>();
  let next = 100;
  let serverClosed = false;
  const calls: PipeServerCalls = {
    listen: (name) => (name === 'taken' ? GB_ERROR.BUSY : 1),
    accept: (_server, wait) => new Promise((resolve) => {
      if (serverClosed) return resolve(GB_ERROR.CLOSED);
      const t = setTimeout(() => resolve(serverClosed ? GB_ERROR.CLOSED : 0), Math.min(wait, 20));
      waiting.push((conn) => {
        clearTimeout(t);
        resolve(conn);
      });
    }),
    read: async (conn, max, wait) => {
      const c = conns.get(conn);
      if (!c || c.closed) return GB_ERROR.ARG;
      if (c.toServer.length === 0 && !c.clientGone) await new Promise<void>((r) => ((c.wake = r), setTimeout(r, Math.min(wait, 20))));
      const chunk = c.toServer.shift();
      if (chunk) return chunk.subarray(0, max);
      return c.clientGone ? GB_ERROR.CLOSED : ('timeout' as PipeRead);
    },
    write: async (conn, bytes) => {
      const c = conns.get(conn);
      if (!c || c.clientGone) return GB_ERROR.CLOSED;
      c.toClient.push(Buffer.from(bytes));
      return bytes.length;
    },
    security: () => 'D:P(A;;GA;;;SY)(A;;GA;;;S-1-5-21-1-2-3-1001)',
    close: (handle) => {
      if (handle === 1) {
        serverClosed = true;
        for (const w of waiting.splice(0)) w(GB_ERROR.CLOSED);
      }
      const c = conns.get(handle);
      if (c) c.closed = true;
    },
    errorName: (code) => Object.entries(GB_ERROR).find(([, v]) => v === code)?.[0] ?? String(code),
  };
  return {
    calls,
    connect() {
      const id = next++;
      const c = { toServer: [] as Buffer[], toClient: [] as Buffer[], clientGone: false, closed: false, wake: undefined as (() => void) | undefined };
      conns.set(id, c);
      const hand = waiting.shift();
      if (!hand) throw new Error('nobody is accepting');
      hand(id);
      return {
        send: (s: string) => (c.toServer.push(Buffer.from(s)), c.wake?.()),
        got: () => Buffer.concat(c.toClient).toString(),
        leave: () => ((c.clientGone = true), c.wake?.()),
        closedByServer: () => c.closed,
      };
    },
  };
}

const until = async (cond: () => boolean, what: string) => {
  for (let t = Date.now(); !cond(); await new Promise((r) => setTimeout(r, 5))) if (Date.now() - t > 2000) throw new Error(`timed out: ${what}`);
};

/** Listens on `name` with the fake library, connects one client, and returns both ends. */
async function oneClient(name: string) {
  const fake = fakePipeServer();
  const sockets: Duplex[] = [];
  const r = await listenSecurePipe(unavailable('x'), name, (s) => sockets.push(s), { platform: 'win32', calls: fake.calls });
  if (!r.ok) throw new Error(r.reason);
  let client: ReturnType<typeof fake.connect> | undefined;
  await until(() => { try { client = fake.connect(); return true; } catch { return false; } }, 'accept');
  await until(() => sockets.length === 1, 'the socket');
  return { fake, listener: r.listener, client: client!, socket: sockets[0]! };
}

describe('the secure pipe server', () => {
  it('declines off Windows, saying the Unix socket in the data dir is used instead', async () => {
    const r = await listenSecurePipe(unavailable('x'), 'guardian-bridge', () => {}, { platform: 'linux' });
    expect(r).toEqual({ ok: false, reason: 'named pipes with a narrowed ACL are a Windows feature; on linux the pipe path is a Unix socket in the data dir' });
  });

  it('declines on Windows without the library, with the library\'s reason', async () => {
    const r = await listenSecurePipe(unavailable('the bridge library is not built'), 'guardian-bridge', () => {}, { platform: 'win32' });
    expect(r).toEqual({ ok: false, reason: 'the native bridge is not available: the bridge library is not built' });
  });

  it('refuses to share a pipe name another process holds', async () => {
    const fake = fakePipeServer();
    const r = await listenSecurePipe(unavailable('x'), 'taken', () => {}, { platform: 'win32', calls: fake.calls });
    expect(r).toEqual({ ok: false, reason: 'cannot create \\\\.\\pipe\\taken: another process already holds this pipe name' });
  });

  it('shows its narrowed DACL, and close() stops accepting and closes the open streams', async () => {
    const { fake, listener, socket } = await oneClient('guardian-bridge');
    expect(listener.address).toBe('\\\\.\\pipe\\guardian-bridge');
    expect(listener.security()).toMatch(/^D:P\(A;;GA;;;SY\)\(A;;GA;;;S-1-5-21-/);
    socket.resume();
    const closed = new Promise<void>((res) => socket.once('close', () => res()));
    await listener.close();
    await closed;
    expect(() => fake.connect()).toThrow('nobody is accepting');
  });

  it('hands each client over as a stream carrying bytes both ways, ended when the client leaves', async () => {
    const { listener, client, socket } = await oneClient('p');
    expect(socket).toBeInstanceOf(PipeSocket);
    const received: string[] = [];
    socket.on('data', (d: Buffer) => received.push(d.toString()));
    client.send('HELLO');
    await until(() => received.join('') === 'HELLO', 'the bytes in');
    socket.write('HELLO_ACK');
    await until(() => client.got() === 'HELLO_ACK', 'the bytes out');
    const closed = new Promise<void>((res) => socket.once('close', () => res()));
    client.leave();
    await closed;
    expect(client.closedByServer()).toBe(true);
    await listener.close();
  });

  it('stopAccepting() takes no new client but leaves the open stream up until its client leaves', async () => {
    const { fake, listener, client, socket } = await oneClient('p');
    const received: string[] = [];
    socket.on('data', (d: Buffer) => received.push(d.toString()));
    let stopped = false;
    const stopping = listener.stopAccepting().then(() => (stopped = true));
    await until(() => { try { fake.connect(); return false; } catch { return true; } }, 'refusing new clients');
    client.send('STILL HERE');
    await until(() => received.join('') === 'STILL HERE', 'the open stream still carrying bytes');
    expect(stopped).toBe(false);
    client.leave();
    await stopping;
    expect(stopped).toBe(true);
  });
});

describe("createGuardian's pipe hook from the secure pipe", () => {
  it('gives a pipe Listener on Windows with the library', async () => {
    const fake = fakePipeServer();
    const declined: string[] = [];
    const listen = securePipeListenerFactory(unavailable('x'), (why) => declined.push(why), { platform: 'win32', calls: fake.calls });
    const l = await listen('\\\\.\\pipe\\guardian-bridge', () => {});
    expect(l).toMatchObject({ path: 'pipe', address: '\\\\.\\pipe\\guardian-bridge' });
    expect(declined).toEqual([]);
    await l!.close();
  });

  it("resolves null with the reason where it cannot be made, so Guardian keeps Node's listener", async () => {
    const declined: string[] = [];
    const listen = securePipeListenerFactory(unavailable('the bridge library is not built'), (why) => declined.push(why), { platform: 'win32' });
    expect(await listen('\\\\.\\pipe\\guardian-bridge', () => {})).toBeNull();
    expect(declined).toEqual(['the native bridge is not available: the bridge library is not built']);
  });
});

// Guardian's pipe path on Windows, served by the bridge library so that the pipe admits only the
// current user and SYSTEM and refuses remote clients (Node cannot narrow a pipe's ACL). Each
// accepted client arrives as a stream, ready for the router's acceptConnection. Off Windows, or
// without the library, it declines with the reason: the caller keeps Node's own listener.
import { Buffer } from 'node:buffer';
import type { Duplex } from 'node:stream';
import { callAsync, GB_ERROR, type PipeCalls } from './koffi-api';
import { errorName, type NativeBridge } from './native-bridge';
import { PipeSocket, type PipeRead } from './pipe-socket';
import type { Listener } from '../paths';

/** The pipe server's calls as promises: the koffi binding, or a fake in tests. */
export interface PipeServerCalls {
  listen(name: string): number;
  accept(server: number, timeout_ms: number): Promise<number>;
  read(conn: number, max_bytes: number, timeout_ms: number): Promise<PipeRead | number>;
  write(conn: number, bytes: Buffer, timeout_ms: number): Promise<number>;
  security(handle: number): string | null;
  close(handle: number): void;
  errorName(code: number): string;
}

export interface SecurePipeListener {
  /** `\\.\pipe\NAME`. */
  readonly address: string;
  /** The DACL as SDDL, e.g. `D:P(A;;GA;;;SY)(A;;GA;;;S-1-5-21-...)`. */
  security(): string | null;
  /** Takes no new clients; the open ones stay up. Resolves once the last has closed. */
  stopAccepting(): Promise<void>;
  /** Takes no new clients and closes the open ones. */
  close(): Promise<void>;
}

export type SecurePipeResult = { ok: true; listener: SecurePipeListener } | { ok: false; reason: string };

const ACCEPT_WAIT_MS = 1000;
const WRITE_WAIT_MS = 5000;

export async function listenSecurePipe(
  bridge: NativeBridge,
  name: string,
  onConnection: (socket: Duplex) => void,
  options: { platform?: NodeJS.Platform; calls?: PipeServerCalls } = {},
): Promise<SecurePipeResult> {
  const platform = options.platform ?? process.platform;
  if (platform !== 'win32') {
    return { ok: false, reason: `named pipes with a narrowed ACL are a Windows feature; on ${platform} the pipe path is a Unix socket in the data dir` };
  }
  const calls = options.calls ?? (bridge.calls?.pipe ? koffiPipeCalls(bridge, bridge.calls.pipe) : null);
  if (!calls) {
    return { ok: false, reason: bridge.available ? 'the bridge library predates the pipe server (rebuild it: native/build.sh --windows)' : `the native bridge is not available: ${bridge.reason}` };
  }
  const address = `\\\\.\\pipe\\${name}`;
  const server = calls.listen(name);
  if (server < 0) {
    const why = server === GB_ERROR.BUSY ? 'another process already holds this pipe name' : calls.errorName(server);
    return { ok: false, reason: `cannot create ${address}: ${why}` };
  }
  let open = true;
  const sockets = new Set<PipeSocket>();
  const accepting = (async () => {
    while (open) {
      const conn = await calls.accept(server, ACCEPT_WAIT_MS).catch(() => GB_ERROR.IO);
      if (conn === 0) continue;
      if (conn < 0) {
        if (!open || conn === GB_ERROR.CLOSED || conn === GB_ERROR.ARG) return;
        await new Promise((r) => setTimeout(r, 100)); // a transient failure: do not spin
        continue;
      }
      const socket = new PipeSocket({
        read: async (max, wait) => {
          const r = await calls.read(conn, max, wait);
          if (typeof r !== 'number') return r;
          if (r === GB_ERROR.CLOSED || r === GB_ERROR.ARG) return 'closed';
          throw new Error(`${address}: read failed: ${calls.errorName(r)}`);
        },
        write: async (bytes) => {
          const n = await calls.write(conn, bytes, WRITE_WAIT_MS);
          if (n < 0) throw new Error(`${address}: write failed: ${calls.errorName(n)}`);
        },
        close: () => calls.close(conn),
      }, address);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      onConnection(socket);
    }
  })();
  const stopAccepting = async () => {
    if (open) {
      open = false;
      calls.close(server); // wakes the blocked accept
    }
    await accepting;
    await Promise.all([...sockets].map((s) => new Promise((r) => s.once('close', r))));
  };
  return {
    ok: true,
    listener: {
      address,
      security: () => calls.security(server),
      stopAccepting,
      async close() {
        const ended = stopAccepting();
        for (const s of sockets) s.destroy();
        await ended;
      },
    },
  };
}

/** The koffi binding of gb_pipe_*: blocking calls on the worker thread, buffers per read. */
export function koffiPipeCalls(bridge: NativeBridge, pipe: PipeCalls): PipeServerCalls {
  const name = (code: number) => (bridge.calls ? errorName(bridge.calls, code) : String(code));
  return {
    listen: (pipeName) => Number(pipe.listen(pipeName)),
    accept: async (server, wait) => Number(await callAsync<number | bigint>(pipe.accept, server, wait)),
    read: async (conn, max, wait) => {
      const buf = Buffer.allocUnsafe(max);
      const n = await callAsync<number>(pipe.read, conn, buf, max, wait);
      if (n === 0) return 'timeout';
      return n > 0 ? buf.subarray(0, n) : n;
    },
    write: (conn, bytes, wait) => callAsync<number>(pipe.write, conn, bytes, bytes.length, wait),
    security: (handle) => {
      const out = Buffer.alloc(1024);
      const n = pipe.security(handle, out, out.length) as number;
      return n > 0 ? out.toString('utf8', 0, n) : null;
    },
    close: (handle) => void pipe.close(handle),
    errorName: name,
  };
}

/**
 * createGuardian's pipe hook (GuardianDeps.pipeListener) served by listenSecurePipe. Where the
 * secure pipe cannot be made (not Windows, no library, name taken) it says why through
 * `declined` and resolves null, so Guardian keeps Node's own listener: never a pipe-less start.
 */
export function securePipeListenerFactory(
  bridge: NativeBridge,
  declined: (reason: string) => void,
  options: { platform?: NodeJS.Platform; calls?: PipeServerCalls } = {},
): (address: string, onConnection: (socket: Duplex) => void) => Promise<Listener | null> {
  return async (address, onConnection) => {
    const name = address.replace(/^\\\\\.\\pipe\\/, '');
    const r = await listenSecurePipe(bridge, name, onConnection, options);
    if (!r.ok) {
      declined(r.reason);
      return null;
    }
    return { path: 'pipe', address: r.listener.address, stopAccepting: r.listener.stopAccepting, close: r.listener.close };
  };
}

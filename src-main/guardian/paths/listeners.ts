// The socket and pipe listeners. Both hand every accepted connection to the router, which
// treats them alike: a receiver accepts data on any path (PROTOCOL.md 5.4).
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync, unlinkSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PathName } from '../../../src-shared/protocol';

export interface Listener {
  path: PathName;
  address: string;
  /**
   * Stops taking new connections at once; sessions already open stay up (they may still flush).
   * Resolves once the last of them has ended.
   */
  stopAccepting(): Promise<void>;
  /**
   * Stops accepting and resolves once every session has ended; a session still open after
   * CLOSE_GRACE_MS (one that never greeted, so no link of the router's owns it to close it, or a
   * peer that does not hang up) is cut, so a shutdown never waits on a peer.
   */
  close(): Promise<void>;
}

/** How long close() lets open sessions end by themselves (the router's links flush and hang up). */
export const CLOSE_GRACE_MS = 1000;

export class ListenError extends Error {
  constructor(readonly path: PathName, readonly address: string, readonly code: string, hint: string) {
    super(`cannot listen on the ${path} path at ${address}: ${code}. ${hint}`);
    this.name = 'ListenError';
  }
}

export function listenSocket(host: string, port: number, onConnection: (s: Socket) => void): Promise<Listener> {
  return listen('socket', (server) => server.listen({ host, port, exclusive: true }), `${host}:${port}`, onConnection);
}

export function listenPipe(address: string, onConnection: (s: Socket) => void): Promise<Listener> {
  if (process.platform !== 'win32') {
    mkdirSync(dirname(address), { recursive: true });
    // A Unix socket file left by a killed Guardian would make listen fail with EADDRINUSE.
    if (existsSync(address)) unlinkSync(address);
  }
  return listen('pipe', (server) => server.listen(address), address, onConnection);
}

function listen(path: PathName, start: (s: Server) => void, address: string, onConnection: (s: Socket) => void): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const sessions = new Set<Socket>();
    const server = createServer({ noDelay: true }, (s) => {
      sessions.add(s);
      s.once('close', () => sessions.delete(s));
      onConnection(s);
    });
    server.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'ERROR';
      const hint = code === 'EADDRINUSE'
        ? 'Another program (or another Guardian) holds it: stop it, or change the address in config/guardian.yaml.'
        : code === 'EACCES' ? 'Permission denied: choose a port above 1024 or another pipe name.' : 'Check config/guardian.yaml.';
      reject(new ListenError(path, address, code, hint));
    });
    server.once('listening', () => {
      const a = server.address();
      const actual = typeof a === 'object' && a ? `${a.address}:${a.port}` : address;
      // One close for both calls: the server's 'close' comes once its last session has ended.
      const closed = new Promise<void>((r) => server.once('close', () => r()));
      const stopAccepting = () => {
        if (server.listening) server.close();
        return closed;
      };
      const close = () => {
        const done = stopAccepting();
        if (sessions.size > 0) {
          const cut = setTimeout(() => {
            for (const s of sessions) s.destroy();
          }, CLOSE_GRACE_MS);
          void done.then(() => clearTimeout(cut));
        }
        return done;
      };
      resolve({ path, address: actual, stopAccepting, close });
    });
    start(server);
  });
}

// Faults at run time: a tiny HTTP endpoint on loopback and/or stdin lines.
//   curl -s 127.0.0.1:P/stats
//   curl -s -X POST 127.0.0.1:P/fault -d drop_socket:5000     (or GET /fault?spec=drop_socket:5000)
//   stdin: one spec per line, or `stats`
import { createServer, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { SimHandle } from './sim-runner';

export interface ControlChannel {
  /** The HTTP address, when listening. */
  address: string | null;
  close(): Promise<void>;
}

/** Runs each non-empty line of `text` as a fault spec; one answer line each. */
export function runControlLines(sim: SimHandle, text: string): { ok: boolean; lines: string[] } {
  let ok = true;
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line === 'stats') {
      lines.push(JSON.stringify(sim.stats().totals));
      continue;
    }
    try {
      lines.push(`ok: ${sim.inject(line)}`);
    } catch (err) {
      ok = false;
      lines.push(`error: ${(err as Error).message}`);
    }
  }
  return { ok, lines };
}

export async function openControlChannel(sim: SimHandle, opts: { port?: number; stdin?: Readable; out: (line: string) => void }): Promise<ControlChannel> {
  let server: Server | undefined;
  let address: string | null = null;
  if (opts.port !== undefined) {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/stats') return reply(200, sim.stats());
      if (url.pathname !== '/fault') return reply(404, { error: 'try GET /stats, POST /fault (body: a fault spec), GET /fault?spec=...' });
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        if (body.length < 4096) body += c;
      });
      req.on('end', () => {
        const text = url.searchParams.get('spec') ?? body;
        const r = runControlLines(sim, text);
        for (const l of r.lines) opts.out(`control: ${l}`);
        reply(r.ok ? 200 : 400, { ok: r.ok, results: r.lines });
      });
    });
    const s = server;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen({ host: '127.0.0.1', port: opts.port }, resolve); // loopback only: faults are not for the network
    });
    const a = s.address();
    address = typeof a === 'object' && a ? `127.0.0.1:${a.port}` : null;
  }
  const rl = opts.stdin ? createInterface({ input: opts.stdin, terminal: false }) : undefined;
  rl?.on('line', (line) => {
    for (const l of runControlLines(sim, line).lines) opts.out(l);
  });
  return {
    address,
    async close() {
      rl?.close();
      if (server) await new Promise<void>((r) => server!.close(() => r()));
    },
  };
}

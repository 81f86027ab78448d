// Peers for scenario tests: a signal service and an EA from the simulator's protocol stack,
// recording every hand-over so that a test can prove "exactly once, in order".
import { join } from 'node:path';
import { PeerClient, type PeerPaths } from '../../src-main/sim';
import type { Envelope, SignalPayload } from '../../src-shared/protocol';

export interface Recorded {
  id: number;
  path: string;
  redelivered: boolean;
}

export function signalPeer(dataDir: string, paths: PeerPaths, extra: Partial<ConstructorParameters<typeof PeerClient>[0]> = {}): PeerClient {
  return new PeerClient({ role: 'SIGNAL', tier: 'primary', node_id: 'sig-1', dataDir: join(dataDir, 'sig'), paths, heartbeat_ms: 50, resend_timeout_ms: 400, switchback_ms: 200, ...extra });
}

export function eaPeer(dataDir: string, paths: PeerPaths, got: Recorded[], extra: Partial<ConstructorParameters<typeof PeerClient>[0]> = {}): PeerClient {
  return new PeerClient({
    role: 'EA', node_id: 'ea-1', dataDir: join(dataDir, 'ea'), paths, heartbeat_ms: 50, resend_timeout_ms: 400, switchback_ms: 200, ...extra,
    onMessage: (env: Envelope, info) => {
      if (env.header.message_type === 'SIGNAL') got.push({ id: Number((env.payload as SignalPayload).signal_id.slice(2)), path: info.path, redelivered: info.redelivered });
    },
  });
}

/**
 * The EA and a primary signal service on Guardian's paths, started, added to `peers` for the
 * test's teardown; what the EA receives is recorded in `atEa`.
 */
export function startPeerPair(dataDir: string, paths: PeerPaths, peers: PeerClient[]): { ea: PeerClient; sig: PeerClient; atEa: Recorded[] } {
  const atEa: Recorded[] = [];
  const ea = eaPeer(dataDir, paths, atEa);
  const sig = signalPeer(dataDir, paths);
  peers.push(ea, sig);
  ea.start();
  sig.start();
  return { ea, sig, atEa };
}

export const signalNo = (i: number): SignalPayload => ({ signal_id: `s-${i}`, symbol: 'EURUSD', action: i % 2 ? 'BUY' : 'SELL', lots: 0.01, price: 1.1, sl: 1.09, tp: 1.12 });
export const tradeNo = (i: number) => ({ event: 'OPENED' as const, ticket: i, symbol: 'EURUSD', side: 'BUY' as const, lots: 0.01, price: 1.1 });

export async function until(cond: () => boolean, timeout_ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeout_ms) throw new Error(`timed out after ${timeout_ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Every id from 1 to n exactly once, in order: returns what is wrong, or [] when right. */
export function exactlyOnceInOrder(ids: number[], n: number): string[] {
  const problems: string[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (seen.has(id)) problems.push(`${id} handed over twice (at position ${i})`);
    seen.add(id);
    if (i > 0 && id < ids[i - 1]!) problems.push(`${id} after ${ids[i - 1]} (out of order)`);
  }
  for (let i = 1; i <= n; i++) if (!seen.has(i)) problems.push(`${i} lost`);
  return problems.slice(0, 20);
}

/** A seeded generator, so a failing random schedule can be replayed from its seed. */
export { seededRandom as prng } from '../../src-shared/random';

/**
 * The scenario tests' load: bursts of `burst` signals from the signal peer and as many TRADE
 * events from the EA, each burst stored by the peers before the next, while Guardian may be dead
 * or alive. `sent()` is how many of each went out; `hold(true)` pauses between bursts; `stop()`
 * ends it after the burst in hand.
 */
export function streamBoth(sig: PeerClient, ea: PeerClient, o: { burst?: number; pause_ms?: number } = {}): { sent(): number; hold(on: boolean): void; stop(): Promise<void> } {
  let sent = 0;
  let streaming = true;
  let held = false;
  const done = (async () => {
    while (streaming) {
      if (held) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const burst: Promise<number>[] = [];
      for (let k = 0; k < (o.burst ?? 20); k++) {
        sent++;
        burst.push(sig.send('SIGNAL', signalNo(sent)));
        burst.push(ea.send('TRADE', tradeNo(sent)));
      }
      await Promise.all(burst);
      await new Promise((r) => setTimeout(r, o.pause_ms ?? 5));
    }
  })();
  return {
    sent: () => sent,
    hold: (on) => void (held = on),
    stop: async () => {
      streaming = false;
      await done;
    },
  };
}

// End to end: the C bridge as the EA against a real Guardian (createGuardian) on all three paths:
// socket, pipe (a Unix socket here) and spool, both directions, with a shared HMAC key.
// Blocking bridge calls run on koffi's worker (.async) so Guardian's event loop keeps serving.
//   npx tsx native/bridge/tests/interop.ts <path to libguardian_bridge.so>
import koffi from 'koffi';
import process from 'node:process';
import console from 'node:console';
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { configForTests, createGuardian } from '../../../src-main/guardian/index';

const lib = koffi.load(process.argv[2]!);
koffi.opaque('gb_client');
const gb = {
  open: lib.func('gb_client *gb_open(str node_id, str state_dir, str key)'),
  close: lib.func('void gb_close(gb_client *c)'),
  connectSocket: lib.func('int gb_connect_socket(gb_client *c, str host, int port, int timeout_ms)'),
  connectPipe: lib.func('int gb_connect_pipe(gb_client *c, str path, int timeout_ms)'),
  disconnect: lib.func('void gb_disconnect(gb_client *c)'),
  send: lib.func('int64 gb_send(gb_client *c, str type, str payload)'),
  poll: lib.func('int gb_poll(gb_client *c, int timeout_ms)'),
  heartbeat: lib.func('int gb_heartbeat(gb_client *c, int64 now_ms)'),
  next: lib.func('int gb_next_message(gb_client *c, _Out_ uint8_t *out, int cap)'),
  unacked: lib.func('int64 gb_unacked_count(gb_client *c)'),
  spoolWrite: lib.func('int gb_spool_write(gb_client *c, str dir)'),
  spoolRead: lib.func('int gb_spool_read(gb_client *c, str dir)'),
  lastError: lib.func('int gb_last_error(gb_client *c, _Out_ uint8_t *out, int cap)'),
};
const call = <T>(f: koffi.KoffiFunction, ...args: unknown[]): Promise<T> => promisify(f.async as (...a: unknown[]) => void)(...args) as Promise<T>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const KEY = 'interop-key';
const status = (ea_state: string) => JSON.stringify({ ea_state, balance: 1000, equity: 1000, margin_level: 0, spread_pips: 1, open_positions: 0, server_time: '2026.11.21 10:30:00' });

function lastError(c: unknown): string {
  const out = Buffer.alloc(512);
  const n = gb.lastError(c, out, out.length) as number;
  return n > 0 ? out.subarray(0, n).toString() : '';
}

function nextMessages(c: unknown): { type: string; payload: Record<string, unknown> }[] {
  const got = [];
  const out = Buffer.alloc(70000);
  for (let n = gb.next(c, out, out.length) as number; n > 0; n = gb.next(c, out, out.length) as number) {
    const env = JSON.parse(out.subarray(0, n).toString());
    got.push({ type: env.header.message_type, payload: env.payload });
  }
  return got;
}

/** Polls the bridge (socket/pipe) until cond holds. */
async function pollUntil(c: unknown, cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}: ${lastError(c)}`);
    await call<number>(gb.poll, c, 20);
    gb.heartbeat(c, 0);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'gb-interop-'));
const guardian = await createGuardian(configForTests((cfg) => {
  cfg.paths.spool.enabled = true;
  cfg.paths.spool.poll_ms = 50;
}), { dataDir: join(dir, 'guardian'), hmacKey: KEY });
const peer = () => guardian.status().peers.find((p) => p.node_id === 'ea-interop');
try {
  const [host, port] = guardian.listening.socket!.split(/:(?=\d+$)/) as [string, string];
  const c = gb.open('ea-interop', join(dir, 'ea'), KEY);
  assert.ok(c, 'gb_open');

  // 1. socket: HELLO / HELLO_ACK, EA -> Guardian data ACKed, Guardian -> EA data delivered.
  assert.equal(await call<number>(gb.connectSocket, c, host, Number(port), 3000), 0, `socket: ${lastError(c)}`);
  for (const s of ['IDLE', 'ARMED']) assert.ok(Number(gb.send(c, 'STATUS', status(s))) > 0);
  gb.send(c, 'TRADE', JSON.stringify({ event: 'OPENED', ticket: 7, symbol: 'EURUSD', side: 'BUY', lots: 0.1, price: 1.0845 }));
  await pollUntil(c, () => Number(gb.unacked(c)) === 0 && peer()?.received === 3, 'socket ACKs');
  await guardian.router.send('ea-interop', 'COMMAND', { command: 'HOLD_NEW_ENTRIES', reason: 'interop' });
  await guardian.router.send('ea-interop', 'SIGNAL', { signal_id: 's-1', symbol: 'EURUSD', action: 'BUY', lots: 0.1 });
  const got: { type: string; payload: Record<string, unknown> }[] = [];
  await pollUntil(c, () => (got.push(...nextMessages(c)), got.length >= 2), 'socket delivery');
  assert.deepEqual(got.map((g) => g.type), ['COMMAND', 'SIGNAL']);
  await pollUntil(c, () => peer()?.unacked === 0, 'Guardian sees our ACK');
  console.log('socket: 3 sent and ACKed, 2 received in order and ACKed');

  // 2. pipe: a second session resumes where the first stopped.
  gb.disconnect(c);
  assert.equal(await call<number>(gb.connectPipe, c, guardian.listening.pipe!, 3000), 0, `pipe: ${lastError(c)}`);
  gb.send(c, 'STATUS', status('MANAGING'));
  await guardian.router.send('ea-interop', 'PARAM', { name: 'max_lots', value: 0.5 });
  got.length = 0;
  await pollUntil(c, () => (got.push(...nextMessages(c)), got.length >= 1 && Number(gb.unacked(c)) === 0), 'pipe traffic');
  assert.deepEqual(got.map((g) => g.type), ['PARAM']);
  assert.equal(peer()?.received, 4);
  console.log('pipe: resumed, 1 sent and ACKed, 1 received');

  // 3. spool: no connection; the heartbeat file greets, files carry the data both ways.
  gb.disconnect(c);
  const spool = guardian.listening.spool!;
  gb.send(c, 'STATUS', status('PAUSED'));
  gb.send(c, 'TRADE', JSON.stringify({ event: 'CLOSED', ticket: 7, symbol: 'EURUSD', side: 'BUY', lots: 0.1, pnl: 12.5 }));
  assert.equal(gb.spoolWrite(c, spool), 2, lastError(c));
  const t0 = Date.now();
  got.length = 0;
  let commanded = false;
  while (Number(gb.unacked(c)) > 0 || got.length < 1) {
    if (Date.now() - t0 > 8000) throw new Error(`spool timed out: unacked ${gb.unacked(c)}, got ${got.length}, ${lastError(c)}`);
    await sleep(50);
    gb.spoolWrite(c, spool);
    gb.spoolRead(c, spool);
    got.push(...nextMessages(c));
    if (!commanded && peer()?.active_path === 'spool') {
      commanded = true;
      await guardian.router.send('ea-interop', 'COMMAND', { command: 'RESUME' });
    }
  }
  assert.deepEqual(got.map((g) => [g.type, g.payload.command]), [['COMMAND', 'RESUME']]);
  assert.equal(peer()?.received, 6);
  await sleep(200);
  gb.spoolRead(c, spool); // our to_ea/ack and heartbeat tell Guardian what we hold
  await sleep(300);
  assert.equal(peer()?.unacked, 0);
  console.log('spool: 2 sent and ACKed through files, 1 received');

  gb.close(c);
  assert.equal(guardian.status().store.dead_letters, 0);
  console.log('interop: the C bridge and Guardian agree on socket, pipe and spool (with HMAC)');
} finally {
  await guardian.dispose();
  rmSync(dir, { recursive: true, force: true });
}

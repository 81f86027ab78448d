import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSpoolLine, encodeSpoolLine, messageId, type Envelope, type StatusPayload } from '../../../src-shared/protocol';
import { FakeGuardian } from '../testing/fake-guardian';
import { waitUntil } from '../testing/wait';
import { PeerClient } from '.';

const status = (i: number): StatusPayload => ({
  ea_state: 'IDLE', balance: i, equity: i, margin_level: 0, spread_pips: 1, open_positions: 0, server_time: '2026.11.21 10:30:00',
});

let dir: string;
let guardian: FakeGuardian;
let c: PeerClient | undefined;
const delivered: Envelope[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-spool-'));
  guardian = await FakeGuardian.start({ dir: join(dir, 'guardian'), spool: true });
  delivered.length = 0;
});
afterEach(async () => {
  await c?.stop();
  c = undefined;
  await guardian.stop();
  rmSync(dir, { recursive: true, force: true });
});

function start(): PeerClient {
  c = new PeerClient({
    role: 'EA', node_id: 'ea-1', dataDir: join(dir, 'ea'), heartbeat_ms: 50, resend_timeout_ms: 2000,
    paths: { spool: { dir: guardian.spoolDir, poll_ms: 20, stale_ms: 400 } },
    onMessage: (e) => delivered.push(e),
  });
  c.start();
  return c;
}

describe('the spool path', () => {
  it('writes whole files by rename, and deletes them once Guardian acknowledges', async () => {
    const client = start();
    await waitUntil(() => client.stats().active_path === 'spool', 2000, 'the spool greeting');
    const hb = JSON.parse(readFileSync(join(guardian.spoolDir, 'from_ea', 'heartbeat'), 'utf8')) as Record<string, unknown>;
    expect(hb).toMatchObject({ node_id: 'ea-1', role: 'EA', last_seq_received: 0 });

    guardian.holdAcks = true;
    await Promise.all([1, 2, 3, 4, 5].map((i) => client.send('STATUS', status(i))));
    await waitUntil(() => guardian.lastSeq('ea-1') === 5, 2000, 'five lines read');
    const files = readdirSync(join(guardian.spoolDir, 'from_ea')).filter((f) => /^\d{12}\./.test(f));
    expect(files).toEqual(['000000000001.csv']); // one batch, one file, committed: no .tmp left
    const lines = readFileSync(join(guardian.spoolDir, 'from_ea', files[0]!), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]!.split('\t')).toHaveLength(9);
    expect(lines[0]!.split('\t').slice(0, 3)).toEqual(['1', 'ea-1', messageId('ea-1', 1)]);
    expect(lines.every((l) => decodeSpoolLine(l).ok)).toBe(true);

    guardian.holdAcks = false;
    await client.whenIdle(2000);
    await waitUntil(() => readFileSync(join(guardian.spoolDir, 'from_ea', 'ack'), 'utf8') === '5', 2000, 'from_ea/ack = 5');
    await waitUntil(() => readdirSync(join(guardian.spoolDir, 'from_ea')).every((f) => !f.endsWith('.csv')), 2000, 'acked files deleted');
    expect(client.stats().paths[0]).toMatchObject({ path: 'spool', sent: 5, acked: 5 });
    expect(client.stats().paths[0]!.rtt_ms_p50).not.toBeNull();
  });

  it('reads Guardian files in order, once, and acknowledges by the ack file', async () => {
    const client = start();
    await waitUntil(() => client.stats().active_path === 'spool', 2000, 'the spool greeting');
    guardian.send('ea-1', 'COMMAND', { command: 'HOLD_NEW_ENTRIES' });
    guardian.send('ea-1', 'COMMAND', { command: 'RESUME' });
    await waitUntil(() => delivered.length === 2, 2000, 'two commands');
    await waitUntil(() => guardian.peerAcked('ea-1') === 2, 2000, 'to_ea/ack = 2');
    expect(readFileSync(join(guardian.spoolDir, 'to_ea', 'ack'), 'utf8')).toBe('2');
    // Guardian resends under a new name with an overlap: the duplicate is dropped, the new one kept.
    const header = (seq: number) => ({ version: '1.2' as const, timestamp: new Date().toISOString(), message_id: messageId('guardian-test', seq),
      message_type: 'COMMAND' as const, source: 'GUARDIAN' as const, destination: 'EA' as const, stream: 'guardian-test', seq });
    guardian.writeSpool(2, [encodeSpoolLine(header(2), { command: 'RESUME' }), encodeSpoolLine(header(3), { command: 'FLATTEN' })]);
    await waitUntil(() => delivered.length === 3, 2000, 'the third command');
    expect(delivered.map((e) => e.header.seq)).toEqual([1, 2, 3]);
    expect(client.stats().duplicates_dropped).toBe(1);
    await waitUntil(() => readFileSync(join(guardian.spoolDir, 'to_ea', 'ack'), 'utf8') === '3', 2000, 'ack 3');
  });

  it('goes down when Guardian heartbeat file goes stale, and comes back', async () => {
    const client = start();
    await waitUntil(() => client.stats().active_path === 'spool', 2000, 'the spool greeting');
    await guardian.stop(); // no more heartbeats
    const old = new Date(Date.now() - 10_000);
    utimesSync(guardian.spoolHeartbeatFile(), old, old);
    await waitUntil(() => client.stats().active_path === null, 1000, 'the spool marked down');
    expect(client.stats().paths[0]!.up).toBe(false);
    guardian = await FakeGuardian.start({ dir: join(dir, 'guardian'), spool: true });
    await waitUntil(() => client.stats().active_path === 'spool', 2000, 'the spool back');
  });
});

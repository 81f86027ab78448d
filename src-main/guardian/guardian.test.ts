import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFrame } from '../../src-shared/protocol';
import { RawPeer, sleep } from './raw-peer.test-support';
import { useTestGuardian } from './test-guardian.test-support';
import { defaultControlFiles } from './control';
import { loadPretradeLimits } from './execution';
import { EXPIRE_CHUNK } from './router';
import { configForTests, createGuardian, type Guardian } from '.';

const signal = (i: number) => ({ signal_id: `s-${i}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1, price: 1.1, sl: 1.09, tp: 1.12 });

describe('Guardian data plane (raw protocol client)', () => {
  let g: Guardian | undefined;
  const dirs: string[] = [];
  const peers: RawPeer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) p.sock.destroy();
    await g?.dispose();
    g = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  async function start(dataDir?: string): Promise<Guardian> {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'guardian-'));
    if (!dataDir) dirs.push(dir);
    g = await createGuardian(configForTests(), { dataDir: dir });
    return g;
  }
  /** An EA connected on the socket and greeted (HELLO_ACK come), closed after the test. */
  async function greetEa(guardian: Guardian): Promise<RawPeer> {
    const ea = await RawPeer.open(guardian.listening.socket!, 'ea-1', 'EA');
    peers.push(ea);
    ea.hello();
    await ea.waitFor((e) => e.header.message_type === 'HELLO_ACK');
    return ea;
  }

  it('answers HELLO with HELLO_ACK, routes a signal to the EA, and acknowledges both hops', async () => {
    const guardian = await start();
    const ea = await RawPeer.open(guardian.listening.socket!, 'ea-1', 'EA');
    const sig = await RawPeer.open(guardian.listening.socket!, 'sig-1', 'SIGNAL');
    peers.push(ea, sig);
    ea.hello();
    sig.hello(0, 'primary');
    const ack = await ea.waitFor((e) => e.header.message_type === 'HELLO_ACK');
    expect(ack.payload).toMatchObject({ version: '1.2', node_id: 'guardian-1', last_seq_received: 0 });
    await sig.waitFor((e) => e.header.message_type === 'HELLO_ACK');
    sig.send('SIGNAL', signal(1));
    const delivered = await ea.waitFor((e) => e.header.message_type === 'SIGNAL');
    expect(delivered.payload).toMatchObject({ signal_id: 's-1', tier: 'primary' });
    expect(delivered.header.seq).toBe(1);
    const sigAck = await sig.waitFor((e) => e.header.message_type === 'ACK');
    expect(sigAck.payload).toEqual({ ack_seq: 1 });
    ea.send('ACK', { ack_seq: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(guardian.status().peers.find((p) => p.node_id === 'ea-1')?.unacked).toBe(0);
  });

  it('a stall of its own does not make Guardian call a peer silent whose heartbeat waits unread', async () => {
    const guardian = await start();
    const ea = await greetEa(guardian);
    await sleep(50);
    expect(guardian.router.peers.get('ea-1')!.activePath).toBe('socket');
    const switches: (string | null)[] = [];
    guardian.router.events.on((e) => {
      if (e.type === 'path_switch') switches.push(e.to);
    });
    ea.send('HEARTBEAT', { ping_id: 'p-1', t0: 0 }); // in the socket, not yet read by Guardian
    const until = performance.now() + 1_000; // Guardian's loop held longer than 3 heartbeats (750 ms)
    while (performance.now() < until) { /* a long commit, say */ }
    await sleep(300); // the overdue tick, then the next
    expect(switches).toEqual([]);
    expect(guardian.router.peers.get('ea-1')!.activePath).toBe('socket');
  });

  it('drops a duplicate and a gap, re-acknowledging the last in-order seq (go-back-N)', async () => {
    const guardian = await start();
    const ea = await greetEa(guardian);
    const status = { ea_state: 'IDLE', balance: 1, equity: 1, margin_level: 100, spread_pips: 1, open_positions: 0, server_time: '2026.11.22 10:00:00' };
    ea.send('STATUS', status, 1);
    ea.send('STATUS', status, 1); // duplicate
    ea.send('STATUS', status, 3); // gap
    await new Promise((r) => setTimeout(r, 100));
    const acks = ea.got.filter((e) => e.header.message_type === 'ACK').map((e) => (e.payload as { ack_seq: number }).ack_seq);
    expect(acks.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...acks)).toBe(1);
    expect(guardian.status().peers[0]?.last_seq_received).toBe(1);
  });

  it('answers a frame of length 0 with ERROR FRAME_SIZE and closes the connection', async () => {
    const guardian = await start();
    const p = await RawPeer.open(guardian.listening.socket!, 'x', 'EA');
    peers.push(p);
    const closed = new Promise<void>((r) => p.sock.once('close', () => r()));
    p.sock.write(Buffer.from([0, 0, 0, 0]));
    await closed;
    const err = p.got.find((e) => e.header.message_type === 'ERROR');
    expect(err?.payload).toMatchObject({ reason: 'FRAME_SIZE' });
  });

  it('keeps the stream state across a restart on the same data dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-'));
    dirs.push(dir);
    let guardian = await start(dir);
    let sig = await RawPeer.open(guardian.listening.socket!, 'sig-1', 'SIGNAL');
    sig.hello(0, 'primary');
    await sig.waitFor((e) => e.header.message_type === 'HELLO_ACK');
    for (let i = 1; i <= 5; i++) sig.send('SIGNAL', signal(i));
    await sig.waitFor((e) => e.header.message_type === 'ACK' && (e.payload as { ack_seq: number }).ack_seq === 5);
    sig.sock.destroy();
    await guardian.dispose();
    guardian = await start(dir);
    sig = await RawPeer.open(guardian.listening.socket!, 'sig-1', 'SIGNAL');
    peers.push(sig);
    sig.hello(0, 'primary');
    const ack = await sig.waitFor((e) => e.header.message_type === 'HELLO_ACK');
    expect((ack.payload as { last_seq_received: number }).last_seq_received).toBe(5);
    expect(guardian.status().buffer.held).toBe(5); // no EA yet: held with NO_ROUTE, not lost
    expect(encodeFrame(new Uint8Array([1])).length).toBe(5);
  });
});

describe('Guardian when the disk is full', () => {
  it('sends no ACK for what it could not store, says so, and takes the resend once space returns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-full-'));
    const g = await createGuardian(configForTests(), { dataDir: dir });
    const errors: string[] = [];
    g.router.events.on((e) => e.type === 'store_error' && errors.push(e.detail));
    try {
      const sig = await RawPeer.open(g.listening.socket!, 'sig-1', 'SIGNAL');
      sig.hello(0, 'primary');
      await sig.until(() => sig.got.some((e) => e.header.message_type === 'HELLO_ACK'));
      const pages = g.db.pragma('page_count', { simple: true }) as number;
      g.db.pragma(`max_page_count = ${pages}`); // the "disk" is now full
      const big = (i: number) => ({ signal_id: `s-${i}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1, order_type: 'x'.repeat(20_000) });
      for (let i = 1; i <= 3; i++) sig.send('SIGNAL', big(i), i);
      await sig.until(() => errors.length > 0);
      await new Promise((r) => setTimeout(r, 50));
      expect(sig.got.filter((e) => e.header.message_type === 'ACK')).toEqual([]);
      expect(errors[0]).toMatch(/full/i);
      expect(g.status().store.failures).toBeGreaterThan(0);
      g.db.pragma('max_page_count = 1073741823'); // space is back
      for (let i = 1; i <= 3; i++) sig.send('SIGNAL', big(i), i); // the sender's resend
      await sig.until(() => sig.got.some((e) => e.header.message_type === 'ACK' && (e.payload as { ack_seq: number }).ack_seq === 3));
      expect(g.db.prepare('SELECT COUNT(*) AS n FROM held_signals').get()).toEqual({ n: 3 });
      sig.sock.destroy();
    } finally {
      await g.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('held signals', () => {
  it('are released a chunk a batch, oldest first, and signals arriving meanwhile wait behind them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-release-'));
    const g = await createGuardian(configForTests(), { dataDir: dir, releaseChunk: 7 });
    try {
      const sig = await RawPeer.open(g.listening.socket!, 'sig-1', 'SIGNAL');
      sig.hello(0, 'primary');
      await sig.until(() => sig.got.some((e) => e.header.message_type === 'HELLO_ACK'));
      const signal = (i: number) => ({ signal_id: `s-${i}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1 });
      for (let i = 1; i <= 40; i++) sig.send('SIGNAL', signal(i));
      await sig.until(() => g.status().buffer.held === 40); // no EA yet: NO_ROUTE
      const ea = await RawPeer.open(g.listening.socket!, 'ea-1', 'EA');
      ea.hello();
      // The release runs over six batches; these arrive while it does, and must not overtake it.
      await ea.until(() => ea.got.some((e) => e.header.message_type === 'SIGNAL'));
      for (let i = 41; i <= 60; i++) sig.send('SIGNAL', signal(i));
      await ea.until(() => ea.got.filter((e) => e.header.message_type === 'SIGNAL').length === 60);
      const got = ea.got.filter((e) => e.header.message_type === 'SIGNAL').map((e) => (e.payload as { signal_id: string }).signal_id);
      expect(got).toEqual(Array.from({ length: 60 }, (_, i) => `s-${i + 1}`));
      expect(g.status().buffer.held).toBe(0);
      expect(g.db.prepare("SELECT state, COUNT(*) AS n FROM held_signals GROUP BY state").all()).toEqual([{ state: 'released', n: expect.any(Number) }]);
      for (const p of [sig, ea]) p.sock.destroy();
    } finally {
      await g.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are released once to an EA that greets on two paths in the same moment, never twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-held-'));
    const g = await createGuardian(configForTests(), { dataDir: dir });
    try {
      const sig = await RawPeer.open(g.listening.socket!, 'sig-1', 'SIGNAL');
      sig.hello(0, 'primary');
      await sig.until(() => sig.got.some((e) => e.header.message_type === 'HELLO_ACK'));
      for (let i = 1; i <= 5; i++) sig.send('SIGNAL', { signal_id: `s-${i}`, symbol: 'EURUSD', action: 'BUY', lots: 0.1 });
      await sig.until(() => g.status().buffer.held === 5);
      const viaSocket = await RawPeer.open(g.listening.socket!, 'ea-1', 'EA');
      const viaPipe = await RawPeer.open(g.listening.pipe!, 'ea-1', 'EA');
      viaSocket.hello();
      viaPipe.hello();
      await viaSocket.until(() => g.status().buffer.held === 0);
      await new Promise((r) => setTimeout(r, 100));
      const signals = [...viaSocket.got, ...viaPipe.got].filter((e) => e.header.message_type === 'SIGNAL');
      const ids = new Set(signals.map((e) => (e.payload as { signal_id: string }).signal_id));
      const seqs = new Set(signals.map((e) => e.header.seq));
      expect(ids.size).toBe(5);
      expect([...seqs].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]); // five messages on Guardian's stream, not ten
      expect(g.db.prepare("SELECT state, COUNT(*) AS n FROM held_signals GROUP BY state").all()).toEqual([{ state: 'released', n: 5 }]);
      for (const p of [sig, viaSocket, viaPipe]) p.sock.destroy();
    } finally {
      await g.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Held signals meet the desk as it is at their release, whatever held them, and none is left held
// for nothing: the control plane and the pre-trade gate on, over real sockets.
describe('held signals, with the control plane', () => {
  const t = useTestGuardian('guardian-held-cp-');
  let g: Guardian;
  // Each a different order (lots), so that the gate's one-order-a-bar rule refuses none of them.
  const entry = (i: number) => ({ signal_id: `s-${i}`, symbol: 'EURUSD', action: 'BUY', lots: Math.round(i) / 100 });
  const start = async (): Promise<Guardian> => (g = await t.start(undefined, { releaseChunk: 5, control: { autostart: false, warmup_ms: 0 } }));
  const open = (node: string, role: 'EA' | 'SIGNAL'): Promise<RawPeer> => t.greet(g.listening.socket!, node, role, role === 'SIGNAL' ? 'primary' : undefined);
  /** What the EA was handed, by Guardian's seq (a resend of a seq is the same message). */
  const handed = (...eas: RawPeer[]) => {
    const bySeq = new Map<number, string>();
    for (const e of eas.flatMap((p) => p.got)) if (e.header.message_type === 'SIGNAL') bySeq.set(e.header.seq, (e.payload as { signal_id: string }).signal_id);
    return [...bySeq].sort((a, b) => a[0] - b[0]).map(([, id]) => id);
  };

  it('a release cut short by a restart is finished by the next Guardian, in order, none expired', async () => {
    let guardian = await start();
    guardian.control!.holdEntries('alice', 'NFP');
    const sig = await open('sig-1', 'SIGNAL');
    for (let i = 1; i <= 30; i++) sig.send('SIGNAL', entry(i));
    await sig.until(() => guardian.status().buffer.held === 30);
    const ea = await open('ea-1', 'EA');
    guardian.control!.resumeEntries('alice', 'NFP is out'); // a release of six chunks starts...
    await guardian.dispose(); // ...and Guardian stops after the first
    expect(guardian.db.open).toBe(false);

    guardian = g = await t.restart();
    const ea2 = await open('ea-1', 'EA');
    const left = guardian.status().buffer.held;
    expect(left).toBeGreaterThan(0); // the rest of the release, still held
    expect(left).toBeLessThan(30);
    guardian.control!.pulseNow(); // entries pass, an EA is known, and signals wait: released
    await ea2.until(() => handed(ea, ea2).length === 30);
    expect(handed(ea, ea2)).toEqual(Array.from({ length: 30 }, (_, i) => `s-${i + 1}`));
    await ea2.until(() => guardian.status().buffer.held === 0);
    expect(guardian.db.prepare("SELECT state, COUNT(*) AS n FROM held_signals GROUP BY state").all()).toEqual([{ state: 'released', n: 30 }]);
    expect(guardian.control!.recentEvents().some((e) => /held signals? released: found held while entries pass/.test(e.text))).toBe(true);
  });

  it('a risk veto expires the entries held for want of an EA, as it does those the mode held; a CLOSE waits on', async () => {
    const guardian = await start();
    const sig = await open('sig-1', 'SIGNAL');
    sig.send('SIGNAL', entry(1));
    sig.send('SIGNAL', { signal_id: 'c-1', symbol: 'EURUSD', action: 'CLOSE', ticket: 1001 });
    sig.send('SIGNAL', entry(2));
    await sig.until(() => guardian.status().buffer.held === 3); // no EA: NO_ROUTE
    guardian.control!.pin('SAFE_MODE', 600, 'alice', 'margin call');
    await sig.until(() => sig.got.filter((e) => e.header.message_type === 'ERROR').length === 2);
    const errors = sig.got.filter((e) => e.header.message_type === 'ERROR').map((e) => e.payload as { reason: string; detail: string; ref_message_id: string });
    expect(errors.map((e) => [e.reason, e.ref_message_id])).toEqual([['SIGNAL_EXPIRED', 'sig-1-000000000001'], ['SIGNAL_EXPIRED', 'sig-1-000000000003']]);
    expect(errors[0]!.detail).toMatch(/before the risk veto/);
    expect(guardian.status().buffer.held).toBe(1);
    const ea = await open('ea-1', 'EA');
    await ea.until(() => handed(ea).length === 1);
    expect(handed(ea)).toEqual(['c-1']);
  });

  it('a risk veto voids the new entries queued for an EA that is away: it never acts on them, their services are told, the stream stays whole', async () => {
    const guardian = await start();
    const sig = await open('sig-1', 'SIGNAL');
    let ea = await open('ea-1', 'EA');
    ea.sock.destroy(); // the EA is away: what is routed to it waits in its outbox
    await sig.until(() => guardian.router.peers.get('ea-1')!.links.size === 0);
    sig.send('SIGNAL', entry(1));
    sig.send('SIGNAL', { signal_id: 'c-1', symbol: 'EURUSD', action: 'CLOSE', ticket: 1001 });
    for (let i = 2; i <= 7; i++) sig.send('SIGNAL', entry(i));
    const queued = () => guardian.db.prepare("SELECT COUNT(*) FROM outbox WHERE peer = 'ea-1' AND message_type = 'SIGNAL'").pluck().get();
    await sig.until(() => queued() === 8);
    guardian.control!.pin('SAFE_MODE', 600, 'alice', 'kill switch'); // voided 5 rows a batch (releaseChunk): two batches
    await sig.until(() => sig.got.filter((e) => e.header.message_type === 'ERROR').length === 7);
    const errors = sig.got.filter((e) => e.header.message_type === 'ERROR').map((e) => e.payload as { reason: string; ref_message_id: string; detail: string });
    expect(errors.map((e) => [e.reason, e.ref_message_id])).toEqual([1, 3, 4, 5, 6, 7, 8].map((n) => ['SIGNAL_EXPIRED', `sig-1-${String(n).padStart(12, '0')}`]));
    expect(errors[0]!.detail).toMatch(/before the risk veto/);
    expect(queued()).toBe(1); // the CLOSE
    await sig.until(() => guardian.control!.recentEvents().some((e) => /^7 new entries queued for an EA and not yet sent voided: taken before the risk veto$/.test(e.text)));

    ea = await open('ea-1', 'EA'); // back: everything stored for it is resent, from its first seq
    const data = () => ea.got.filter((e) => e.header.seq > 0);
    await ea.until(() => data().some((e) => (e.payload as { command?: string }).command === 'CANCEL_ALL'));
    const seqs = data().map((e) => e.header.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1)); // whole: no gap for the EA to stall on
    expect(data().filter((e) => e.header.message_type === 'SIGNAL').map((e) => (e.payload as { signal_id: string }).signal_id)).toEqual(['c-1']);
    const voided = data().filter((e) => /^voided: /.test((e.payload as { reason?: string }).reason ?? ''));
    expect(voided.map((e) => [e.header.message_type, (e.payload as { command: string }).command])).toEqual(Array.from({ length: 7 }, () => ['COMMAND', 'PING']));
  });

  it('after a restart, the kill switch voids none of the entries the EA may have received until it says what it stored; then the rest, before any resend', async () => {
    let guardian = await start();
    const sig = await open('sig-1', 'SIGNAL');
    const ea = await open('ea-1', 'EA');
    for (let i = 1; i <= 4; i++) sig.send('SIGNAL', entry(i));
    await ea.until(() => handed(ea).length === 4); // written to the EA, none acknowledged
    const seqOf = (id: string) => ea.got.find((e) => e.header.message_type === 'SIGNAL' && (e.payload as { signal_id: string }).signal_id === id)!.header.seq;
    const stored = seqOf('s-2'); // the EA stored (and acts on) the first two, then went away
    ea.sock.destroy();
    guardian = g = await t.restart();
    const sig2 = await open('sig-1', 'SIGNAL');
    const errors = () => sig2.got.filter((e) => e.header.message_type === 'ERROR').map((e) => e.payload as { reason: string; ref_message_id: string; detail: string });
    guardian.control!.pin('SAFE_MODE', 600, 'alice', 'kill switch');
    await sleep(200);
    // This Guardian cannot know what its previous process wrote to the EA: nothing is called expired yet.
    expect(errors()).toEqual([]);

    const ea2 = await t.open(g.listening.socket!, 'ea-1', 'EA');
    ea2.hello(stored);
    await sig2.until(() => errors().length === 2);
    expect(errors().map((e) => [e.reason, e.ref_message_id])).toEqual([3, 4].map((n) => ['SIGNAL_EXPIRED', `sig-1-${String(n).padStart(12, '0')}`]));
    expect(errors()[0]!.detail).toMatch(/^SAFE_MODE: new entries are refused \(.*kill switch.*\): a new entry the EA had not received, voided at its return$/);
    const data = () => ea2.got.filter((e) => e.header.seq > 0);
    await ea2.until(() => data().some((e) => (e.payload as { command?: string }).command === 'CANCEL_ALL'));
    expect(data().filter((e) => e.header.message_type === 'SIGNAL')).toEqual([]); // s-3 and s-4 never resent as orders
    expect(data().slice(0, 2).map((e) => [e.header.seq, e.header.message_type, (e.payload as { command: string }).command])).toEqual([[stored + 1, 'COMMAND', 'PING'], [stored + 2, 'COMMAND', 'PING']]);
  });

  it('in SAFE_MODE, an EA greeting on a second path loses none of the entries already written to it on the first', async () => {
    const guardian = await start();
    const sig = await open('sig-1', 'SIGNAL');
    const ea = await open('ea-1', 'EA');
    for (let i = 1; i <= 3; i++) sig.send('SIGNAL', entry(i));
    await ea.until(() => handed(ea).length === 3); // written on the socket, not yet acknowledged
    guardian.control!.pin('SAFE_MODE', 600, 'alice', 'kill switch');
    const pipe = await t.open(guardian.listening.pipe!, 'ea-1', 'EA');
    pipe.hello(1); // it has stored only the STATUS_REQUEST so far; the socket still carries the rest
    await pipe.waitFor((e) => e.header.message_type === 'HELLO_ACK');
    await sleep(200);
    expect(sig.got.filter((e) => e.header.message_type === 'ERROR')).toEqual([]);
    expect(guardian.db.prepare("SELECT COUNT(*) FROM outbox WHERE peer = 'ea-1' AND message_type = 'SIGNAL'").pluck().get()).toBe(3);
  });

  it('an entry held for want of an EA meets the market again at its release: a limit price the market left behind is refused', async () => {
    const guardian = await start();
    const sig = await open('sig-1', 'SIGNAL');
    sig.send('SIGNAL', { signal_id: 'lim-1', symbol: 'EURUSD', action: 'BUY', lots: 0.1, order_type: 'BUY_LIMIT', price: 1.1 });
    sig.send('SIGNAL', { signal_id: 'mkt-1', symbol: 'EURUSD', action: 'BUY', lots: 0.2 });
    await sig.until(() => guardian.status().buffer.held === 2); // no quote yet, no EA: admitted, held NO_ROUTE
    guardian.control!.holdEntries('alice', 'wait for the EA to report');
    const ea = await open('ea-1', 'EA');
    ea.send('STATUS', { ea_state: 'IDLE', balance: 10000, equity: 10000, margin_level: 1000, spread_pips: 0.8, open_positions: 0, server_time: '2026.12.05 16:00:00', quotes: { EURUSD: { bid: 1.2, ask: 1.2002 } } });
    await ea.until(() => ea.got.some((e) => e.header.message_type === 'ACK'));
    guardian.control!.resumeEntries('alice', 'the EA is back');
    await sig.until(() => sig.got.some((e) => e.header.message_type === 'ERROR'));
    await ea.until(() => handed(ea).length === 1);
    expect(handed(ea)).toEqual(['mkt-1']);
    const error = sig.got.find((e) => e.header.message_type === 'ERROR')!.payload as { reason: string; detail: string };
    expect(error.reason).toBe('PRICE_COLLAR_BLOCK');
    expect(error.detail).toMatch(/price 1\.1 is 8\.\d+% from the EA's ask 1\.2002 .* \(checked at release\)/);
  });

  it('entries held for want of an EA stay held while the operator holds entries, then go once, never refused as their own duplicates', async () => {
    const guardian = await start();
    const sig = await open('sig-1', 'SIGNAL');
    for (let i = 1; i <= 12; i++) sig.send('SIGNAL', entry(i)); // passed the gate on arrival; then no EA
    await sig.until(() => guardian.status().buffer.held === 12);
    guardian.control!.holdEntries('alice', 'spread too wide');
    const ea = await open('ea-1', 'EA');
    await new Promise((r) => setTimeout(r, 100)); // the EA's release runs its three chunks, and leaves them
    expect(handed(ea)).toEqual([]);
    expect(guardian.status().buffer.held).toBe(12);
    guardian.control!.resumeEntries('alice', 'spread is back');
    await ea.until(() => handed(ea).length === 12);
    expect(handed(ea)).toEqual(Array.from({ length: 12 }, (_, i) => `s-${i + 1}`));
    expect(sig.got.filter((e) => e.header.message_type === 'ERROR')).toEqual([]);
  });

  it('a release ends with the signals held behind it in the batch still filling: none left held, none overtaken', async () => {
    // (The gate's rate limit would refuse most of 60 entries a second.)
    const guardian = (g = await t.start(undefined, { releaseChunk: 5, control: { autostart: false, warmup_ms: 0 }, execution: { limits: { ...loadPretradeLimits(), enabled: false } } }));
    const sig = await open('sig-1', 'SIGNAL');
    for (let i = 1; i <= 200; i++) sig.send('SIGNAL', entry(i)); // no EA: held, released 5 a chunk
    await sig.until(() => guardian.status().buffer.held === 200);
    const ea = await open('ea-1', 'EA');
    // Signals keep coming during the release: each is held behind it (RELEASING), and the release's
    // last chunk meets some of them still in the batch being filled, not yet in the store.
    for (let i = 201; i <= 400; i++) {
      sig.send('SIGNAL', entry(i));
      if (i % 4 === 0) await sleep(1);
    }
    await ea.until(() => handed(ea).length === 400, 5_000).catch(() => undefined);
    expect(handed(ea)).toEqual(Array.from({ length: 400 }, (_, i) => `s-${i + 1}`));
    expect(guardian.status().buffer.held).toBe(0);
  });

  it('an entry held for want of an EA that the mode holds at its release expires on the mode\'s time to live, not the hour', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardian-policy-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const policy = join(dir, 'failover-policy.yaml');
    writeFileSync(policy, readFileSync(defaultControlFiles().policy, 'utf8').replace(/held_signals:\n(\s+)ttl_s: 30/, 'held_signals:\n$1ttl_s: 1'));
    const guardian = (g = await t.start(undefined, { releaseChunk: 5, control: { autostart: false, warmup_ms: 0, files: { policy } } }));
    const sig = await open('sig-1', 'SIGNAL');
    for (let i = 1; i <= 3; i++) sig.send('SIGNAL', entry(i)); // no EA: held for up to an hour
    await sig.until(() => guardian.status().buffer.held === 3);
    guardian.control!.holdEntries('alice', 'news');
    const ea = await open('ea-1', 'EA'); // the release finds entries held: they stay
    await sleep(1_200);
    guardian.control!.pulseNow();
    const expired = () => sig.got.filter((e) => e.header.message_type === 'ERROR').map((e) => (e.payload as { reason: string }).reason);
    await sig.until(() => expired().length === 3, 3_000).catch(() => undefined);
    expect(expired()).toEqual(['SIGNAL_EXPIRED', 'SIGNAL_EXPIRED', 'SIGNAL_EXPIRED']);
    expect(handed(ea)).toEqual([]);
    expect(guardian.status().buffer.held).toBe(0);
  });

  it('expires a backlog of held signals a chunk a pulse, not all in one stall of the loop', async () => {
    // 50,000 expired at once stalled the loop 290 ms, which failed event_loop_stalled and restarted
    // the recovery that would have released the rest: a chunk at a time, every pulse while some are due.
    const guardian = (g = await t.start((c) => void (c.router.no_route_hold_s = 1), {
      control: { autostart: false, warmup_ms: 0 }, execution: { limits: { ...loadPretradeLimits(), enabled: false } },
    }));
    const sig = await open('sig-1', 'SIGNAL');
    const n = EXPIRE_CHUNK + 300;
    for (let i = 1; i <= n; i++) sig.send('SIGNAL', entry(i)); // no EA: held with NO_ROUTE, for 1 s
    await sig.until(() => guardian.status().buffer.held === n, 20_000);
    await sleep(1_100);
    const expired = () => sig.got.filter((e) => e.header.message_type === 'ERROR' && (e.payload as { reason: string }).reason === 'SIGNAL_EXPIRED').length;
    guardian.control!.pulseNow();
    await sig.until(() => expired() === EXPIRE_CHUNK);
    await sleep(100);
    expect(expired()).toBe(EXPIRE_CHUNK); // the first chunk alone
    guardian.control!.pulseNow(); // the next pulse, well within a second: the rest
    await sig.until(() => expired() === n);
    expect(guardian.status().buffer.held).toBe(0);
  }, 30_000);

  describe('an EA back from away: what was queued for it meets the desk as it is now', () => {
    const status = (quote: { bid: number; ask: number }) => ({
      ea_state: 'IDLE', balance: 10_000, equity: 10_000, margin_level: 0, spread_pips: 1, open_positions: 0, server_time: '2026.11.22 10:00:00', quotes: { EURUSD: quote },
    });
    const errorsOf = (sig: RawPeer) => sig.got.filter((e) => e.header.message_type === 'ERROR').map((e) => e.payload as { reason: string; ref_message_id: string; detail: string });
    const ref = (n: number) => `sig-1-${String(n).padStart(12, '0')}`;
    /** The EA's data messages by seq, each once (a resend of a seq is the same message). */
    const data = (ea: RawPeer) => [...new Map(ea.got.filter((e) => e.header.seq > 0).map((e) => [e.header.seq, e] as const)).values()].sort((a, b) => a.header.seq - b.header.seq);
    const away = async (guardian: Guardian, ea: RawPeer) => {
      ea.sock.destroy();
      await ea.until(() => guardian.router.peers.get(ea.node_id)!.links.size === 0);
    };
    /** What stands in the EA's stream for the signals: each SIGNAL, or the PING a void left. */
    const orders = (ea: RawPeer) => data(ea).flatMap((e) => {
      const command = (e.payload as { command?: string }).command;
      if (e.header.message_type === 'SIGNAL') return [(e.payload as { signal_id: string }).signal_id];
      return command === 'PING' ? ['PING'] : [];
    });
    const queued = (guardian: Guardian, peer = 'ea-1') => guardian.db.prepare("SELECT COUNT(*) FROM outbox WHERE peer = ? AND message_type = 'SIGNAL'").pluck().get(peer) as number;

    it('while new entries are held, the entries queued before the hold are voided, their services told; a CLOSE goes, the stream stays whole', async () => {
      const guardian = await start();
      const sig = await open('sig-1', 'SIGNAL');
      const ea = await open('ea-1', 'EA');
      await away(guardian, ea);
      sig.send('SIGNAL', entry(1));
      sig.send('SIGNAL', { signal_id: 'c-1', symbol: 'EURUSD', action: 'CLOSE', ticket: 1001 });
      sig.send('SIGNAL', entry(2));
      await sig.until(() => queued(guardian) === 3); // entries passed when they came: queued for the EA
      guardian.control!.holdEntries('alice', 'NFP');
      expect(errorsOf(sig)).toEqual([]); // a hold leaves what is queued alone while the EA is away

      const back = await open('ea-1', 'EA');
      await sig.until(() => errorsOf(sig).length === 2);
      expect(errorsOf(sig).map((e) => [e.reason, e.ref_message_id])).toEqual([['SIGNAL_EXPIRED', ref(1)], ['SIGNAL_EXPIRED', ref(3)]]);
      expect(errorsOf(sig)[0]!.detail).toMatch(/^new entries are held by alice \(NFP\): a new entry queued \d+ s for the EA while it was away, voided at its return$/);
      await back.until(() => data(back).some((e) => (e.payload as { command?: string }).command === 'HOLD_NEW_ENTRIES'));
      const seqs = data(back).map((e) => e.header.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1)); // whole: no gap for the EA to stall on
      expect(orders(back)).toEqual(['PING', 'c-1', 'PING']);
      await sig.until(() => guardian.control!.recentEvents().some((e) => /^2 new entries queued for ea-1 voided at its return, not sent: each service told why$/.test(e.text)));
    });

    it('an entry queued longer than no_route_hold_s is voided at the return; a fresh one goes', async () => {
      const guardian = await start();
      const sig = await open('sig-1', 'SIGNAL');
      const ea = await open('ea-1', 'EA');
      await away(guardian, ea);
      sig.send('SIGNAL', entry(1));
      sig.send('SIGNAL', entry(2));
      await sig.until(() => queued(guardian) === 2);
      // The first waited two hours (its stored time, set back: no test waits an hour).
      guardian.db.prepare("UPDATE outbox SET created_ms = created_ms - 7200000 WHERE peer = 'ea-1' AND seq = (SELECT MIN(seq) FROM outbox WHERE peer = 'ea-1' AND message_type = 'SIGNAL')").run();

      const back = await open('ea-1', 'EA');
      await sig.until(() => errorsOf(sig).length === 1);
      expect(errorsOf(sig)[0]).toMatchObject({ reason: 'SIGNAL_EXPIRED', ref_message_id: ref(1) });
      expect(errorsOf(sig)[0]!.detail).toMatch(/^queued 72\d\d s for the EA while it was away, over no_route_hold_s \d+: voided at its return$/);
      await back.until(() => orders(back).length === 2);
      expect(orders(back)).toEqual(['PING', 's-2']);
    });

    it('an entry the market has left while its EA was away is refused at the return by the pre-trade gate, and kept as a block', async () => {
      const guardian = await start();
      const sig = await open('sig-1', 'SIGNAL');
      const ea1 = await open('ea-1', 'EA');
      const ea2 = await open('ea-2', 'EA'); // a second terminal, up throughout: its quotes are the market's
      ea2.send('STATUS', status({ bid: 1.0812, ask: 1.0813 }));
      await away(guardian, ea1);
      const limit = { signal_id: 'l-1', symbol: 'EURUSD', action: 'BUY', order_type: 'BUY_LIMIT', lots: 0.1, price: 1.081 };
      sig.send('SIGNAL', limit); // 0.03% under the ask: it passes, ea-2 takes it, ea-1's copy waits
      await ea2.until(() => handed(ea2).length === 1);
      ea2.send('STATUS', status({ bid: 1.1, ask: 1.1001 })); // the market moves 1.7%
      await sleep(100);

      const back = await open('ea-1', 'EA');
      await sig.until(() => errorsOf(sig).length === 1);
      expect(errorsOf(sig)[0]).toMatchObject({ reason: 'PRICE_COLLAR_BLOCK', ref_message_id: ref(1) });
      expect(errorsOf(sig)[0]!.detail).toMatch(/^BUY_LIMIT price 1\.081 is 1\.7\d*% from the EA's ask 1\.1001 > max_distance_pct 1 \(checked at ea-1's return\)$/);
      await back.until(() => orders(back).length === 1);
      expect(orders(back)).toEqual(['PING']);
      await sig.until(() => (guardian.db.prepare("SELECT COUNT(*) FROM execution_blocks WHERE reason = 'PRICE_COLLAR_BLOCK'").pluck().get() as number) === 1);
    });
  });
});

// The EA's standing order: while Guardian holds new entries, an EA that says it is not holding
// them (it restarted: MT4 keeps an EA's state in memory) is told again; over real sockets.
describe('standing orders to the EA', () => {
  const t = useTestGuardian('guardian-standing-');
  const HOUR_MS = 3_600_000; // the mode is not acted on (warm-up): only the operator holds entries here
  const status = (ea_state: string) => ({ ea_state, balance: 10000, equity: 10000, margin_level: 1000, spread_pips: 0.8, open_positions: 0, server_time: '2026.12.05 23:00:00' });
  /** The HOLD_NEW_ENTRIES commands the EA got, one per seq (a resend of a seq is the same command). */
  const holds = (ea: RawPeer) => [...new Map(ea.got
    .filter((e) => e.header.message_type === 'COMMAND' && (e.payload as { command: string }).command === 'HOLD_NEW_ENTRIES')
    .map((e) => [e.header.seq, e])).values()];
  /** The EA with its sequence state kept across its restart, as PROTOCOL.md asks. */
  const reconnect = async (g: Guardian, last_seq_received: number): Promise<RawPeer> => {
    const ea = await t.open(g.listening.socket!, 'ea-1', 'EA');
    ea.hello(last_seq_received);
    await ea.waitFor((e) => e.header.message_type === 'HELLO_ACK');
    return ea;
  };
  const acked = (g: Guardian) => g.router.peers.get('ea-1')!.outbound.acked;
  const statusSeen = (g: Guardian, seq: number) => g.router.peers.get('ea-1')!.inbound.lastCommitted >= seq; // stored, and handed on

  it('an EA back from a restart that reports it trades (IDLE) while entries are held is sent HOLD_NEW_ENTRIES again; one that holds is left alone', async () => {
    const g = await t.start(undefined, { control: { autostart: false, warmup_ms: HOUR_MS, standing_orders: { confirm_ms: 0, resend_ms: 0 } } });
    let ea = await reconnect(g, 0);
    g.control!.holdEntries('alice', 'NFP in five minutes');
    const first = await ea.waitFor((e) => holds(ea).includes(e));
    ea.send('ACK', { ack_seq: first.header.seq });
    ea.send('STATUS', status('PAUSED'), 1); // it obeys
    await ea.until(() => acked(g) === first.header.seq && statusSeen(g, 1));
    for (let i = 0; i < 3; i++) g.control!.pulseNow();
    await sleep(50);
    expect(holds(ea)).toHaveLength(1);

    ea.sock.destroy(); // MT4 restarts the EA: it keeps its seq state, and forgets the hold
    ea = await reconnect(g, first.header.seq);
    ea.send('STATUS', status('IDLE'), 2);
    await ea.until(() => statusSeen(g, 2));
    g.control!.pulseNow();
    const again = await ea.waitFor((e) => holds(ea).includes(e));
    expect(again.header.seq).toBe(first.header.seq + 1); // a new command in the stream, not a resend
    expect((again.payload as { reason: string }).reason).toMatch(/^standing order: ea-1 reports IDLE while new entries are held: it restarted, or lost the command/);
    expect(g.control!.recentEvents().some((e) => e.type === 'command' && e.severity === 'warning' && /ea-1 reports IDLE while new entries are held.*HOLD_NEW_ENTRIES sent again/.test(e.text))).toBe(true);
    // The incident timeline tells the operator, not only the command table.
    expect(g.incidents.recentEvents(50).some((e) => /ea-1 reports IDLE while new entries are held/.test(e.summary))).toBe(true);

    // Until the EA has read it, it is not told a third time.
    g.control!.pulseNow();
    await sleep(50);
    expect(holds(ea)).toHaveLength(1);

    // Entries pass again: RESUME, and an EA that trades is what is wanted.
    ea.send('ACK', { ack_seq: again.header.seq });
    await ea.until(() => acked(g) === again.header.seq);
    g.control!.resumeEntries('alice', 'NFP is out');
    await ea.waitFor((e) => e.header.message_type === 'COMMAND' && (e.payload as { command: string }).command === 'RESUME');
    ea.send('STATUS', status('IDLE'), 3);
    await ea.until(() => statusSeen(g, 3));
    g.control!.pulseNow();
    await sleep(50);
    expect(holds(ea)).toHaveLength(1);
  });

  it('a restored hold is told to an EA that does not hold; an EA that never confirms is reported once, not told forever', async () => {
    let g = await t.start(undefined, { control: { autostart: false, warmup_ms: HOUR_MS, standing_orders: { confirm_ms: 0, resend_ms: 0, max_unconfirmed: 2 } } });
    g.control!.holdEntries('alice', 'broker maintenance'); // no EA known yet: nothing to tell
    g = await t.restart(); // the hold survives; the EA was never told
    const ea = await reconnect(g, 0);
    ea.send('STATUS', status('MANAGING'), 1);
    await ea.until(() => statusSeen(g, 1));
    g.control!.pulseNow();
    const told = await ea.waitFor((e) => holds(ea).includes(e));
    expect((told.payload as { reason: string }).reason).toMatch(/^standing order: ea-1 reports MANAGING while new entries are held/);
    for (let round = 0; round < 4; round++) {
      ea.send('ACK', { ack_seq: holds(ea).at(-1)!.header.seq });
      ea.send('STATUS', status('MANAGING'), 2 + round); // an EA that never says PAUSED
      await ea.until(() => statusSeen(g, 2 + round) && acked(g) === holds(ea).at(-1)!.header.seq);
      g.control!.pulseNow();
      await sleep(50);
    }
    expect(holds(ea)).toHaveLength(2); // max_unconfirmed
    const reported = g.control!.recentEvents().filter((e) => /has not confirmed HOLD_NEW_ENTRIES after 2 commands \(it reports MANAGING, not PAUSED\)/.test(e.text));
    expect(reported).toHaveLength(1);
  });
});

// The failover router's operator-facing behaviour: a forced switch (and its refusal onto a dead
// path), dual-write, and the switch events the control plane consumes.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configForTests, createGuardian, type Guardian, type GuardianConfig } from '../src-main/guardian';
import type { PeerClient } from '../src-main/sim';
import { eaPeer, exactlyOnceInOrder, signalNo, signalPeer, until, type Recorded } from './support/peers';

describe('the failover router', () => {
  let guardian: Guardian | undefined;
  const peers: PeerClient[] = [];
  let dir = '';
  afterEach(async () => {
    for (const p of peers.splice(0)) await p.stop();
    await guardian?.dispose();
    guardian = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function setUp(tweak: (c: GuardianConfig) => void = () => {}) {
    dir = mkdtempSync(join(tmpdir(), 'guardian-routing-'));
    guardian = await createGuardian(configForTests((c) => {
      c.paths.spool.enabled = false;
      c.protocol.heartbeat_ms = 50;
      c.router.switchback_healthy_ms = 200;
      tweak(c);
    }), { dataDir: join(dir, 'guardian') });
    const [host, port] = guardian.listening.socket!.split(':');
    const paths = { socket: { host: host!, port: Number(port) }, pipe: { path: guardian.listening.pipe! } };
    const got: Recorded[] = [];
    const ea = eaPeer(dir, paths, got);
    const sig = signalPeer(dir, paths);
    peers.push(ea, sig);
    ea.start();
    sig.start();
    await until(() => guardian!.status().peers.filter((p) => p.active_path === 'socket').length === 2, 5000, 'both peers on the socket');
    return { g: guardian, ea, sig, got };
  }

  it('an operator can force the EA onto the pipe; traffic follows, and clearing it switches back', async () => {
    const { g, sig, got } = await setUp();
    const switches: string[] = [];
    g.router.events.on((e) => e.type === 'path_switch' && switches.push(`${e.from}->${e.to}: ${e.reason}`));
    expect(g.router.forcePath('ea-1', 'pipe')).toEqual({ ok: true });
    expect(g.status().peers.find((p) => p.node_id === 'ea-1')).toMatchObject({ active_path: 'pipe', forced_path: 'pipe' });
    for (let i = 1; i <= 20; i++) await sig.send('SIGNAL', signalNo(i));
    await until(() => got.length === 20, 3000, '20 signals');
    expect(new Set(got.map((r) => r.path))).toEqual(new Set(['pipe']));
    expect(switches).toEqual(['socket->pipe: forced by the operator']);
    expect(g.router.forcePath('ea-1', null)).toEqual({ ok: true });
    await until(() => g.status().peers.find((p) => p.node_id === 'ea-1')?.active_path === 'socket', 3000, 'back on the socket');
  });

  it('refuses to force traffic onto a path that is not up, with the reason', async () => {
    const { g, ea } = await setUp();
    ea.faults.dropPath('pipe', 2000);
    await until(() => !g.status().peers.find((p) => p.node_id === 'ea-1')!.paths.find((x) => x.path === 'pipe')!.up, 2000, 'the pipe down');
    const r = g.router.forcePath('ea-1', 'pipe');
    expect(r).toEqual({ ok: false, error: 'the pipe path is not up for ea-1; refusing to move traffic onto a dead path' });
    expect(g.status().peers.find((p) => p.node_id === 'ea-1')?.active_path).toBe('socket');
    expect(g.router.forcePath('nobody', 'pipe')).toEqual({ ok: false, error: 'unknown peer nobody' });
  });

  it('dual-write sends every message on two paths; the EA hands each over once', async () => {
    const { g, sig, got } = await setUp((c) => (c.router.dual_write = true));
    for (let i = 1; i <= 200; i++) void sig.send('SIGNAL', signalNo(i));
    await until(() => got.length >= 200, 5000, '200 signals');
    await new Promise((r) => setTimeout(r, 200));
    expect(exactlyOnceInOrder(got.map((r) => r.id), 200)).toEqual([]);
    const ea = peers[0]!.stats();
    expect(ea.duplicates_dropped).toBeGreaterThan(0); // the second copies arrived, and were dropped
    expect(g.status().peers.find((p) => p.node_id === 'ea-1')?.unacked).toBe(0);
  });

  it('emits a path switch with its reason when the active path goes down, and switches back after it is healthy', async () => {
    const { g, ea } = await setUp();
    const events: string[] = [];
    g.router.events.on((e) => e.type === 'path_switch' && e.peer === 'ea-1' && events.push(`${e.from}->${e.to}: ${e.reason}`));
    ea.faults.dropPath('socket', 300);
    await until(() => events.length >= 2, 5000, 'down and back');
    expect(events[0]).toMatch(/^socket->pipe: socket down/);
    expect(events[1]).toMatch(/^pipe->socket: socket healthy for \d+ ms: switching back/);
  });

  it('falls back to the spool when the socket and the pipe are both down, and nothing is lost', async () => {
    dir = mkdtempSync(join(tmpdir(), 'guardian-routing-'));
    guardian = await createGuardian(configForTests((c) => {
      c.protocol.heartbeat_ms = 50;
      c.router.switchback_healthy_ms = 200;
      c.paths.spool.poll_ms = 20;
      c.paths.spool.stale_ms = 500;
    }), { dataDir: join(dir, 'guardian') });
    const [host, port] = guardian.listening.socket!.split(':');
    const streams = { socket: { host: host!, port: Number(port) }, pipe: { path: guardian.listening.pipe! } };
    const got: Recorded[] = [];
    const ea = eaPeer(dir, { ...streams, spool: { dir: guardian.listening.spool!, poll_ms: 20, stale_ms: 500 } }, got);
    const sig = signalPeer(dir, streams);
    peers.push(ea, sig);
    ea.start();
    sig.start();
    const g = guardian;
    await until(() => g.status().peers.find((p) => p.node_id === 'ea-1')?.paths.find((x) => x.path === 'spool')?.up === true, 5000, 'the spool up');
    ea.faults.dropPath('socket', 3000);
    ea.faults.dropPath('pipe', 3000);
    await until(() => g.status().peers.find((p) => p.node_id === 'ea-1')?.active_path === 'spool', 3000, 'the EA on the spool');
    for (let i = 1; i <= 50; i++) await sig.send('SIGNAL', signalNo(i));
    await until(() => got.length >= 50, 5000, '50 signals over the spool');
    expect(new Set(got.map((r) => r.path))).toEqual(new Set(['spool']));
    await until(() => g.status().peers.find((p) => p.node_id === 'ea-1')?.unacked === 0, 3000, 'the spool acknowledged');
    await until(() => g.status().peers.find((p) => p.node_id === 'ea-1')?.active_path === 'socket', 6000, 'back on the socket');
    for (let i = 51; i <= 60; i++) await sig.send('SIGNAL', signalNo(i));
    await until(() => got.length >= 60, 5000, '60 signals');
    expect(exactlyOnceInOrder(got.map((r) => r.id), 60)).toEqual([]);
  });
});

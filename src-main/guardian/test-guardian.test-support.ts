// Test support: a Guardian per test on a temporary data dir, with bare protocol peers greeted on
// it; everything a test started is torn down after it (peers, Guardian, the data dir).
import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawPeer } from './raw-peer.test-support';
import { configForTests, createGuardian, type Guardian, type GuardianConfig, type GuardianDeps } from '.';

export interface TestGuardian {
  /** Starts Guardian on a fresh data dir; `tweak` edits the test configuration first. */
  start(tweak?: (c: GuardianConfig) => void, deps?: Omit<GuardianDeps, 'dataDir'>): Promise<Guardian>;
  /** Stops the running Guardian and starts another on its data dir, as configured: a restart. */
  restart(): Promise<Guardian>;
  /** Connects a peer (a `host:port` or a pipe path), closed after the test. */
  open(address: string, node_id: string, role: 'EA' | 'SIGNAL'): Promise<RawPeer>;
  /** Connects a peer and says HELLO, resolving once Guardian's HELLO_ACK came. */
  greet(address: string, node_id: string, role: 'EA' | 'SIGNAL', tier?: string): Promise<RawPeer>;
}

/** Call at the top of a test file: registers the teardown. */
export function useTestGuardian(prefix = 'guardian-test-'): TestGuardian {
  const dirs: string[] = [];
  const peers: RawPeer[] = [];
  let g: Guardian | undefined;
  let last: { dir: string; tweak?: (c: GuardianConfig) => void; deps?: Omit<GuardianDeps, 'dataDir'> } | undefined;
  afterEach(async () => {
    for (const p of peers.splice(0)) p.sock.destroy();
    await g?.dispose();
    g = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const open = async (address: string, node_id: string, role: 'EA' | 'SIGNAL') => {
    const peer = await RawPeer.open(address, node_id, role);
    peers.push(peer);
    return peer;
  };
  return {
    async start(tweak, deps) {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      last = { dir, ...(tweak ? { tweak } : {}), ...(deps ? { deps } : {}) };
      g = await createGuardian(configForTests((c) => tweak?.(c)), { ...deps, dataDir: dir });
      return g;
    },
    async restart() {
      if (!last) throw new Error('restart() before start()');
      const { dir, tweak, deps } = last;
      await g?.dispose();
      g = await createGuardian(configForTests((c) => tweak?.(c)), { ...deps, dataDir: dir });
      return g;
    },
    open,
    async greet(address, node_id, role, tier) {
      const peer = await open(address, node_id, role);
      peer.hello(0, tier);
      await peer.waitFor((e) => e.header.message_type === 'HELLO_ACK');
      return peer;
    },
  };
}

// Messages per second from the C bridge library (the one MT4 loads, through koffi) through a real
// Guardian and back: the EA sends STATUS, Guardian answers each with a COMMAND, the EA takes it.
//   native_peer_msgs_per_s  messages carried per second, both legs counted (2 per loop-around),
//                           every one stored durably on both sides before it is acknowledged
// Fails (rather than reporting a figure) if anything is lost or doubled. Needs the library:
// built here when missing and cmake is installed.
// Run alone: npx tsx bench/native.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { configForTests, createGuardian } from '../src-main/guardian';
import { loadNativeBridge, NativeLoopPeer, type LoopMessage } from '../src-main/guardian/native';
import { hostLibraryForTests } from '../src-main/guardian/native/host-library.test-support';

const EA = 'ea-bench-native';
const STATUS = { ea_state: 'ARMED', balance: 1000, equity: 1000, margin_level: 0, spread_pips: 0.8, open_positions: 0, server_time: '2026.11.22 10:00:00' };

export async function benchNative(loops = 2000): Promise<{ native_peer_msgs_per_s: number }> {
  const lib = hostLibraryForTests();
  if ('skip' in lib) throw new Error(lib.skip);
  const bridge = loadNativeBridge({ path: lib.path });
  if (!bridge.available) throw new Error(bridge.reason ?? 'the native bridge is not available');

  const dir = mkdtempSync(join(tmpdir(), 'guardian-bench-native-'));
  const guardian = await createGuardian(configForTests((c) => {
    c.paths.spool.enabled = false;
  }), { dataDir: join(dir, 'guardian') });
  // Guardian's half of the loop: every STATUS from the EA is answered at once.
  guardian.router.events.on((e) => {
    if (e.type === 'message' && e.peer === EA) void guardian.router.send(EA, 'COMMAND', { command: 'PING', reason: `n-${e.envelope.header.seq}` });
  });
  const peer = NativeLoopPeer.open(bridge, { node_id: EA, state_dir: join(dir, 'ea') });
  try {
    const [host, port] = guardian.listening.socket!.split(/:(?=\d+$)/) as [string, string];
    await peer.connectSocket(host, Number(port));
    const got: LoopMessage[] = [];
    const t0 = performance.now();
    for (let i = 1; i <= loops; i++) {
      await peer.send('STATUS', { ...STATUS, balance: i });
      if (i % 64 === 0) {
        await peer.poll(0);
        got.push(...(await peer.take()));
      }
    }
    await peer.pumpUntil(() => got.length >= loops, { into: got, timeout_ms: 60_000, what: 'every answer' });
    const seconds = (performance.now() - t0) / 1000;
    const answered = got.map((m) => Number(String(m.payload.reason).slice(2)));
    const inOrderOnce = answered.length === loops && answered.every((n, i) => n === i + 1);
    if (!inOrderOnce) throw new Error(`native loop-around lost or doubled messages: ${answered.length} answers for ${loops} sent`);
    return { native_peer_msgs_per_s: Math.round((2 * loops) / seconds) };
  } finally {
    await peer.close();
    await guardian.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await benchNative()));
}

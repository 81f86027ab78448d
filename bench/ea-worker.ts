// The simulated EA of the data-plane benches, on a thread of its own: a real EA is its own
// process (MT4), so it must not share an event loop with the signal service that feeds it.
// Run by bench/ea-thread.ts. Every SIGNAL received is recorded (id, path, times) and sent to
// the parent in batches of typed arrays; its stats follow every batch.
import { parentPort, workerData } from 'node:worker_threads';
import { PeerClient, type PeerPaths, type PeerStats } from '../src-main/sim/peer';
import type { SignalPayload } from '../src-shared/protocol';

export interface EaWorkerData {
  node_id: string;
  dataDir: string;
  paths: PeerPaths;
  heartbeat_ms: number;
}
export type EaCommand = { type: 'drop_path'; path: 'socket' | 'pipe'; ms: number } | { type: 'stop' };
export interface EaBatch {
  type: 'batch';
  ids: Int32Array;
  /** 0 socket, 1 pipe, 2 spool */
  paths: Uint8Array;
  /** performance.timeOrigin + performance.now(): one clock for every thread. */
  at_ms: Float64Array;
  sent_ms: Float64Array;
  stats: PeerStats;
}

const PATH_CODE: Record<string, number> = { socket: 0, pipe: 1, spool: 2 };
const port = parentPort!;
const data = workerData as EaWorkerData;
const now = () => performance.timeOrigin + performance.now();

let ids: number[] = [];
let paths: number[] = [];
let at: number[] = [];
let sent: number[] = [];
const ea = new PeerClient({
  role: 'EA', node_id: data.node_id, dataDir: data.dataDir, paths: data.paths, heartbeat_ms: data.heartbeat_ms,
  onMessage: (env, info) => {
    if (env.header.message_type !== 'SIGNAL') return;
    const p = env.payload as SignalPayload & { sent_ms?: number };
    ids.push(Number(p.signal_id.slice(4)));
    paths.push(PATH_CODE[info.path] ?? 3);
    at.push(now());
    sent.push(p.sent_ms ?? 0);
  },
});

function flush(): void {
  const batch: EaBatch = {
    type: 'batch', ids: Int32Array.from(ids), paths: Uint8Array.from(paths), at_ms: Float64Array.from(at), sent_ms: Float64Array.from(sent), stats: ea.stats(),
  };
  ids = [];
  paths = [];
  at = [];
  sent = [];
  port.postMessage(batch, [batch.ids.buffer as ArrayBuffer, batch.paths.buffer as ArrayBuffer, batch.at_ms.buffer as ArrayBuffer, batch.sent_ms.buffer as ArrayBuffer]);
}

const timer = setInterval(flush, 10);
port.on('message', (cmd: EaCommand) => {
  if (cmd.type === 'drop_path') ea.faults.dropPath(cmd.path, cmd.ms);
  else if (cmd.type === 'stop') {
    clearInterval(timer);
    flush();
    void ea.stop().then(() => {
      port.postMessage({ type: 'stopped' });
      port.close();
    });
  }
});
ea.start();

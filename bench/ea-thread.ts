// The parent's handle on the EA thread (bench/ea-worker.ts): what it received, its latest stats,
// and its faults, in the shape the benches read.
import { Worker } from 'node:worker_threads';
import type { PeerClient } from '../src-main/sim/peer';
import type { EaBatch, EaCommand, EaWorkerData } from './ea-worker';

export interface Received {
  id: number;
  path: string;
  /** Both on performance.timeOrigin + performance.now(), one clock for every thread. */
  at_ms: number;
  sent_ms: number;
}

const PATHS = ['socket', 'pipe', 'spool', '?'];

export class EaThread {
  readonly received: Received[] = [];
  private latest: ReturnType<PeerClient['stats']> | undefined;
  private readonly worker: Worker;
  private readonly stopped: Promise<void>;
  readonly faults = { dropPath: (path: 'socket' | 'pipe', ms: number) => this.command({ type: 'drop_path', path, ms }) };

  constructor(data: EaWorkerData) {
    // A worker does not inherit the parent's TypeScript loader (npx tsx): it registers it first.
    const script = new URL('./ea-worker.ts', import.meta.url).href;
    this.worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); })`, { eval: true, workerData: data });
    let resolveStopped: () => void;
    this.stopped = new Promise<void>((r) => (resolveStopped = r));
    this.worker.on('message', (m: EaBatch | { type: 'stopped' }) => {
      if (m.type === 'stopped') {
        resolveStopped();
        return;
      }
      for (let i = 0; i < m.ids.length; i++) this.received.push({ id: m.ids[i]!, path: PATHS[m.paths[i]!]!, at_ms: m.at_ms[i]!, sent_ms: m.sent_ms[i]! });
      this.latest = m.stats;
    });
    this.worker.on('error', (err) => process.stderr.write(`EA thread failed: ${err.stack ?? err.message}\n`));
    this.worker.on('exit', () => resolveStopped());
  }

  /** The EA's stats as of its last batch (every 10 ms). */
  stats(): ReturnType<PeerClient['stats']> | undefined {
    return this.latest;
  }

  private command(cmd: EaCommand): void {
    this.worker.postMessage(cmd);
  }

  async stop(): Promise<void> {
    this.command({ type: 'stop' });
    await Promise.race([this.stopped, new Promise((r) => setTimeout(r, 5000))]);
    await this.worker.terminate();
  }
}

/** Now, on the clock the EA thread stamps with. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

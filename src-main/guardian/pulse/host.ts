// The host as the pulse sees it: CPU and memory use, free disk on the data volume, the event
// loop's delay, and whether the SQLite store answers and how long a durable write takes.
import { statfs } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import type { Db } from '../store';
import { RollingWindow } from './rolling';

export interface HostFigures {
  cpu_pct: number;
  memory_pct: number;
  disk_free_pct: number;
  event_loop_lag_ms: number;
  db_ok: number;
  db_write_latency_ms: number;
}

export interface HostSamplerOptions {
  /** The volume to watch: the data dir. */
  dataDir: string;
  db: Db;
  /** How often a durable write probe is timed (an fsync each time). */
  db_probe_ms: number;
  /** How often free disk is read. */
  disk_every_ms: number;
  /**
   * Window of the write latency p95: short, because it is a reading of now. Over the baselines'
   * five minutes, a disk slow for 15 s kept the gate failing for five minutes after it recovered.
   */
  db_latency_window_s: number;
  /** The event loop's p99 delay is taken over this window. */
  lag_window_ms: number;
  /** Store failures the router saw so far (its group commits): a rise means the store is failing. */
  storeFailures?: () => number;
  /**
   * The group commit: the probe is timed from its enqueue to its outcome, which is what a message's
   * store-before-ACK costs (commit and fsync), and its fsync does not hold the event loop.
   * Without it the probe is a FULL commit of its own, on the spot.
   */
  writer?: ProbeWriter;
}

/** Structural: the store's GroupCommit, as much of it as the probe needs. */
export interface ProbeWriter {
  enqueue(work: { write(db: Db): void; done(err?: Error): void }): void;
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times;
    const all = t.user + t.nice + t.sys + t.idle + t.irq;
    total += all;
    busy += all - t.idle;
  }
  return { busy, total };
}

const CPU_EVERY_MS = 1000;

export class HostSampler {
  private lastCpu = cpuTimes();
  private lastCpu_ms = -Infinity;
  private cpu = Number.NaN;
  private disk = Number.NaN;
  private lastDisk_ms = -Infinity;
  private lastProbe_ms = -Infinity;
  private readonly writes: RollingWindow;
  private readonly loop: IntervalHistogram;
  private dbOk = Number.NaN;
  private loopWindowStart_ms: number | null = null;
  private lastWindowLag = Number.NaN;
  private lastFailures = 0;
  private readonly probe: { run: (value: string, ms: number) => unknown; stmt: { run: (value: string, ms: number) => unknown } } | null;
  /** A probe through the group commit not yet told its outcome: the next waits for it. */
  private probeInFlight = false;
  private probeFailed = false;
  private readonly ping: { get: () => unknown } | null;

  constructor(private readonly options: HostSamplerOptions) {
    this.writes = new RollingWindow(options.db_latency_window_s * 1000, 1024);
    this.loop = monitorEventLoopDelay({ resolution: 10 });
    this.loop.enable();
    this.lastFailures = options.storeFailures?.() ?? 0;
    let probe: HostSampler['probe'] = null;
    let ping: HostSampler['ping'] = null;
    try {
      const stmt = options.db.prepare("INSERT INTO control_state (key, value, updated_ms) VALUES ('db_probe', ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms");
      const tx = options.db.transaction((value: string, ms: number) => stmt.run(value, ms));
      probe = { run: (value, ms) => tx(value, ms), stmt: { run: (value, ms) => stmt.run(value, ms) } };
      const sel = options.db.prepare('SELECT 1');
      ping = { get: () => sel.get() };
    } catch {
      // no control_state table (an old schema): the store is reported as not answering
    }
    this.probe = probe;
    this.ping = ping;
  }

  /** Samples everything due at monotonic now_ms (wall time only stamps the probe row). */
  sample(now_ms: number, wall_ms: number): HostFigures {
    // os.cpus() builds an object per core from /proc: once a second is enough for a CPU figure.
    if (now_ms - this.lastCpu_ms >= CPU_EVERY_MS) {
      this.lastCpu_ms = now_ms;
      const c = cpuTimes();
      const dTotal = c.total - this.lastCpu.total;
      if (dTotal > 0) {
        this.cpu = Math.min(100, Math.max(0, ((c.busy - this.lastCpu.busy) / dTotal) * 100));
        this.lastCpu = c;
      }
    }
    if (now_ms - this.lastDisk_ms >= this.options.disk_every_ms) {
      this.lastDisk_ms = now_ms;
      statfs(this.options.dataDir, (err, s) => {
        this.disk = err || !s.blocks ? Number.NaN : (s.bavail / s.blocks) * 100;
      });
    }
    this.sampleDb(now_ms, wall_ms);
    // p99 over a window of a few seconds (not one pulse): a sustained lag shows, one GC pause or
    // one slow write does not read as a stalled loop. The window restarts every lag_window_ms; a
    // fresh window with few samples yet reads the previous one's figure.
    if (this.loopWindowStart_ms === null) this.loopWindowStart_ms = now_ms;
    const enough = this.loop.count >= 20;
    const current = this.loop.count > 0 ? this.loop.percentile(99) / 1e6 : Number.NaN;
    const lag = enough || Number.isNaN(this.lastWindowLag) ? current : Math.max(current, this.lastWindowLag);
    if (now_ms - this.loopWindowStart_ms >= this.options.lag_window_ms) {
      if (enough) this.lastWindowLag = current;
      this.loop.reset();
      this.loopWindowStart_ms = now_ms;
    }
    const writes = this.writes.stats(now_ms);
    return {
      cpu_pct: this.cpu,
      memory_pct: totalmem() > 0 ? (1 - freemem() / totalmem()) * 100 : Number.NaN,
      disk_free_pct: this.disk,
      event_loop_lag_ms: lag,
      db_ok: this.dbOk,
      db_write_latency_ms: writes.count > 0 ? writes.p95 : Number.NaN,
    };
  }

  private sampleDb(now_ms: number, wall_ms: number): void {
    let ok = this.ping !== null && this.options.db.open;
    if (ok) {
      try {
        this.ping!.get();
      } catch {
        ok = false;
      }
    }
    const failures = this.options.storeFailures?.() ?? 0;
    if (failures > this.lastFailures) ok = false;
    this.lastFailures = failures;
    if (ok && this.probe && now_ms - this.lastProbe_ms >= this.options.db_probe_ms && !this.probeInFlight) {
      this.lastProbe_ms = now_ms;
      const t0 = performance.now();
      const writer = this.options.writer;
      if (writer) {
        const probe = this.probe;
        this.probeInFlight = true;
        writer.enqueue({
          write: () => void probe.stmt.run(String(wall_ms), wall_ms),
          done: (err) => {
            this.probeInFlight = false;
            if (err) this.probeFailed = true;
            else this.writes.push(now_ms, performance.now() - t0);
          },
        });
      } else {
        try {
          this.probe.run(String(wall_ms), wall_ms);
          this.writes.push(now_ms, performance.now() - t0);
        } catch {
          ok = false;
        }
      }
    }
    if (this.probeFailed) {
      this.probeFailed = false;
      ok = false;
    }
    this.dbOk = ok ? 1 : 0;
  }

  dispose(): void {
    this.loop.disable();
  }
}

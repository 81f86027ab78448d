// The data plane's own figures: signal peer -> Guardian (its own process) -> simulated EA, every
// message stored with synchronous=FULL and acknowledged at each hop.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { mt4Time, PeerClient } from '../src-main/sim';
import type { Envelope, SignalPayload, StatusPayload } from '../src-shared/protocol';
import { freePort, startGuardianProcess, writeConfig, type GuardianProcess } from '../e2e/support/guardian-process';
import { until } from '../e2e/support/peers';

interface Received {
  id: number;
  path: string;
  /** Arrived at the EA (before the EA's own store): the issue's "receipt". */
  received_ms: number;
  /** Handed to the EA's application, once the EA has stored it too. */
  at_ms: number;
  sent_ms: number;
}

/** Now, in ms, on the clock both sides of a latency stamp with. */
const nowMs = (): number => performance.now();

interface Rig {
  guardian: GuardianProcess;
  /**
   * The EA, in this process beside the signal service. (On a thread of its own it measured
   * slower on two cores: 36,700-38,900 msg/s against 42,000-44,000, and no better latency.)
   */
  ea: PeerClient;
  sig: PeerClient;
  /** Every signal the EA was handed, counted by id. */
  tally: DeliveryTally;
  /** Each delivery with its times and path: kept only when the rig is asked for detail. */
  received: Received[];
  /**
   * Signals Guardian answered with an ERROR instead of delivering (held by the mode and expired,
   * refused): a policy's decision, told to the service, not a loss. Keyed by the signal's id.
   */
  refused: Map<number, string>;
  /** The EA's heartbeat echoes, as they came back. */
  echoes: { path: string; at_ms: number; rtt_ms: number }[];
  /** When each signal (by id) first went on the wire, after the service's own store (with detail). */
  wired: Map<number, number>;
  dir: string;
  /** `keep`: leave the data dirs behind (a run that went wrong), and say where. */
  close(keep?: boolean): Promise<void>;
}

/**
 * `dataPlaneOnly`: without the control plane, the router moves traffic back to a recovered socket
 * by itself within switchback_healthy_ms, so a cut can be repeated every second; with it, traffic
 * stays on the pipe until a runbook has proved the socket (tens of seconds). The gap from a cut to
 * the first delivery on the pipe is the data plane's alone either way.
 */
async function rig(paths: ('socket' | 'pipe')[], heartbeat_ms = 250, dataPlaneOnly = false, detail = true): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-bench-'));
  const port = await freePort();
  const cfg = writeConfig(dir, port, (y) => y.replace(/spool:\n(\s+)enabled: true/, 'spool:\n$1enabled: false'));
  const guardian = await startGuardianProcess(join(dir, 'guardian'), cfg, dataPlaneOnly ? ['--data-plane-only'] : []);
  const peerPaths = {
    ...(paths.includes('socket') ? { socket: guardian.socket } : {}),
    ...(paths.includes('pipe') ? { pipe: { path: guardian.pipe } } : {}),
  };
  const received: Received[] = [];
  const echoes: { path: string; at_ms: number; rtt_ms: number }[] = [];
  const tally = new DeliveryTally();
  // Arrival times by Guardian's seq, until the message is stored and handed over.
  const arrivals = new Map<number, number>();
  let eaState: 'IDLE' | 'PAUSED' = 'IDLE';
  const ea = new PeerClient({
    role: 'EA', node_id: 'bench-ea', dataDir: join(dir, 'ea'), paths: peerPaths, heartbeat_ms,
    onEcho: (path, rtt_ms) => echoes.push({ path, at_ms: nowMs(), rtt_ms }),
    ...(detail ? { onReceive: (env: Envelope) => void arrivals.set(env.header.seq, nowMs()) } : {}),
    onMessage: (env: Envelope, info) => {
      if (env.header.message_type === 'COMMAND') {
        // As an EA does: it holds its own entries while told to, and says so in its STATUS.
        const command = (env.payload as { command?: string }).command;
        if (command === 'HOLD_NEW_ENTRIES') eaState = 'PAUSED';
        else if (command === 'RESUME') eaState = 'IDLE';
      }
      if (env.header.message_type !== 'SIGNAL') return;
      const p = env.payload as SignalPayload & { sent_ms?: number };
      const id = Number(p.signal_id.slice(4));
      tally.note(id);
      if (!detail) return;
      const at_ms = nowMs();
      const received_ms = arrivals.get(env.header.seq) ?? at_ms;
      arrivals.delete(env.header.seq);
      received.push({ id, path: info.path, received_ms, at_ms, sent_ms: p.sent_ms ?? 0 });
    },
  });
  ea.start();
  // A STATUS a second, as every EA sends: without it the market and risk gates sit under the
  // recovery line on readings they never get, and a mode the host's load degraded never leaves.
  const statusTimer = setInterval(() => void ea.send('STATUS', benchEaStatus(eaState)).catch(() => undefined), 1000);
  // The sig's stream starts at seq 1 with the next signal id: seq k carries id idBase + k.
  const idBase = nextId;
  const refused = new Map<number, string>();
  const wired = new Map<number, number>();
  const sig = new PeerClient({
    role: 'SIGNAL', tier: 'primary', node_id: 'bench-sig', dataDir: join(dir, 'sig'), paths: peerPaths, heartbeat_ms,
    ...(detail ? { onWire: (seq: number) => void wired.set(idBase + seq, nowMs()) } : {}),
    onError: (e) => {
      const seq = /-(\d{12})$/.exec(e.ref_message_id ?? '')?.[1];
      if (seq) refused.set(idBase + Number(seq), e.reason);
    },
  });
  sig.start();
  try {
    await until(() => ea.stats().active_path !== null && sig.stats().active_path !== null, 10_000, 'both peers greeted');
  } catch (err) {
    // Nothing may outlive a failed start: a Guardian left running would skew every later figure.
    clearInterval(statusTimer);
    await Promise.all([ea.stop(), sig.stop()]);
    await guardian.stop();
    throw err;
  }
  return {
    guardian, ea, sig, tally, received, refused, echoes, wired, dir,
    async close(keep = false) {
      clearInterval(statusTimer);
      // Guardian is stopped whatever the peers' stop does: a Guardian left running skews every later figure.
      try {
        await Promise.all([ea.stop(), sig.stop()]);
      } finally {
        await guardian.stop();
      }
      if (keep) process.stderr.write(`  kept for a look: ${dir}\n`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An idle EA's STATUS: flat, its terminal connected, a quote a second. */
function benchEaStatus(ea_state: 'IDLE' | 'PAUSED'): StatusPayload {
  const status: StatusPayload & Record<string, unknown> = {
    ea_state, balance: 10_000, equity: 10_000, margin_level: 0, spread_pips: 1, open_positions: 0, server_time: mt4Time(new Date()),
    portfolio_correlation: 0.3, tick_age_s: 0.5, broker_rtt_ms: 30, broker_connected: 1, quotes: { EURUSD: { bid: 1.0812, ask: 1.0813 } },
  };
  return status;
}

let nextId = 0;
function signal(sent_ms = 0): SignalPayload & { sent_ms: number } {
  const i = ++nextId;
  return { signal_id: `sig-${i}`, symbol: 'EURUSD', action: i % 2 ? 'BUY' : 'SELL', lots: 0.1, order_type: 'MARKET', price: 1.08123, sl: 1.07923, tp: 1.08523, sent_ms };
}

/** Signals from the service as fast as its window allows, for `ms`; each id sent is noted in `sent`. */
async function sendAtFullRate(r: Rig, sent: number[], ms: number): Promise<void> {
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    // Keep the sender's window full without queueing without bound in memory.
    if (r.sig.unacked > 16_000) {
      await new Promise((res) => setImmediate(res));
      continue;
    }
    const batch: Promise<number>[] = [];
    for (let k = 0; k < 500; k++) {
      batch.push(r.sig.send('SIGNAL', signal()));
      sent.push(nextId);
    }
    await Promise.all(batch);
  }
}

/**
 * Deliveries counted by signal id, a byte each: a durable run's 400,000 signals leave no object
 * each behind for the bench process's garbage collector (it shares its thread with both peers).
 */
class DeliveryTally {
  private counts = new Uint8Array(1 << 16);
  private last = -Infinity;
  delivered = 0;
  outOfOrder = 0;

  note(id: number): void {
    if (id >= this.counts.length) {
      const grown = new Uint8Array(Math.max(id + 1, this.counts.length * 2));
      grown.set(this.counts);
      this.counts = grown;
    }
    if (this.counts[id]! < 255) this.counts[id]!++;
    if (id < this.last) this.outOfOrder++;
    this.last = Math.max(this.last, id);
    this.delivered++;
  }

  count(id: number): number {
    return this.counts[id] ?? 0;
  }
}

/** Counts ids that are missing or repeated against the ids sent. */
function audit(sent: number[], tally: DeliveryTally, refused: Map<number, string>): { lost: number; duplicated: number; out_of_order: number; refused: number } {
  let lost = 0;
  let duplicated = 0;
  let answered = 0;
  for (const id of sent) {
    const n = tally.count(id);
    if (n > 1) duplicated += n - 1;
    if (n > 0) continue;
    if (refused.has(id)) answered++;
    else lost++;
  }
  return { lost, duplicated, out_of_order: tally.outOfOrder, refused: answered };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Reads a rig's Guardian database (read-only, beside the running Guardian), closed after. */
function readGuardianDb<T>(dir: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(dir, 'guardian', 'guardian.db'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Guardian's own view of each peer, from the status file it rewrites every second. */
function guardianSide(dir: string): string {
  try {
    const st = JSON.parse(readFileSync(join(dir, 'guardian', 'status.json'), 'utf8')) as { mode?: string; active_tier?: string; buffer?: unknown; peers?: { node_id: string; active_path: string | null }[] };
    return readGuardianDb(dir, (db) => {
      const held = db.prepare('SELECT state, reason, COUNT(*) AS n FROM held_signals GROUP BY state, reason').all();
      const shadow = db.prepare("SELECT COUNT(*) FROM inbox WHERE path = 'shadow'").pluck().get();
      return `mode ${st.mode}, tier ${st.active_tier}, buffer ${JSON.stringify(st.buffer)}; ${(st.peers ?? []).map((p) => `${p.node_id}@${p.active_path}`).join(' ')}; held ${JSON.stringify(held)}; shadowed ${shadow}`;
    });
  } catch (err) {
    return `status.json unreadable: ${(err as Error).message}`;
  }
}

/** The mode changes Guardian recorded (its timeline): why a run's figure fell, when it did. */
function modeChanges(dir: string): string[] {
  try {
    return readGuardianDb(dir, (db) => db.prepare("SELECT ts, summary FROM events WHERE type = 'mode_change' ORDER BY id").all().map((r) => {
      const { ts, summary } = r as { ts: string; summary: string };
      return `${ts.slice(11, 23)} ${summary}`;
    }));
  } catch {
    return [];
  }
}

/** User + system CPU milliseconds of a process, from /proc (Linux); NaN elsewhere. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    if (process.env.BENCH_CPU_DEBUG) process.stderr.write(`cpu ${pid}: user ${fields[11]} sys ${fields[12]}\n`);
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks at USER_HZ=100
  } catch {
    return NaN;
  }
}

const WARMUP_MS = 2000;

/** Sustained throughput: as fast as the windows allow, for duration_ms after a warm-up. */
export async function benchDurable(duration_ms = 10_000): Promise<{ durable_msgs_per_s: number; durable_guardian_cpu_us_per_msg: number; durable_peers_cpu_us_per_msg: number; durable_mode_changes: number; lost: number; duplicated: number; refused: number }> {
  // No per-message detail: the throughput run keeps counts, not an object per signal.
  const r = await rig(['socket'], 250, false, false);
  let keep = false;
  try {
    const sent: number[] = [];
    const stream = (ms: number) => sendAtFullRate(r, sent, ms);
    // Sustained: the window starts once the stream has run for WARMUP_MS (the JIT has compiled the
    // hot path, the outbox holds its steady backlog), and measures what reached the EA within it.
    await stream(WARMUP_MS);
    const guardianCpu0 = cpuMsOf(r.guardian.child.pid);
    const peersCpu0 = (process.cpuUsage().user + process.cpuUsage().system) / 1000;
    const t0 = performance.now();
    const startCount = r.tally.delivered;
    await stream(duration_ms);
    const deliveredInWindow = r.tally.delivered - startCount;
    const elapsed_s = (performance.now() - t0) / 1000;
    const cpu = { guardian_ms: cpuMsOf(r.guardian.child.pid) - guardianCpu0, peers_ms: (process.cpuUsage().user + process.cpuUsage().system) / 1000 - peersCpu0 };
    const delivered = await until(() => r.tally.delivered + r.refused.size >= sent.length, 60_000, 'every signal delivered').then(() => true, () => false);
    const a = audit(sent, r.tally, r.refused);
    keep = !delivered || a.lost > 0 || a.refused > 0;
    if (a.refused > 0) process.stderr.write(`durable: ${a.refused} signals answered with an ERROR by policy (${[...new Set(r.refused.values())].join(', ')}), not delivered: ${guardianSide(r.dir)}\n`);
    // A mode that held entries during the window explains a low figure, even when every held
    // signal was released in the end (nothing refused): say so, with Guardian's why.
    const changes = modeChanges(r.dir);
    if (changes.length > 0) process.stderr.write(`durable: the control plane changed the mode during the run (the figure counts what reached the EA within the window):\n${changes.map((c) => `  ${c}\n`).join('')}`);
    if (process.env.BENCH_DEBUG || !delivered) {
      // A stream that does not drain in a minute is a finding in itself: say where each side stood.
      const side = (p: PeerClient) => {
        const x = p.stats();
        return `${x.node_id}: next ${x.next_seq}, acked ${x.acked_seq}, in flight ${x.in_flight}, stored from Guardian ${x.last_seq_received}, delivered ${x.delivered}, duplicates ${x.duplicates_dropped}, gaps ${x.gaps_dropped}, resend timeouts ${x.resend_timeouts}, path ${x.active_path}`;
      };
      process.stderr.write(`durable: ${delivered ? 'drained' : `NOT drained a minute after the window (${sent.length - r.tally.delivered} left)`}\n  ${side(r.sig)}\n  ${side(r.ea)}\n  guardian: ${guardianSide(r.dir)}\n`);
    }
    return {
      durable_msgs_per_s: Math.round(deliveredInWindow / elapsed_s),
      // CPU time per message delivered: what the figure costs, whatever else the machine runs.
      durable_guardian_cpu_us_per_msg: Math.round((cpu.guardian_ms * 1000) / deliveredInWindow),
      durable_peers_cpu_us_per_msg: Math.round((cpu.peers_ms * 1000) / deliveredInWindow),
      durable_mode_changes: changes.length,
      lost: a.lost, duplicated: a.duplicated, refused: a.refused,
    };
  } finally {
    await r.close(keep);
  }
}

/** Latency at a steady 1,000 msg/s, and the heartbeat echo round trip meanwhile. */
export async function benchLatency(duration_ms = 10_000, rate_per_s = 1000, dataPlaneOnly = process.env.BENCH_DATA_PLANE_ONLY === '1'): Promise<{ signal_latency_ms_p50: number; signal_latency_ms_p99: number; signal_handoff_ms_p50: number; signal_handoff_ms_p99: number; signal_hop_ms_p50: number; signal_hop_ms_p99: number; echo_rtt_ms_p99: number; lost: number; duplicated: number; refused: number }> {
  // Pings every 10 ms: 500 echoes in the window, so that their p99 is not one outlier of 100.
  const r = await rig(['socket'], 10, dataPlaneOnly);
  try {
    const sent: number[] = [];
    const stored: { sent_ms: number; ms: number }[] = [];
    const pace = async (ms: number) => {
      const t0 = performance.now();
      let due = t0;
      while (performance.now() - t0 < ms) {
        const now = performance.now();
        while (due <= now) {
          const sent_ms = nowMs();
          // The service's own store (store before send): the first of the three commits on the way.
          r.sig.send('SIGNAL', signal(sent_ms)).then(() => stored.push({ sent_ms, ms: nowMs() - sent_ms }), () => undefined);
          sent.push(nextId);
          due += 1000 / rate_per_s;
        }
        await new Promise((res) => setTimeout(res, 1));
      }
    };
    // Steady state: the first WARMUP_MS at the same pace are not measured (the JIT compiling the hot
    // path, the control plane's first pulses and reconciliation make the first second's tail).
    await pace(WARMUP_MS);
    const from_ms = nowMs();
    await pace(duration_ms);
    const to_ms = nowMs();
    await until(() => r.tally.delivered + r.refused.size >= sent.length, 30_000, 'every signal delivered').catch(() => undefined);
    const inWindow = r.received.filter((x) => x.sent_ms >= from_ms && x.sent_ms < to_ms);
    const lat = inWindow.map((x) => x.received_ms - x.sent_ms);
    // Guardian's hop alone: from the frame on the service's wire (its own store done) to the EA's receipt.
    const hop = inWindow.flatMap((x) => {
      const w = r.wired.get(x.id);
      return w === undefined ? [] : [x.received_ms - w];
    });
    const handoff = inWindow.map((x) => x.at_ms - x.sent_ms);
    const echoes = r.echoes.filter((e) => e.path === 'socket' && e.at_ms >= from_ms && e.at_ms < to_ms).map((e) => e.rtt_ms);
    if (process.env.BENCH_TAIL) {
      // Where the tail is: each slow signal's send time in the window (ms) and its latency.
      const slow = inWindow.filter((x) => x.received_ms - x.sent_ms > 3).map((x) => `${Math.round(x.sent_ms - from_ms)}:${(x.received_ms - x.sent_ms).toFixed(1)}`);
      process.stderr.write(`latency: ${slow.length} of ${lat.length} over 3 ms: ${slow.join(' ')}\n`);
      const own = stored.filter((x) => x.sent_ms >= from_ms && x.sent_ms < to_ms).map((x) => x.ms);
      const ea = inWindow.map((x) => x.at_ms - x.received_ms);
      process.stderr.write(`stages p50/p99 ms: service's store ${r2(pct(own, 50))}/${r2(pct(own, 99))}, EA's store ${r2(pct(ea, 50))}/${r2(pct(ea, 99))}\n`);
      const slowEchoes = r.echoes.filter((e) => e.path === 'socket' && e.at_ms >= from_ms && e.at_ms < to_ms && e.rtt_ms > 1).map((e) => `${Math.round(e.at_ms - from_ms)}:${e.rtt_ms.toFixed(1)}`);
      process.stderr.write(`echo: ${slowEchoes.length} of ${echoes.length} over 1 ms: ${slowEchoes.join(' ')}\n`);
    }
    const echo = pct(echoes, 99);
    const a = audit(sent, r.tally, r.refused);
    return {
      signal_latency_ms_p50: r2(pct(lat, 50)), signal_latency_ms_p99: r2(pct(lat, 99)),
      signal_handoff_ms_p50: r2(pct(handoff, 50)), signal_handoff_ms_p99: r2(pct(handoff, 99)),
      signal_hop_ms_p50: r2(pct(hop, 50)), signal_hop_ms_p99: r2(pct(hop, 99)),
      echo_rtt_ms_p99: r2(echo), lost: a.lost, duplicated: a.duplicated, refused: a.refused };
  } finally {
    await r.close();
  }
}

/** An operator's control through the console API of the rig's Guardian. */
async function control(r: Rig, name: string, body: object): Promise<void> {
  const api = r.guardian.api;
  if (!api) throw new Error('guardian printed no console URL');
  const res = await fetch(`${api.origin}/api/controls/${name}`, {
    method: 'POST', headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${name}: ${res.status} ${await res.text()}`);
}

/**
 * Intake while the desk holds new entries: every signal stored and acknowledged, held, and past
 * its time to live (30 s) expired and its service told, for `duration_ms` at full rate. The last
 * 10 s run with expiry beside intake; a figure there much below the first 10 s' means the held
 * signals' bookkeeping grows with how many are held (it read the whole table every second).
 */
export async function benchHold(duration_ms = 40_000): Promise<{ hold_intake_msgs_per_s_first_10s: number; hold_intake_msgs_per_s_last_10s: number; hold_expired: number; lost: number; duplicated: number; delivered: number }> {
  const r = await rig(['socket'], 250, false, false);
  let keep = false;
  try {
    await control(r, 'hold_new_entries', { reason: 'bench: intake while held' });
    const sent: number[] = [];
    const acked = () => r.sig.stats().acked_seq;
    const t0 = performance.now();
    const marks: { t_ms: number; acked: number }[] = [];
    const timer = setInterval(() => {
      marks.push({ t_ms: performance.now() - t0, acked: acked() });
      if (process.env.BENCH_DEBUG && marks.length % 4 === 0) {
        const x = r.sig.stats();
        process.stderr.write(`hold ${Math.round((performance.now() - t0) / 1000)} s: acked ${x.acked_seq}, in flight ${x.in_flight}, resend timeouts ${x.resend_timeouts}, path ${x.active_path}, errors ${r.refused.size}\n`);
      }
    }, 250);
    await sendAtFullRate(r, sent, duration_ms);
    clearInterval(timer);
    const rate = (from_ms: number, to_ms: number) => {
      const a = marks.find((m) => m.t_ms >= from_ms);
      const b = [...marks].reverse().find((m) => m.t_ms <= to_ms);
      return a && b && b.t_ms > a.t_ms ? Math.round(((b.acked - a.acked) * 1000) / (b.t_ms - a.t_ms)) : NaN;
    };
    if (process.env.BENCH_DEBUG) process.stderr.write(`hold: before resume: ${guardianSide(r.dir)}\n`);
    // Whatever is still held goes out on resume; each signal ends delivered or expired, once.
    const resumed_ms = performance.now();
    await control(r, 'resume', { reason: 'bench: done' });
    const releaseTimer = process.env.BENCH_DEBUG ? setInterval(() => {
      const x = r.ea.stats();
      process.stderr.write(`release ${Math.round((performance.now() - resumed_ms) / 1000)} s: EA delivered ${r.tally.delivered}, stored from Guardian ${x.last_seq_received}, duplicates ${x.duplicates_dropped}, gaps ${x.gaps_dropped}; ${guardianSide(r.dir).slice(0, 160)}\n`);
    }, 1000) : undefined;
    const settled = await until(() => r.tally.delivered + r.refused.size >= sent.length, 120_000, 'every signal delivered or expired').then(() => true, () => false);
    const a = audit(sent, r.tally, r.refused);
    keep = !settled || a.lost > 0 || !!process.env.BENCH_KEEP;
    if (!settled) process.stderr.write(`hold: NOT settled two minutes after the window: ${guardianSide(r.dir)}\n`);
    clearInterval(releaseTimer);
    if (process.env.BENCH_DEBUG) process.stderr.write(`hold: resume -> every signal settled in ${Math.round(performance.now() - resumed_ms)} ms\n`);
    return {
      hold_intake_msgs_per_s_first_10s: rate(0, 10_000), hold_intake_msgs_per_s_last_10s: rate(duration_ms - 10_000, duration_ms),
      hold_expired: a.refused, lost: a.lost, duplicated: a.duplicated, delivered: r.tally.delivered,
    };
  } finally {
    await r.close(keep);
  }
}

/** Socket cut -> first delivery on the next path, median of `cuts`. */
export async function benchFailover(cuts = 10): Promise<{ failover_gap_ms: number; failover_gaps_ms: number[]; lost: number; duplicated: number; refused: number }> {
  const r = await rig(['socket', 'pipe'], 50, true);
  try {
    const sent: number[] = [];
    let sending = true;
    const sender = (async () => {
      while (sending) {
        r.sig.send('SIGNAL', signal(nowMs())).catch(() => undefined); // a failed run closes the rig under it
        sent.push(nextId);
        await new Promise((res) => setTimeout(res, 1));
      }
    })();
    const gaps: number[] = [];
    for (let i = 0; i < cuts; i++) {
      await until(() => r.ea.stats().active_path === 'socket' && r.sig.stats().active_path === 'socket', 10_000, 'both peers back on the socket');
      await new Promise((res) => setTimeout(res, 200));
      const from = r.received.length;
      const cut_ms = nowMs();
      r.ea.faults.dropPath('socket', 600);
      r.sig.faults.dropPath('socket', 600);
      await until(() => r.received.slice(from).some((x) => x.path === 'pipe'), 10_000, 'a delivery on the pipe');
      const first = r.received.slice(from).find((x) => x.path === 'pipe')!;
      gaps.push(r2(first.at_ms - cut_ms));
    }
    sending = false;
    await sender;
    await until(() => r.tally.delivered + r.refused.size >= sent.length, 30_000, 'every signal delivered').catch(() => undefined);
    const a = audit(sent, r.tally, r.refused);
    return { failover_gap_ms: pct(gaps, 50), failover_gaps_ms: gaps, lost: a.lost, duplicated: a.duplicated, refused: a.refused };
  } finally {
    await r.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const which = process.argv[2] ?? 'all';
  if (which === 'durable' || which === 'all') console.log(JSON.stringify(await benchDurable(Number(process.argv[3] ?? 10_000))));
  if (which === 'latency' || which === 'all') console.log(JSON.stringify(await benchLatency()));
  if (which === 'failover' || which === 'all') console.log(JSON.stringify(await benchFailover()));
  if (which === 'hold' || which === 'all') console.log(JSON.stringify(await benchHold(Number(process.argv[3] ?? 40_000))));
}

// npm run bench: every figure the issues name, as one JSON object, also written to
// bench/results/latest.json. Run on a quiet machine: the figures are wall-clock measurements.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchRawEcho, benchRawTcp, benchZmq } from './baselines';
import { benchCodec } from './codec';
import { benchDsl } from './dsl';
import { benchDurable, benchFailover, benchHold, benchLatency } from './durable';
import { benchNative } from './native';
import { benchPulse } from './pulse';
import { benchFenceCost, benchTakeover } from './takeover';
import { benchMirrorCost } from './mirror';
import { benchUi } from './ui';

const only = process.argv[2];
const results: Record<string, unknown> = {
  started: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, loadavg_1m_at_start: Math.round(loadavg()[0]! * 100) / 100 },
};
const step = async (name: string, fn: () => Promise<Record<string, unknown>> | Record<string, unknown>) => {
  if (only && only !== name) return;
  process.stderr.write(`bench: ${name}...\n`);
  try {
    Object.assign(results, await fn());
  } catch (err) {
    results[`${name}_error`] = (err as Error).message;
  }
};

let lost = 0;
let duplicated = 0;
// Signals the control plane answered with an ERROR (held by the mode and expired, refused): told
// to the service, so not lost, but not delivered either; the bench says so rather than hide it.
let refused = 0;
const tally = (r: { lost: number; duplicated: number; refused?: number }) => {
  lost += r.lost;
  duplicated += r.duplicated;
  refused += r.refused ?? 0;
};

await step('durable', async () => {
  const r = await benchDurable(10_000);
  tally(r);
  return { durable_msgs_per_s: r.durable_msgs_per_s, durable_guardian_cpu_us_per_msg: r.durable_guardian_cpu_us_per_msg, durable_peers_cpu_us_per_msg: r.durable_peers_cpu_us_per_msg, durable_mode_changes: r.durable_mode_changes, durable_lost: r.lost };
});
await step('baselines', async () => ({ raw_tcp_msgs_per_s: await benchRawTcp(3000), zmq_msgs_per_s: await benchZmq(3000), ...(await benchRawEcho(5000)) }));
await step('latency', async () => {
  const r = await benchLatency(10_000, 1000);
  tally(r);
  return {
    signal_latency_ms_p50: r.signal_latency_ms_p50, signal_latency_ms_p99: r.signal_latency_ms_p99,
    signal_handoff_ms_p50: r.signal_handoff_ms_p50, signal_handoff_ms_p99: r.signal_handoff_ms_p99,
    signal_hop_ms_p50: r.signal_hop_ms_p50, signal_hop_ms_p99: r.signal_hop_ms_p99,
    echo_rtt_ms_p99: r.echo_rtt_ms_p99, latency_lost: r.lost,
  };
});
await step('failover', async () => {
  const r = await benchFailover(10);
  tally(r);
  return { failover_gap_ms: r.failover_gap_ms, failover_gaps_ms: r.failover_gaps_ms, failover_lost: r.lost };
});
// Intake while the desk holds new entries at full rate, past the 30 s time to live: expiries (told
// to the service, by design) are its own figure, not policy_refused, which is about the runs above.
await step('hold', async () => {
  const r = await benchHold(40_000);
  tally({ lost: r.lost, duplicated: r.duplicated });
  return { hold_intake_msgs_per_s_first_10s: r.hold_intake_msgs_per_s_first_10s, hold_intake_msgs_per_s_last_10s: r.hold_intake_msgs_per_s_last_10s, hold_expired: r.hold_expired, hold_released: r.delivered, hold_lost: r.lost };
});
await step('native', async () => ({ ...(await benchNative()) }) as Record<string, unknown>);
await step('pulse', () => ({ ...benchPulse() }) as Record<string, unknown>);
await step('codec', () => ({ ...benchCodec(1000) }) as Record<string, unknown>);
await step('dsl', () => ({ ...benchDsl(1500) }) as Record<string, unknown>);
// The console in Chromium (bench/ui.ts): status to DOM at 10 updates/s with 2,000 incidents, and first load.
await step('ui', async () => ({ ...(await benchUi()) }));
// Active/standby (issue 7): kill -9 of the active -> the standby delivering, median of 10; and the fence's cost.
await step('takeover', async () => {
  const r = await benchTakeover(10);
  tally({ lost: r.takeover_lost, duplicated: r.takeover_duplicated });
  return { ...r, ...benchFenceCost() };
});

// The store mirror (issue 7): the group commit's rows per second with and without it.
await step('mirror', async () => ({ ...(await benchMirrorCost()) }));

results.lost = lost;
results.duplicated = duplicated;
results.policy_refused = refused;
if (typeof results.durable_msgs_per_s === 'number' && typeof results.raw_tcp_msgs_per_s === 'number') {
  results.durable_vs_raw_tcp = Math.round((results.durable_msgs_per_s / results.raw_tcp_msgs_per_s) * 100) / 100;
}
results.finished = new Date().toISOString();

const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}latest.json`, JSON.stringify(results, null, 2) + '\n');
process.stdout.write(JSON.stringify(results) + '\n');

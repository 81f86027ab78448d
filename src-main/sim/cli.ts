// guardian sim: the MT4 simulator from the command line, with a line a second and faults on
// demand. `src-main/cli.ts` hands `guardian sim ...` here.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Readable } from 'node:stream';
import { SIGNAL_TIERS, type SignalTier } from '../../src-shared/protocol';
import { openControlChannel } from './control-channel';
import { FaultSpecError, parseFaultSpec } from './fault-spec';
import { formatSimLine, startSim, type SimHandle } from './sim-runner';

export const SIM_USAGE = `guardian sim: the MT4 simulator (EAs and signal services) for a running Guardian.

Usage: guardian sim [options]
  --ea N                 simulated EAs (default 1): ea-1 .. ea-N
  --signals LIST         signal services by tier, e.g. primary,cached (default primary; none for none)
  --rate R               signals per second per service (default 5)
  --socket HOST:PORT     Guardian's socket path (default 127.0.0.1:9999; off to skip)
  --pipe PATH            Guardian's pipe (default <guardian-data-dir>/guardian-bridge.sock,
                         \\\\.\\pipe\\guardian-bridge on Windows; off to skip)
  --spool DIR            Guardian's spool dir, used by ea-1 (default: no spool)
  --guardian-data-dir D  where Guardian keeps its data, for the default pipe (default .guardian-data)
  --data-dir DIR         the simulator's own state (default <guardian-data-dir>/sim)
  --fault SPEC           a fault at start, repeatable: drop_socket:5000, stall_pipe:3000,
                         latency_socket:200, corrupt:1, garbage:socket, oversize:socket,
                         slow_broker:2000, spike_correlation:0.95, ignore_commands, kill, clear; @ea-1|@ea|@signals
  --control-port P       HTTP control on 127.0.0.1:P (GET /stats, POST /fault with a spec);
                         stdin lines take the same specs
  --duration S           stop after S seconds (default: run until Ctrl-C)
  --heartbeat-ms MS      ping interval (default 250)
  --hmac-key-env NAME    read the shared key from this variable (default GUARDIAN_HMAC_KEY)
  --reject-rate R        share of entries the simulated broker rejects (default 0.02)
  --legacy               speak protocol 1.0 (no handshake, no sequence numbers)
  --dual-write           send every message on the two best paths
  --verbose              log connects, failovers and Guardian's errors
  --quiet                no status line
`;

export interface SimIo {
  out(line: string): void;
  err(line: string): void;
  /** Control lines; default process.stdin. Pass null for none. */
  stdin?: Readable | null;
  /** Stops the run (tests); SIGINT and SIGTERM always do. */
  signal?: AbortSignal;
}

const defaultIo: SimIo = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
};

/** Runs the simulator until Ctrl-C, --duration, or io.signal. Returns the exit code. */
export async function runSim(argv: string[], io: SimIo = defaultIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      strict: true,
      options: {
        ea: { type: 'string', default: '1' },
        signals: { type: 'string', default: 'primary' },
        rate: { type: 'string', default: '5' },
        socket: { type: 'string', default: '127.0.0.1:9999' },
        pipe: { type: 'string' },
        spool: { type: 'string' },
        'guardian-data-dir': { type: 'string', default: '.guardian-data' },
        'data-dir': { type: 'string' },
        fault: { type: 'string', multiple: true, default: [] },
        'control-port': { type: 'string' },
        duration: { type: 'string' },
        'heartbeat-ms': { type: 'string' },
        'hmac-key-env': { type: 'string', default: 'GUARDIAN_HMAC_KEY' },
        'reject-rate': { type: 'string' },
        legacy: { type: 'boolean', default: false },
        'dual-write': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (err) {
    io.err(`guardian sim: ${(err as Error).message}\n\n${SIM_USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(SIM_USAGE);
    return 0;
  }

  let sim: SimHandle;
  let duration_s: number | undefined;
  let controlPort: number | undefined;
  try {
    const guardianDir = resolve(args['guardian-data-dir']);
    const signals = parseTiers(args.signals);
    const eas = count('--ea', args.ea, 0);
    const rate_per_s = count('--rate', args.rate, 0, false);
    duration_s = args.duration === undefined ? undefined : count('--duration', args.duration, 0, false);
    controlPort = args['control-port'] === undefined ? undefined : count('--control-port', args['control-port'], 0);
    for (const f of args.fault) parseFaultSpec(f); // refuse a bad spec before anything starts
    const pipe = args.pipe ?? (process.platform === 'win32' ? '\\\\.\\pipe\\guardian-bridge' : join(guardianDir, 'guardian-bridge.sock'));
    sim = startSim({
      eas,
      signals,
      rate_per_s,
      socket: args.socket === 'off' ? undefined : parseHostPort(args.socket),
      pipe: pipe === 'off' ? undefined : pipe,
      spool: args.spool === undefined ? undefined : resolve(args.spool),
      dataDir: resolve(args['data-dir'] ?? join(guardianDir, 'sim')),
      heartbeat_ms: args['heartbeat-ms'] === undefined ? undefined : count('--heartbeat-ms', args['heartbeat-ms'], 10),
      hmacKey: process.env[args['hmac-key-env']] || undefined,
      legacy: args.legacy,
      dualWrite: args['dual-write'],
      reject_rate: args['reject-rate'] === undefined ? undefined : count('--reject-rate', args['reject-rate'], 0, false),
      processMode: true,
      log: args.verbose ? io.out : undefined,
    });
  } catch (err) {
    io.err(`guardian sim: ${(err as Error).message}`);
    return err instanceof FaultSpecError || err instanceof UsageError ? 2 : 1;
  }

  io.out(`guardian sim: ${sim.eas.length} EA(s), ${sim.signals.map((s) => s.node_id).join(', ') || 'no signal services'}`);
  for (const f of args.fault) io.out(`fault: ${sim.inject(f)}`);
  let control;
  try {
    control = await openControlChannel(sim, { port: controlPort, stdin: io.stdin === undefined ? process.stdin : (io.stdin ?? undefined), out: io.out });
  } catch (err) {
    io.err(`guardian sim: cannot open the control port ${controlPort}: ${(err as Error).message}`);
    await sim.stop();
    return 1;
  }
  if (control.address) io.out(`control: http://${control.address} (GET /stats, POST /fault)`);

  const line = args.quiet ? undefined : setInterval(() => io.out(formatSimLine(sim.stats())), 1000);
  await new Promise<void>((done) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      io.signal?.removeEventListener('abort', finish);
      if (timer) clearTimeout(timer);
      done();
    };
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
    io.signal?.addEventListener('abort', finish, { once: true });
    if (io.signal?.aborted) finish();
    if (duration_s !== undefined) timer = setTimeout(finish, duration_s * 1000);
  });
  if (line) clearInterval(line);
  await control.close();
  await sim.stop();
  io.out(`guardian sim: stopped. ${formatSimLine(sim.stats())}`);
  return 0;
}

class UsageError extends Error {}

function count(flag: string, text: string, min: number, integer = true): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) throw new UsageError(`${flag} ${text}: expected ${integer ? 'an integer' : 'a number'} >= ${min}`);
  return v;
}

function parseTiers(text: string): SignalTier[] {
  if (text === 'none' || text === '') return [];
  const tiers = text.split(',').map((t) => t.trim());
  for (const t of tiers) if (!SIGNAL_TIERS.includes(t as SignalTier)) throw new UsageError(`--signals ${text}: '${t}' is not a tier (${SIGNAL_TIERS.join(', ')})`);
  return tiers as SignalTier[];
}

/** `host:port`, the last colon splitting (so `::1:9999` works). */
export function parseHostPort(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(':');
  const port = Number(text.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${text}: expected HOST:PORT, e.g. 127.0.0.1:9999`);
  return { host: text.slice(0, i).replace(/^\[|\]$/g, ''), port };
}

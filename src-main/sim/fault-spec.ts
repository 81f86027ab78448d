// The fault language of `guardian sim --fault` and its control channel:
//   name[:arg][@target]
// drop_socket:5000     destroy the socket connection, refuse to reconnect for 5000 ms (pipe, spool too)
// stall_pipe:3000      stop reading and writing on the pipe for 3000 ms, keeping it open
// latency_socket:200   delay everything sent on the socket by 200 ms (0 clears)
// corrupt:3            flip a byte in the next 3 data messages, after their checksum
// garbage:socket       a valid frame whose bytes are not JSON
// oversize:pipe        a length prefix of 70000
// slow_broker:2000     fills take 2000 ms longer (EAs; 0 clears)
// spike_correlation:0.95  STATUS reports that portfolio correlation (EAs)
// ignore_commands      a hung EA: it stores and ACKs every COMMAND but never acts on it, and sends no STATUS (EAs)
// kill                 the simulator process exits at once with code 137, flushing nothing
// clear                clears latency, slow broker, correlation spikes and ignored commands
// target: all (default), ea, signals, or one node id (ea-2, signal-primary).
import type { PathName } from '../../src-shared/protocol';

export type FaultTarget = 'all' | 'ea' | 'signals' | { node_id: string };

export type FaultSpec =
  | { kind: 'drop' | 'stall' | 'latency'; path: PathName; ms: number; target: FaultTarget }
  | { kind: 'garbage' | 'oversize'; path: PathName; target: FaultTarget }
  | { kind: 'corrupt'; n: number; target: FaultTarget }
  | { kind: 'slow_broker'; ms: number; target: FaultTarget }
  | { kind: 'spike_correlation'; value: number; target: FaultTarget }
  | { kind: 'ignore_commands'; target: FaultTarget }
  | { kind: 'kill' }
  | { kind: 'clear'; target: FaultTarget };

export class FaultSpecError extends Error {
  constructor(spec: string, why: string) {
    super(`fault '${spec}': ${why}. Try drop_socket:5000, stall_pipe:3000, latency_socket:200, corrupt:1, garbage:socket, oversize:socket, slow_broker:2000, spike_correlation:0.95, ignore_commands, kill, clear (optionally @ea-1, @ea, @signals)`);
    this.name = 'FaultSpecError';
  }
}

const PATHS: readonly PathName[] = ['socket', 'pipe', 'spool'];
const DEFAULT_MS = { drop: 5000, stall: 3000, latency: 100 } as const;

export function parseFaultSpec(text: string): FaultSpec {
  const spec = text.trim();
  const [body = '', targetText] = spec.split('@', 2);
  const target = parseTarget(targetText);
  const colon = body.indexOf(':');
  const name = (colon < 0 ? body : body.slice(0, colon)).toLowerCase();
  const arg = colon < 0 ? undefined : body.slice(colon + 1);
  const num = (fallback: number, min = 0): number => {
    if (arg === undefined || arg === '') return fallback;
    const v = Number(arg);
    if (!Number.isFinite(v) || v < min) throw new FaultSpecError(spec, `'${arg}' is not a number >= ${min}`);
    return v;
  };
  const path = (p: string | undefined): PathName => {
    const v = (p ?? 'socket') as PathName;
    if (!PATHS.includes(v)) throw new FaultSpecError(spec, `unknown path '${p}' (socket, pipe, spool)`);
    return v;
  };

  const timed = /^(drop|stall|latency)_(\w+)$/.exec(name);
  if (timed) {
    const kind = timed[1] as 'drop' | 'stall' | 'latency';
    return { kind, path: path(timed[2]), ms: num(DEFAULT_MS[kind]), target };
  }
  const wire = /^(garbage|oversize)(?:_(\w+))?$/.exec(name);
  if (wire) return { kind: wire[1] as 'garbage' | 'oversize', path: path(wire[2] ?? arg), target };
  switch (name) {
    case 'corrupt':
      return { kind: 'corrupt', n: Math.floor(num(1, 1)), target };
    case 'slow_broker':
      return { kind: 'slow_broker', ms: num(2000), target };
    case 'spike_correlation': {
      const value = num(0.95);
      if (value > 1) throw new FaultSpecError(spec, 'a correlation is at most 1');
      return { kind: 'spike_correlation', value, target };
    }
    case 'ignore_commands':
      return { kind: 'ignore_commands', target };
    case 'kill':
      return { kind: 'kill' };
    case 'clear':
      return { kind: 'clear', target };
    default:
      throw new FaultSpecError(spec, `unknown fault '${name}'`);
  }
}

function parseTarget(t: string | undefined): FaultTarget {
  if (t === undefined || t === '' || t === 'all') return 'all';
  if (t === 'ea' || t === 'signals') return t;
  return { node_id: t };
}

import { describe, expect, it } from 'vitest';
import { FaultSpecError, parseFaultSpec } from './fault-spec';

describe('parseFaultSpec', () => {
  it('reads timed path faults with defaults and targets', () => {
    expect(parseFaultSpec('drop_socket:5000')).toEqual({ kind: 'drop', path: 'socket', ms: 5000, target: 'all' });
    expect(parseFaultSpec('stall_pipe')).toEqual({ kind: 'stall', path: 'pipe', ms: 3000, target: 'all' });
    expect(parseFaultSpec('latency_spool:50@ea-2')).toEqual({ kind: 'latency', path: 'spool', ms: 50, target: { node_id: 'ea-2' } });
  });
  it('reads the other faults', () => {
    expect(parseFaultSpec('garbage')).toEqual({ kind: 'garbage', path: 'socket', target: 'all' });
    expect(parseFaultSpec('oversize:pipe@signals')).toEqual({ kind: 'oversize', path: 'pipe', target: 'signals' });
    expect(parseFaultSpec('garbage_pipe')).toEqual({ kind: 'garbage', path: 'pipe', target: 'all' });
    expect(parseFaultSpec('corrupt:3@ea')).toEqual({ kind: 'corrupt', n: 3, target: 'ea' });
    expect(parseFaultSpec('slow_broker:1500')).toEqual({ kind: 'slow_broker', ms: 1500, target: 'all' });
    expect(parseFaultSpec('spike_correlation')).toEqual({ kind: 'spike_correlation', value: 0.95, target: 'all' });
    expect(parseFaultSpec('ignore_commands@ea-1')).toEqual({ kind: 'ignore_commands', target: { node_id: 'ea-1' } });
    expect(parseFaultSpec(' kill ')).toEqual({ kind: 'kill' });
    expect(parseFaultSpec('clear@ea-1')).toEqual({ kind: 'clear', target: { node_id: 'ea-1' } });
  });
  it('refuses nonsense with a hint', () => {
    expect(() => parseFaultSpec('drop_modem:5')).toThrow(FaultSpecError);
    expect(() => parseFaultSpec('drop_socket:soon')).toThrow(/not a number/);
    expect(() => parseFaultSpec('explode')).toThrow(/unknown fault 'explode'.*Try drop_socket/);
    expect(() => parseFaultSpec('spike_correlation:3')).toThrow(/at most 1/);
  });
});

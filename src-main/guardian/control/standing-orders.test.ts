import { describe, expect, it } from 'vitest';
import { StandingOrders, type StandingOrderTimes } from './standing-orders';

const times: StandingOrderTimes = { confirm_ms: 2000, resend_ms: 10_000, live_ms: 5000, max_unconfirmed: 3 };

describe('StandingOrders', () => {
  it('tells again only once the EA has read the command and a STATUS taken confirm_ms later still says it trades', () => {
    const o = new StandingOrders(times);
    let acked = 0;
    o.holdSent('ea-1', 0);
    o.holdStored('ea-1', 7);
    o.observe('ea-1', 'IDLE', 500);
    expect(o.due(1000, ['ea-1'], () => acked).resend).toEqual([]); // not read yet: the outbox delivers it
    acked = 7;
    expect(o.due(12_000, ['ea-1'], () => acked).resend).toEqual([]); // read at 12 s; the STATUS of 0.5 s predates it
    o.observe('ea-1', 'IDLE', 13_000);
    expect(o.due(13_000, ['ea-1'], () => acked).resend).toEqual([]); // too soon after the read to tell
    o.observe('ea-1', 'IDLE', 14_500);
    expect(o.due(14_500, ['ea-1'], () => acked).resend).toEqual([{ ea: 'ea-1', state: 'IDLE' }]);
  });

  it('leaves alone an EA that holds (PAUSED) or is halted (HALT), and one not heard from lately', () => {
    const o = new StandingOrders(times);
    o.observe('ea-1', 'PAUSED', 0);
    o.observe('ea-2', 'HALT', 0);
    o.observe('ea-3', 'ARMED', 0);
    expect(o.due(1000, ['ea-1', 'ea-2', 'ea-3'], () => 0).resend).toEqual([{ ea: 'ea-3', state: 'ARMED' }]); // never told: at once
    expect(o.due(5001, ['ea-3'], () => 0).resend).toEqual([]); // its STATUS is stale: it is away
  });

  it('tells at most every resend_ms, reports an EA that never confirms once after max_unconfirmed commands, and starts over once it holds', () => {
    const o = new StandingOrders(times);
    let seq = 0;
    const send = (now: number) => {
      o.holdSent('ea-1', now);
      o.holdStored('ea-1', ++seq);
    };
    send(0);
    const at = (now: number, state = 'MANAGING') => {
      o.observe('ea-1', state, now);
      return o.due(now, ['ea-1'], () => seq);
    };
    at(100); // the ack is seen
    expect(at(5000).resend).toEqual([]); // confirm_ms passed, resend_ms not yet
    expect(at(10_000).resend).toHaveLength(1);
    send(10_000);
    expect(at(12_500).resend).toEqual([]);
    expect(at(20_200).resend).toHaveLength(1);
    send(20_200);
    at(20_300);
    const third = at(31_000);
    expect(third).toEqual({ resend: [], unconfirmed: [{ ea: 'ea-1', state: 'MANAGING', commands: 3 }] });
    expect(at(60_000)).toEqual({ resend: [], unconfirmed: [] }); // reported once
    at(61_000, 'PAUSED'); // it holds after all; restarts later
    expect(at(75_000, 'IDLE').resend).toHaveLength(1);
  });

  it('forgets what was owed once entries pass', () => {
    const o = new StandingOrders(times);
    o.holdSent('ea-1', 0);
    o.holdStored('ea-1', 1);
    o.clear();
    o.observe('ea-1', 'IDLE', 100);
    // A new hold episode starts from nothing: an EA never told this time is told at once.
    expect(o.due(100, ['ea-1'], () => 0).resend).toEqual([{ ea: 'ea-1', state: 'IDLE' }]);
  });
});

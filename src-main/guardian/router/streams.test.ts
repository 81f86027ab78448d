import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OutboundQueue, type OutboundFrame } from './streams';

/** A store of committed frames, as the outbox table holds them, and a queue reading it back. */
function rig(cacheLimit: number) {
  const stored = new Map<number, Uint8Array>();
  const loads: number[] = [];
  const q = new OutboundQueue({ nextSeq: 1, ackedSeq: 0 }, (after, limit) => {
    loads.push(after);
    const out: OutboundFrame[] = [];
    for (let s = after + 1; out.length < limit && stored.has(s); s++) out.push({ seq: s, frame: stored.get(s)! });
    return out;
  }, cacheLimit);
  const commit = (n: number) => {
    const frames: OutboundFrame[] = [];
    for (let i = 0; i < n; i++) {
      const seq = q.allocate();
      const frame = Uint8Array.of(seq & 0xff);
      stored.set(seq, frame);
      frames.push({ seq, frame });
    }
    q.commit(frames);
  };
  return { q, commit, loads };
}

describe('OutboundQueue', () => {
  it('holds back from a frame being rewritten, then sends the new one in its place', () => {
    const { q, commit } = rig(8);
    commit(5);
    q.holdFrom = 3;
    expect(q.take(64).map((f) => f.seq)).toEqual([1, 2]);
    q.replace(3, Uint8Array.of(99));
    q.holdFrom = null;
    expect(q.take(64).map((f) => [f.seq, f.frame[0]])).toEqual([[3, 99], [4, 4], [5, 5]]);
  });

  it('sends a backlog far larger than its cache, in order, from the cache and then the store', () => {
    const { q, commit, loads } = rig(8);
    commit(50);
    const seqs: number[] = [];
    for (let round = 0; round < 20 && q.acked < 50; round++) {
      const frames = q.take(6);
      seqs.push(...frames.map((f) => f.seq));
      q.ack(q.sent, round);
    }
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(loads.length).toBeGreaterThan(0); // the part past the cache came from the store
  });

  it('never stops short of its window while committed frames wait, whatever the order of commits, acks, takes and rewinds', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('commit' as const), n: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('take' as const), window: fc.integer({ min: 1, max: 30 }) }),
      fc.record({ kind: fc.constant('ack' as const), frac: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ kind: fc.constant('rewind' as const) }),
    );
    fc.assert(fc.property(fc.integer({ min: 1, max: 16 }), fc.array(op, { maxLength: 200 }), (cacheLimit, ops) => {
      const { q, commit } = rig(cacheLimit);
      let delivered = 0; // the receiver's in-order mark
      for (const o of ops) {
        if (o.kind === 'commit') commit(o.n);
        else if (o.kind === 'rewind') q.rewind();
        else if (o.kind === 'ack') q.ack(q.acked + Math.floor((delivered - q.acked) * o.frac), 0);
        else {
          const before = q.sent;
          const frames = q.take(o.window);
          const due = Math.min(q.committed, q.acked + o.window) - before;
          expect(frames.length).toBe(Math.max(0, due));
          frames.forEach((f, i) => {
            expect(f.seq).toBe(before + 1 + i);
            expect(f.frame[0]).toBe(f.seq & 0xff);
          });
          if (frames.length > 0 && before <= delivered) delivered = Math.max(delivered, before + frames.length);
        }
      }
    }), { numRuns: 300 });
  });
});

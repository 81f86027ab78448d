import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { BreakerBoard, type BoardChange } from './index';

function setup() {
  const clock = new ManualClock();
  const seen: BoardChange[] = [];
  const board = new BreakerBoard({ clock });
  board.onChange((c) => seen.push(c));
  return { clock, board, seen };
}

describe('BreakerBoard', () => {
  it('keeps one breaker per dependency, classifying what it is told', () => {
    const { clock, board, seen } = setup();
    for (let i = 0; i < 3; i++) {
      board.failure('path:socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
      clock.advance(1_000);
    }
    expect(board.get('path:socket').state).toBe('OPEN');
    expect(board.get('path:pipe').state).toBe('CLOSED');
    expect(board.acquire('path:socket')).toBe(false);
    expect(board.acquire('path:pipe')).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ dependency: 'path:socket', to: 'OPEN', reason: 'PEER_GONE' });
  });

  it('lets exactly one caller through half-open, and closes on its success', () => {
    const { clock, board, seen } = setup();
    for (const _ of [1, 2, 3]) board.failure('signal:primary', 'ETIMEDOUT');
    clock.advance(60_000);
    expect(board.canAttempt('signal:primary')).toBe(true);
    expect(board.acquire('signal:primary')).toBe(true);
    expect(board.acquire('signal:primary')).toBe(false);
    board.success('signal:primary');
    expect(board.get('signal:primary').state).toBe('CLOSED');
    expect(seen.map((c) => c.to)).toEqual(['OPEN', 'HALF_OPEN', 'CLOSED']);
  });

  it('reports open -> half-open on tick, for every dependency', () => {
    const { clock, board } = setup();
    for (const dep of ['broker', 'path:pipe']) for (const _ of [1, 2, 3]) board.failure(dep, 'ECONNREFUSED');
    clock.advance(60_000);
    expect(board.tick().map((c) => `${c.dependency}:${c.to}`)).toEqual(['broker:HALF_OPEN', 'path:pipe:HALF_OPEN']);
  });

  it('halts on an auth failure until cleared by an operator', () => {
    const { clock, board } = setup();
    expect(board.failure('path:socket', { reason: 'AUTH_FAILED' }).failure.reason).toBe('AUTH_HALT');
    clock.advance(24 * 3600_000);
    expect(board.acquire('path:socket')).toBe(false);
    board.clear('path:socket', 'alice', 'new key deployed');
    expect(board.acquire('path:socket')).toBe(true);
  });

  it('survives a restart: saved as JSON, restored on a new monotonic clock with the downtime counted', () => {
    const { clock, board } = setup(); // wall 2026-01-05 08:00:00
    for (const _ of [1, 2, 3]) board.failure('broker', 'ECONNREFUSED'); // open until now + 60 s
    const saved = JSON.parse(JSON.stringify(board.snapshot()));
    // A new process: its monotonic clock starts near 0, 45 s of wall time later.
    const later = new ManualClock({ now_ms: 500, wall_ms: clock.wall_ms() + 45_000 });
    const restored = BreakerBoard.restore(saved, { clock: later });
    expect(restored.get('broker').open_until_ms).toBe(500 + 15_000);
    later.advance(14_999);
    expect(restored.canAttempt('broker')).toBe(false);
    later.advance(1);
    expect(restored.canAttempt('broker')).toBe(true);
  });
});

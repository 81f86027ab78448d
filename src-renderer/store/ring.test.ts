import { describe, expect, it } from 'vitest';
import { RingBuffer, downsample } from './ring';
import { historyCapacity, HISTORY_WINDOW_S } from './history';

describe('RingBuffer', () => {
  it('keeps the newest `capacity` values, oldest first', () => {
    const r = new RingBuffer(3);
    expect(r.length).toBe(0);
    expect(Number.isNaN(r.last())).toBe(true);
    r.push(1); r.push(2);
    expect(r.toArray()).toEqual([1, 2]);
    r.push(3); r.push(4); r.push(5);
    expect(r.length).toBe(3);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.at(0)).toBe(3);
    expect(r.last()).toBe(5);
    expect(Number.isNaN(r.at(3))).toBe(true);
  });

  it('stores a missing value as a gap (NaN), not a zero', () => {
    const r = new RingBuffer(4);
    r.push(1); r.push(null); r.push(undefined); r.push(4);
    const a = r.toArray();
    expect(a[0]).toBe(1);
    expect(Number.isNaN(a[1]!)).toBe(true);
    expect(Number.isNaN(a[2]!)).toBe(true);
    expect(a[3]).toBe(4);
  });

  it('wraps many times without drift', () => {
    const r = new RingBuffer(5);
    for (let i = 0; i < 10_003; i++) r.push(i);
    expect(r.toArray()).toEqual([9998, 9999, 10000, 10001, 10002]);
    r.clear();
    expect(r.length).toBe(0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow();
    expect(() => new RingBuffer(2.5)).toThrow();
  });

  it('is sized for 15 minutes at the pulse rate', () => {
    expect(HISTORY_WINDOW_S).toBe(900);
    expect(historyCapacity(250)).toBe(3600);
    expect(historyCapacity(1000)).toBe(900);
  });
});

describe('downsample', () => {
  it('averages buckets down to the requested number of points, skipping gaps', () => {
    const r = new RingBuffer(3600);
    for (let i = 0; i < 3600; i++) r.push(i % 2 === 0 ? 10 : null);
    const d = downsample(r, 120);
    expect(d).toHaveLength(120);
    expect(d.every((v) => v === 10)).toBe(true);
  });

  it('returns everything when there are fewer values than points', () => {
    const r = new RingBuffer(10);
    r.push(1); r.push(2);
    expect(downsample(r, 120)).toEqual([1, 2]);
  });
});

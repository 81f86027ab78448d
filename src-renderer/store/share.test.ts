import { describe, expect, it } from 'vitest';
import { replaceEqualDeep } from './share';

describe('replaceEqualDeep', () => {
  it('returns the previous object when nothing changed', () => {
    const prev = { a: 1, b: { c: [1, 2, { d: 'x' }] } };
    expect(replaceEqualDeep(prev, structuredClone(prev))).toBe(prev);
  });

  it('shares the unchanged branches of a changed object', () => {
    const prev = { a: { x: 1 }, b: { y: 2 }, list: [{ k: 1 }, { k: 2 }] };
    const next = { a: { x: 1 }, b: { y: 3 }, list: [{ k: 1 }, { k: 5 }] };
    const out = replaceEqualDeep(prev, next);
    expect(out).not.toBe(prev);
    expect(out.a).toBe(prev.a);
    expect(out.b).toEqual({ y: 3 });
    expect(out.list[0]).toBe(prev.list[0]);
    expect(out.list[1]).toEqual({ k: 5 });
  });

  it('notices added and removed keys', () => {
    const prev: Record<string, number> = { a: 1 };
    expect(replaceEqualDeep(prev, { a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
    expect(replaceEqualDeep({ a: 1, b: 2 } as Record<string, number>, { a: 1 })).toEqual({ a: 1 });
  });
});

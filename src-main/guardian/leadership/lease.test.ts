import { describe, expect, it } from 'vitest';
import { decideLease, type LeaseRow } from './lease';

const row = (o: Partial<LeaseRow> = {}): LeaseRow => ({ holder: 'a', token: 4, host: 'ws', pid: 10, acquired_ms: 0, renewed_ms: 1000, expires_ms: 2000, ...o });

describe('decideLease', () => {
  it('takes token 1 when there is no lease yet', () => {
    expect(decideLease(undefined, { holder: 'b', token: null }, 0)).toEqual({ action: 'acquire', token: 1, why: 'no lease yet' });
  });

  it('waits while another holder has a live lease, even one about to end', () => {
    expect(decideLease(row(), { holder: 'b', token: null }, 1999)).toEqual({ action: 'wait', holder: 'a', token: 4, expires_ms: 2000 });
    expect(decideLease(row(), { holder: 'b', token: null }, 1999, true).action).toBe('wait');
    expect(decideLease(row(), { holder: 'b', token: null }, 1999, undefined).action).toBe('wait');
  });

  it('takes an expired lease with the next token, and says whose it was', () => {
    const d = decideLease(row(), { holder: 'b', token: null }, 2000);
    expect(d).toMatchObject({ action: 'acquire', token: 5 });
    expect(d.action === 'acquire' && d.why).toContain('lease of a (token 4) expired 0 ms ago');
  });

  it('takes a live lease at once when the holder process is gone', () => {
    const d = decideLease(row(), { holder: 'b', token: null }, 1500, false);
    expect(d).toMatchObject({ action: 'acquire', token: 5 });
    expect(d.action === 'acquire' && d.why).toContain('pid 10');
  });

  it('takes a released lease at once and says it was released', () => {
    const d = decideLease(row({ renewed_ms: 1200, expires_ms: 1200 }), { holder: 'b', token: null }, 1300);
    expect(d).toMatchObject({ action: 'acquire', token: 5, why: 'a released the lease' });
  });

  it('renews its own lease, even past expiry when nobody took it', () => {
    expect(decideLease(row(), { holder: 'a', token: 4 }, 1500)).toEqual({ action: 'renew', token: 4 });
    expect(decideLease(row(), { holder: 'a', token: 4 }, 9000)).toEqual({ action: 'renew', token: 4 });
  });

  it('has lost when the row holds another token, whatever the time', () => {
    expect(decideLease(row({ holder: 'b', token: 5 }), { holder: 'a', token: 4 }, 0)).toEqual({ action: 'lost', holder: 'b', token: 5, mine: 4 });
    // a holder id reused with a newer token is still not mine
    expect(decideLease(row({ token: 5 }), { holder: 'a', token: 4 }, 0).action).toBe('lost');
    expect(decideLease(undefined, { holder: 'a', token: 4 }, 0).action).toBe('lost');
  });

  it('never hands out a token twice: each acquisition is the stored token + 1', () => {
    let r: LeaseRow | undefined;
    const tokens: number[] = [];
    for (let i = 0; i < 5; i++) {
      const d = decideLease(r, { holder: `h${i}`, token: null }, i * 10_000);
      if (d.action !== 'acquire') throw new Error(`expected acquire, got ${d.action}`);
      tokens.push(d.token);
      r = row({ holder: `h${i}`, token: d.token, renewed_ms: i * 10_000, expires_ms: i * 10_000 + 1000 });
    }
    expect(tokens).toEqual([1, 2, 3, 4, 5]);
  });
});

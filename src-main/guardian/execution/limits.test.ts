// config/pretrade.yaml errors name the file, the line, the key and what to fix.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config';
import { parsePretradeLimits } from './limits';

const message = (text: string): string => {
  try {
    parsePretradeLimits(text, 'pretrade.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('config/pretrade.yaml validation', () => {
  it('a minimal file takes every default', () => {
    const l = parsePretradeLimits('version: 1\n', 'pretrade.yaml');
    expect(l).toMatchObject({ enabled: true, bar_s: 60, order_size: { max_lots_per_order: 5 }, rate: { orders_per_min: 60 }, cancel_loop: { block_bars: 5 }, command_timeout_s: 10 });
  });
  it('a value out of range, with its line', () => {
    expect(message('version: 1\nrate:\n  orders_per_min: 0\n')).toBe('pretrade.yaml:3: rate.orders_per_min must be >= 1');
  });
  it('an unknown key (a typo)', () => {
    expect(message('version: 1\nprice_colar:\n  max_distance_pct: 1\n')).toBe('pretrade.yaml:3: price_colar is not a known key (a typo? see the schema for the allowed keys)');
  });
  it('a wrong type', () => {
    expect(message('version: 1\nenabled: yes please\n')).toBe('pretrade.yaml:2: enabled must be boolean');
  });
  it('a cross-field rule', () => {
    expect(message('version: 1\norder_size:\n  max_lots_per_order: 20\n  max_lots_per_symbol: 10\n')).toMatch(/^pretrade.yaml: order_size.max_lots_per_order \(20\) must not exceed order_size.max_lots_per_symbol \(10\)/);
  });
});

import { describe, expect, it } from 'vitest';
import { CONSTRAINT_VARIABLES, CONSTRAINT_VARIABLE_INDEX, parse } from './index';

describe('the variable catalogue', () => {
  it('names each variable once, as a plain DSL name', () => {
    const names = CONSTRAINT_VARIABLES.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(parse(name), name).toMatchObject({ kind: 'variable', name });
  });

  it('says the unit in the name where the name has a unit suffix', () => {
    const suffixes: Record<string, string> = { _ms: 'ms', _pct: 'pct', _bps: 'bps', _pips: 'pips', _s: 's' };
    for (const v of CONSTRAINT_VARIABLES) {
      const base = v.name.split('.')[0] ?? v.name;
      const suffix = Object.keys(suffixes).find((s) => base.endsWith(s));
      if (suffix !== undefined) expect(v.unit, v.name).toBe(suffixes[suffix]);
      expect(v.description.length, v.name).toBeGreaterThan(10);
    }
  });

  it('lays out a frozen index in catalogue order', () => {
    expect(CONSTRAINT_VARIABLE_INDEX.frozen).toBe(true);
    expect(CONSTRAINT_VARIABLE_INDEX.names).toEqual(CONSTRAINT_VARIABLES.map((v) => v.name));
    expect(() => CONSTRAINT_VARIABLE_INDEX.add('not_in_the_catalogue')).toThrow('frozen');
  });
});

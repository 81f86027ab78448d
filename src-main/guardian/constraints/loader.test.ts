import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConstraintConfigError, CONSTRAINT_VARIABLES, GATE_NAMES, defineConstraints, loadConstraints, parseConstraints } from './index';
import type { ConstraintIssue } from './index';

const CONFIG = fileURLToPath(new URL('../../../config/constraints.yaml', import.meta.url));

function issuesOf(text: string): ConstraintIssue[] {
  try {
    parseConstraints(text, 'config/constraints.yaml');
  } catch (error) {
    if (error instanceof ConstraintConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the text to be refused');
}

function messageOf(text: string): string {
  try {
    parseConstraints(text, 'config/constraints.yaml');
  } catch (error) {
    if (error instanceof ConstraintConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the text to be refused');
}

const one = (fields: string): string => `version: 1
constraints:
  - id: spread_vs_normal
    gate: market_quality
    severity: warning
    description: The spread is normal.
${fields}`;

describe('config/constraints.yaml', () => {
  const definitions = loadConstraints(CONFIG);

  it('holds at least 40 constraints across the four gates', () => {
    expect(definitions.length).toBeGreaterThanOrEqual(40);
    for (const gate of GATE_NAMES) expect(definitions.filter((d) => d.gate === gate).length, gate).toBeGreaterThanOrEqual(6);
    expect(definitions.some((d) => d.severity === 'critical')).toBe(true);
    expect(definitions.some((d) => d.severity === 'warning')).toBe(true);
  });

  it('holds the seed constraints of DESIGN.md', () => {
    const byCondition = (condition: string) => definitions.find((d) => d.condition === condition);
    expect(byCondition('spread_pips < normal_spread_pips * 2.0')).toMatchObject({ gate: 'market_quality' });
    expect(byCondition('portfolio_correlation < 0.7')).toMatchObject({ gate: 'risk_management', severity: 'critical' });
    expect(byCondition('bridge_latency_ms < p95_bridge_latency_ms * 1.25')).toMatchObject({ gate: 'broker_connectivity' });
  });

  it('uses every catalogue variable, so the pulse supplies nothing in vain', () => {
    const used = new Set(definitions.flatMap((d) => d.compiled.variables));
    expect(CONSTRAINT_VARIABLES.map((v) => v.name).filter((name) => !used.has(name))).toEqual([]);
  });

  it('gives every constraint a next step and its origin line', () => {
    for (const d of definitions) {
      expect(d.next_step, d.id).toBeTruthy();
      expect(d.origin?.line, d.id).toBeGreaterThan(0);
    }
  });
});

describe('refusals name the file, line, constraint, key and fix', () => {
  it('a bad condition, with its column', () => {
    const text = one('    condition: spread_pips < 2.0)');
    expect(messageOf(text)).toBe(
      "config/constraints.yaml:7 constraint 'spread_vs_normal' condition: unexpected ')' at column 18 (no '(' is open here)\n" +
        '    spread_pips < 2.0)\n' +
        '                     ^',
    );
    expect(issuesOf(text)[0]).toMatchObject({ line: 7, column: 33, key: 'condition', constraint_id: 'spread_vs_normal' });
  });

  it('maps a position inside a quoted condition to the file column', () => {
    expect(issuesOf(one('    condition: "spread_pips <> 2"'))[0]).toMatchObject({ line: 7, column: 30 });
  });

  it('maps a position inside a literal block to its line', () => {
    const text = one('    condition: |\n      spread_pips < 2 and\n      cpu_pct < (90\n');
    expect(issuesOf(text)[0]).toMatchObject({ line: 9, key: 'condition' });
  });

  it('an unknown variable, by name and constraint, with a suggestion', () => {
    expect(messageOf(one('    condition: sprad_pips < 2'))).toContain(
      "config/constraints.yaml:7 constraint 'spread_vs_normal' condition: unknown variable 'sprad_pips' at column 1 (did you mean 'spread_pips'?)",
    );
    expect(messageOf(one('    condition: spread_pips < 2 and wobble_factor > 1'))).toContain("unknown variable 'wobble_factor'");
  });

  it('a condition that reads no variable', () => {
    expect(messageOf(one('    condition: 1 < 2'))).toContain('reads no variable');
  });

  it('a number where a condition belongs', () => {
    expect(messageOf(one('    condition: spread_pips * 2'))).toContain('expected a condition');
  });

  it('duplicate ids', () => {
    const text = `${one('    condition: spread_pips < 2')}
  - id: spread_vs_normal
    gate: market_quality
    severity: critical
    condition: spread_pips < 4
    description: Again.
`;
    expect(messageOf(text)).toBe(
      "config/constraints.yaml:8 constraint 'spread_vs_normal' id: duplicate id: already defined at line 3 (ids must be unique)",
    );
  });

  it('schema problems, each at its line, with suggestions', () => {
    const text = `version: 1
constraints:
  - id: Spread
    gate: market_qualty
    severity: warn
    condition: spread_pips < 2
    description: x
    nxt_step: y
    filters:
      sessions: [london, tokyo]
  - gate: system_health
    severity: warning
    condition: cpu_pct < 90
    description: y
`;
    const lines = messageOf(text).split('\n');
    expect(lines).toEqual([
      `config/constraints.yaml:3 constraint 'Spread' id: "Spread" is not a valid id (use lower_snake_case: a letter, then letters, digits or _)`,
      `config/constraints.yaml:4 constraint 'Spread' gate: must be one of market_quality, risk_management, system_health, broker_connectivity, not "market_qualty" (did you mean 'market_quality'?)`,
      `config/constraints.yaml:5 constraint 'Spread' severity: must be one of warning, critical, not "warn" (did you mean 'warning'?)`,
      `config/constraints.yaml:8 constraint 'Spread' nxt_step: unknown key 'nxt_step' (did you mean 'next_step'?)`,
      `config/constraints.yaml:10 constraint 'Spread' filters.sessions.1: must be one of sydney, asia, london, new_york, not "tokyo"`,
      `config/constraints.yaml:11 constraint '#2' id: is missing (this key is required)`,
    ]);
  });

  it('YAML syntax errors', () => {
    expect(issuesOf('version: 1\nconstraints:\n  - id: [unclosed\n')[0]).toMatchObject({ line: expect.any(Number) as number });
    expect(messageOf('version: 1\nconstraints:\n  - id: a\n    id: b\n')).toContain('not valid YAML');
  });

  it('an empty file, a wrong version, a missing list', () => {
    expect(messageOf('')).toContain('the file is empty');
    expect(messageOf('version: 2\nconstraints: []\n')).toContain('version: must be 1');
    expect(messageOf('version: 1\n')).toContain('constraints: is missing');
  });

  it('a file that cannot be read', () => {
    expect(() => loadConstraints('/nonexistent/constraints.yaml')).toThrow("/nonexistent/constraints.yaml: cannot read the file (ENOENT)");
  });
});

describe('defineConstraints (constraints from elsewhere, e.g. the repository)', () => {
  it('validates and compiles specs', () => {
    const [d] = defineConstraints([
      { id: 'cpu', gate: 'system_health', severity: 'warning', condition: 'cpu_pct < 90', description: 'CPU', filters: { symbols: ['eurusd'] } },
    ]);
    expect(d?.compiled.evaluate({ cpu_pct: 50 })).toBe('pass');
    expect(d?.filters?.symbols).toEqual(['EURUSD']);
  });

  it('refuses bad specs, listing every problem', () => {
    expect(() =>
      defineConstraints([
        { id: 'cpu', gate: 'system_health', severity: 'bad', condition: 'cpu_pct < 90', description: 'CPU' },
        { id: 'cpu', gate: 'system_health', severity: 'warning', condition: 'cpu_pct <', description: 'CPU' },
      ]),
    ).toThrow(
      "constraint 'cpu' severity: must be one of warning, critical, not \"bad\"\nconstraint 'cpu' id: duplicate id: already defined at entry 1 (ids must be unique)",
    );
  });
});

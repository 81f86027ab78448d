import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { DslError } from './errors';
import { explainCondition } from './explain';
import { VariableIndex } from './slots';

const status = (source: string, input: Record<string, unknown> = {}): string => compile(source).evaluate(input);
const value = (source: string, input: Record<string, unknown> = {}): number | undefined =>
  compile(source, { expect: 'number' }).evaluateNumber(input);

describe('evaluation', () => {
  it('the seed constraints of DESIGN.md', () => {
    expect(status('spread < normal_spread * 2.0', { spread: 1.2, normal_spread: 1.4 })).toBe('pass');
    expect(status('spread < normal_spread * 2.0', { spread: 3.4, normal_spread: 1.4 })).toBe('fail');
    expect(status('portfolio_correlation < 0.7', { portfolio_correlation: 0.7 })).toBe('fail');
    expect(status('bridge_latency_ms < p95_bridge_latency_ms * 1.25', { bridge_latency_ms: 60, p95_bridge_latency_ms: 50 })).toBe('pass');
  });

  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 / 4', 2.5],
    ['-2 * -3', 6],
    ['2 - -3', 5],
    ['abs(-1.5)', 1.5],
    ['min(3, 1, 2)', 1],
    ['max(3, 1, 2)', 3],
    ['1e3 / 2.5e1', 40],
    ['a * 2 + b', 7],
    ['a - b', -1],
    ['b / a', 1.5],
    ['-a', -2],
    ['min(a, b)', 2],
    ['max(a, b, 1)', 3],
  ])('%s = %d', (source, expected) => {
    expect(value(source, { a: 2, b: 3 })).toBe(expected);
  });

  it.each([
    ['a < 3', 'pass'],
    ['a <= 2', 'pass'],
    ['a > 2', 'fail'],
    ['a >= 2', 'pass'],
    ['a == 2', 'pass'],
    ['a != 2', 'fail'],
    ['3 > a', 'pass'],
    ['2 == a', 'pass'],
    ['a < b', 'pass'],
    ['b == a + 1', 'pass'],
    ['(a < b) == (b < a)', 'fail'],
    ['(a < b) != (b < a)', 'pass'],
    ['true', 'pass'],
    ['false or a == 2', 'pass'],
    ['not (a == 2)', 'fail'],
  ])('%s is %s', (source, expected) => {
    expect(status(source, { a: 2, b: 3 })).toBe(expected);
  });

  it('reads booleans in the context as 1 and 0', () => {
    expect(status('db_ok == 1', { db_ok: true })).toBe('pass');
    expect(status('db_ok == 1', { db_ok: false })).toBe('fail');
  });
});

describe('unknown: missing is never pass', () => {
  it.each([
    [{}],
    [{ x: undefined }],
    [{ x: null }],
    [{ x: Number.NaN }],
    [{ x: Number.POSITIVE_INFINITY }],
    [{ x: Number.NEGATIVE_INFINITY }],
    [{ x: '1' }],
    [{ x: {} }],
  ])('x from %j', (input) => {
    for (const source of ['x < 1', 'x > 1', 'x == 1', 'x != 1', 'x < x + 1', 'abs(x) >= 0', 'min(x, 1) <= 1', '-x < 0']) {
      expect(status(source, input), source).toBe('unknown');
    }
  });

  it('three-valued logic', () => {
    const u = 'x < 1'; // unknown: x is missing
    expect(status(`${u} and 1 > 2`)).toBe('fail');
    expect(status(`1 > 2 and ${u}`)).toBe('fail');
    expect(status(`${u} and 1 < 2`)).toBe('unknown');
    expect(status(`${u} or 1 < 2`)).toBe('pass');
    expect(status(`1 < 2 or ${u}`)).toBe('pass');
    expect(status(`${u} or 1 > 2`)).toBe('unknown');
    expect(status(`not ${u}`)).toBe('unknown');
    expect(status(`not (${u})`)).toBe('unknown');
    expect(status(`(${u}) == true`)).toBe('unknown');
  });

  it('division by zero, and a result too large for a number, are unknown', () => {
    expect(status('a / b < 1', { a: 1, b: 0 })).toBe('unknown');
    expect(status('a / 0 < 1', { a: 1 })).toBe('unknown');
    expect(status('1 / (a - a) > 0', { a: 5 })).toBe('unknown');
    expect(status('a * a > 0', { a: 1e200 })).toBe('unknown');
    expect(status('1e308 * 10 > 0')).toBe('unknown');
    expect(value('a / b', { a: 1, b: 0 })).toBeUndefined();
  });

  it('never walks prototypes or nested objects', () => {
    expect(status('toString == 0')).toBe('unknown');
    expect(status('hasOwnProperty < 1')).toBe('unknown');
    const inherited = Object.create({ x: 0 }) as Record<string, unknown>;
    expect(status('x == 0', inherited)).toBe('unknown');
    expect(status('signal_age_s.primary < 30', { signal_age_s: { primary: 3 } })).toBe('unknown');
    expect(status('signal_age_s.primary < 30', { 'signal_age_s.primary': 3 })).toBe('pass');
  });
});

describe('inputs', () => {
  it('takes a Map or any { get(name) } context', () => {
    const condition = compile('spread_pips < 2 and signal_age_s.primary < 30');
    expect(condition.evaluate(new Map<string, number>([['spread_pips', 1], ['signal_age_s.primary', 3]]))).toBe('pass');
    expect(condition.evaluate({ get: (name: string) => (name === 'spread_pips' ? 1 : undefined) } as never)).toBe('unknown');
  });

  it('treats a plain record that has a "get" key as a record', () => {
    expect(compile('get < 1').evaluate({ get: 0 })).toBe('pass');
  });

  it('evaluates frames from a shared index', () => {
    const index = new VariableIndex();
    const a = compile('spread_pips < 2', { index });
    const b = compile('cpu_pct < 90 and spread_pips > 0', { index });
    expect(index.names).toEqual(['spread_pips', 'cpu_pct']);
    const frame = index.frameFrom({ spread_pips: 1, cpu_pct: 95 });
    expect(a.evaluateFrame(frame)).toBe('pass');
    expect(b.evaluateFrame(frame)).toBe('fail');
    index.set(frame, 'cpu_pct', Number.POSITIVE_INFINITY);
    expect(b.evaluateFrame(frame)).toBe('unknown');
    expect(index.get(frame, 'cpu_pct')).toBeUndefined();
    expect(b.evaluateFrameValue(frame)).toBeNaN();
  });

  it('reads a frame too short for a later variable as missing', () => {
    const index = new VariableIndex(['a']);
    const frame = index.frameFrom({ a: 1 });
    const later = compile('b == 0 or a != 1', { index });
    expect(later.evaluateFrame(frame)).toBe('unknown');
  });

  it('reads raw non-finite values written straight into a frame as missing', () => {
    const condition = compile('x < 1 and x + 1 > 0');
    const frame = new Float64Array([Number.NEGATIVE_INFINITY]);
    expect(condition.evaluateFrame(frame)).toBe('unknown');
  });

  it('refuses a name a frozen index does not hold, with a suggestion', () => {
    const index = new VariableIndex(['spread_pips', 'cpu_pct'], { frozen: true });
    expect(() => compile('sprad_pips < 1', { index })).toThrow(DslError);
    let caught: unknown;
    try {
      compile('cpu_pct < 90 and sprad_pips < 1', { index });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DslError);
    expect(caught).toMatchObject({ position: 17, hint: "did you mean 'spread_pips'?" });
  });
});

describe('what a compiled condition tells about itself', () => {
  it('lists its variables once, in order of appearance', () => {
    expect(compile('b < a and a < c * b').variables).toEqual(['b', 'a', 'c']);
  });

  it('gives both sides of a top-level comparison', () => {
    const condition = compile('spread_pips < normal_spread_pips * 2.0');
    expect(condition.comparison).toMatchObject({ op: '<', leftText: 'spread_pips', rightText: 'normal_spread_pips * 2.0' });
    expect(condition.sides({ spread_pips: 3.4, normal_spread_pips: 1.4 })).toEqual({ left: 3.4, right: 2.8 });
    expect(condition.sides({ spread_pips: 3.4 })).toEqual({ left: 3.4, right: undefined });
    expect(condition.missing({ spread_pips: 3.4 })).toEqual(['normal_spread_pips']);
    expect(compile('a < 1 and b < 2').comparison).toBeUndefined();
  });

  it('explains which clauses failed', () => {
    const condition = compile('broker_connected == 1 and ea_state_code != 4 and rtt < 100');
    const report = explainCondition(condition, { broker_connected: 0, ea_state_code: 4, rtt: 50 });
    expect(report.status).toBe('fail');
    expect(report.clauses.map((c) => c.text)).toEqual(['broker_connected == 1', 'ea_state_code != 4']);
    expect(report.clauses[0]).toMatchObject({ op: '==', measured: { text: 'broker_connected', value: 0 }, limit: { text: '1', value: 1 } });
  });

  it('puts the measured side first even when written second', () => {
    const report = explainCondition(compile('0.7 > portfolio_correlation'), { portfolio_correlation: 0.8 });
    expect(report.clauses[0]).toMatchObject({ op: '<', measured: { text: 'portfolio_correlation', value: 0.8 }, limit: { value: 0.7 } });
  });

  it('explains unknown by the missing names', () => {
    const report = explainCondition(compile('a < 1 or b < 1'), { a: 5 });
    expect(report).toMatchObject({ status: 'unknown', missing: ['b'] });
    expect(report.clauses.map((c) => c.text)).toEqual(['b < 1']);
  });
});

describe('types', () => {
  it.each([
    ['spread_pips and a < 1', "'and' needs a condition"],
    ['not spread_pips', "'not' needs a condition"],
    ['(a < 1) + 1', "'+' needs a number"],
    ['-(a < 1) < 0', "unary '-' needs a number"],
    ['abs(a < 1)', 'abs() needs a number'],
    ['(a < 1) < 2', "'<' needs a number"],
    ['(a < 1) == 1', "'==' with a condition (true/false) on its left needs a condition"],
    ['1 == (a < 1)', "'==' with a number on its left needs a number"],
    ['a + 1', 'expected a condition'],
  ])('%s is refused: %s', (source, message) => {
    expect(() => compile(source)).toThrow(message);
  });

  it('compiles a numeric expression on request', () => {
    expect(compile('a * 2', { expect: 'number' }).type).toBe('number');
    expect(() => compile('a < 2', { expect: 'number' })).toThrow('expected a number');
    expect(compile('a < 2', { expect: 'any' }).type).toBe('boolean');
  });
});

import { describe, expect, it } from 'vitest';
import type { Expr } from './ast';
import { DslError } from './errors';
import { MAX_DEPTH, parse } from './parser';
import { print } from './print';

function errorOf(source: string): DslError {
  try {
    parse(source);
  } catch (error) {
    if (error instanceof DslError) return error;
    throw error;
  }
  throw new Error(`expected '${source}' to be refused`);
}

/** Fully bracketed form, to read precedence off the tree. */
function shape(expr: Expr): string {
  switch (expr.kind) {
    case 'number':
      return String(expr.value);
    case 'boolean':
      return String(expr.value);
    case 'variable':
      return expr.name;
    case 'negate':
      return `(-${shape(expr.operand)})`;
    case 'not':
      return `(not ${shape(expr.operand)})`;
    case 'call':
      return `${expr.fn}(${expr.args.map(shape).join(', ')})`;
    default:
      return `(${shape(expr.left)} ${expr.op} ${shape(expr.right)})`;
  }
}

describe('parse: what it accepts', () => {
  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['a - b - c', '((a - b) - c)'],
    ['a / b / c', '((a / b) / c)'],
    ['-a * b', '((-a) * b)'],
    ['- -a', '(-(-a))'],
    ['a < b and c > d or e == f', '(((a < b) and (c > d)) or (e == f))'],
    ['a < b or c < d and e < f', '((a < b) or ((c < d) and (e < f)))'],
    ['not a < b', '(not (a < b))'],
    ['not not a >= 1', '(not (not (a >= 1)))'],
    ['a + 1 <= b * 2', '((a + 1) <= (b * 2))'],
    ['x != 0', '(x != 0)'],
    ['true and false', '(true and false)'],
    ['abs(a - b) < max(1, c, d) and min(e, 2) > 0', '((abs((a - b)) < max(1, c, d)) and (min(e, 2) > 0))'],
  ])('%s', (source, expected) => {
    expect(shape(parse(source))).toBe(expected);
  });

  it.each([
    ['12', 12],
    ['1.25', 1.25],
    ['.5', 0.5],
    ['1e3', 1000],
    ['2.5E-2', 0.025],
    ['1e+2', 100],
    ['007', 7],
  ])('reads the number %s', (source, value) => {
    expect(parse(source)).toMatchObject({ kind: 'number', value });
  });

  it('reads dotted names whole', () => {
    expect(parse('signal_age_s.primary')).toMatchObject({ kind: 'variable', name: 'signal_age_s.primary' });
    expect(parse('market.spread.p95_ms')).toMatchObject({ kind: 'variable', name: 'market.spread.p95_ms' });
    expect(parse('_private')).toMatchObject({ kind: 'variable', name: '_private' });
  });

  it('keeps spans that quote the source, without grouping brackets', () => {
    const source = 'spread_pips < (normal_spread_pips * 2.0)';
    const ast = parse(source);
    if (ast.kind !== 'compare') throw new Error('expected a comparison');
    expect(source.slice(ast.left.start, ast.left.end)).toBe('spread_pips');
    expect(source.slice(ast.right.start, ast.right.end)).toBe('normal_spread_pips * 2.0');
  });

  it('spans lines and tabs', () => {
    expect(shape(parse('a < 1\n\tand\r\n b > 2'))).toBe('((a < 1) and (b > 2))');
  });

  it('prints back with only the brackets it needs', () => {
    expect(print(parse('((a + b)) * (c) < (d - (e - f))'))).toBe('(a + b) * c < d - (e - f)');
    expect(print(parse('not (a < 1 and b < 2) or (c < 3 or d < 4)'))).toBe('not (a < 1 and b < 2) or (c < 3 or d < 4)');
  });
});

describe('parse: what it refuses, and where', () => {
  it.each([
    ['', 0, 'the condition is empty'],
    ['   ', 0, 'the condition is empty'],
    ['spread < (normal * 2.0))', 23, "unexpected ')'"],
    ['a <', 3, 'the condition ends too early'],
    ['a < b < c', 6, 'comparisons cannot be chained'],
    ['a && b', 2, "unexpected '&'"],
    ['a || b', 2, "unexpected '|'"],
    ['!a', 0, "unexpected '!'"],
    ['a = 1', 2, "unexpected '='"],
    ['a ^ 2', 2, "unexpected '^'"],
    ["a == 'x'", 5, 'unexpected'],
    ['a.', 2, "a name cannot end with '.'"],
    ['a..b', 2, "a name cannot end with '.'"],
    ['a.1', 2, "a name cannot end with '.'"],
    ['1.', 2, 'a digit must follow the decimal point'],
    ['1e', 2, 'the exponent'],
    ['1e999', 0, 'too large'],
    ['2x', 1, "after the number '2'"],
    ['a b', 2, "unexpected name 'b'"],
    ['(a < 1', 6, "expected ')'"],
    ['foo(1)', 0, "unknown function 'foo'"],
    ['abs(1, 2)', 0, 'abs takes exactly 1 value'],
    ['min(1)', 0, 'min takes 2 to 64 values'],
    ['max()', 0, 'max takes 2 to 64 values'],
    ['max(1 2)', 6, "expected ',' or ')'"],
    ['a < not b', 4, "unexpected 'not'"],
    ['x.__proto__.y', 2, "'__proto__' is not allowed"],
    ['constructor', 0, "'constructor' is not allowed"],
    ['a.prototype < 1', 2, "'prototype' is not allowed"],
    ['a <\n  (b +', 10, 'the condition ends too early'],
  ])('%j at %i: %s', (source, position, reason) => {
    const error = errorOf(source);
    expect(error.position).toBe(position);
    expect(error.message).toContain(reason);
  });

  it('gives the fix where one is obvious', () => {
    expect(errorOf('a < 1 && b < 2').hint).toBe("use 'and' instead of '&&'");
    expect(errorOf('a = 1').hint).toBe("use '==' to compare");
  });

  it('locates by line and column, with an excerpt and a caret', () => {
    const error = errorOf('a < 1 and\n  b > (2 +) ');
    expect(error).toMatchObject({ position: 20, line: 2, column: 11 });
    expect(error.message).toBe("unexpected ')' at line 2, column 11 (a number, a name or ( was expected here)");
    expect(error.excerpt).toBe('  b > (2 +) \n          ^');
  });

  it('points "ends too early" past the last character, not past trailing blank lines', () => {
    const error = errorOf('memory_pct < (4\n\n');
    expect(error).toMatchObject({ line: 1, column: 16 });
  });

  it('refuses nesting deeper than MAX_DEPTH but takes MAX_DEPTH', () => {
    const nested = (n: number): string => `${'('.repeat(n)}a${')'.repeat(n)} < 1`;
    expect(() => parse(nested(MAX_DEPTH - 2))).not.toThrow();
    expect(errorOf(nested(MAX_DEPTH + 1)).reason).toContain('nested more than');
    expect(errorOf(`${'-'.repeat(1000)}a < 1`).reason).toContain('nested more than');
    expect(errorOf(`${'not '.repeat(1000)}a < 1`).reason).toContain('nested more than');
  });

  it('refuses a chain taller than MAX_DEPTH without recursing into it', () => {
    const chain = Array.from({ length: 100_000 }, () => 'a').join(' + ');
    expect(errorOf(`${chain} < 1`).reason).toContain('nested more than');
  });
});

// Property tests: the DSL holds its promises on inputs nobody thought to write.
//  1. No input text makes compile throw anything but a DslError with a valid position.
//  2. A random well-formed AST printed and parsed back is the same tree, and evaluates as a plain
//     reference interpreter (written here from the rules, independent of the closures) says it should.
//  3. Evaluation never throws, whatever the context or frame.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ArithmeticOp, CompareOp, Expr } from './ast';
import { childrenOf } from './ast';
import { compile } from './compile';
import { DslError, locate } from './errors';
import { parse } from './parser';
import { print } from './print';

// DSL_FUZZ_SCALE=20 npx vitest run ... for a longer hunt; the default keeps the suite quick.
const SCALE = Math.max(1, Number(process.env.DSL_FUZZ_SCALE ?? 1) || 1);
const runs = (n: number): { numRuns: number } => ({ numRuns: Math.round(n * SCALE) });

// ---------- 1. text ----------

const TOKENS = [
  'a', 'b', 'x.y', 'signal_age_s.primary', '__proto__', 'constructor', '1', '0', '2.5', '1e3', '.5', '1e', '1.',
  '+', '-', '*', '/', '(', ')', ',', '<', '<=', '>', '>=', '==', '!=', '=', '!', '&&', '||', 'and', 'or', 'not',
  'true', 'false', 'abs', 'min', 'max', 'abs(', 'min(', 'foo(', ' ', '\n', '\t', '.', '"', "'", '#', '\u00e9', '\u{1f600}',
];

const textLike = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((parts) => parts.join('')),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((parts) => parts.join(' ')),
);

describe('fuzz: text', () => {
  it('compile throws only DslError, with a position inside the text and a matching line/column', () => {
    fc.assert(
      fc.property(textLike, (source) => {
        try {
          compile(source, { expect: 'any' });
        } catch (error) {
          if (!(error instanceof DslError)) throw error;
          expect(Number.isInteger(error.position)).toBe(true);
          expect(error.position).toBeGreaterThanOrEqual(0);
          expect(error.position).toBeLessThanOrEqual(source.length);
          const where = locate(source, error.position);
          expect([error.line, error.column]).toEqual([where.line, where.column]);
          expect(error.excerpt).toContain('^');
        }
      }),
      runs(3000),
    );
  });
});

// ---------- 2. trees ----------

const NAMES = ['a', 'b', 'c.d', 'signal_age_s.primary', 'x_1'];
const at = { start: 0, end: 0 };

const literal = fc
  .oneof(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, 0.5, 1e-7, 1e21, 1e308))
  .map((value): Expr => ({ kind: 'number', value: Math.abs(value), ...at }));
const variable = fc.constantFrom(...NAMES).map((name): Expr => ({ kind: 'variable', name, ...at }));

const trees = fc.letrec<{ num: Expr; bool: Expr }>((tie) => ({
  num: fc.oneof(
    { maxDepth: 5, depthIdentifier: 'tree' },
    fc.oneof(literal, variable),
    tie('num').map((operand): Expr => ({ kind: 'negate', operand, ...at })),
    fc
      .tuple(fc.constantFrom<ArithmeticOp>('+', '-', '*', '/'), tie('num'), tie('num'))
      .map(([op, left, right]): Expr => ({ kind: 'arithmetic', op, left, right, ...at })),
    tie('num').map((arg): Expr => ({ kind: 'call', fn: 'abs', args: [arg], ...at })),
    fc
      .tuple(fc.constantFrom<'min' | 'max'>('min', 'max'), fc.array(tie('num'), { minLength: 2, maxLength: 4 }))
      .map(([fn, args]): Expr => ({ kind: 'call', fn, args, ...at })),
  ),
  bool: fc.oneof(
    { maxDepth: 5, depthIdentifier: 'tree' },
    fc
      .tuple(fc.constantFrom<CompareOp>('<', '<=', '>', '>=', '==', '!='), tie('num'), tie('num'))
      .map(([op, left, right]): Expr => ({ kind: 'compare', op, left, right, ...at })),
    fc.boolean().map((value): Expr => ({ kind: 'boolean', value, ...at })),
    tie('bool').map((operand): Expr => ({ kind: 'not', operand, ...at })),
    fc
      .tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), tie('bool'), tie('bool'))
      .map(([op, left, right]): Expr => ({ kind: 'logical', op, left, right, ...at })),
    fc
      .tuple(fc.constantFrom<CompareOp>('==', '!='), tie('bool'), tie('bool'))
      .map(([op, left, right]): Expr => ({ kind: 'compare', op, left, right, ...at })),
  ),
}));

const anyValue = fc.oneof(
  fc.double(),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(0, -0, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY),
  fc.boolean(),
  fc.constantFrom(undefined, null, '1', {}),
);
const contexts = fc.record(Object.fromEntries(NAMES.map((name) => [name, anyValue])), { requiredKeys: [] });

/** The rules, written plainly: undefined is unknown. */
type Ref = number | boolean | undefined;
function reference(expr: Expr, context: Record<string, unknown>): Ref {
  const num = (e: Expr): number | undefined => reference(e, context) as number | undefined;
  const finite = (v: number): number | undefined => (Number.isFinite(v) ? v : undefined);
  switch (expr.kind) {
    case 'number':
      return expr.value;
    case 'boolean':
      return expr.value;
    case 'variable': {
      const v = Object.hasOwn(context, expr.name) ? context[expr.name] : undefined;
      if (typeof v === 'boolean') return v ? 1 : 0;
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    }
    case 'negate': {
      const v = num(expr.operand);
      return v === undefined ? undefined : -v;
    }
    case 'arithmetic': {
      const a = num(expr.left);
      const b = num(expr.right);
      if (a === undefined || b === undefined) return undefined;
      if (expr.op === '/') return b === 0 ? undefined : finite(a / b);
      return finite(expr.op === '+' ? a + b : expr.op === '-' ? a - b : a * b);
    }
    case 'call': {
      const args = expr.args.map(num);
      if (args.some((v) => v === undefined)) return undefined;
      const values = args as number[];
      return expr.fn === 'abs' ? Math.abs(values[0] as number) : expr.fn === 'min' ? Math.min(...values) : Math.max(...values);
    }
    case 'compare': {
      const a = reference(expr.left, context);
      const b = reference(expr.right, context);
      if (a === undefined || b === undefined) return undefined;
      switch (expr.op) {
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
        case '==':
          return a === b;
        case '!=':
          return a !== b;
      }
      return undefined;
    }
    case 'not': {
      const v = reference(expr.operand, context);
      return v === undefined ? undefined : !v;
    }
    case 'logical': {
      const a = reference(expr.left, context);
      const b = reference(expr.right, context);
      if (expr.op === 'and') return a === false || b === false ? false : a === true && b === true ? true : undefined;
      return a === true || b === true ? true : a === false && b === false ? false : undefined;
    }
  }
}

function withoutSpans(expr: Expr): unknown {
  const { start: _start, end: _end, ...rest } = expr as Expr & Record<string, unknown>;
  const out: Record<string, unknown> = { ...rest };
  for (const key of ['operand', 'left', 'right'] as const) {
    if (key in out) out[key] = withoutSpans(out[key] as Expr);
  }
  if ('args' in out) out.args = (out.args as Expr[]).map(withoutSpans);
  return out;
}

function statusOf(ref: Ref): string {
  return ref === true ? 'pass' : ref === false ? 'fail' : 'unknown';
}

describe('fuzz: trees', () => {
  it('print then parse gives back the same tree', () => {
    fc.assert(
      fc.property(fc.oneof(trees.num, trees.bool), (tree) => {
        expect(withoutSpans(parse(print(tree)))).toEqual(withoutSpans(tree));
      }),
      runs(1000),
    );
  });

  it('every node span quotes text that parses back to that node', () => {
    fc.assert(
      fc.property(fc.oneof(trees.num, trees.bool), (tree) => {
        const source = print(tree);
        const walk = (node: Expr): void => {
          expect(withoutSpans(parse(source.slice(node.start, node.end)))).toEqual(withoutSpans(node));
          childrenOf(node).forEach(walk);
        };
        walk(parse(source));
      }),
      runs(300),
    );
  });

  it('conditions evaluate as the reference rules say', () => {
    fc.assert(
      fc.property(trees.bool, contexts, (tree, context) => {
        const condition = compile(print(tree));
        expect(condition.evaluate(context)).toBe(statusOf(reference(tree, context)));
      }),
      runs(3000),
    );
  });

  it('numbers evaluate as the reference rules say', () => {
    fc.assert(
      fc.property(trees.num, contexts, (tree, context) => {
        const expression = compile(print(tree), { expect: 'number' });
        expect(expression.evaluateNumber(context)).toBe(reference(tree, context));
      }),
      runs(3000),
    );
  });

  it('evaluation never throws, even on frames of the wrong length or with raw non-finite values', () => {
    const frameValue = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0));
    fc.assert(
      fc.property(fc.oneof(trees.num, trees.bool), fc.array(frameValue, { maxLength: 8 }), (tree, values) => {
        const compiled = compile(print(tree), { expect: 'any' });
        const frame = Float64Array.from(values);
        const status = compiled.evaluateFrame(frame);
        expect(['pass', 'fail', 'unknown']).toContain(status);
        const raw = compiled.evaluateFrameValue(frame);
        expect(Number.isNaN(raw) || Number.isFinite(raw)).toBe(true);
        compiled.sides(frame);
        compiled.missing(frame);
      }),
      runs(2000),
    );
  });
});

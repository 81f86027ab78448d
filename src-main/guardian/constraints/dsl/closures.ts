// AST -> closures over a Float64Array frame. No eval, no Function: each node becomes a small closure, and
// the common shapes (name < constant, name * constant, name < other * constant) get fused closures that
// read their slot directly, which removes most calls from the hot path.
//
// Encoding, one number for everything, so every closure has the same monomorphic shape:
//   numbers: the value, or NaN for unknown (missing variable, non-finite result, division by zero);
//   truth values: 1 pass, 0 fail, NaN unknown (three-valued logic).
// Invariant: every closure returns a finite number or NaN. Slot reads are checked (v - v === 0 is false for
// NaN, ±Infinity and a read past the end of a short frame), arithmetic results are checked.
import type { ArithmeticOp, CompareOp, Expr } from './ast';
import { compareFF, compareFK, compareSF, compareSK } from './compare-closures';

export type Frame = Float64Array;
export type FrameFn = (frame: Frame) => number;

/** How a subexpression is compiled: folded to a constant, a bare slot read, or a closure. */
type Operand =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'slot'; readonly slot: number }
  | { readonly kind: 'fn'; readonly fn: FrameFn };

const NaN_ = Number.NaN;

const konst = (value: number): Operand => ({ kind: 'const', value: value - value === 0 ? value : NaN_ });
const fnOf = (fn: FrameFn): Operand => ({ kind: 'fn', fn });

function asFn(operand: Operand): FrameFn {
  switch (operand.kind) {
    case 'const': {
      const c = operand.value;
      return () => c;
    }
    case 'slot': {
      const s = operand.slot;
      return (f) => {
        const v = f[s] as number;
        return v - v === 0 ? v : NaN_;
      };
    }
    case 'fn':
      return operand.fn;
  }
}

// ---------- arithmetic ----------

function applyArithmetic(op: ArithmeticOp, a: number, b: number): number {
  let r: number;
  switch (op) {
    case '+':
      r = a + b;
      break;
    case '-':
      r = a - b;
      break;
    case '*':
      r = a * b;
      break;
    case '/':
      r = b === 0 ? NaN_ : a / b;
      break;
  }
  return r - r === 0 ? r : NaN_;
}

function arithFF(op: ArithmeticOp, l: FrameFn, r: FrameFn): FrameFn {
  switch (op) {
    case '+':
      return (f) => {
        const x = l(f) + r(f);
        return x - x === 0 ? x : NaN_;
      };
    case '-':
      return (f) => {
        const x = l(f) - r(f);
        return x - x === 0 ? x : NaN_;
      };
    case '*':
      return (f) => {
        const x = l(f) * r(f);
        return x - x === 0 ? x : NaN_;
      };
    case '/':
      return (f) => {
        const d = r(f);
        if (d === 0) return NaN_;
        const x = l(f) / d;
        return x - x === 0 ? x : NaN_;
      };
  }
}

/** slot op constant: the usual `normal_spread_pips * 2.0`. */
function arithSK(op: ArithmeticOp, s: number, c: number): FrameFn {
  switch (op) {
    case '+':
      return (f) => {
        const x = (f[s] as number) + c;
        return x - x === 0 ? x : NaN_;
      };
    case '-':
      return (f) => {
        const x = (f[s] as number) - c;
        return x - x === 0 ? x : NaN_;
      };
    case '*':
      return (f) => {
        const x = (f[s] as number) * c;
        return x - x === 0 ? x : NaN_;
      };
    case '/':
      return (f) => {
        const x = (f[s] as number) / c;
        return x - x === 0 ? x : NaN_;
      };
  }
}

function compileArithmetic(op: ArithmeticOp, left: Operand, right: Operand): Operand {
  if (left.kind === 'const' && right.kind === 'const') return konst(applyArithmetic(op, left.value, right.value));
  if (op === '/' && right.kind === 'const' && right.value === 0) return konst(NaN_);
  if (left.kind === 'slot' && right.kind === 'const') return fnOf(arithSK(op, left.slot, right.value));
  if (right.kind === 'slot' && left.kind === 'const' && (op === '+' || op === '*')) {
    return fnOf(arithSK(op, right.slot, left.value));
  }
  return fnOf(arithFF(op, asFn(left), asFn(right)));
}

// ---------- comparisons ----------

const FLIPPED: Readonly<Record<CompareOp, CompareOp>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

function compileCompare(op: CompareOp, left: Operand, right: Operand): Operand {
  if (left.kind === 'const' && right.kind === 'const') {
    return konst(compareValues(op, left.value, right.value));
  }
  // Constants go to the right, slots to the left, so the fused shapes catch more conditions.
  if (left.kind === 'const' || (right.kind === 'slot' && left.kind !== 'slot')) {
    return compileCompare(FLIPPED[op], right, left);
  }
  if (right.kind === 'const') {
    // Comparing with an unknown constant (e.g. a folded 1 / 0) is unknown whatever the other side.
    if (right.value !== right.value) return konst(NaN_);
    return fnOf(left.kind === 'slot' ? compareSK(op, left.slot, right.value) : compareFK(op, left.fn, right.value));
  }
  if (left.kind === 'slot') return fnOf(compareSF(op, left.slot, asFn(right)));
  return fnOf(compareFF(op, left.fn, asFn(right)));
}

function compareValues(op: CompareOp, a: number, b: number): number {
  if (a !== a || b !== b) return NaN_;
  switch (op) {
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a === b ? 0 : 1;
  }
}

// ---------- logic (three-valued) ----------

function and(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : a === 1 && b === 1 ? 1 : NaN_;
}

function or(a: number, b: number): number {
  return a === 1 || b === 1 ? 1 : a === 0 && b === 0 ? 0 : NaN_;
}

function not(a: number): number {
  return a === 1 ? 0 : a === 0 ? 1 : NaN_;
}

function compileLogical(op: 'and' | 'or', left: Operand, right: Operand): Operand {
  if (left.kind === 'const' && right.kind === 'const') {
    return konst(op === 'and' ? and(left.value, right.value) : or(left.value, right.value));
  }
  const l = asFn(left);
  const r = asFn(right);
  if (op === 'and') {
    // false and anything = false, so the right side is skipped once the left has failed.
    return fnOf((f) => {
      const a = l(f);
      if (a === 0) return 0;
      const b = r(f);
      return b === 0 ? 0 : a === 1 && b === 1 ? 1 : NaN_;
    });
  }
  return fnOf((f) => {
    const a = l(f);
    if (a === 1) return 1;
    const b = r(f);
    return b === 1 ? 1 : a === 0 && b === 0 ? 0 : NaN_;
  });
}

// ---------- functions ----------

function compileCall(fn: 'abs' | 'min' | 'max', args: readonly Operand[]): Operand {
  if (args.every((a) => a.kind === 'const')) {
    const values = args.map((a) => (a as { value: number }).value);
    return konst(fn === 'abs' ? Math.abs(values[0] ?? NaN_) : fn === 'min' ? Math.min(...values) : Math.max(...values));
  }
  const fns = args.map(asFn);
  const first = fns[0] as FrameFn;
  if (fn === 'abs') return fnOf((f) => Math.abs(first(f)));
  const pick = fn === 'min' ? Math.min : Math.max;
  if (fns.length === 2) {
    const second = fns[1] as FrameFn;
    return fn === 'min' ? fnOf((f) => Math.min(first(f), second(f))) : fnOf((f) => Math.max(first(f), second(f)));
  }
  // Math.min / Math.max already give NaN when any argument is NaN: unknown in, unknown out.
  return fnOf((f) => {
    let m = first(f);
    for (let i = 1; i < fns.length; i++) m = pick(m, (fns[i] as FrameFn)(f));
    return m;
  });
}

// ---------- the walk ----------

/** Compiles a type-checked AST; `slotOf` gives each variable's slot in the frame. */
function compileOperand(expr: Expr, slotOf: (name: string) => number): Operand {
  switch (expr.kind) {
    case 'number':
      return konst(expr.value);
    case 'boolean':
      return konst(expr.value ? 1 : 0);
    case 'variable':
      return { kind: 'slot', slot: slotOf(expr.name) };
    case 'negate': {
      const operand = compileOperand(expr.operand, slotOf);
      if (operand.kind === 'const') return konst(-operand.value);
      const inner = asFn(operand);
      return fnOf((f) => -inner(f));
    }
    case 'not': {
      const operand = compileOperand(expr.operand, slotOf);
      if (operand.kind === 'const') return konst(not(operand.value));
      const inner = asFn(operand);
      return fnOf((f) => {
        const a = inner(f);
        return a === 1 ? 0 : a === 0 ? 1 : NaN_;
      });
    }
    case 'arithmetic':
      return compileArithmetic(expr.op, compileOperand(expr.left, slotOf), compileOperand(expr.right, slotOf));
    case 'compare':
      return compileCompare(expr.op, compileOperand(expr.left, slotOf), compileOperand(expr.right, slotOf));
    case 'logical':
      return compileLogical(expr.op, compileOperand(expr.left, slotOf), compileOperand(expr.right, slotOf));
    case 'call':
      return compileCall(
        expr.fn,
        expr.args.map((arg) => compileOperand(arg, slotOf)),
      );
  }
}

export function compileToFrameFn(expr: Expr, slotOf: (name: string) => number): FrameFn {
  return asFn(compileOperand(expr, slotOf));
}

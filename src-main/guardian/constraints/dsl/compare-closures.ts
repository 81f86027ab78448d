// The fused comparison closures, one per operator and operand shape (closure/constant/slot), written out
// so each is a distinct small function V8 can inline: a comparison is most of every condition.
// Same encoding as closures.ts: 1 pass, 0 fail, NaN unknown.
import type { CompareOp } from './ast';
import type { FrameFn } from './closures';

const NaN_ = Number.NaN;

/** Two closures, both already finite-or-NaN. */
export function compareFF(op: CompareOp, l: FrameFn, r: FrameFn): FrameFn {
  switch (op) {
    case '<':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return a < b ? 1 : a >= b ? 0 : NaN_;
      };
    case '<=':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return a <= b ? 1 : a > b ? 0 : NaN_;
      };
    case '>':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return a > b ? 1 : a <= b ? 0 : NaN_;
      };
    case '>=':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return a >= b ? 1 : a < b ? 0 : NaN_;
      };
    case '==':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return a === b ? 1 : a === a && b === b ? 0 : NaN_;
      };
    case '!=':
      return (f) => {
        const a = l(f);
        const b = r(f);
        return a === b ? 0 : a === a && b === b ? 1 : NaN_;
      };
  }
}

/** closure op constant (the constant is finite). */
export function compareFK(op: CompareOp, l: FrameFn, c: number): FrameFn {
  switch (op) {
    case '<':
      return (f) => {
        const a = l(f);
        return a < c ? 1 : a >= c ? 0 : NaN_;
      };
    case '<=':
      return (f) => {
        const a = l(f);
        return a <= c ? 1 : a > c ? 0 : NaN_;
      };
    case '>':
      return (f) => {
        const a = l(f);
        return a > c ? 1 : a <= c ? 0 : NaN_;
      };
    case '>=':
      return (f) => {
        const a = l(f);
        return a >= c ? 1 : a < c ? 0 : NaN_;
      };
    case '==':
      return (f) => {
        const a = l(f);
        return a === c ? 1 : a === a ? 0 : NaN_;
      };
    case '!=':
      return (f) => {
        const a = l(f);
        return a === c ? 0 : a === a ? 1 : NaN_;
      };
  }
}

/** slot op constant: `portfolio_correlation < 0.7`. The slot is checked, the constant is finite. */
export function compareSK(op: CompareOp, s: number, c: number): FrameFn {
  switch (op) {
    case '<':
      return (f) => {
        const a = f[s] as number;
        return a - a === 0 ? (a < c ? 1 : 0) : NaN_;
      };
    case '<=':
      return (f) => {
        const a = f[s] as number;
        return a - a === 0 ? (a <= c ? 1 : 0) : NaN_;
      };
    case '>':
      return (f) => {
        const a = f[s] as number;
        return a - a === 0 ? (a > c ? 1 : 0) : NaN_;
      };
    case '>=':
      return (f) => {
        const a = f[s] as number;
        return a - a === 0 ? (a >= c ? 1 : 0) : NaN_;
      };
    case '==':
      return (f) => {
        const a = f[s] as number;
        return a - a === 0 ? (a === c ? 1 : 0) : NaN_;
      };
    case '!=':
      return (f) => {
        const a = f[s] as number;
        return a - a === 0 ? (a === c ? 0 : 1) : NaN_;
      };
  }
}

/** slot op closure: `bridge_latency_ms < p95_bridge_latency_ms * 1.25`. */
export function compareSF(op: CompareOp, s: number, r: FrameFn): FrameFn {
  switch (op) {
    case '<':
      return (f) => {
        const a = f[s] as number;
        const b = r(f);
        return a - a === 0 ? (a < b ? 1 : a >= b ? 0 : NaN_) : NaN_;
      };
    case '<=':
      return (f) => {
        const a = f[s] as number;
        const b = r(f);
        return a - a === 0 ? (a <= b ? 1 : a > b ? 0 : NaN_) : NaN_;
      };
    case '>':
      return (f) => {
        const a = f[s] as number;
        const b = r(f);
        return a - a === 0 ? (a > b ? 1 : a <= b ? 0 : NaN_) : NaN_;
      };
    case '>=':
      return (f) => {
        const a = f[s] as number;
        const b = r(f);
        return a - a === 0 ? (a >= b ? 1 : a < b ? 0 : NaN_) : NaN_;
      };
    case '==':
      return (f) => {
        const a = f[s] as number;
        const b = r(f);
        return a - a === 0 && b === b ? (a === b ? 1 : 0) : NaN_;
      };
    case '!=':
      return (f) => {
        const a = f[s] as number;
        const b = r(f);
        return a - a === 0 && b === b ? (a === b ? 0 : 1) : NaN_;
      };
  }
}

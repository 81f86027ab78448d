// The parsed form of a condition. Every node keeps its span so errors and explanations can quote the source.

export type ArithmeticOp = '+' | '-' | '*' | '/';
export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type LogicalOp = 'and' | 'or';
export type FunctionName = 'abs' | 'min' | 'max';

interface Span {
  /** 0-based offset of the first character. */
  readonly start: number;
  /** 0-based offset just past the last character. */
  readonly end: number;
}

export interface NumberLiteral extends Span {
  readonly kind: 'number';
  readonly value: number;
}
export interface BooleanLiteral extends Span {
  readonly kind: 'boolean';
  readonly value: boolean;
}
export interface Variable extends Span {
  readonly kind: 'variable';
  /** The dotted name as written, e.g. 'signal_age_s.primary'. */
  readonly name: string;
}
export interface Negate extends Span {
  readonly kind: 'negate';
  readonly operand: Expr;
}
export interface Not extends Span {
  readonly kind: 'not';
  readonly operand: Expr;
}
export interface Arithmetic extends Span {
  readonly kind: 'arithmetic';
  readonly op: ArithmeticOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface Comparison extends Span {
  readonly kind: 'compare';
  readonly op: CompareOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface Logical extends Span {
  readonly kind: 'logical';
  readonly op: LogicalOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface Call extends Span {
  readonly kind: 'call';
  readonly fn: FunctionName;
  readonly args: readonly Expr[];
}

export type Expr = NumberLiteral | BooleanLiteral | Variable | Negate | Not | Arithmetic | Comparison | Logical | Call;

/** What an expression yields: a number, or a truth value (pass/fail/unknown). */
export type ValueType = 'number' | 'boolean';

export const FUNCTION_ARITY: Readonly<Record<FunctionName, { readonly min: number; readonly max: number }>> = {
  abs: { min: 1, max: 1 },
  min: { min: 2, max: 64 },
  max: { min: 2, max: 64 },
};

export function isFunctionName(name: string): name is FunctionName {
  return name === 'abs' || name === 'min' || name === 'max';
}

/** The direct subexpressions of a node, left to right. */
export function childrenOf(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'negate':
    case 'not':
      return [expr.operand];
    case 'arithmetic':
    case 'compare':
    case 'logical':
      return [expr.left, expr.right];
    case 'call':
      return expr.args;
    case 'number':
    case 'boolean':
    case 'variable':
      return [];
  }
}

/** Every variable reference, in source order (a name read twice appears twice). */
export function variableNodes(expr: Expr): Variable[] {
  const found: Variable[] = [];
  const walk = (e: Expr): void => {
    if (e.kind === 'variable') found.push(e);
    else childrenOf(e).forEach(walk);
  };
  walk(expr);
  return found;
}

/** Variable names in order of first appearance, each once. */
export function variablesOf(expr: Expr): string[] {
  return [...new Set(variableNodes(expr).map((v) => v.name))];
}

// Prints an AST back to condition text with the fewest brackets that parse back to the same tree.
// Used to show normalised conditions and, in tests, to check parse(print(ast)) against ast.
import type { Expr } from './ast';

const OR = 1;
const AND = 2;
const NOT = 3;
const COMPARE = 4;
const ADDITIVE = 5;
const MULTIPLICATIVE = 6;
const UNARY = 7;
const ATOM = 8;

function precedence(expr: Expr): number {
  switch (expr.kind) {
    case 'logical':
      return expr.op === 'or' ? OR : AND;
    case 'not':
      return NOT;
    case 'compare':
      return COMPARE;
    case 'arithmetic':
      return expr.op === '+' || expr.op === '-' ? ADDITIVE : MULTIPLICATIVE;
    case 'negate':
      return UNARY;
    case 'number':
      // A negative literal prints with a leading '-', which reads back as unary minus.
      return expr.value < 0 || Object.is(expr.value, -0) ? UNARY : ATOM;
    case 'boolean':
    case 'variable':
    case 'call':
      return ATOM;
  }
}

function formatNumber(value: number): string {
  // String() gives the shortest text that reads back to the same double; -0 needs its sign spelled out.
  return Object.is(value, -0) ? '-0' : String(value);
}

function printAt(expr: Expr, minimum: number): string {
  const text = printBare(expr);
  return precedence(expr) < minimum ? `(${text})` : text;
}

function printBare(expr: Expr): string {
  switch (expr.kind) {
    case 'number':
      return formatNumber(expr.value);
    case 'boolean':
      return expr.value ? 'true' : 'false';
    case 'variable':
      return expr.name;
    case 'negate':
      return `-${printAt(expr.operand, UNARY)}`;
    case 'not':
      return `not ${printAt(expr.operand, NOT)}`;
    case 'call':
      return `${expr.fn}(${expr.args.map((arg) => printAt(arg, OR)).join(', ')})`;
    case 'logical': {
      const level = expr.op === 'or' ? OR : AND;
      return `${printAt(expr.left, level)} ${expr.op} ${printAt(expr.right, level + 1)}`;
    }
    case 'compare':
      return `${printAt(expr.left, ADDITIVE)} ${expr.op} ${printAt(expr.right, ADDITIVE)}`;
    case 'arithmetic': {
      const level = expr.op === '+' || expr.op === '-' ? ADDITIVE : MULTIPLICATIVE;
      return `${printAt(expr.left, level)} ${expr.op} ${printAt(expr.right, level + 1)}`;
    }
  }
}

export function print(expr: Expr): string {
  return printBare(expr);
}

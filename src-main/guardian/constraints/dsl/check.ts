// Static types: numbers and truth values never mix silently. A flag from the pulse is a number (1/0),
// so it is written `db_ok == 1`, which reads the same to the operator as it evaluates.
import type { Expr, ValueType } from './ast';
import { DslError } from './errors';

function quote(source: string, expr: Expr): string {
  const text = source.slice(expr.start, expr.end).replace(/\s+/g, ' ');
  return text.length > 40 ? `'${text.slice(0, 37)}...'` : `'${text}'`;
}

function describe(type: ValueType): string {
  return type === 'number' ? 'a number' : 'a condition (true/false)';
}

/** The type of the expression; throws DslError at the first operand of the wrong type. */
export function checkTypes(source: string, expr: Expr): ValueType {
  const expect = (operand: Expr, want: ValueType, role: string, hint?: string): void => {
    const got = checkTypes(source, operand);
    if (got !== want) {
      throw new DslError(source, operand.start, `${role} needs ${describe(want)}, but ${quote(source, operand)} is ${describe(got)}`, hint);
    }
  };
  const compareHint = (operand: Expr): string => `compare it, e.g. ${source.slice(operand.start, operand.end)} > 0, or == 1 for a flag`;

  switch (expr.kind) {
    case 'number':
    case 'variable':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'negate':
      expect(expr.operand, 'number', "unary '-'");
      return 'number';
    case 'not':
      expect(expr.operand, 'boolean', "'not'", compareHint(expr.operand));
      return 'boolean';
    case 'arithmetic':
      expect(expr.left, 'number', `'${expr.op}'`);
      expect(expr.right, 'number', `'${expr.op}'`);
      return 'number';
    case 'logical':
      expect(expr.left, 'boolean', `'${expr.op}'`, compareHint(expr.left));
      expect(expr.right, 'boolean', `'${expr.op}'`, compareHint(expr.right));
      return 'boolean';
    case 'call':
      for (const arg of expr.args) expect(arg, 'number', `${expr.fn}()`);
      return 'number';
    case 'compare': {
      if (expr.op === '==' || expr.op === '!=') {
        const left = checkTypes(source, expr.left);
        expect(expr.right, left, `'${expr.op}' with ${describe(left)} on its left`);
        return 'boolean';
      }
      expect(expr.left, 'number', `'${expr.op}'`);
      expect(expr.right, 'number', `'${expr.op}'`);
      return 'boolean';
    }
  }
}

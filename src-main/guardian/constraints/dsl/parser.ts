// Recursive descent over the token list. Precedence, loosest first:
//   or < and < not < comparison (one, not chained) < + - < * / < unary minus < atoms.
import type { ArithmeticOp, CompareOp, Expr } from './ast';
import { FUNCTION_ARITY, isFunctionName } from './ast';
import { DslError, locate } from './errors';
import type { Token, TokenKind } from './lexer';
import { tokenize } from './lexer';

/**
 * Deeper trees (and deeper bracket nesting) are refused: nobody writes them by hand, and refusing them
 * keeps parsing, compiling and evaluating far from the call-stack limit whatever the input.
 */
export const MAX_DEPTH = 64;

const COMPARE_OPS: ReadonlySet<TokenKind> = new Set<TokenKind>(['<', '<=', '>', '>=', '==', '!=']);

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of the condition';
    case 'number':
      return `number '${token.text}'`;
    case 'name':
      return `name '${token.text}'`;
    default:
      return `'${token.text}'`;
  }
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  /** Open brackets, unary operators and calls on the way down: bounds the parser's own recursion. */
  private nesting = 0;
  /** Height of every node built so far, so a long operator chain is caught as it grows. */
  private readonly heights = new WeakMap<Expr, number>();
  /**
   * A bracketed node keeps the span of its content (explanations quote 'normal_spread_pips * 2.0', not
   * '(normal_spread_pips * 2.0)'), but a node built around it must span the brackets too.
   */
  private readonly bracketed = new WeakMap<Expr, { readonly start: number; readonly end: number }>();

  private startOf(expr: Expr): number {
    return this.bracketed.get(expr)?.start ?? expr.start;
  }

  private endOf(expr: Expr): number {
    return this.bracketed.get(expr)?.end ?? expr.end;
  }

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parseAll(): Expr {
    if (this.peek().kind === 'end') {
      throw new DslError(this.source, 0, 'the condition is empty', 'write e.g. spread_pips < normal_spread_pips * 2.0');
    }
    const expr = this.parseOr();
    const rest = this.peek();
    if (rest.kind !== 'end') {
      const hint = rest.kind === ')' ? "no '(' is open here" : 'join the parts with an operator, or with and / or';
      throw new DslError(this.source, rest.start, `unexpected ${describe(rest)}`, hint);
    }
    return expr;
  }

  private peek(): Token {
    // tokenize always ends with an 'end' token, and advance never moves past it.
    return this.tokens[this.index] as Token;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private where(position: number): string {
    const { line, column } = locate(this.source, position);
    return this.source.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
  }

  private tooDeep(at: number): DslError {
    return new DslError(this.source, at, `the expression is nested more than ${MAX_DEPTH} levels deep`, 'split it into simpler constraints');
  }

  private descend<T>(at: number, build: () => T): T {
    if (++this.nesting > MAX_DEPTH) throw this.tooDeep(at);
    try {
      return build();
    } finally {
      this.nesting--;
    }
  }

  /** Registers a new node whose operator sits at `at`, refusing it if the tree grows too tall. */
  private node<E extends Expr>(at: number, expr: E, children: readonly Expr[] = []): E {
    let height = 1;
    for (const child of children) height = Math.max(height, (this.heights.get(child) ?? 1) + 1);
    if (height > MAX_DEPTH) throw this.tooDeep(at);
    this.heights.set(expr, height);
    return expr;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.peek().kind === 'or') {
      const op = this.advance();
      const right = this.parseAnd();
      left = this.node(op.start, { kind: 'logical', op: 'or', left, right, start: this.startOf(left), end: this.endOf(right) }, [left, right]);
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.peek().kind === 'and') {
      const op = this.advance();
      const right = this.parseNot();
      left = this.node(op.start, { kind: 'logical', op: 'and', left, right, start: this.startOf(left), end: this.endOf(right) }, [left, right]);
    }
    return left;
  }

  private parseNot(): Expr {
    const token = this.peek();
    if (token.kind !== 'not') return this.parseComparison();
    this.advance();
    const operand = this.descend(token.start, () => this.parseNot());
    return this.node(token.start, { kind: 'not', operand, start: token.start, end: this.endOf(operand) }, [operand]);
  }

  private parseComparison(): Expr {
    const left = this.parseAdditive();
    const opToken = this.peek();
    if (!COMPARE_OPS.has(opToken.kind)) return left;
    this.advance();
    const right = this.parseAdditive();
    const again = this.peek();
    if (COMPARE_OPS.has(again.kind)) {
      throw new DslError(this.source, again.start, `comparisons cannot be chained ('${opToken.text}' then '${again.text}')`, 'write a < b and b < c');
    }
    const op = opToken.kind as CompareOp;
    return this.node(opToken.start, { kind: 'compare', op, left, right, start: this.startOf(left), end: this.endOf(right) }, [left, right]);
  }

  private parseAdditive(): Expr {
    let left = this.parseTerm();
    for (let kind = this.peek().kind; kind === '+' || kind === '-'; kind = this.peek().kind) {
      const op = this.advance();
      const right = this.parseTerm();
      const node = { kind: 'arithmetic', op: kind as ArithmeticOp, left, right, start: this.startOf(left), end: this.endOf(right) } as const;
      left = this.node(op.start, node, [left, right]);
    }
    return left;
  }

  private parseTerm(): Expr {
    let left = this.parseUnary();
    for (let kind = this.peek().kind; kind === '*' || kind === '/'; kind = this.peek().kind) {
      const op = this.advance();
      const right = this.parseUnary();
      const node = { kind: 'arithmetic', op: kind as ArithmeticOp, left, right, start: this.startOf(left), end: this.endOf(right) } as const;
      left = this.node(op.start, node, [left, right]);
    }
    return left;
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (token.kind !== '-') return this.parsePrimary();
    this.advance();
    const operand = this.descend(token.start, () => this.parseUnary());
    return this.node(token.start, { kind: 'negate', operand, start: token.start, end: this.endOf(operand) }, [operand]);
  }

  private parsePrimary(): Expr {
    const token = this.advance();
    switch (token.kind) {
      case 'number':
        return this.node(token.start, { kind: 'number', value: token.value, start: token.start, end: token.end });
      case 'true':
      case 'false':
        return this.node(token.start, { kind: 'boolean', value: token.kind === 'true', start: token.start, end: token.end });
      case 'name':
        if (this.peek().kind === '(') return this.parseCall(token);
        return this.node(token.start, { kind: 'variable', name: token.text, start: token.start, end: token.end });
      case '(': {
        const inner = this.descend(token.start, () => this.parseOr());
        const close = this.advance();
        if (close.kind !== ')') {
          const hint = close.kind === 'end' ? "add the missing ')'" : undefined;
          throw new DslError(this.source, close.start, `expected ')' to close the '(' at ${this.where(token.start)}, found ${describe(close)}`, hint);
        }
        this.bracketed.set(inner, { start: token.start, end: close.end });
        return inner;
      }
      case 'end':
        throw new DslError(this.source, token.start, 'the condition ends too early', 'a value is missing at the end');
      default:
        throw new DslError(this.source, token.start, `unexpected ${describe(token)}`, 'a number, a name or ( was expected here');
    }
  }

  private parseCall(nameToken: Token): Expr {
    const fn = nameToken.text;
    if (!isFunctionName(fn)) {
      throw new DslError(this.source, nameToken.start, `unknown function '${fn}'`, 'the functions are abs, min and max');
    }
    const open = this.advance();
    const args: Expr[] = [];
    if (this.peek().kind !== ')') {
      for (;;) {
        args.push(this.descend(open.start, () => this.parseOr()));
        if (this.peek().kind !== ',') break;
        this.advance();
      }
    }
    const close = this.advance();
    if (close.kind !== ')') {
      throw new DslError(this.source, close.start, `expected ',' or ')' in the call to ${fn}, found ${describe(close)}`);
    }
    const arity = FUNCTION_ARITY[fn];
    if (args.length < arity.min || args.length > arity.max) {
      const wanted = arity.min === arity.max ? `exactly ${arity.min} value` : `${arity.min} to ${arity.max} values`;
      throw new DslError(this.source, nameToken.start, `${fn} takes ${wanted}, got ${args.length}`);
    }
    return this.node(nameToken.start, { kind: 'call', fn, args, start: nameToken.start, end: close.end }, args);
  }
}

/** Parses condition text into an AST (syntax only; see checkTypes). Throws DslError, and nothing else, on bad input. */
export function parse(source: string): Expr {
  return new Parser(source).parseAll();
}

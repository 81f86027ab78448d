// compile(): text -> parsed, type-checked, slot-resolved closures. Parse once at load; evaluate per pulse.
import type { CompareOp, Expr, ValueType } from './ast';
import { variableNodes, variablesOf } from './ast';
import { checkTypes } from './check';
import type { FrameFn } from './closures';
import { compileToFrameFn } from './closures';
import { DslError } from './errors';
import { parse } from './parser';
import type { ConditionInput } from './slots';
import { VariableIndex, readInto } from './slots';
import { closestName } from './suggest';

export type ConditionStatus = 'pass' | 'fail' | 'unknown';

export interface CompileOptions {
  /**
   * The slot layout to compile against. Give the same index to many conditions so one frame per pulse
   * serves them all; a frozen index also refuses unknown names (a DslError at the name).
   * Default: a private layout holding just this expression's variables.
   */
  readonly index?: VariableIndex;
  /** What the expression must yield. Default 'boolean': a condition. */
  readonly expect?: ValueType | 'any';
}

/** The two sides of a condition that is one comparison at the top, e.g. `spread_pips < normal_spread_pips * 2.0`. */
export interface ComparisonShape {
  readonly op: CompareOp;
  readonly left: Expr;
  readonly right: Expr;
  /** The source text of each side, as written. */
  readonly leftText: string;
  readonly rightText: string;
}

/** 1 -> pass, 0 -> fail, anything else (NaN) -> unknown. */
function toStatus(value: number): ConditionStatus {
  return value === 1 ? 'pass' : value === 0 ? 'fail' : 'unknown';
}

function definedOrUndefined(value: number): number | undefined {
  return value - value === 0 ? value : undefined;
}

export class CompiledCondition {
  /** Closures for subexpressions, compiled on first use (explanations only, never the hot path). */
  private readonly subexpressions = new WeakMap<Expr, FrameFn>();
  private readonly root: FrameFn;
  private readonly slots: Int32Array;
  private readonly scratch: Float64Array;
  private filling = false;
  /** Variable names in order of first appearance. */
  readonly variables: readonly string[];
  readonly comparison: ComparisonShape | undefined;

  constructor(
    readonly source: string,
    readonly ast: Expr,
    readonly type: ValueType,
    /** The slot layout evaluateFrame expects. */
    readonly index: VariableIndex,
  ) {
    this.variables = variablesOf(ast);
    this.slots = Int32Array.from(this.variables, (name) => index.add(name));
    this.root = this.compileSub(ast);
    this.scratch = new Float64Array(index.size).fill(Number.NaN);
    this.comparison =
      ast.kind === 'compare'
        ? { op: ast.op, left: ast.left, right: ast.right, leftText: this.textOf(ast.left), rightText: this.textOf(ast.right) }
        : undefined;
  }

  /** Hot path: the frame follows `index` (see VariableIndex.frameFrom), NaN meaning missing. */
  evaluateFrame(frame: Float64Array): ConditionStatus {
    return toStatus(this.root(frame));
  }

  /** Hot path, raw: 1 / 0 / NaN for a condition, the value or NaN for a number. */
  evaluateFrameValue(frame: Float64Array): number {
    return this.root(frame);
  }

  /** Evaluates against a flat record of dotted names, a context (e.g. a Map), or a frame. */
  evaluate(input: ConditionInput | Float64Array): ConditionStatus {
    return toStatus(this.root(this.scratchFrameOf(input)));
  }

  /** The value of a numeric expression (a condition gives 1 / 0); undefined when unknown. */
  evaluateNumber(input: ConditionInput | Float64Array): number | undefined {
    return definedOrUndefined(this.root(this.scratchFrameOf(input)));
  }

  /** For a top-level comparison, the value of each side (undefined when unknown). */
  sides(input: ConditionInput | Float64Array): { left: number | undefined; right: number | undefined } | undefined {
    const shape = this.comparison;
    if (shape === undefined) return undefined;
    const frame = this.frameOf(input);
    return { left: this.valueOf(shape.left, frame), right: this.valueOf(shape.right, frame) };
  }

  /** The variables this condition reads that have no finite value in the input. */
  missing(input: ConditionInput | Float64Array): string[] {
    const frame = this.frameOf(input);
    return this.variables.filter((_, i) => {
      const value = frame[this.slots[i] as number] ?? Number.NaN;
      return !(value - value === 0);
    });
  }

  /** The raw value (1 / 0 / NaN for conditions) of any subexpression of this condition's AST. */
  valueOf(expr: Expr, frame: Float64Array): number | undefined {
    return definedOrUndefined(this.compileSub(expr)(frame));
  }

  /** The source text of a subexpression of this condition's AST. */
  textOf(expr: Expr): string {
    return this.source.slice(expr.start, expr.end);
  }

  /** The frame this condition reads for the input: a frame is used as is, anything else is read by name. */
  frameOf(input: ConditionInput | Float64Array): Float64Array {
    if (input instanceof Float64Array) return input;
    return this.fill(input, new Float64Array(this.index.size).fill(Number.NaN));
  }

  /** Like frameOf, but reuses one scratch frame (evaluation is synchronous; a re-entrant read gets its own). */
  private scratchFrameOf(input: ConditionInput | Float64Array): Float64Array {
    if (input instanceof Float64Array) return input;
    if (this.filling) return this.frameOf(input);
    this.filling = true;
    try {
      return this.fill(input, this.scratch);
    } finally {
      this.filling = false;
    }
  }

  private fill(input: ConditionInput, frame: Float64Array): Float64Array {
    return readInto(input, this.variables, this.slots, frame);
  }

  private compileSub(expr: Expr): FrameFn {
    let fn = this.subexpressions.get(expr);
    if (fn === undefined) {
      const index = this.index;
      fn = compileToFrameFn(expr, (name) => index.slotOf(name) ?? -1);
      this.subexpressions.set(expr, fn);
    }
    return fn;
  }
}

function refuseUnknownNames(source: string, ast: Expr, index: VariableIndex): void {
  for (const variable of variableNodes(ast)) {
    if (!index.has(variable.name)) {
      const suggestion = closestName(variable.name, index.names);
      const hint = suggestion === undefined ? 'add it to the variable catalogue first' : `did you mean '${suggestion}'?`;
      throw new DslError(source, variable.start, `unknown variable '${variable.name}'`, hint);
    }
  }
}

const TYPE_HINT: Readonly<Record<ValueType, string>> = {
  boolean: 'a number was expected here, not a condition',
  number: 'a condition must compare, e.g. spread_pips < 3',
};

/**
 * Parses, type-checks and compiles an expression. Throws DslError (with position, line, column and an
 * excerpt) for anything malformed, and nothing else.
 */
export function compile(source: string, options: CompileOptions = {}): CompiledCondition {
  const ast = parse(source);
  const index = options.index ?? new VariableIndex();
  if (index.frozen) refuseUnknownNames(source, ast, index);
  const type = checkTypes(source, ast);
  const expect = options.expect ?? 'boolean';
  if (expect !== 'any' && type !== expect) {
    const what = expect === 'boolean' ? 'a condition (true when healthy)' : 'a number';
    throw new DslError(source, ast.start, `expected ${what}, but this is ${type === 'number' ? 'a number' : 'a condition'}`, TYPE_HINT[type]);
  }
  return new CompiledCondition(source, ast, type, index);
}

// One pulse's decision, pure: constraints -> quality gates -> agents -> the mode manager's pulse.
// The hot path of the control loop (bench/pulse.ts holds it to p99 <= 1 ms with 1,000
// constraints): the constraints that apply are picked once per circumstance (session, symbol,
// regime), each condition runs as compiled closures over the pulse's frame, and only the results
// people read (failing and unknown) are explained; a pass is a shared, constant result.
import { consult, type AgentConfig, type AgentSnapshot, type Consensus, DEFAULT_AGENT_CONFIG } from '../agents';
import {
  constraintApplies, evaluateConstraint, formatNumber, type ConstraintDefinition, type ConstraintFilterContext, type ConstraintResult,
} from '../constraints';
import { DEFAULT_GATE_POLICY, scoreGates, type GatePolicy, type GateReport } from '../gates';
import type { ModePulse } from '../modes';

export interface SubsystemScores {
  comm_score: number | null;
  signal_score: number | null;
  exec_score: number | null;
}

export interface DecisionInput extends SubsystemScores {
  /** The pulse's frame, laid out by CONSTRAINT_VARIABLE_INDEX. */
  frame: Float64Array;
  /** The agents' flat record (their own EA state encoding, their extra inputs). */
  vars: Readonly<Record<string, number | null | undefined>>;
  filter: ConstraintFilterContext;
  high_volatility: boolean;
}

export interface Decision {
  results: ConstraintResult[];
  gates: GateReport;
  consensus: Consensus;
  pulse: ModePulse;
}

const filterKey = (f: ConstraintFilterContext) => `${f.session ?? ''}|${f.symbol?.toUpperCase() ?? ''}|${f.regime ?? ''}`;

type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
const FLIPPED: Readonly<Record<CompareOp, CompareOp>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

/** A condition that is one comparison, prepared once: which side is measured and which is the limit. */
interface Shape {
  op: CompareOp;
  measured: { expr: NonNullable<ConstraintDefinition['compiled']['comparison']>['left']; text: string; variable: boolean };
  limit: { expr: NonNullable<ConstraintDefinition['compiled']['comparison']>['left']; text: string; variable: boolean };
}

function shapeOf(d: ConstraintDefinition): Shape | null {
  const c = d.compiled.comparison;
  if (!c) return null;
  const names = new Set(d.compiled.variables);
  const reads = (text: string) => (text.match(/[A-Za-z_][A-Za-z0-9_.]*/g) ?? []).some((t) => names.has(t));
  const left = { expr: c.left, text: c.leftText, variable: reads(c.leftText) };
  const right = { expr: c.right, text: c.rightText, variable: reads(c.rightText) };
  // The measured side is the one that reads the pulse; a bare number on the left becomes the limit (as explain does).
  return !left.variable && right.variable ? { op: FLIPPED[c.op], measured: right, limit: left } : { op: c.op, measured: left, limit: right };
}

const defined = (v: number | undefined) => (v !== undefined && v - v === 0 ? v : undefined);

/** The loaded constraints, with the applicable set cached per circumstance. */
export class ConstraintEngine {
  private readonly applicable = new Map<string, ConstraintDefinition[]>();
  private readonly passes = new Map<ConstraintDefinition, ConstraintResult>();
  private readonly shapes = new Map<ConstraintDefinition, Shape | null>();

  constructor(readonly definitions: readonly ConstraintDefinition[]) {}

  applicableTo(filter: ConstraintFilterContext): readonly ConstraintDefinition[] {
    const key = filterKey(filter);
    let list = this.applicable.get(key);
    if (!list) {
      list = this.definitions.filter((d) => constraintApplies(d.filters, filter));
      if (this.applicable.size > 64) this.applicable.clear();
      this.applicable.set(key, list);
    }
    return list;
  }

  private passOf(d: ConstraintDefinition): ConstraintResult {
    let r = this.passes.get(d);
    if (!r) {
      r = Object.freeze({ id: d.id, gate: d.gate, severity: d.severity, status: 'pass', explanation: 'pass' }) as ConstraintResult;
      this.passes.set(d, r);
    }
    return r;
  }

  /**
   * One failing or unknown constraint, explained. A single comparison (nearly every constraint) is
   * explained from its two sides directly, in the words of constraints/explanationOf; anything else
   * goes through the general explainer.
   */
  explain(d: ConstraintDefinition, frame: Float64Array, raw: number): ConstraintResult {
    let shape = this.shapes.get(d);
    if (shape === undefined) {
      shape = shapeOf(d);
      this.shapes.set(d, shape);
    }
    if (shape === null) return evaluateConstraint(d, frame);
    const c = d.compiled;
    const value = defined(c.valueOf(shape.measured.expr, frame));
    const limit = defined(c.valueOf(shape.limit.expr, frame));
    const result: ConstraintResult = { id: d.id, gate: d.gate, severity: d.severity, status: raw === 0 ? 'fail' : 'unknown', explanation: '' };
    if (value !== undefined) result.value = value;
    if (limit !== undefined) result.limit = limit;
    if (raw === 0) {
      const limitText = shape.limit.variable ? `${shape.limit.text} = ${formatNumber(limit)}` : shape.limit.text;
      result.explanation = `${shape.measured.text} = ${formatNumber(value)}, must be ${shape.op} ${limitText}`;
      return result;
    }
    const missing = c.missing(frame);
    if (missing.length > 0) {
      result.missing = missing;
      result.explanation = `unknown: no value for ${missing.join(', ')}`;
    } else {
      const culprit = value === undefined ? shape.measured.text : shape.limit.text;
      result.explanation = `unknown: ${culprit} could not be computed (division by zero or a result out of range)`;
    }
    return result;
  }

  /**
   * Evaluates the applicable constraints: passes are shared constants, failures and unknowns are
   * explained. The frame is read now and never kept.
   */
  evaluate(frame: Float64Array, filter: ConstraintFilterContext): ConstraintResult[] {
    const list = this.applicableTo(filter);
    const out: ConstraintResult[] = new Array<ConstraintResult>(list.length);
    for (let i = 0; i < list.length; i++) {
      const d = list[i]!;
      const raw = d.compiled.evaluateFrameValue(frame);
      out[i] = raw === 1 ? this.passOf(d) : this.explain(d, frame, raw);
    }
    return out;
  }
}

/** One pulse's decision: the results, the gates, the agents' consensus and the mode manager's pulse. */
export function decide(
  engine: ConstraintEngine,
  input: DecisionInput,
  options: { agents?: AgentConfig; gates?: GatePolicy } = {},
): Decision {
  const results = engine.evaluate(input.frame, input.filter);
  const gates = scoreGates(results, { high_volatility: input.high_volatility, policy: options.gates ?? DEFAULT_GATE_POLICY });
  const snapshot: AgentSnapshot = { gates: gates.gates, vars: input.vars };
  const consensus = consult(snapshot, options.agents ?? DEFAULT_AGENT_CONFIG);
  const v = (name: string) => {
    const x = input.vars[name];
    return typeof x === 'number' && Number.isFinite(x) ? x : null;
  };
  const pulse: ModePulse = {
    gates: gates.gates,
    comm_score: input.comm_score,
    signal_score: input.signal_score,
    exec_score: input.exec_score,
    portfolio_correlation: v('portfolio_correlation'),
    slippage_bps: v('slippage_bps'),
    emergency_stop: consensus.veto ? { facts: [...consensus.veto.facts] } : null,
  };
  return { results, gates, consensus, pulse };
}

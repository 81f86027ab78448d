// config/constraints.yaml -> validated, compiled definitions. Every problem is reported at once, each with
// the file, line, constraint id, key and fix:
//   config/constraints.yaml:42 constraint 'spread_vs_normal' condition: unexpected ')' at column 18 (...)
// This is the only file of the folder that touches Node (reading the file); parseConstraints is pure.
import { readFileSync } from 'node:fs';
import type { Document, Node as YamlNode } from 'yaml';
import { LineCounter, Scalar, isNode, isScalar, parseDocument } from 'yaml';
import type { Place, SpecEntry, SpecLocator } from './define';
import { compileSpecs, entryName } from './define';
import { locate as locateInText } from './dsl/errors';
import type { ConstraintIssue } from './issues';
import { ConstraintConfigError } from './issues';
import { describeSchemaErrors, validateConstraintSpec, validateConstraintsFile } from './schema';
import type { ConstraintDefinition } from './types';

class YamlLocator implements SpecLocator {
  constructor(
    private readonly text: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  locate(entry: number, key: readonly (string | number)[], conditionOffset?: number): Place {
    return this.placeOf(['constraints', entry, ...key], conditionOffset);
  }

  /** The place of the value at `path`, or of its nearest existing ancestor (a missing key: its mapping). */
  placeOf(path: readonly (string | number)[], scalarOffset?: number): Place {
    for (let n = path.length; n >= 0; n--) {
      const node: unknown = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      if (!isNode(node) || node.range === undefined || node.range === null) continue;
      if (n === path.length && scalarOffset !== undefined && isScalar(node)) return this.insideScalar(node, scalarOffset);
      return this.at((node as YamlNode).range?.[0] ?? 0);
    }
    return {};
  }

  private at(offset: number): Place {
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  // An offset into the scalar's value, mapped back to the file when the value is written out verbatim.
  private insideScalar(node: Scalar, offset: number): Place {
    const [start, end] = node.range ?? [0, 0];
    const raw = this.text.slice(start, end);
    const value = String(node.value);
    if (node.type === Scalar.PLAIN && raw === value) return this.at(start + offset);
    if ((node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE) && raw.slice(1, -1) === value) {
      return this.at(start + 1 + offset);
    }
    // A literal block (|) starts on the line after its header and keeps its line breaks.
    if (node.type === Scalar.BLOCK_LITERAL) return { line: this.lines.linePos(start).line + locateInText(value, offset).line };
    return { line: this.lines.linePos(start).line };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and validates constraints YAML; throws ConstraintConfigError listing every problem. */
export function parseConstraints(text: string, fileName: string): ConstraintDefinition[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConstraintConfigError(
      doc.errors.map((error) => {
        const pos = lines.linePos(error.pos[0]);
        return { file: fileName, line: pos.line, column: pos.col, message: `not valid YAML: ${error.message.split('\n')[0] ?? ''}` };
      }),
    );
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    throw new ConstraintConfigError([{ file: fileName, line: 1, message: 'the file is empty (expected `version: 1` and a `constraints:` list)' }]);
  }

  const locator = new YamlLocator(text, doc, lines);
  const list = isRecord(data) && Array.isArray(data.constraints) ? (data.constraints as unknown[]) : [];
  const issues: ConstraintIssue[] = [];
  if (!validateConstraintsFile(data)) {
    for (const problem of describeSchemaErrors(validateConstraintsFile.errors)) {
      const [top, entry, ...key] = problem.path;
      const place = locator.placeOf(problem.path);
      if (top === 'constraints' && typeof entry === 'number') {
        issues.push({
          file: fileName,
          ...place,
          constraint_id: entryName(list[entry], entry),
          key: key.length > 0 ? key.join('.') : undefined,
          message: problem.message,
        });
      } else {
        issues.push({ file: fileName, ...place, key: problem.path.length > 0 ? problem.path.join('.') : undefined, message: problem.message });
      }
    }
  }

  // Every entry's id and condition are checked, also when the schema refused the entry, so one pass shows every problem.
  const entries: SpecEntry[] = list.map((spec, entry) => ({ entry, spec, valid: validateConstraintSpec(spec) }));
  const compiled = compileSpecs(entries, fileName, locator);
  issues.push(...compiled.issues);
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (issues.length > 0) throw new ConstraintConfigError(issues);
  return compiled.definitions;
}

/** Reads, parses and validates a constraints file; throws ConstraintConfigError listing every problem. */
export function loadConstraints(filePath: string): ConstraintDefinition[] {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConstraintConfigError([{ file: filePath, message: `cannot read the file (${reason})` }]);
  }
  return parseConstraints(text, filePath);
}

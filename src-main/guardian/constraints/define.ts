// Specs -> definitions: compile every condition against the variable catalogue, refuse duplicate ids and
// unknown names, and report every problem at once (an operator fixing a file wants the whole list).
import { compile } from './dsl/compile';
import { DslError } from './dsl/errors';
import type { ConstraintIssue } from './issues';
import { ConstraintConfigError } from './issues';
import { describeSchemaErrors, validateConstraintSpec } from './schema';
import type { ConstraintDefinition, ConstraintSpec } from './types';
import { CONSTRAINT_VARIABLE_INDEX } from './variables';

export interface Place {
  readonly line?: number;
  readonly column?: number;
}

/** Maps a constraint entry (and a key path inside it) to its place in the source file. */
export interface SpecLocator {
  /** `conditionOffset`: a 0-based offset into the condition text, for a fault inside the condition. */
  locate(entry: number, key: readonly (string | number)[], conditionOffset?: number): Place;
}

export interface SpecEntry {
  /** Position of the entry in its list, for locating it and naming it when it has no id. */
  readonly entry: number;
  /** The entry as found; only a `valid` one (it passed the schema) becomes a definition. */
  readonly spec: unknown;
  readonly valid: boolean;
}

function keyText(path: readonly (string | number)[]): string | undefined {
  return path.length === 0 ? undefined : path.join('.');
}

function field(spec: unknown, key: string): unknown {
  return typeof spec === 'object' && spec !== null && Object.hasOwn(spec, key) ? (spec as Record<string, unknown>)[key] : undefined;
}

/** The name of an entry in messages: its id, or '#3' for the third entry when it has none. */
export function entryName(spec: unknown, entry: number): string {
  const id = field(spec, 'id');
  return typeof id === 'string' ? id : `#${entry + 1}`;
}

/**
 * Refuses duplicate ids and compiles every condition (also of entries that failed the schema, so one
 * pass reports every problem). Returns the definitions of the valid entries and the issues found.
 */
export function compileSpecs(
  entries: readonly SpecEntry[],
  file?: string,
  locator?: SpecLocator,
): { definitions: ConstraintDefinition[]; issues: ConstraintIssue[] } {
  const definitions: ConstraintDefinition[] = [];
  const issues: ConstraintIssue[] = [];
  const firstSeen = new Map<string, number>();
  const placeOf = (entry: number, key: readonly (string | number)[], offset?: number): Place => locator?.locate(entry, key, offset) ?? {};

  for (const { entry, spec, valid } of entries) {
    const base = { file, constraint_id: entryName(spec, entry) };
    const id = field(spec, 'id');
    if (typeof id === 'string') {
      const first = firstSeen.get(id);
      if (first !== undefined) {
        const firstLine = placeOf(first, ['id']).line;
        const where = firstLine === undefined ? `entry ${first + 1}` : `line ${firstLine}`;
        issues.push({ ...base, ...placeOf(entry, ['id']), key: 'id', message: `duplicate id: already defined at ${where} (ids must be unique)` });
        continue;
      }
      firstSeen.set(id, entry);
    }

    const condition = field(spec, 'condition');
    if (typeof condition !== 'string') continue;
    let compiled;
    try {
      compiled = compile(condition, { index: CONSTRAINT_VARIABLE_INDEX, expect: 'boolean' });
    } catch (error) {
      if (!(error instanceof DslError)) throw error;
      issues.push({ ...base, ...placeOf(entry, ['condition'], error.position), key: 'condition', message: error.message, excerpt: error.excerpt });
      continue;
    }
    if (compiled.variables.length === 0) {
      const message = 'reads no variable, so it can never tell health from failure (name at least one variable)';
      issues.push({ ...base, ...placeOf(entry, ['condition']), key: 'condition', message });
      continue;
    }
    if (!valid) continue;

    const good = spec as ConstraintSpec;
    const line = placeOf(entry, []).line;
    const filters =
      good.filters?.symbols === undefined ? good.filters : { ...good.filters, symbols: good.filters.symbols.map((symbol) => symbol.toUpperCase()) };
    definitions.push({
      ...good,
      ...(filters === undefined ? {} : { filters }),
      compiled,
      ...(file !== undefined && line !== undefined ? { origin: { file, line } } : {}),
    });
  }
  return { definitions, issues };
}

/**
 * Validates and compiles constraints that did not come from the YAML file (e.g. rows of the repository).
 * Throws ConstraintConfigError listing every problem.
 */
export function defineConstraints(specs: readonly unknown[], options: { readonly file?: string } = {}): ConstraintDefinition[] {
  const issues: ConstraintIssue[] = [];
  const entries: SpecEntry[] = [];
  specs.forEach((spec, entry) => {
    const valid = validateConstraintSpec(spec);
    entries.push({ entry, spec, valid });
    if (valid) return;
    for (const problem of describeSchemaErrors(validateConstraintSpec.errors)) {
      issues.push({ file: options.file, constraint_id: entryName(spec, entry), key: keyText(problem.path), message: problem.message });
    }
  });
  const compiled = compileSpecs(entries, options.file);
  issues.push(...compiled.issues);
  if (issues.length > 0) throw new ConstraintConfigError(issues);
  return compiled.definitions;
}

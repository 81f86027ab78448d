// Problems found while loading constraints, each pointing at the file, line, constraint and key, with the fix.

export interface ConstraintIssue {
  readonly file?: string;
  /** 1-based line in the file. */
  readonly line?: number;
  /** 1-based column in the file, when known exactly. */
  readonly column?: number;
  readonly constraint_id?: string;
  /** The key of the constraint at fault ('condition', 'filters.sessions.0', ...). */
  readonly key?: string;
  /** What is wrong and, where obvious, how to fix it. */
  readonly message: string;
  /** For a condition: its text with a caret under the fault. */
  readonly excerpt?: string;
}

/** "config/constraints.yaml:42 constraint 'spread_vs_normal' condition: unexpected ')' at column 18" */
export function formatIssue(issue: ConstraintIssue): string {
  const where = issue.file === undefined ? '' : issue.line === undefined ? `${issue.file}: ` : `${issue.file}:${issue.line} `;
  const who = issue.constraint_id === undefined ? '' : `constraint '${issue.constraint_id}' `;
  const what = issue.key === undefined ? '' : `${issue.key}: `;
  const head = `${where}${who}${what}${issue.message}`;
  return issue.excerpt === undefined ? head : `${head}\n${issue.excerpt.replace(/^/gm, '    ')}`;
}

export class ConstraintConfigError extends Error {
  override readonly name = 'ConstraintConfigError';

  constructor(readonly issues: readonly ConstraintIssue[]) {
    super(issues.map(formatIssue).join('\n'));
  }
}

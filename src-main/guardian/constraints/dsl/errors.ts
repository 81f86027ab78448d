// A refused expression names where it went wrong, so the operator can fix the YAML without guessing.

export interface SourceLocation {
  /** 0-based character offset into the source; source.length means "at the end". */
  readonly position: number;
  /** 1-based line within the source. */
  readonly line: number;
  /** 1-based column within that line. */
  readonly column: number;
}

/** Line and column (both 1-based) of a 0-based offset; offsets outside the source are clamped. */
export function locate(source: string, position: number): SourceLocation {
  const at = Math.max(0, Math.min(position, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { position: at, line, column: at - lineStart + 1 };
}

const EXCERPT_WIDTH = 72;

/** The line holding the position (cut to a readable width) and a caret under the spot. */
export function excerptAt(source: string, position: number): string {
  const at = Math.max(0, Math.min(position, source.length));
  // lastIndexOf treats a negative start as 0 and would find a newline at 0: guard the first character.
  const lineStart = at === 0 ? 0 : source.lastIndexOf('\n', at - 1) + 1;
  const newline = source.indexOf('\n', at);
  const lineEnd = newline === -1 ? source.length : newline;
  let from = lineStart;
  let to = lineEnd;
  if (to - from > EXCERPT_WIDTH) {
    from = Math.max(lineStart, at - Math.floor(EXCERPT_WIDTH / 2));
    to = Math.min(lineEnd, from + EXCERPT_WIDTH);
  }
  // Tabs and other control characters would misplace the caret, so they show as spaces.
  let text = '';
  for (let i = from; i < to; i++) {
    const code = source.charCodeAt(i);
    text += code < 32 || code === 127 ? ' ' : (source[i] ?? ' ');
  }
  return `${text}\n${' '.repeat(at - from)}^`;
}

export class DslError extends Error {
  override readonly name = 'DslError';
  /** What went wrong, without the location ("unexpected ')'"). */
  readonly reason: string;
  /** How to fix it, when there is an obvious fix ("use 'and' instead of '&&'"). */
  readonly hint: string | undefined;
  readonly position: number;
  readonly line: number;
  readonly column: number;
  /** The offending line with a caret under the position. */
  readonly excerpt: string;
  readonly source: string;

  constructor(source: string, position: number, reason: string, hint?: string) {
    const where = locate(source, position);
    const at = source.includes('\n') ? `line ${where.line}, column ${where.column}` : `column ${where.column}`;
    super(`${reason} at ${at}${hint === undefined ? '' : ` (${hint})`}`);
    this.reason = reason;
    this.hint = hint;
    this.position = where.position;
    this.line = where.line;
    this.column = where.column;
    this.excerpt = excerptAt(source, where.position);
    this.source = source;
  }
}

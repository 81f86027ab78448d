// Turns condition text into tokens. Hand-written and linear: a config typo must never cost more than a scan.
import { DslError } from './errors';

export type TokenKind =
  | 'number'
  | 'name'
  | 'and'
  | 'or'
  | 'not'
  | 'true'
  | 'false'
  | '+'
  | '-'
  | '*'
  | '/'
  | '('
  | ')'
  | ','
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The text as written. */
  readonly text: string;
  /** Numeric value of a 'number' token. */
  readonly value: number;
  readonly start: number;
  readonly end: number;
}

const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ['and', 'and'],
  ['or', 'or'],
  ['not', 'not'],
  ['true', 'true'],
  ['false', 'false'],
]);

// Segments that would reach the prototype machinery if a context were ever walked as an object.
export const FORBIDDEN_NAME_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

// Characters people reach for from other languages, and what to write instead.
const FOREIGN_OPERATORS: Readonly<Record<string, string>> = {
  '&': "use 'and' instead of '&&'",
  '|': "use 'or' instead of '||'",
  '!': "use 'not' to negate, or '!=' for 'not equal'",
  '=': "use '==' to compare",
  '^': "there is no power operator: multiply instead",
  '%': 'there is no remainder operator',
  "'": 'text values are not supported: compare numbers (for a state, use its numeric code)',
  '"': 'text values are not supported: compare numbers (for a state, use its numeric code)',
  '[': 'there are no lists or indexes: use dotted names such as signal_age_s.primary',
  '?': "there is no '?:' choice: combine comparisons with 'and' / 'or'",
};

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code < 32 || code === 127 ? `character U+${code.toString(16).padStart(4, '0').toUpperCase()}` : `'${ch}'`;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value = 0): void => {
    tokens.push({ kind, text: source.slice(start, end), value, start, end });
  };

  while (i < n) {
    const c = source.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;

    if (isDigit(c) || (c === 46 && i + 1 < n && isDigit(source.charCodeAt(i + 1)))) {
      i = scanNumber(source, i);
      const text = source.slice(start, i);
      const value = Number(text);
      if (!Number.isFinite(value)) {
        throw new DslError(source, start, `number '${text}' is too large`);
      }
      if (i < n && isNameStart(source.charCodeAt(i))) {
        throw new DslError(source, i, `unexpected '${source[i] ?? ''}' after the number '${text}'`, 'put an operator between a number and a name');
      }
      push('number', start, i, value);
      continue;
    }

    if (isNameStart(c)) {
      i = scanName(source, i);
      const text = source.slice(start, i);
      const keyword = KEYWORDS.get(text);
      push(keyword ?? 'name', start, i);
      continue;
    }

    const next = i + 1 < n ? source[i + 1] : '';
    const ch = source[i] ?? '';
    switch (ch) {
      case '+':
      case '-':
      case '*':
      case '/':
      case '(':
      case ')':
      case ',':
        push(ch, start, i + 1);
        i++;
        continue;
      case '<':
      case '>':
        if (next === '=') {
          push(ch === '<' ? '<=' : '>=', start, i + 2);
          i += 2;
        } else {
          push(ch, start, i + 1);
          i++;
        }
        continue;
      case '=':
        if (next === '=') {
          push('==', start, i + 2);
          i += 2;
          continue;
        }
        break;
      case '!':
        if (next === '=') {
          push('!=', start, i + 2);
          i += 2;
          continue;
        }
        break;
      default:
        break;
    }
    const hint = FOREIGN_OPERATORS[ch];
    throw new DslError(source, start, `unexpected ${describeChar(String.fromCodePoint(source.codePointAt(i) ?? 0))}`, hint);
  }
  // "Ends too early" points just past the last written character, not past trailing blank lines.
  let end = n;
  while (end > 0 && isSpace(source.charCodeAt(end - 1))) end--;
  push('end', end, end);
  return tokens;
}

// digits [ '.' digits ] [ ('e'|'E') ['+'|'-'] digits ], or '.' digits [...]
function scanNumber(source: string, from: number): number {
  const n = source.length;
  let i = from;
  while (i < n && isDigit(source.charCodeAt(i))) i++;
  if (i < n && source.charCodeAt(i) === 46) {
    i++;
    if (i >= n || !isDigit(source.charCodeAt(i))) {
      throw new DslError(source, i, `a digit must follow the decimal point in '${source.slice(from, i)}'`, `write ${source.slice(from, i)}0`);
    }
    while (i < n && isDigit(source.charCodeAt(i))) i++;
  }
  const e = source.charCodeAt(i);
  if (e === 101 || e === 69) {
    let j = i + 1;
    const sign = source.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    if (j >= n || !isDigit(source.charCodeAt(j))) {
      throw new DslError(source, j, `the exponent of '${source.slice(from, j)}' needs digits`, 'write e.g. 1e-3');
    }
    while (j < n && isDigit(source.charCodeAt(j))) j++;
    i = j;
  }
  return i;
}

// segment ('.' segment)*, each segment [A-Za-z_][A-Za-z0-9_]*
function scanName(source: string, from: number): number {
  const n = source.length;
  let i = from;
  let segmentStart = i;
  for (;;) {
    while (i < n && isNamePart(source.charCodeAt(i))) i++;
    const segment = source.slice(segmentStart, i);
    if (FORBIDDEN_NAME_SEGMENTS.has(segment)) {
      throw new DslError(source, segmentStart, `'${segment}' is not allowed in a name`, 'choose another variable name');
    }
    if (i < n && source.charCodeAt(i) === 46) {
      const after = i + 1;
      if (after >= n || !isNameStart(source.charCodeAt(after))) {
        throw new DslError(source, after, `a name cannot end with '.' ('${source.slice(from, after)}')`, 'each part of a dotted name starts with a letter or _');
      }
      i = after;
      segmentStart = i;
      continue;
    }
    return i;
  }
}

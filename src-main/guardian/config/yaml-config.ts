// Loads a YAML config file and checks it against its JSON Schema. Errors name the file, the
// line, the key and what is wrong, so an operator can fix the file without reading code.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isNode } from 'yaml';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

function validatorFor(schemaFile: string): ReturnType<typeof ajv.compile> {
  let v = validators.get(schemaFile);
  if (!v) {
    v = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
    validators.set(schemaFile, v);
  }
  return v;
}

/** Reads and validates; throws ConfigError listing every problem found. */
export function loadYamlConfig<T>(file: string, schemaFile: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  return parseYamlConfig<T>(text, file, schemaFile);
}

export function parseYamlConfig<T>(text: string, file: string, schemaFile: string): T {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => {
      const pos = e.pos?.[0] !== undefined ? lines.linePos(e.pos[0]) : undefined;
      return `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML: ${e.message.split('\n')[0]}`;
    }));
  }
  const value: unknown = doc.toJS();
  const validate = validatorFor(schemaFile);
  if (!validate(value)) {
    throw new ConfigError((validate.errors ?? []).map((e) => describe(e, file, doc, lines)));
  }
  return value as T;
}

function describe(e: ErrorObject, file: string, doc: ReturnType<typeof parseDocument>, lines: LineCounter): string {
  const path = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let key = path.join('.') || '(top level)';
  let what = e.message ?? 'is not valid';
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    path.push(extra);
    key = path.join('.');
    what = 'is not a known key (a typo? see the schema for the allowed keys)';
  } else if (e.keyword === 'required') {
    key = [...path, (e.params as { missingProperty: string }).missingProperty].join('.');
    what = 'is missing';
  } else if (e.keyword === 'enum') {
    what = `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  const line = lineOf(doc, path, lines);
  return `${file}${line ? `:${line}` : ''}: ${key} ${what}`;
}

function lineOf(doc: ReturnType<typeof parseDocument>, path: string[], lines: LineCounter): number | undefined {
  // The nearest node that exists: a missing key is reported on its parent's line.
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n).map((p) => (/^\d+$/.test(p) ? Number(p) : p)), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

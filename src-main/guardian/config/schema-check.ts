// One YAML file against its JSON Schema, each error as a ConfigProblem with its line and a fix.
// Beyond the schema, the ranges the issue fixes for every file, by the key's name, so that a new
// file (pretrade.yaml) is held to them even where its schema is looser:
//   *port                            0-65535 (0 picks a free port)
//   *risk*_pct, risk_pct             0-5     (a risk percent)
//   *drawdown*_pct                   0-100
//   *score*, *_below, recover_threshold  0-100
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { dotted, lineOf, suggest, type ConfigProblem } from './problems';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schemaFile: string): ValidateFunction {
  let v = compiled.get(schemaFile);
  if (!v) {
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { $id?: string };
    // Two schemas sharing an $id (a test's copy) must not clash in the one Ajv instance.
    const { $id: _id, ...rest } = schema;
    v = ajv.compile(rest);
    compiled.set(schemaFile, v);
  }
  return v;
}

export interface ParsedYaml {
  doc: Document;
  lines: LineCounter;
  /** The data with the schema's defaults filled in (when it validated). */
  value: unknown;
}

/** Reads and parses; a file that cannot be read or is not YAML gives problems and no document. */
export function readYaml(file: string, text?: string): { parsed?: ParsedYaml; problems: ConfigProblem[] } {
  let body = text;
  if (body === undefined) {
    try {
      body = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      return { problems: [{ file, key: '', problem: `cannot read the file (${code})`, fix: code === 'ENOENT' ? 'create the file, or point Guardian at the right one' : 'check its permissions' }] };
    }
  }
  const lines = new LineCounter();
  const doc = parseDocument(body, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      problems: doc.errors.map((e) => ({
        file, line: e.pos?.[0] !== undefined ? lines.linePos(e.pos[0]).line : undefined, key: '',
        problem: `not valid YAML: ${e.message.split('\n')[0] ?? ''}`, fix: 'check the indentation and quoting on that line',
      })),
    };
  }
  return { parsed: { doc, lines, value: doc.toJS() as unknown }, problems: [] };
}

const pathOf = (instancePath: string): (string | number)[] =>
  instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).map((p) => (/^\d+$/.test(p) ? Number(p) : p));

function describe(e: ErrorObject, file: string, y: ParsedYaml): ConfigProblem {
  const path = pathOf(e.instancePath);
  const params = e.params as Record<string, unknown>;
  const schema = e.parentSchema as { properties?: Record<string, { default?: unknown }>; minimum?: number; maximum?: number; exclusiveMinimum?: number } | undefined;
  const at = (p: (string | number)[]) => ({ file, line: lineOf(y.doc, y.lines, p), key: dotted(p) });
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys(schema?.properties ?? {});
      const near = suggest(key, known);
      return { ...at([...path, key]), problem: 'is not a known key', fix: near ? `did you mean '${near}'?` : `remove it; the allowed keys here are ${known.join(', ')}` };
    }
    case 'required': {
      const key = String(params.missingProperty);
      const d = schema?.properties?.[key]?.default;
      return { ...at([...path, key]), problem: 'is missing', fix: d === undefined ? `add ${key}: (see the schema for its meaning)` : `add ${key}: ${JSON.stringify(d)}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => String(v));
      const near = typeof e.data === 'string' ? suggest(e.data, allowed) : undefined;
      return { ...at(path), problem: `must be one of ${allowed.join(', ')} (it is ${JSON.stringify(e.data)})`, fix: near ? `did you mean '${near}'?` : `use one of ${allowed.join(', ')}` };
    }
    case 'type': {
      const type = String(params.type);
      const a = /^[aeiou]/.test(type) ? 'an' : 'a';
      return { ...at(path), problem: `must be ${a} ${type} (it is ${JSON.stringify(e.data)})`, fix: type === 'integer' || type === 'number' ? `write ${a} ${type} without quotes` : `write ${a} ${type}` };
    }
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum': {
      const lo = schema?.minimum ?? schema?.exclusiveMinimum;
      const range = lo !== undefined && schema?.maximum !== undefined ? `between ${lo} and ${schema.maximum}` : `${String(params.comparison)} ${String(params.limit)}`;
      return { ...at(path), problem: `must be ${String(params.comparison)} ${String(params.limit)} (it is ${JSON.stringify(e.data)})`, fix: `set a value ${range}` };
    }
    case 'const':
      return { ...at(path), problem: `must be ${JSON.stringify(params.allowedValue)}`, fix: `write ${JSON.stringify(params.allowedValue)}` };
    default:
      return { ...at(path), problem: e.message ?? 'is not valid', fix: 'see the schema for what this key accepts' };
  }
}

interface NamedRange { test: (key: string) => boolean; min: number; max: number; what: string }
const NAMED_RANGES: NamedRange[] = [
  { test: (k) => /port$/.test(k), min: 0, max: 65535, what: 'a port (0 picks a free one)' },
  { test: (k) => /risk/.test(k) && /_pct$/.test(k), min: 0, max: 5, what: 'a risk percent' },
  { test: (k) => /drawdown/.test(k) && /_pct$/.test(k), min: 0, max: 100, what: 'a drawdown percent' },
  { test: (k) => /score/.test(k) || /_below$/.test(k) || k === 'recover_threshold', min: 0, max: 100, what: 'a score' },
];

/** The ranges by key name, over the whole document. */
export function namedRangeProblems(file: string, y: ParsedYaml): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, [...path, k]);
    else if (typeof v === 'number') {
      const key = path[path.length - 1];
      const rule = typeof key === 'string' ? NAMED_RANGES.find((r) => r.test(key)) : undefined;
      if (rule && (v < rule.min || v > rule.max)) {
        out.push({ file, line: lineOf(y.doc, y.lines, path), key: dotted(path), problem: `must be between ${rule.min} and ${rule.max} for ${rule.what} (it is ${v})`, fix: `set a value between ${rule.min} and ${rule.max}` });
      }
    }
  };
  walk(y.value, []);
  return out;
}

/** Schema errors and named-range errors of one parsed file (the value gets the schema's defaults). */
export function schemaProblems(file: string, schemaFile: string, y: ParsedYaml): ConfigProblem[] {
  const validate = validatorFor(schemaFile);
  const problems = validate(y.value) ? [] : (validate.errors ?? []).map((e) => describe(e, file, y));
  const seen = new Set(problems.map((p) => p.key));
  for (const p of namedRangeProblems(file, y)) if (!seen.has(p.key)) problems.push(p);
  return problems;
}

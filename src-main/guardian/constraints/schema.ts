// config/constraints.schema.json, compiled once. The schema is imported (not read from disk) so the
// bundled Electron main process and the headless service carry the same copy.
import { Ajv, type ErrorObject } from 'ajv';
import schema from '../../../config/constraints.schema.json' with { type: 'json' };
import { closestName } from './dsl/suggest';

// verbose: errors carry the offending value and schema, for "did you mean" and the list of allowed keys.
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });

/** The whole file: { version: 1, constraints: [...] }. */
export const validateConstraintsFile = ajv.compile(schema);

/** One constraint entry (the schema's #/definitions/constraint), for constraints that come from elsewhere. */
export const validateConstraintSpec = ajv.compile({ $ref: `${schema.$id}#/definitions/constraint` });

export interface SchemaProblem {
  /** Path to the offending value, from the validated root (array indexes as numbers). */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function allowedKeys(error: ErrorObject): string[] {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties === undefined ? [] : Object.keys(properties);
}

/** ajv's errors in the operator's words, each with the path of the value at fault. */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const error of errors ?? []) {
    const path = pathOf(error.instancePath);
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String(params.additionalProperty);
        const known = allowedKeys(error);
        const suggestion = closestName(key, known);
        const fix = suggestion === undefined ? `allowed keys: ${known.join(', ')}` : `did you mean '${suggestion}'?`;
        problems.push({ path: [...path, key], message: `unknown key '${key}' (${fix})` });
        break;
      }
      case 'required':
        problems.push({ path: [...path, String(params.missingProperty)], message: 'is missing (this key is required)' });
        break;
      case 'enum': {
        const allowed = (params.allowedValues as unknown[]).map(String);
        const suggestion = typeof error.data === 'string' ? closestName(error.data, allowed) : undefined;
        const fix = suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
        problems.push({ path, message: `must be one of ${allowed.join(', ')}, not ${JSON.stringify(error.data)}${fix}` });
        break;
      }
      case 'pattern':
        problems.push({
          path,
          message:
            path.at(-1) === 'id'
              ? `${JSON.stringify(error.data)} is not a valid id (use lower_snake_case: a letter, then letters, digits or _)`
              : `${JSON.stringify(error.data)} does not match ${String(params.pattern)}`,
        });
        break;
      case 'const':
        problems.push({ path, message: `must be ${JSON.stringify(params.allowedValue)}` });
        break;
      case 'uniqueItems':
        problems.push({ path, message: 'lists the same value twice' });
        break;
      default:
        problems.push({ path, message: error.message ?? 'is not valid' });
    }
  }
  return problems;
}

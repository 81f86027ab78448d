// Every file in config/, checked together: guardian.yaml, constraints.yaml, failover-policy.yaml,
// runbooks.yaml and pretrade.yaml (when present). Each file against its JSON Schema, the ranges
// by key name (schema-check.ts), and the rules a schema cannot say (rules.ts); every problem of
// every file is reported at once, each with the file, line, key and fix. Guardian does not start
// on a problem (exit 78), and a running Guardian keeps its last good configuration (watch.ts).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConstraintConfigError, parseConstraints } from '../constraints';
import { parsePolicy, PolicyError } from '../modes';
import { CONFIG_DIR, DEFAULT_CONFIG_FILE } from './guardian-config';
import { formatProblem, lineOf, type ConfigProblem } from './problems';
import { constraintLimitRules, guardianRules, policyRules, pretradeRules, runbookRules } from './rules';
import { readYaml, schemaProblems, namedRangeProblems, type ParsedYaml } from './schema-check';
import { ConfigError } from './yaml-config';

export type ConfigFileKind = 'guardian' | 'constraints' | 'policy' | 'runbooks' | 'pretrade';

export interface ConfigFiles {
  guardian: string;
  constraints: string;
  policy: string;
  runbooks: string;
  /** Checked when the file exists (the pre-trade gate's limits). */
  pretrade?: string;
}

/** The files Guardian runs with: the shipped folder, with guardian.yaml from --config if given. */
export function defaultConfigFiles(guardian = DEFAULT_CONFIG_FILE, dir = CONFIG_DIR): ConfigFiles {
  return {
    guardian,
    constraints: join(dir, 'constraints.yaml'),
    policy: join(dir, 'failover-policy.yaml'),
    runbooks: join(dir, 'runbooks.yaml'),
    pretrade: join(dir, 'pretrade.yaml'),
  };
}

/** The schema beside a file's shipped copy: config/<name>.schema.json. */
const schemaOf = (kind: ConfigFileKind): string => join(CONFIG_DIR, `${kind === 'policy' ? 'failover-policy' : kind}.schema.json`);

function checkGuardian(file: string, y: ParsedYaml): ConfigProblem[] {
  const schema = schemaProblems(file, schemaOf('guardian'), y);
  return schema.length ? schema : guardianRules(file, y);
}

function checkPolicy(file: string, y: ParsedYaml): ConfigProblem[] {
  const problems = schemaProblems(file, schemaOf('policy'), y);
  if (problems.length) return problems;
  problems.push(...policyRules(file, y));
  if (problems.length) return problems;
  try {
    parsePolicy(y.value); // the mode manager's own validator: anything it refuses, Guardian refuses
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    const path = err.key.replace(/\[(\d+)\]/g, '.$1').split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    problems.push({ file, line: lineOf(y.doc, y.lines, path), key: err.key, problem: err.problem });
  }
  return problems;
}

function checkRunbooks(file: string, y: ParsedYaml): ConfigProblem[] {
  const schema = schemaProblems(file, schemaOf('runbooks'), y);
  return schema.length ? schema : runbookRules(file, y);
}

function checkConstraints(file: string, y: ParsedYaml, text: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  try {
    parseConstraints(text, file);
  } catch (err) {
    if (!(err instanceof ConstraintConfigError)) throw err;
    for (const i of err.issues) {
      const key = i.constraint_id !== undefined ? `constraints[${i.constraint_id}]${i.key ? `.${i.key}` : ''}` : (i.key ?? '');
      problems.push({ file, ...(i.line === undefined ? {} : { line: i.line }), key, problem: i.excerpt ? `${i.message}\n${i.excerpt.replace(/^/gm, '    ')}` : i.message });
    }
  }
  problems.push(...namedRangeProblems(file, y), ...constraintLimitRules(file, y));
  return problems;
}

function checkPretrade(file: string, y: ParsedYaml): ConfigProblem[] {
  // Its schema ships beside it (config/pretrade.schema.json); a copy elsewhere is held to the shipped one.
  const beside = join(dirname(file), `${basename(file, '.yaml')}.schema.json`);
  const schema = existsSync(schemaOf('pretrade')) ? schemaOf('pretrade') : existsSync(beside) ? beside : null;
  const problems = schema ? schemaProblems(file, schema, y) : namedRangeProblems(file, y);
  return problems.length ? problems : pretradeRules(file, y);
}

/** One file's problems (none: it is good). */
export function checkConfigFile(kind: ConfigFileKind, file: string, text?: string): ConfigProblem[] {
  let body = text;
  if (body === undefined) {
    try {
      body = readFileSync(file, 'utf8');
    } catch {
      // readYaml reports it
    }
  }
  const { parsed, problems } = readYaml(file, body);
  if (!parsed || body === undefined) return problems;
  switch (kind) {
    case 'guardian': return checkGuardian(file, parsed);
    case 'constraints': return checkConstraints(file, parsed, body);
    case 'policy': return checkPolicy(file, parsed);
    case 'runbooks': return checkRunbooks(file, parsed);
    case 'pretrade': return checkPretrade(file, parsed);
  }
}

/** The files of a set that exist to be checked (pretrade only when present). */
export function filesOf(files: ConfigFiles): [ConfigFileKind, string][] {
  const out: [ConfigFileKind, string][] = [['guardian', files.guardian], ['constraints', files.constraints], ['policy', files.policy], ['runbooks', files.runbooks]];
  if (files.pretrade && existsSync(files.pretrade)) out.push(['pretrade', files.pretrade]);
  return out;
}

/** Every problem of every file, in file order then line order. */
export function checkConfigFiles(files: ConfigFiles): ConfigProblem[] {
  return filesOf(files).flatMap(([kind, file]) => checkConfigFile(kind, file).sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
}

/** Throws a ConfigError listing every problem (`serve` prints it and exits 78). */
export function assertConfigFiles(files: ConfigFiles): void {
  const problems = checkConfigFiles(files);
  if (problems.length) throw new ConfigError(problems.map(formatProblem));
}

// config/runbooks.yaml -> validated runbooks. The JSON Schema (imported, so the bundled app
// carries the same copy) checks the shape; the rules a schema cannot say are checked here. Every
// problem is reported at once, with the file and the key.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parseDocument } from 'yaml';
import schema from '../../../config/runbooks.schema.json' with { type: 'json' };
import type { Runbook } from './types';

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

export class RunbookError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'RunbookError';
  }
}

/** Parses and validates runbooks YAML; throws RunbookError listing every problem. */
export function parseRunbooks(text: string, file = '<inline>'): Runbook[] {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) throw new RunbookError(doc.errors.map((e) => `${file}: not valid YAML: ${e.message.split('\n')[0] ?? ''}`));
  const data: unknown = doc.toJS();
  if (!validate(data)) {
    throw new RunbookError((validate.errors ?? []).map((e) => {
      const where = e.instancePath.split('/').slice(1).join('.') || '(top level)';
      const extra = e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty: string }).additionalProperty)}'` : '';
      return `${file}: ${where}${extra}: ${e.message ?? 'is not valid'}`;
    }));
  }
  const runbooks = (data as { runbooks: Runbook[] }).runbooks;
  const problems: string[] = [];
  const seen = new Set<string>();
  runbooks.forEach((r, i) => {
    const at = `${file}: runbooks.${i} (${r.id})`;
    if (seen.has(r.id)) problems.push(`${at}: duplicate id`);
    seen.add(r.id);
    if (r.triggers.includes('path_failing') && !(r.paths && r.paths.length > 0)) problems.push(`${at}: a path_failing runbook must list its paths`);
    const verify = r.steps.findIndex((s) => s.action === 'verify');
    const back = r.steps.findIndex((s) => s.action === 'switch_back');
    if (back >= 0 && (verify < 0 || verify > back)) problems.push(`${at}: switch_back must come after a verify step (traffic returns only to a proved path)`);
    for (const [k, s] of r.steps.entries()) {
      if ((s.pings !== undefined || s.rtt_budget_ms !== undefined) && s.action !== 'verify') problems.push(`${at}: steps.${k}: pings and rtt_budget_ms belong to a verify step`);
    }
  });
  if (problems.length > 0) throw new RunbookError(problems);
  return runbooks;
}

export function loadRunbooks(file: string): Runbook[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RunbookError([`${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  return parseRunbooks(text, file);
}

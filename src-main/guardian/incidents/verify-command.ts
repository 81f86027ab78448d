// `guardian verify-log`: checks the incident log's hash chain and anchor in a data dir's database.
// Exit 0: the log verifies; 1: problems, each listed; 2: usage, or no log to check.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { IncidentLogError } from './types';
import { verifyLog } from './verify';

export const VERIFY_LOG_USAGE = `Usage: guardian verify-log [--data-dir DIR | --file FILE] [--json]
  Checks the incident log: every entry's hash, the links between entries, and the anchor that
  shows a cut tail. --data-dir is Guardian's data dir (its guardian.db is checked); --file names a
  database directly. --json prints the result as JSON.
  Exit 0: the log verifies. 1: problems were found (each is listed). 2: usage, or no log to check.
`;

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CommandIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

export function verifyLogCommand(args: string[], options: { defaultDataDir?: string; io?: CommandIo } = {}): number {
  const io = options.io ?? processIo;
  let values: { 'data-dir'?: string; file?: string; json?: boolean; help?: boolean };
  try {
    values = parseArgs({
      args,
      options: { 'data-dir': { type: 'string' }, file: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    io.err(`guardian verify-log: ${(err as Error).message}\n\n${VERIFY_LOG_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(VERIFY_LOG_USAGE);
    return 0;
  }
  if (values.file !== undefined && values['data-dir'] !== undefined) {
    io.err(`guardian verify-log: give --data-dir or --file, not both\n\n${VERIFY_LOG_USAGE}`);
    return 2;
  }
  const file = values.file !== undefined
    ? resolve(values.file)
    : join(resolve(values['data-dir'] ?? options.defaultDataDir ?? join(process.cwd(), '.guardian-data')), 'guardian.db');
  let result;
  try {
    result = verifyLog(file);
  } catch (err) {
    const why = err instanceof IncidentLogError ? err.message : `cannot read ${file}: ${(err as Error).message}`;
    io.err(`guardian verify-log: ${why}\n`);
    return 2;
  }
  if (values.json) io.out(JSON.stringify({ file, ...result }, null, 2) + '\n');
  else if (result.ok) {
    io.out(`guardian verify-log: ${file}: ok, ${result.checked} entries verified; head ${result.head_hash ?? '(empty log)'}\n`);
  } else {
    const lines = result.problems.map((p) => `  id ${p.id}  ${p.kind.padEnd(13)}  ${p.detail}`);
    io.out(`guardian verify-log: ${file}: ${result.problems.length} problem(s) in ${result.checked} entries\n${lines.join('\n')}\n`);
  }
  return result.ok ? 0 : 1;
}

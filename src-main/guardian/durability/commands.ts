// `guardian restore --from-mirror | --snapshot FILE [--data-dir DIR] [--config FILE] [--force]`
// and `guardian snapshot [--data-dir DIR] [--config FILE]`. A restore refuses while a Guardian
// serves the data dir (its status file is fresh and its process alive).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadGuardianConfig, resolveInDataDir, DEFAULT_CONFIG_FILE, type GuardianConfig } from '../config';
import { openDatabase } from '../store';
import { guardianRunningOn } from '../status-file';
import { durabilityOf } from './durability';
import { databaseInUse } from './files';
import { RestoreError, restoreFromMirror, restoreFromSnapshot, type RestoreReport } from './restore';
import { takeSnapshot } from './snapshots';

export interface CommandEnv {
  defaultDataDir: string;
  out?: (s: string) => void;
  err?: (s: string) => void;
}

const RESTORE_USAGE = 'usage: guardian restore --from-mirror | --snapshot FILE [--data-dir DIR] [--config FILE] [--force]\n';

function setup(name: string, args: string[], extra: Record<string, { type: 'string' | 'boolean' }>, env: CommandEnv) {
  const err = env.err ?? ((s: string) => process.stderr.write(s));
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args, options: { 'data-dir': { type: 'string' }, config: { type: 'string' }, ...extra }, strict: true }).values as typeof values;
  } catch (e) {
    err(`guardian ${name}: ${(e as Error).message}\n`);
    return null;
  }
  let config: GuardianConfig;
  try {
    config = loadGuardianConfig(resolve((values.config as string | undefined) ?? DEFAULT_CONFIG_FILE));
  } catch (e) {
    err(`guardian ${name}: the configuration is not valid:\n${(e as Error).message}\n`);
    return null;
  }
  const dataDir = resolve((values['data-dir'] as string | undefined) ?? env.defaultDataDir);
  const d = durabilityOf(config);
  return {
    values, config, dataDir, d,
    primary: resolveInDataDir(dataDir, config.store.file),
    statusFile: resolveInDataDir(dataDir, d.status_file.file),
  };
}

function describe(r: RestoreReport): string {
  const rows = Object.entries(r.rows).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(', ');
  const streams = Object.entries(r.streams_in).map(([s, n]) => `${s} ${n}`).join(', ') || '(none)';
  return `restored ${r.primary} from ${r.restored_from} (schema version ${r.schema_version}, integrity_check ok)\n`
    + `  the replaced file: ${r.set_aside ?? '(there was none)'} (kept; delete it yourself once you are sure)\n`
    + `  rows: ${rows}\n  last sequence stored per sender: ${streams}\n`
    + '  start Guardian as usual (guardian serve); peers resend what they have not had acknowledged.\n';
}

export async function restoreCommand(args: string[], env: CommandEnv): Promise<number> {
  const out = env.out ?? ((s: string) => process.stdout.write(s));
  const err = env.err ?? ((s: string) => process.stderr.write(s));
  const s = setup('restore', args, { 'from-mirror': { type: 'boolean' }, snapshot: { type: 'string' }, force: { type: 'boolean' } }, env);
  if (!s) return 2;
  const fromMirror = s.values['from-mirror'] === true;
  const snapshot = s.values.snapshot as string | undefined;
  if (fromMirror === (snapshot !== undefined)) {
    err(`guardian restore: name one source: --from-mirror or --snapshot FILE\n${RESTORE_USAGE}`);
    return 2;
  }
  // Two witnesses: the status file (fresh, its writer alive) and the database's own lock.
  const running = guardianRunningOn(s.statusFile);
  const inUse = running.running ? running.detail : databaseInUse(s.primary) ? `another process has ${s.primary} open` : null;
  if (inUse) {
    err(`guardian restore: refused: ${inUse}. Stop it first; a restore under a running Guardian would lose what it writes.\n`);
    return 1;
  }
  try {
    if (fromMirror) {
      if (!s.d.mirror.path) {
        err('guardian restore: this configuration has no mirror (durability.mirror.path); pass the --config Guardian ran with\n');
        return 2;
      }
      out(describe(await restoreFromMirror({ primary: s.primary, mirror: resolveInDataDir(s.dataDir, s.d.mirror.path), force: s.values.force === true })));
    } else {
      out(describe(await restoreFromSnapshot({ primary: s.primary, snapshot: resolve(snapshot!) })));
    }
    return 0;
  } catch (e) {
    err(`guardian restore: ${e instanceof RestoreError ? e.message : `failed: ${(e as Error).message}`}\n`);
    return 1;
  }
}

/**
 * A snapshot now, from this process: VACUUM INTO on its own read-only connection (one consistent
 * read, whether or not Guardian runs), then compressed, verified and rotated as the periodic ones.
 */
export async function snapshotCommand(args: string[], env: CommandEnv): Promise<number> {
  const out = env.out ?? ((s: string) => process.stdout.write(s));
  const err = env.err ?? ((s: string) => process.stderr.write(s));
  const s = setup('snapshot', args, {}, env);
  if (!s) return 2;
  if (!existsSync(s.primary)) {
    err(`guardian snapshot: there is no database at ${s.primary} (--data-dir: where Guardian keeps its data)\n`);
    return 1;
  }
  let db;
  try {
    db = openDatabase(s.primary, { readonly: true });
  } catch (e) {
    err(`guardian snapshot: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const r = await takeSnapshot(db, resolveInDataDir(s.dataDir, s.d.snapshots.dir), s.d.snapshots.keep, Date.now(), 'vacuum');
    out(`snapshot ${r.file} (${r.bytes} bytes compressed, schema version ${r.schema_version}, verified)${r.removed.length ? `; rotated out ${r.removed.length}` : ''}\n`);
    return 0;
  } catch (e) {
    err(`guardian snapshot: ${(e as Error).message}\n`);
    return 1;
  } finally {
    db.close();
  }
}

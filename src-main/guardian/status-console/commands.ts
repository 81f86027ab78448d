// `guardian status [--data-dir DIR] [--json] [--watch]`: the status file, read. `guardian
// status-console [--data-dir DIR] [--port N]`: the built console, read-only, answering from the
// status file while the service does not (marked stale with its age; controls refused 503).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock';
import { loadGuardianConfig, resolveInDataDir, DEFAULT_CONFIG_FILE } from '../config';
import { defaultOperator, loadOrCreateToken, startConsoleServer } from '../server';
import { StatusFileBackend } from './file-backend';
import { readStatusFile, STATUS_FILE } from '../status-file';

export interface CommandEnv {
  defaultDataDir: string;
  out?: (s: string) => void;
  err?: (s: string) => void;
}

/** Where the status file of a data dir is: the config's `durability.status_file.file`. */
export function statusFileOf(dataDir: string, configFile?: string): string {
  let name = STATUS_FILE;
  try {
    name = loadGuardianConfig(configFile ?? DEFAULT_CONFIG_FILE).durability?.status_file.file ?? STATUS_FILE;
  } catch {
    // a config that does not load still leaves the default name to try
  }
  return resolveInDataDir(dataDir, name);
}

function parse(name: string, args: string[], extra: Record<string, { type: 'string' | 'boolean' }>, env: CommandEnv) {
  try {
    return parseArgs({ args, options: { 'data-dir': { type: 'string' }, config: { type: 'string' }, ...extra }, strict: true }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    (env.err ?? ((s) => process.stderr.write(s)))(`guardian ${name}: ${(err as Error).message}\n`);
    return null;
  }
}

export async function statusCommand(args: string[], env: CommandEnv): Promise<number> {
  const out = env.out ?? ((s) => process.stdout.write(s));
  const err = env.err ?? ((s) => process.stderr.write(s));
  const o = parse('status', args, { json: { type: 'boolean' }, watch: { type: 'boolean' } }, env);
  if (!o) return 2;
  const file = statusFileOf(resolve((o['data-dir'] as string | undefined) ?? env.defaultDataDir), o.config as string | undefined);
  const once = (): number => {
    const r = readStatusFile(file);
    if (!r.ok) {
      err(`guardian status: ${r.error}\n`);
      return 1;
    }
    if (o.json) out(JSON.stringify(r.status) + '\n');
    else {
      const s = r.status;
      const ch = s.durability?.config_channel;
      out(`${s.mode}  score ${s.overall_score}  buffer ${s.buffer.depth}  written ${r.age_s} s ago by pid ${r.writer_pid}${ch?.source === 'shadow' ? '  CONFIG: SHADOW (YAML)' : ''}${s.durability?.mirror ? `  mirror ${s.durability.mirror.healthy === false ? 'FAILING' : 'ok'}` : ''}\n`);
    }
    return 0;
  };
  if (!o.watch) return once();
  for (;;) {
    once();
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function statusConsoleCommand(args: string[], env: CommandEnv): Promise<number> {
  const out = env.out ?? ((s) => process.stdout.write(s));
  const err = env.err ?? ((s) => process.stderr.write(s));
  const o = parse('status-console', args, { port: { type: 'string' }, 'web-root': { type: 'string' } }, env);
  if (!o) return 2;
  const dataDir = resolve((o['data-dir'] as string | undefined) ?? env.defaultDataDir);
  const port = o.port === undefined ? 8788 : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    err(`guardian status-console: --port must be a whole number 0-65535, not ${String(o.port)}\n`);
    return 2;
  }
  const backend = new StatusFileBackend(statusFileOf(dataDir, o.config as string | undefined), systemClock);
  if (backend.unavailable) {
    err(`guardian status-console: ${backend.unavailable}\n`);
    backend.dispose();
    return 1;
  }
  let server;
  try {
    server = await startConsoleServer({
      backend, host: '127.0.0.1', port, token: loadOrCreateToken(dataDir).token, actor: defaultOperator(),
      ...(o['web-root'] ? { webRoot: resolve(o['web-root'] as string) } : {}),
    });
  } catch (e) {
    backend.dispose();
    err(`guardian status-console: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}\n`);
    return 1;
  }
  out(`guardian status-console: read-only, from ${dataDir}'s status file\n  console ${server.consoleUrl}\nguardian ready\n`);
  await new Promise<void>((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
  });
  await server.close();
  backend.dispose();
  return 0;
}

// The run manifest: what exactly is running. Built once at start; shown in the console, served by
// the API and printed at the head of every incident report, so a report says which code and which
// configuration produced it. Secrets never enter it: config values under secret-looking keys are
// redacted before hashing, and the HMAC key and API token are not read at all.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { CONTRACT_VERSION, type RunManifest } from '../../../src-shared/contract';
import { LEGACY_VERSION, PROTOCOL_VERSION } from '../../../src-shared/protocol';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ManifestInput {
  dataDir: string;
  /** Each configuration file in force: its path, and (for a file loaded and defaulted in memory) the object in force. */
  configFiles: { file: string; value?: unknown }[];
  /** CLI flags and dependencies worth knowing (never a secret value). */
  flags?: Record<string, string | number | boolean | null | undefined>;
  protocolVersions?: readonly string[];
  started_ms: number;
  /** Where package.json and .git are looked for (default: the repository this code runs from). */
  root?: string;
}

/** Keys whose values are secrets, wherever they appear. A key naming where a secret lives (`..._env`, `..._file`) is not one. */
const SECRET_KEY = /(secret|password|passphrase|token|api_key|apikey|private_key|hmac_key|credential)s?$/i;
export const REDACTED = '[redacted]';

/** A deep copy with every secret-looking key's value replaced. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined ? REDACTED : redactSecrets(v);
    return out;
  }
  return value;
}

/** JSON with sorted keys: the same configuration always hashes the same, whatever the key order or comments. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** One file's hash: of its parsed, redacted content (comments and layout do not count); null when unreadable. */
export function configFileHash(file: string, value?: unknown): string | null {
  let parsed = value;
  if (parsed === undefined) {
    try {
      parsed = parse(readFileSync(file, 'utf8')) as unknown;
    } catch {
      return null;
    }
  }
  return sha256(canonical(redactSecrets(parsed)));
}

/** The checked-out commit, read from .git without spawning git: HEAD, a loose ref, or packed-refs. */
export function readGitCommit(root: string): { commit: string | null; ref: string | null } {
  try {
    let gitDir = join(root, '.git');
    if (!existsSync(gitDir)) return { commit: null, ref: null };
    if (statSync(gitDir).isFile()) {
      // a worktree or submodule: ".git" is a file naming the real directory
      const m = /^gitdir:\s*(.+)\s*$/m.exec(readFileSync(gitDir, 'utf8'));
      if (!m) return { commit: null, ref: null };
      gitDir = isAbsolute(m[1]!) ? m[1]! : resolve(root, m[1]!);
    }
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40,64}$/.test(head)) return { commit: head, ref: null };
    const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
    if (!ref) return { commit: null, ref: null };
    // A worktree keeps its refs in the common dir.
    const common = existsSync(join(gitDir, 'commondir')) ? resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
    for (const dir of [gitDir, common]) {
      const loose = join(dir, ref);
      if (existsSync(loose)) return { commit: readFileSync(loose, 'utf8').trim() || null, ref };
    }
    const packed = join(common, 'packed-refs');
    if (existsSync(packed)) {
      for (const line of readFileSync(packed, 'utf8').split('\n')) {
        const [hash, name] = line.trim().split(' ');
        if (name === ref && hash && /^[0-9a-f]{40,64}$/.test(hash)) return { commit: hash, ref };
      }
    }
    return { commit: null, ref }; // a branch with no commit yet
  } catch {
    return { commit: null, ref: null };
  }
}

function packageVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function buildManifest(input: ManifestInput): RunManifest {
  const root = input.root ?? REPO_ROOT;
  const git = readGitCommit(root);
  const files = input.configFiles.map(({ file, value }) => ({ file, sha256: configFileHash(file, value) }));
  // The whole configuration's hash: of the files' hashes, in the order given.
  const config_hash = sha256(files.map((f) => `${f.file}\u0000${f.sha256 ?? 'unreadable'}`).join('\n'));
  const flags: RunManifest['flags'] = {};
  for (const [k, v] of Object.entries(input.flags ?? {})) if (v !== undefined) flags[k] = SECRET_KEY.test(k) ? REDACTED : v;
  return {
    version: packageVersion(root),
    git_commit: git.commit,
    git_ref: git.ref,
    config_hash,
    config_files: files,
    flags,
    data_dir: input.dataDir,
    protocol_versions: [...new Set([...(input.protocolVersions ?? [PROTOCOL_VERSION]), LEGACY_VERSION])],
    contract_version: CONTRACT_VERSION,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    pid: process.pid,
    started_ts: new Date(input.started_ms).toISOString(),
  };
}

/** One line for the terminal: "guardian 0.1.0 (commit 2dc368c, main), config 1a2b3c4d". */
export function manifestLine(m: RunManifest): string {
  const commit = m.git_commit ? `commit ${m.git_commit.slice(0, 12)}${m.git_ref ? `, ${m.git_ref.replace(/^refs\/heads\//, '')}` : ''}` : 'no git commit';
  return `guardian ${m.version} (${commit}), config ${m.config_hash.slice(0, 12)}, protocol ${m.protocol_versions.join('/')}`;
}

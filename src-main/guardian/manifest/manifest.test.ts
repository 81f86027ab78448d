// The run manifest: the commit read from .git without git, the config hash over redacted values.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REDACTED, buildManifest, configFileHash, manifestLine, readGitCommit, redactSecrets } from './index';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));
const repo = () => {
  root = mkdtempSync(join(tmpdir(), 'guardian-manifest-'));
  mkdirSync(join(root, '.git', 'refs', 'heads'), { recursive: true });
  return root;
};

describe('the git commit, read from .git', () => {
  it('a branch: its loose ref; else packed-refs; a detached HEAD: the hash; no .git: null', () => {
    const r = repo();
    writeFileSync(join(r, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(r, '.git', 'packed-refs'), `# pack-refs with: peeled\n${B} refs/heads/main\n`);
    expect(readGitCommit(r)).toEqual({ commit: B, ref: 'refs/heads/main' });
    writeFileSync(join(r, '.git', 'refs', 'heads', 'main'), `${A}\n`);
    expect(readGitCommit(r)).toEqual({ commit: A, ref: 'refs/heads/main' });
    writeFileSync(join(r, '.git', 'HEAD'), `${B}\n`);
    expect(readGitCommit(r)).toEqual({ commit: B, ref: null });
    rmSync(join(r, '.git'), { recursive: true });
    expect(readGitCommit(r)).toEqual({ commit: null, ref: null });
  });

  it('a worktree: .git is a file naming the git dir', () => {
    const r = repo();
    const real = join(r, 'real-git');
    mkdirSync(real);
    writeFileSync(join(real, 'HEAD'), `${A}\n`);
    rmSync(join(r, '.git'), { recursive: true });
    writeFileSync(join(r, '.git'), `gitdir: ${real}\n`);
    expect(readGitCommit(r).commit).toBe(A);
  });
});

describe('secrets and the config hash', () => {
  it('redacts secret-looking keys at any depth, not the names of where secrets live', () => {
    expect(redactSecrets({ protocol: { hmac_key: 'k', hmac_key_env: 'GUARDIAN_HMAC_KEY' }, api: { token: 't', port: 1 }, list: [{ password: 'p' }] })).toEqual({
      protocol: { hmac_key: REDACTED, hmac_key_env: 'GUARDIAN_HMAC_KEY' }, api: { token: REDACTED, port: 1 }, list: [{ password: REDACTED }],
    });
  });

  it('the hash ignores comments and key order, changes with a value, and never sees a secret value', () => {
    const r = repo();
    const f = join(r, 'c.yaml');
    writeFileSync(f, 'a: 1\nb: 2\n');
    const h = configFileHash(f);
    writeFileSync(f, '# a comment\nb: 2\na: 1\n');
    expect(configFileHash(f)).toBe(h);
    writeFileSync(f, 'a: 1\nb: 3\n');
    expect(configFileHash(f)).not.toBe(h);
    // Two secrets hash the same: the value is redacted before hashing.
    writeFileSync(f, 'api_token: one\n');
    const one = configFileHash(f);
    writeFileSync(f, 'api_token: two\n');
    expect(configFileHash(f)).toBe(one);
    expect(configFileHash(join(r, 'missing.yaml'))).toBeNull();
  });

  it('builds the manifest: version, commit, hashes, flags with secrets redacted, protocol versions', () => {
    const r = repo();
    writeFileSync(join(r, '.git', 'HEAD'), `${A}\n`);
    writeFileSync(join(r, 'package.json'), '{"version":"9.8.7"}');
    writeFileSync(join(r, 'g.yaml'), 'node_id: x\n');
    const m = buildManifest({ root: r, dataDir: '/d', configFiles: [{ file: join(r, 'g.yaml') }], flags: { demo: true, api_token: 'nope', skipped: undefined }, started_ms: Date.UTC(2026, 0, 5), protocolVersions: ['1.2'] });
    expect(m).toMatchObject({ version: '9.8.7', git_commit: A, data_dir: '/d', flags: { demo: true, api_token: REDACTED }, protocol_versions: ['1.2', '1.0'], started_ts: '2026-01-05T00:00:00.000Z' });
    expect(m.config_files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(m)).not.toContain('nope');
    expect(manifestLine(m)).toMatch(/^guardian 9\.8\.7 \(commit aaaaaaaaaaaa\), config [0-9a-f]{12}, protocol 1\.2\/1\.0$/);
  });
});

// A running Guardian, real files: a bad edit keeps the last good configuration and opens a CONFIG
// incident naming the file, line, key and fix; the next good edit is applied live and resolves it.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configForTests, createGuardian, type Guardian } from '..';
import { CONFIG_DIR, CONFIG_FAMILY } from './index';

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('live reload of the configuration files', () => {
  let g: Guardian | undefined;
  let dir = '';
  afterEach(async () => {
    await g?.dispose();
    g = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a bad edit keeps the last good config and raises an incident; a good edit applies and resolves it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'guardian-reload-'));
    const files = { constraints: join(dir, 'constraints.yaml'), policy: join(dir, 'failover-policy.yaml'), runbooks: join(dir, 'runbooks.yaml') };
    for (const [k, f] of Object.entries(files)) copyFileSync(join(CONFIG_DIR, k === 'policy' ? 'failover-policy.yaml' : `${k}.yaml`), f);
    const guardianFile = join(dir, 'guardian.yaml');
    copyFileSync(join(CONFIG_DIR, 'guardian.yaml'), guardianFile);
    g = await createGuardian(configForTests((c) => { c.api.enabled = false; }), {
      dataDir: join(dir, 'data'), configFile: guardianFile,
      control: { autostart: false, files }, watchConfig: { poll_ms: 30, settle_ms: 60 },
    });
    const control = g.control!;
    expect(control.policy.recover_threshold).toBe(85);
    const hashBefore = g.manifest.config_hash;

    const original = readFileSync(files.policy, 'utf8');
    const bad = original.replace('recover_threshold: 85', 'recover_threshold: 65');
    const badLine = original.slice(0, original.indexOf('recover_threshold: 85')).split('\n').length;
    writeFileSync(files.policy, bad);
    await until(() => g!.incidents.openIncidentOf(CONFIG_FAMILY) !== null, 'the CONFIG incident');
    const incident = g.incidents.incident(g.incidents.openIncidentOf(CONFIG_FAMILY)!.id)!;
    expect(incident.title).toContain(`2 problem(s) in ${files.policy}; the last good configuration stays in force`);
    const detail = incident.events[0]!.detail as { problems: string[] };
    expect(detail.problems).toEqual([
      `${files.policy}:${badLine}: recover_threshold is 65, not above enter.comm_below (70): Guardian would leave a degraded mode at a score that enters it again; fix: set recover_threshold above 70, or lower enter.comm_below`,
      `${files.policy}:${badLine}: recover_threshold is 65, not above enter.signal_below (65): Guardian would leave a degraded mode at a score that enters it again; fix: set recover_threshold above 65, or lower enter.signal_below`,
    ]);
    expect(control.policy.recover_threshold).toBe(85); // the last good one stays in force
    expect(g.manifest.config_hash).toBe(hashBefore);

    writeFileSync(files.policy, original.replace('recover_threshold: 85', 'recover_threshold: 90'));
    await until(() => control.policy.recover_threshold === 90, 'the good edit to be applied');
    await until(() => g!.incidents.openIncidentOf(CONFIG_FAMILY) === null, 'the CONFIG incident to be resolved');
    expect(g.incidents.incident(incident.id)!.closed_ts).not.toBeNull();
    expect(g.manifest.config_hash).not.toBe(hashBefore); // the manifest names the configuration in force

    // guardian.yaml: a bad edit is refused the same way; a good one is noted for the next start.
    writeFileSync(guardianFile, readFileSync(guardianFile, 'utf8').replace('port: 9999', 'port: 99999'));
    await until(() => g!.incidents.openIncidentOf(CONFIG_FAMILY) !== null, 'the second CONFIG incident');
    expect(g.incidents.openIncidentOf(CONFIG_FAMILY)!.title).toContain(guardianFile);
  });

  it('a good edit of pretrade.yaml is in force for the next signal; a bad one keeps the last good limits', async () => {
    dir = mkdtempSync(join(tmpdir(), 'guardian-reload-pretrade-'));
    const pretrade = join(dir, 'pretrade.yaml');
    copyFileSync(join(CONFIG_DIR, 'pretrade.yaml'), pretrade);
    g = await createGuardian(configForTests((c) => { c.api.enabled = false; }), {
      dataDir: join(dir, 'data'), control: { autostart: false }, execution: { file: pretrade }, watchConfig: { poll_ms: 30, settle_ms: 60 },
    });
    const policy = g.router.signals.policy!;
    const entry = { signal_id: 'big-1', symbol: 'EURUSD', action: 'BUY' as const, lots: 3, price: 1.1, sl: 1.09, tp: 1.12 };
    const from = { node_id: 'sig-1', tier: 'primary' as const };
    expect(policy(entry, from)).toBeUndefined(); // 3 lots: within max_lots_per_order 5

    const original = readFileSync(pretrade, 'utf8');
    writeFileSync(pretrade, original.replace(/max_lots_per_order: 5\b/, 'max_lots_per_order: -1'));
    await until(() => g!.incidents.openIncidentOf(CONFIG_FAMILY) !== null, 'the CONFIG incident for a bad limit');
    expect(policy({ ...entry, signal_id: 'big-2', lots: 3.5 }, from)).toBeUndefined(); // the last good limits stay

    writeFileSync(pretrade, original.replace(/max_lots_per_order: 5\b/, 'max_lots_per_order: 2'));
    await until(() => g!.incidents.openIncidentOf(CONFIG_FAMILY) === null, 'the good edit');
    expect(policy({ ...entry, signal_id: 'big-3', lots: 4 }, from)).toMatchObject({ action: 'refuse', reason: 'ORDER_SIZE_BLOCK' });
  });
});

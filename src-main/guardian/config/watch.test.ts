// The watcher on a fake clock and real files: a change is checked once the files are still for
// settle_ms, every file is checked again, and an unchanged poll reports nothing.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { CONFIG_DIR, ConfigWatcher, defaultConfigFiles, type ConfigChange } from './index';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ConfigWatcher', () => {
  it('waits for the files to settle, then reports the changed file and every problem', () => {
    dir = mkdtempSync(join(tmpdir(), 'guardian-watch-'));
    for (const n of ['guardian.yaml', 'constraints.yaml', 'failover-policy.yaml', 'runbooks.yaml']) copyFileSync(join(CONFIG_DIR, n), join(dir, n));
    const files = defaultConfigFiles(join(dir, 'guardian.yaml'), dir);
    const clock = new ManualClock();
    const heard: ConfigChange[] = [];
    const w = new ConfigWatcher(files, clock, (c) => heard.push(c), { poll_ms: 100, settle_ms: 300 });
    clock.advance(1000);
    expect(heard).toEqual([]); // nothing changed

    writeFileSync(files.policy, readFileSync(files.policy, 'utf8').replace('recover_threshold: 85', 'recover_threshold: 50'));
    clock.advance(100); // seen
    clock.advance(200); // still settling
    expect(heard).toEqual([]);
    clock.advance(200);
    expect(heard).toHaveLength(1);
    expect(heard[0]!.changed).toEqual([{ kind: 'policy', file: files.policy }]);
    expect(heard[0]!.problems.map((p) => p.key)).toEqual(['recover_threshold', 'recover_threshold', 'recover_threshold']);

    clock.advance(1000);
    expect(heard).toHaveLength(1); // reported once
    writeFileSync(files.policy, readFileSync(files.policy, 'utf8').replace('recover_threshold: 50', 'recover_threshold: 90'));
    clock.advance(600);
    expect(heard).toHaveLength(2);
    expect(heard[1]!.problems).toEqual([]);
    w.dispose();
    expect(clock.pending).toBe(0);
  });
});

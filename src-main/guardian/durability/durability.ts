// What createGuardian starts for durability: the mirror (when durability.mirror.path is set), the
// snapshot schedule, and the status file; and what the status shows of them.
import type { DurabilityStatus, GuardianStatus } from '../../../src-shared/contract';
import type { Clock } from '../clock';
import { resolveInDataDir, type DurabilityConfig, type GuardianConfig } from '../config';
import type { Db, GroupCommit } from '../store';
import { StatusFileWriter } from '../status-file';
import { StoreMirror } from './mirror';
import { SnapshotSchedule } from './snapshots';

export const DEFAULT_DURABILITY: DurabilityConfig = {
  mirror: { check_every_s: 30, integrity_every_s: 3600 },
  snapshots: { every_s: 3600, dir: 'snapshots', keep: 24 },
  status_file: { enabled: true, file: 'status.json', every_ms: 1000 },
};

/** The config's durability section, with the defaults for what it leaves out. */
export function durabilityOf(config: GuardianConfig): DurabilityConfig {
  const d = config.durability;
  return {
    mirror: { ...DEFAULT_DURABILITY.mirror, ...d?.mirror },
    snapshots: { ...DEFAULT_DURABILITY.snapshots, ...d?.snapshots },
    status_file: { ...DEFAULT_DURABILITY.status_file, ...d?.status_file },
  };
}

export interface Durability {
  readonly mirror: StoreMirror | null;
  readonly snapshots: SnapshotSchedule;
  statusFile: StatusFileWriter | null;
  /** A failed batch with the mirror attached detaches it (the mirror must never stop the primary). */
  watchCommits(commit: GroupCommit): void;
  /** Starts the status file once the status can be built (the console backend exists). */
  startStatusFile(status: () => GuardianStatus): void;
  status(config_channel: DurabilityStatus['config_channel']): DurabilityStatus;
  /** Waits for a snapshot under way, stops the timers and writes the status file a last time. */
  close(): Promise<void>;
  /** Stops the timers at once (a start that failed). */
  dispose(): void;
}

export interface DurabilityDeps {
  db: Db;
  config: GuardianConfig;
  dataDir: string;
  clock: Clock;
  /** A notice worth an incident: the mirror detached, a snapshot failed. */
  onTrouble(text: string): void;
}

/** Call right after the database opens, before anything writes: the mirror is seeded first. */
export async function startDurability(d: DurabilityDeps): Promise<Durability> {
  const c = durabilityOf(d.config);
  const mirror = c.mirror.path
    ? await StoreMirror.start(d.db, {
      file: resolveInDataDir(d.dataDir, c.mirror.path), clock: d.clock,
      check_every_s: c.mirror.check_every_s, integrity_every_s: c.mirror.integrity_every_s, onTrouble: d.onTrouble,
    })
    : null;
  const snapshots = new SnapshotSchedule(d.db, {
    dir: resolveInDataDir(d.dataDir, c.snapshots.dir), every_s: c.snapshots.every_s, keep: c.snapshots.keep, clock: d.clock, onTrouble: d.onTrouble,
  });
  const out: Durability = {
    mirror,
    snapshots,
    statusFile: null,
    watchCommits(commit) {
      if (mirror) commit.onBatchEnd(() => undefined, () => mirror.commitFailed(commit.stats.last_error));
    },
    startStatusFile(status) {
      if (!c.status_file.enabled || out.statusFile) return;
      out.statusFile = new StatusFileWriter(resolveInDataDir(d.dataDir, c.status_file.file), status, d.clock, c.status_file.every_ms);
      void out.statusFile.writeNow();
    },
    status: (config_channel) => ({ mirror: mirror?.health ?? null, snapshots: snapshots.health, config_channel }),
    dispose() {
      snapshots.dispose();
      mirror?.dispose();
      out.statusFile?.dispose();
    },
    async close() {
      snapshots.dispose();
      await snapshots.settle();
      mirror?.dispose();
      await mirror?.settle();
      if (out.statusFile) {
        await out.statusFile.writeNow();
        await out.statusFile.close();
      }
    },
  };
  return out;
}

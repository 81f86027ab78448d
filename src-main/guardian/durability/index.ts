// Durability of the store (issue 7): the mirror on a second volume, periodic verified snapshots,
// and the restores from either. createGuardian starts it; the CLI restores with Guardian stopped.
export { startDurability, durabilityOf, DEFAULT_DURABILITY, type Durability, type DurabilityDeps } from './durability';
export { StoreMirror, type MirrorOptions } from './mirror';
export { SnapshotSchedule, takeSnapshot, verifySnapshot, listSnapshots, snapshotName, type SnapshotResult } from './snapshots';
export { restoreFromMirror, restoreFromSnapshot, primaryProblem, RestoreError, type RestoreReport } from './restore';
export { checkDatabaseFile, setAside, type FileCheck } from './files';
export { restoreCommand, snapshotCommand } from './commands';

export { openDatabase, migrate, schemaVersion, integrityCheck, StoreError, type Db, type OpenOptions } from './db';
export { GroupCommit, type CommitWork, type GroupCommitStats } from './group-commit';
export { WalSync, type FsyncFn } from './wal-sync';
export { Checkpointer, type CheckpointerStats } from './checkpointer';
export { chunkedInsert, INSERT_CHUNK, type ChunkedInsert } from './chunked-insert';
export { MIGRATIONS, type Migration } from './migrations';

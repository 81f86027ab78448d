// For the durability tests (unit and e2e): the damage a bad sector does.
import { closeSync, openSync, statSync, writeSync } from 'node:fs';

/** Overwrites `bytes` in the middle of a file with garbage. */
export function corruptMiddle(file: string, bytes = 8192): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(bytes, 0xa5), 0, bytes, Math.max(4096, Math.floor(size / 2) - bytes / 2));
  } finally {
    closeSync(fd);
  }
}

// The store mirror's cost (issue 7): the group commit's throughput with and without the mirror
// attached (every batch then writes and fsyncs two files). Batches of 500 inbox rows plus the
// stream's mark, as the router commits them; the mirror on the same disk here (a second volume
// on a real workstation). Alternating rounds, median of each.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../src-main/guardian/clock';
import { StoreMirror } from '../src-main/guardian/durability';
import { openDatabase } from '../src-main/guardian/store';
import { commitRouterBatches } from './commit-load';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchMirrorCost(batches = 40, rows = 500, rounds = 4): Promise<{ commit_msgs_per_s: number; commit_mirrored_msgs_per_s: number; mirror_overhead_pct: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'guardian-bench-mirror-'));
  mkdirSync(join(dir, 'vol2'));
  try {
    const time = async (mirrored: boolean, round: number): Promise<number> => {
      const db = openDatabase(join(dir, `${mirrored ? 'm' : 'p'}${round}.db`));
      const mirror = mirrored ? await StoreMirror.start(db, { file: join(dir, 'vol2', `mirror${round}.db`), clock: systemClock, check_every_s: 3600, integrity_every_s: 3600 }) : null;
      try {
        const t0 = performance.now();
        commitRouterBatches(db, batches, rows);
        return (batches * rows) / ((performance.now() - t0) / 1000);
      } finally {
        mirror?.dispose();
        db.close();
      }
    };
    const plain: number[] = [];
    const mirrored: number[] = [];
    for (let round = 0; round < rounds; round++) {
      plain.push(await time(false, round));
      mirrored.push(await time(true, round));
    }
    const p = median(plain);
    const m = median(mirrored);
    return { commit_msgs_per_s: Math.round(p), commit_mirrored_msgs_per_s: Math.round(m), mirror_overhead_pct: Math.round((p / m - 1) * 1000) / 10 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(await benchMirrorCost()) + '\n');
}

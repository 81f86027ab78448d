// Watches the configuration files of a running Guardian. Each poll (on the injected clock) reads
// every file's mtime, size and content hash; a change is acted on once the files have been still for
// `settle_ms` (an editor writes in several steps), by checking EVERY file again (a cross-file rule
// may break without its own file changing). The listener hears the changed files and the
// problems: none, and the new configuration may be applied; some, and the last good one stays.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Clock } from '../clock';
import type { Disposable } from '../lifecycle';
import { checkConfigFiles, filesOf, type ConfigFileKind, type ConfigFiles } from './config-set';
import type { ConfigProblem } from './problems';

export interface ConfigChange {
  /** The files whose content changed since the last check (kind and path). */
  changed: { kind: ConfigFileKind; file: string }[];
  /** Every problem of every file; empty: the files are good. */
  problems: ConfigProblem[];
}

export interface ConfigWatchOptions {
  poll_ms: number;
  /** The files must be unchanged this long before they are checked. */
  settle_ms: number;
}

export const DEFAULT_CONFIG_WATCH: ConfigWatchOptions = { poll_ms: 1000, settle_ms: 500 };

type Stamp = string;

function stampOf(file: string): Stamp {
  try {
    const s = statSync(file);
    // The content's hash too: a same-size edit inside the volume's mtime granularity is still seen (the files are small).
    return `${s.mtimeMs}:${s.size}:${createHash('sha1').update(readFileSync(file)).digest('hex')}`;
  } catch (err) {
    return `missing:${(err as NodeJS.ErrnoException).code ?? ''}`;
  }
}

export class ConfigWatcher implements Disposable {
  private readonly o: ConfigWatchOptions;
  private stamps = new Map<string, Stamp>();
  private pending: { since_ms: number; stamps: Map<string, Stamp> } | null = null;
  private readonly timer: Disposable;
  private disposed = false;

  constructor(
    private readonly files: ConfigFiles,
    private readonly clock: Clock,
    private readonly listener: (change: ConfigChange) => void,
    options: Partial<ConfigWatchOptions> = {},
  ) {
    this.o = { ...DEFAULT_CONFIG_WATCH, ...options };
    this.stamps = this.read();
    this.timer = clock.setInterval(() => this.poll(), this.o.poll_ms);
  }

  /** Every watched path, pretrade.yaml included even before it exists (it may be added while running). */
  private paths(): [ConfigFileKind, string][] {
    const all = filesOf(this.files);
    if (this.files.pretrade && !all.some(([k]) => k === 'pretrade')) all.push(['pretrade', this.files.pretrade]);
    return all;
  }

  private read(): Map<string, Stamp> {
    return new Map(this.paths().map(([, file]) => [file, stampOf(file)]));
  }

  /** One look at the files (the timer calls it every poll_ms; tests may call it directly). */
  poll(): void {
    if (this.disposed) return;
    const now = this.read();
    const same = (a: Map<string, Stamp>, b: Map<string, Stamp>) => [...a].every(([f, s]) => b.get(f) === s) && a.size === b.size;
    if (same(now, this.stamps)) {
      this.pending = null;
      return;
    }
    if (!this.pending || !same(now, this.pending.stamps)) {
      this.pending = { since_ms: this.clock.now_ms(), stamps: now };
      return;
    }
    if (this.clock.now_ms() - this.pending.since_ms < this.o.settle_ms) return;
    const changed = this.paths().filter(([, file]) => now.get(file) !== this.stamps.get(file)).map(([kind, file]) => ({ kind, file }));
    this.stamps = now;
    this.pending = null;
    let problems: ConfigProblem[];
    try {
      problems = checkConfigFiles(this.files);
    } catch (err) {
      problems = [{ file: changed[0]?.file ?? this.files.guardian, key: '', problem: `could not be checked: ${(err as Error).message}` }];
    }
    this.listener({ changed, problems });
  }

  dispose(): void {
    this.disposed = true;
    this.timer.dispose();
  }
}

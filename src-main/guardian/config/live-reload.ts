// What a running Guardian does when its configuration files change (ConfigWatcher):
// - a bad edit: the last good configuration stays in force, and an incident (family CONFIG) is
//   raised with every problem (file, line, key, fix); further bad edits attach to it;
// - a good edit: what can change live is applied (constraints, failover policy, runbooks: the
//   control plane's reloadConfig); guardian.yaml's addresses, ports and store apply at the next
//   start, and the log says so; an open CONFIG incident is resolved.
import type { Clock } from '../clock';
import type { Disposable } from '../lifecycle';
import type { ConfigFileKind, ConfigFiles } from './config-set';
import { formatProblem } from './problems';
import { ConfigWatcher, type ConfigChange, type ConfigWatchOptions } from './watch';

/** The incident log as live reload uses it (IncidentLog fits). */
export interface ConfigIncidentSink {
  raise(alert: { family: string; title: string; severity: 'info' | 'warning' | 'critical'; summary?: string; detail?: Record<string, unknown> }): unknown;
  append(event: { type: 'note'; summary: string; severity?: 'info' | 'warning' | 'critical'; detail?: Record<string, unknown> }): unknown;
  resolveFamily(family: string, opts?: { summary?: string }): unknown;
}

export interface ConfigReloadOptions {
  files: ConfigFiles;
  clock: Clock;
  log: ConfigIncidentSink;
  /** Applies the control plane's files (constraints, policy, runbooks); absent without a control plane. */
  applyLive?: (changed: ConfigFileKind[]) => { ok: boolean; detail: string };
  /** Applies a good pretrade.yaml (the execution part's limits); absent without one. Returns what it did. */
  applyPretrade?: () => string;
  /** After a good edit was applied (the manifest's config hash is rebuilt here). */
  onApplied?: (changed: ConfigFileKind[]) => void;
  watch?: Partial<ConfigWatchOptions>;
}

export const CONFIG_FAMILY = 'CONFIG';
const LIVE: readonly ConfigFileKind[] = ['constraints', 'policy', 'runbooks'];

export function startConfigReload(o: ConfigReloadOptions): Disposable {
  const onChange = (c: ConfigChange): void => {
    const kinds = c.changed.map((x) => x.kind);
    const names = c.changed.map((x) => x.file).join(', ');
    if (c.problems.length) {
      const lines = c.problems.map(formatProblem);
      const files = [...new Set(c.problems.map((p) => p.file))];
      o.log.raise({
        family: CONFIG_FAMILY, severity: 'warning',
        title: `Configuration edit refused: ${c.problems.length} problem(s) in ${files.join(', ')}; the last good configuration stays in force`,
        summary: `${lines[0]}${lines.length > 1 ? ` (and ${lines.length - 1} more)` : ''}`,
        detail: { problems: lines, changed: names },
      });
      return;
    }
    const done: string[] = [];
    const live = kinds.filter((k) => LIVE.includes(k));
    if (live.length && o.applyLive) {
      const r = o.applyLive(live);
      if (!r.ok) {
        o.log.raise({ family: CONFIG_FAMILY, severity: 'warning', title: `Configuration reload failed; the last good configuration stays: ${r.detail}`, detail: { changed: names } });
        return;
      }
      done.push(`applied: ${r.detail}`);
    }
    if (kinds.includes('guardian')) done.push('guardian.yaml is valid; its addresses, ports and store apply at the next start');
    if (kinds.includes('pretrade')) {
      try {
        done.push(o.applyPretrade ? o.applyPretrade() : 'pretrade.yaml is valid (no pre-trade gate runs here)');
      } catch (err) {
        o.log.raise({ family: CONFIG_FAMILY, severity: 'warning', title: `The pre-trade limits could not be applied; the last good ones stay: ${(err as Error).message}`, detail: { changed: names } });
        return;
      }
    }
    o.onApplied?.(kinds);
    o.log.append({ type: 'note', severity: 'info', summary: `Configuration changed (${names}): ${done.join('; ') || 'valid'}`, detail: { changed: names } });
    o.log.resolveFamily(CONFIG_FAMILY, { summary: 'The configuration files are valid again' });
  };
  return new ConfigWatcher(o.files, o.clock, (c) => {
    try {
      onChange(c);
    } catch (err) {
      process.stderr.write(`guardian: configuration reload: ${(err as Error).message}\n`);
    }
  }, o.watch);
}

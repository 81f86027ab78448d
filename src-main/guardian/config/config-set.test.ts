// Every config file's error cases, each with its message: the file, the line, the key and the fix.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_DIR, assertConfigFiles, checkConfigFiles, defaultConfigFiles, formatProblem, type ConfigFiles } from './index';
import { readYaml, namedRangeProblems } from './schema-check';

let dir: string;
let files: ConfigFiles;
const NAMES = { guardian: 'guardian.yaml', constraints: 'constraints.yaml', policy: 'failover-policy.yaml', runbooks: 'runbooks.yaml', pretrade: 'pretrade.yaml' } as const;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-config-'));
  for (const name of Object.values(NAMES)) copyFileSync(join(CONFIG_DIR, name), join(dir, name));
  files = defaultConfigFiles(join(dir, NAMES.guardian), dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Replaces `from` with `to` in a copied file; returns the 1-based line of the replacement. */
function edit(kind: keyof typeof NAMES, from: string, to: string): number {
  const file = join(dir, NAMES[kind]);
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`${from} is not in ${NAMES[kind]}`);
  writeFileSync(file, text.slice(0, at) + to + text.slice(at + from.length));
  return text.slice(0, at).split('\n').length;
}

const messages = () => checkConfigFiles(files).map(formatProblem);

describe('every config file', () => {
  it('the shipped files are valid, pretrade.yaml included', () => {
    expect(messages()).toEqual([]);
    expect(() => assertConfigFiles(defaultConfigFiles())).not.toThrow();
  });

  it('each shipped YAML names its JSON Schema on its first line, for editors, and the schema is there', () => {
    for (const name of Object.values(NAMES)) {
      const first = readFileSync(join(CONFIG_DIR, name), 'utf8').split('\n')[0]!;
      const schema = /^# yaml-language-server: \$schema=\.\/(.+\.schema\.json)$/.exec(first)?.[1];
      expect(schema, name).toBe(name.replace(/\.yaml$/, '.schema.json'));
      expect(() => JSON.parse(readFileSync(join(CONFIG_DIR, schema!), 'utf8')) as unknown, schema).not.toThrow();
    }
  });

  it('guardian.yaml: a port out of range', () => {
    const line = edit('guardian', 'port: 9999', 'port: 70000');
    expect(messages()).toEqual([`${files.guardian}:${line}: paths.socket.port must be <= 65535 (it is 70000); fix: set a value between 0 and 65535`]);
  });

  it('guardian.yaml: an unknown key names the near one', () => {
    const line = edit('guardian', 'poll_ms: 50', 'poll_msec: 50');
    expect(messages()).toContain(`${files.guardian}:${line}: paths.spool.poll_msec is not a known key; fix: did you mean 'poll_ms'?`);
  });

  it('guardian.yaml: a wrong type', () => {
    const line = edit('guardian', 'port: 9999', 'port: "ninety"');
    expect(messages()).toEqual([`${files.guardian}:${line}: paths.socket.port must be an integer (it is "ninety"); fix: write an integer without quotes`]);
  });

  it('guardian.yaml: the console on the socket path\'s port (cross-field)', () => {
    const line = edit('guardian', 'port: 8787', 'port: 9999');
    expect(messages()).toEqual([`${files.guardian}:${line}: api.port is 9999, the same port as paths.socket.port; fix: give the console another port (8787 is the default)`]);
  });

  it('guardian.yaml: a spool that would always read as stale (cross-field)', () => {
    const line = edit('guardian', 'stale_ms: 3000', 'stale_ms: 200');
    const [m] = messages();
    expect(m).toMatch(new RegExp(`^${files.guardian}:${line}: paths\\.spool\\.stale_ms is 200, not above protocol\\.heartbeat_ms \\(250\\).*; fix: set it to at least 750$`));
  });

  it('guardian.yaml: not YAML, or not there', () => {
    const line = edit('guardian', 'node_id: guardian-1', 'node_id: [guardian-1');
    expect(messages()[0]).toMatch(new RegExp(`^${files.guardian}:\\d+: not valid YAML: .*; fix: check the indentation and quoting on that line$`));
    expect(line).toBeGreaterThan(0);
    rmSync(files.guardian);
    expect(messages()).toEqual([`${files.guardian}: cannot read the file (ENOENT); fix: create the file, or point Guardian at the right one`]);
  });

  it('failover-policy.yaml: recovery not above an enter threshold (cross-field)', () => {
    const line = edit('policy', 'recover_threshold: 85', 'recover_threshold: 68');
    expect(messages()).toEqual([
      `${files.policy}:${line}: recover_threshold is 68, not above enter.comm_below (70): Guardian would leave a degraded mode at a score that enters it again; fix: set recover_threshold above 70, or lower enter.comm_below`,
    ]);
  });

  it('failover-policy.yaml: a score above 100, and a misspelt choice', () => {
    const scoreLine = edit('policy', 'exec_below: 60', 'exec_below: 140');
    const actionLine = edit('policy', 'action: freeze', 'action: flaten');
    const m = messages();
    expect(m).toContain(`${files.policy}:${scoreLine}: enter.exec_below must be <= 100 (it is 140); fix: set a value between 0 and 100`);
    expect(m).toContain(`${files.policy}:${actionLine}: safe_mode.action must be one of freeze, flatten (it is "flaten"); fix: did you mean 'flatten'?`);
  });

  it('failover-policy.yaml: a missing required key says what to add', () => {
    const line = edit('policy', '{ name: short, failures: 3, within_s: 60, open_s: 60 }', '{ name: short, failures: 3, within_s: 60 }');
    expect(messages()).toEqual([`${files.policy}:${line}: breakers.trips.0.open_s is missing; fix: add open_s: (see the schema for its meaning)`]);
  });

  it('runbooks.yaml: a repeated id', () => {
    const text = readFileSync(files.runbooks, 'utf8');
    const second = text.match(/\n {2}- id: (\w+)/g)![1]!.split('id: ')[1]!;
    const line = edit('runbooks', `- id: ${second}`, '- id: restart_socket_listener');
    expect(messages()).toEqual([`${files.runbooks}:${line}: runbooks.1.id repeats the id 'restart_socket_listener'; fix: give each runbook its own id`]);
  });

  it('constraints.yaml: a condition that does not parse names the constraint and the key', () => {
    const line = edit('constraints', 'condition: daily_loss_pct < 3', 'condition: daily_loss_pct < < 3');
    const [m] = messages();
    expect(m).toMatch(new RegExp(`^${files.constraints}:${line}: constraints\\[daily_loss_limit\\]\\.condition `));
  });

  it('constraints.yaml: a risk percent limit outside 0-5, a drawdown limit above 100', () => {
    const risk = edit('constraints', 'condition: daily_loss_pct < 3', 'condition: daily_loss_pct < 8');
    const dd = edit('constraints', 'condition: drawdown_pct < 15', 'condition: drawdown_pct < 150');
    expect(messages()).toEqual([
      `${files.constraints}:${risk}: constraints[daily_loss_limit].condition compares daily_loss_pct with 8, outside 0-5 for a risk percent; fix: use a limit between 0 and 5`,
      `${files.constraints}:${dd}: constraints[drawdown_limit].condition compares drawdown_pct with 150, outside 0-100 for a drawdown percent; fix: use a limit between 0 and 100`,
    ]);
  });

  it('pretrade.yaml: a per-order limit above its per-symbol one (cross-field)', () => {
    const line = edit('pretrade', 'max_lots_per_order: 5', 'max_lots_per_order: 20');
    expect(messages()).toEqual([
      `${files.pretrade}:${line}: order_size.max_lots_per_order is 20, above order_size.max_lots_per_symbol (10): the larger limit could never apply; fix: set it to 10 or less, or raise order_size.max_lots_per_symbol`,
    ]);
  });

  it('every file at once: problems of several files are all listed, and assert throws them', () => {
    edit('guardian', 'port: 9999', 'port: 70000');
    edit('policy', 'recover_threshold: 85', 'recover_threshold: 50');
    expect(() => assertConfigFiles(files)).toThrow(/guardian\.yaml:\d+: paths\.socket\.port[\s\S]*failover-policy\.yaml:\d+: recover_threshold/);
  });

  it('the ranges by key name hold in any file: ports, risk percent, drawdown, scores', () => {
    const text = 'limits:\n  max_risk_pct: 7\n  max_drawdown_pct: 101\n  min_score: -1\n  feed_port: 70000\n  ok_risk_pct: 2\n';
    const { parsed } = readYaml('/x/extra.yaml', text);
    expect(namedRangeProblems('/x/extra.yaml', parsed!).map(formatProblem)).toEqual([
      '/x/extra.yaml:2: limits.max_risk_pct must be between 0 and 5 for a risk percent (it is 7); fix: set a value between 0 and 5',
      '/x/extra.yaml:3: limits.max_drawdown_pct must be between 0 and 100 for a drawdown percent (it is 101); fix: set a value between 0 and 100',
      '/x/extra.yaml:4: limits.min_score must be between 0 and 100 for a score (it is -1); fix: set a value between 0 and 100',
      '/x/extra.yaml:5: limits.feed_port must be between 0 and 65535 for a port (0 picks a free one) (it is 70000); fix: set a value between 0 and 65535',
    ]);
  });
});

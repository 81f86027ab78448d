// Active/standby Guardian processes on one data dir (issue 7): `guardian serve --standby`, as an
// operator runs two of them. An instance returns once it is active or standing by; `active`
// resolves when it serves (at once for the first, at the takeover for a standby).
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, endings, pretradeArgs } from './guardian-process';

export interface HaProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** performance.now() when it printed "guardian ready": active and serving. */
  active: Promise<number>;
  exited: Promise<number | null>;
  kill9(): Promise<void>;
  stop(): Promise<number | null>;
  signal(sig: NodeJS.Signals): void;
}

/**
 * Starts `guardian serve --standby` on the data dir and waits until it is active or standing by
 * (`until`: 'active' waits for it to serve). The config should come from writeConfig with the
 * lease edited as the test wants (haConfig).
 */
export async function startHaGuardian(dataDir: string, configFile: string, until: 'active' | 'standby-or-active' = 'standby-or-active', extraArgs: string[] = []): Promise<HaProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--standby', '--config', configFile, ...pretradeArgs(configFile), '--data-dir', dataDir, '--quiet', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: { re: RegExp; resolve: (t: number) => void }[] = [];
  const onData = (c: Buffer) => {
    out += c.toString();
    for (const w of waiters.splice(0)) {
      if (w.re.test(out)) w.resolve(performance.now());
      else waiters.push(w);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const when = (re: RegExp) => new Promise<number>((resolve, reject) => {
    if (re.test(out)) resolve(performance.now());
    else waiters.push({ re, resolve });
    void exited.then((code) => reject(new Error(`guardian (pid ${child.pid}) exited (${code}) before ${re}:\n${out}`)));
  });
  const active = when(/^guardian ready/m);
  active.catch(() => undefined); // a standby killed before its takeover never becomes active
  await when(until === 'active' ? /^guardian ready/m : /^guardian (ready|standby)/m);
  return {
    child,
    pid: child.pid!,
    output: () => out,
    active,
    exited,
    ...endings(child, exited),
    signal: (sig) => child.kill(sig),
  };
}

/** The test's lease: short, so that a takeover after a pause fits in a test. */
export function haConfig(yaml: string, lease_ms = 1000, renew_ms = 100): string {
  return yaml
    .replace('heartbeat_ms: 250', 'heartbeat_ms: 50')
    .replace('switchback_healthy_ms: 1000', 'switchback_healthy_ms: 200')
    .replace('resend_timeout_ms: 1000', 'resend_timeout_ms: 400')
    .replace(/lease_ms: \d+/, `lease_ms: ${lease_ms}`)
    .replace(/renew_ms: \d+/, `renew_ms: ${renew_ms}`);
}

// The main process's side of the host, against scripted hosts: a call that gets no answer fails
// on time, a host that dies fails what was pending, a host that will not stop is killed, junk
// messages are ignored, and the supervisor restarts a crashed host and gives up on a crash loop.
import { describe, expect, it, vi } from 'vitest';
import { ControlPlaneClient, type MainPort } from './control-plane-client';
import type { ToHost } from './messages';
import { ControlPlaneSupervisor } from './supervisor';

/** A host played by the test: what it was sent, and levers to answer, exit or stay silent. */
function scriptedHost() {
  const sent: ToHost[] = [];
  let toMain: (m: unknown) => void = () => {};
  let exit: (code: number) => void = () => {};
  let killed = false;
  const port: MainPort = {
    post: (m) => {
      sent.push(m);
      if (m.kind === 'ping') toMain({ kind: 'pong', id: m.id }); // a live host answers the watchdog at once
    },
    onMessage: (l) => void (toMain = l),
    onExit: (l) => void (exit = l),
    kill: () => {
      killed = true;
      exit(1);
    },
  };
  return { port, sent, say: (m: unknown) => toMain(m), exit: (code: number) => exit(code), killed: () => killed };
}

const READY = { kind: 'ready', listening: { socket: '127.0.0.1:9999' }, console_api: true, native: { available: false, reason: 'x' }, secure_pipe: '' };

describe('ControlPlaneClient', () => {
  it('sends start first, then calls, and matches answers to calls by id', async () => {
    const host = scriptedHost();
    const client = new ControlPlaneClient(host.port, { dataDir: '/d' });
    expect(host.sent[0]).toEqual({ kind: 'start', options: { dataDir: '/d' } });
    host.say(READY);
    const a = client.call('status', {});
    const b = client.call('gates', {});
    const [ca, cb] = host.sent.slice(1) as Extract<ToHost, { kind: 'call' }>[];
    host.say({ kind: 'result', id: cb!.id, ok: false, error: 'no gates yet' });
    host.say({ kind: 'result', id: ca!.id, ok: true, value: { mode: 'NORMAL' } });
    await expect(a).resolves.toEqual({ mode: 'NORMAL' });
    await expect(b).rejects.toThrow('no gates yet');
  });

  it('fails a call the host does not answer in time, and ignores junk', async () => {
    const host = scriptedHost();
    const client = new ControlPlaneClient(host.port, { dataDir: '/d' }, { call_timeout_ms: 30 });
    host.say(READY);
    host.say('junk');
    host.say({ kind: 'result', id: 'x' });
    await expect(client.call('status', {})).rejects.toThrow('status: the control plane did not answer within 30 ms');
  });

  it('fails pending calls when the host dies, and refuses new ones', async () => {
    const host = scriptedHost();
    const client = new ControlPlaneClient(host.port, { dataDir: '/d' });
    host.say(READY);
    const pending = client.call('status', {});
    host.exit(3);
    await expect(pending).rejects.toThrow('the control plane exited (code 3)');
    await expect(client.call('status', {})).rejects.toThrow("Guardian's control plane is not running (exited with code 3)");
  });

  it('kills a host that does not stop within its grace', async () => {
    const host = scriptedHost();
    const client = new ControlPlaneClient(host.port, { dataDir: '/d' });
    host.say(READY);
    expect(await client.shutdown(10, 20)).toBeNull();
    expect(host.sent.at(-1)).toEqual({ kind: 'shutdown', flush_ms: 10 });
    expect(host.killed()).toBe(true);
  });
});

/** A supervisor over scripted hosts: every host it starts, and every notice it gives. */
function supervised() {
  const hosts: ReturnType<typeof scriptedHost>[] = [];
  const notices: string[] = [];
  const sup = new ControlPlaneSupervisor(() => {
    const h = scriptedHost();
    hosts.push(h);
    return h.port;
  }, { dataDir: '/d' }, { onEvent: () => {}, onState: () => {}, onRestart: (m) => notices.push(m), log: () => {} });
  return { sup, hosts, notices };
}

describe('ControlPlaneSupervisor', () => {
  it('restarts a crashed host with backoff, and stops after a crash loop', async () => {
    vi.useFakeTimers();
    try {
      const { sup, hosts, notices } = supervised();
      await sup.start();
      hosts[0]!.say(READY);
      hosts[0]!.exit(9);
      await vi.advanceTimersByTimeAsync(1000);
      expect(hosts).toHaveLength(2);
      hosts[1]!.say(READY);
      const answer = sup.call('status', {});
      const call = hosts[1]!.sent.find((m) => m.kind === 'call') as Extract<ToHost, { kind: 'call' }>;
      hosts[1]!.say({ kind: 'result', id: call.id, ok: true, value: 'from the new host' });
      await expect(answer).resolves.toBe('from the new host');
      for (let i = 0; i < 4; i++) {
        hosts.at(-1)!.exit(9);
        await vi.advanceTimersByTimeAsync(30_000);
      }
      expect(notices).toEqual([
        "Guardian's control plane stopped (exit code 9); restarting in 1 s. Figures are from its status file meanwhile.",
        "Guardian's control plane was restarted after it stopped (exit code 9); back after 1.0 s.",
        "Guardian's control plane stopped (exit code 9); restarting in 2 s. Figures are from its status file meanwhile.",
        "Guardian's control plane stopped (exit code 9); restarting in 4 s. Figures are from its status file meanwhile.",
        "Guardian's control plane stopped (exit code 9); restarting in 8 s. Figures are from its status file meanwhile.",
        "Guardian's control plane stopped (exit code 9) and is not restarted: the control plane stopped 5 times in 10 minutes; restart Guardian after fixing the cause",
      ]);
      // The replacement host was told why it was started, to record the restart as an incident.
      expect(hosts[1]!.sent[0]).toMatchObject({ kind: 'start', options: { dataDir: '/d', restart: { reason: 'exited', detail: 'exit code 9' } } });
      expect(hosts).toHaveLength(5);
      await sup.shutdown(10);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not restart a host that stops because Guardian is quitting', async () => {
    const { sup, hosts, notices } = supervised();
    await sup.start();
    hosts[0]!.say(READY);
    const stopping = sup.shutdown(10);
    hosts[0]!.say({ kind: 'stopped', report: { ok: true, steps: [] } });
    expect(await stopping).toEqual({ ok: true, steps: [] });
    hosts[0]!.exit(0);
    expect(notices).toEqual([]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpClient, type SocketLike } from './http';
import type { ConnectionInfo } from './types';

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  closed = false;
  constructor(readonly url: string, readonly protocols: string[]) { FakeSocket.all.push(this); }
  close() { this.closed = true; }
  open() { this.onopen?.(new Event('open')); }
  drop(code = 1006) { this.onclose?.({ code, reason: '' } as CloseEvent); }
  send(data: unknown) { this.onmessage?.({ data: JSON.stringify(data) } as MessageEvent); }
}

function client(fetchFn: typeof fetch = vi.fn()) {
  return new HttpClient({
    origin: 'http://127.0.0.1:8787', token: 'tok_123', fetch: fetchFn, random: () => 1, now: () => Date.now(),
    openSocket: (url, protocols) => new FakeSocket(url, protocols),
  });
}

describe('HttpClient reconnect', () => {
  beforeEach(() => { vi.useFakeTimers(); FakeSocket.all = []; });
  afterEach(() => vi.useRealTimers());

  it('opens the event stream with the token as a subprotocol', () => {
    const c = client();
    c.start();
    c.start();
    expect(FakeSocket.all).toHaveLength(1);
    expect(FakeSocket.all[0]!.url).toBe('ws://127.0.0.1:8787/api/events');
    expect(FakeSocket.all[0]!.protocols).toEqual(['guardian.v1', 'guardian.bearer.tok_123']);
  });

  it('goes live, then reconnects with backoff, then says offline, then recovers', () => {
    const c = client();
    const states: ConnectionInfo['state'][] = [];
    c.onConnection((info) => states.push(info.state));
    c.start();
    expect(c.getConnection().state).toBe('connecting');
    FakeSocket.all[0]!.open();
    expect(c.getConnection().state).toBe('live');

    FakeSocket.all[0]!.drop();
    expect(c.getConnection()).toMatchObject({ state: 'reconnecting', attempt: 1 });
    vi.advanceTimersByTime(499);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);

    // Three more failures, 1 s, 2 s and 4 s apart, still "reconnecting"; the fifth in a row reads "offline".
    const waits = [1000, 2000, 4000];
    for (const [i, wait] of waits.entries()) {
      FakeSocket.all[i + 1]!.drop();
      expect(c.getConnection().state).toBe('reconnecting');
      vi.advanceTimersByTime(wait - 1);
      expect(FakeSocket.all).toHaveLength(i + 2);
      vi.advanceTimersByTime(1);
    }
    FakeSocket.all[4]!.drop();
    expect(c.getConnection()).toMatchObject({ state: 'offline', attempt: 5 });
    vi.advanceTimersByTime(8000);
    FakeSocket.all[5]!.drop();
    expect(c.getConnection()).toMatchObject({ state: 'offline', attempt: 6 });
    vi.advanceTimersByTime(15_000);
    expect(FakeSocket.all).toHaveLength(7);
    FakeSocket.all[6]!.open();
    expect(c.getConnection()).toMatchObject({ state: 'live', attempt: 0 });
    expect(states[0]).toBe('live');
    expect(states).toContain('reconnecting');
    expect(states).toContain('offline');
    expect(states[states.length - 1]).toBe('live');
  });

  it('retries at once on "Retry now", and stops for good on close()', () => {
    const c = client();
    c.start();
    FakeSocket.all[0]!.drop();
    c.reconnectNow();
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(2);
    c.close();
    expect(FakeSocket.all[1]!.closed).toBe(true);
    FakeSocket.all[1]!.drop();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('passes known events to subscribers and drops the rest', () => {
    const c = client();
    const seen: string[] = [];
    c.subscribe((e) => seen.push(e.type));
    c.start();
    const s = FakeSocket.all[0]!;
    s.open();
    s.send({ type: 'audit', entry: { id: 'A' } });
    s.send({ type: 'nonsense' });
    s.onmessage?.({ data: '{not json' } as MessageEvent);
    expect(seen).toEqual(['audit']);
  });
});

describe('HttpClient calls', () => {
  it('sends the bearer token and the control\'s reason as the body', async () => {
    const fetchFn = vi.fn(async () => new Response(JSON.stringify({ ok: true, audit_id: 'AUD-9' }), { status: 200 }));
    const c = client(fetchFn as unknown as typeof fetch);
    await expect(c.control('hold_new_entries', { reason: 'NFP in 5 min' })).resolves.toEqual({ ok: true, audit_id: 'AUD-9' });
    const [url, init] = fetchFn.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://127.0.0.1:8787/api/controls/hold_new_entries');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok_123');
    expect(JSON.parse(init.body as string)).toEqual({ reason: 'NFP in 5 min' });
  });

  it('refuses a bad control without calling the server', async () => {
    const fetchFn = vi.fn();
    const c = client(fetchFn as unknown as typeof fetch);
    await expect(c.control('hold_new_entries', { reason: ' ' })).resolves.toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('returns the server\'s refusal as an answer, not an exception', async () => {
    const refusal = { ok: false, code: 'REFUSED', error: 'The socket path is failing its probes.' };
    const c = client((async () => new Response(JSON.stringify(refusal), { status: 409 })) as unknown as typeof fetch);
    await expect(c.control('force_path_switch', { reason: 'try it', path: 'socket' })).resolves.toEqual(refusal);
    const denied = client((async () => new Response('', { status: 401 })) as unknown as typeof fetch);
    await expect(denied.control('resume', { reason: 'go go' })).resolves.toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
  });

  it('throws on a failed read, with the route in the message', async () => {
    const c = client((async () => new Response(JSON.stringify({ error: 'boom' }), { status: 500 })) as unknown as typeof fetch);
    await expect(c.getStatus()).rejects.toThrow('status: HTTP 500 boom');
  });
});

// The console server over real HTTP on an ephemeral port: who may call it (Host, Origin, token,
// on requests and on the event stream), what each route answers (the contract's shapes), and
// /metrics in the Prometheus text format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API, API_NAMES, EVENT_STREAM, toHttpRequest, type ApiName, type ApiRequest } from '../../../src-shared/contract';
import { loadOrCreateToken, startConsoleServer, type ConsoleServer } from '.';
import { FakeBackend, FIXTURE_INCIDENT, openStream, parsePrometheus, rawRequest } from './test-support';

describe('console server', () => {
  let dir: string;
  let server: ConsoleServer;
  let backend: FakeBackend;
  let token: string;
  let port: number;
  const auth = () => ({ Authorization: `Bearer ${token}` });
  const json = { 'Content-Type': 'application/json' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'guardian-server-'));
    const web = join(dir, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>deck</title><script type="module" src="./assets/app.js"></script>');
    writeFileSync(join(web, 'assets', 'app.js'), 'export {};');
    writeFileSync(join(dir, 'secret.txt'), 'not for the web');
    token = loadOrCreateToken(dir).token;
    backend = new FakeBackend(true);
    server = await startConsoleServer({ backend, port: 0, token, actor: 'operator:alice', webRoot: web });
    port = server.port;
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('the guard', () => {
    it('answers a wrong Host with 403, whatever the route', async () => {
      for (const path of ['/api/status', '/metrics', '/']) {
        const r = await rawRequest(port, 'GET', path, { Host: `evil.example:${port}` });
        expect(r.status, path).toBe(403);
      }
      expect((await rawRequest(port, 'GET', '/api/status', { Host: '127.0.0.1:1' })).status).toBe(403);
      expect((await rawRequest(port, 'GET', '/api/status', { Host: `localhost:${port}` })).status).toBe(200);
    });

    it('answers a foreign Origin with 403 and its own origin with 200', async () => {
      const r = await rawRequest(port, 'GET', '/api/status', { Origin: 'http://evil.example' });
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
      expect((await rawRequest(port, 'GET', '/api/status', { Origin: `http://127.0.0.1:${port}` })).status).toBe(200);
      const post = await rawRequest(port, 'POST', '/api/controls/hold_new_entries', { ...auth(), ...json, Origin: 'https://127.0.0.1.evil.example' }, JSON.stringify({ reason: 'news' }));
      expect(post.status).toBe(403);
    });

    it('refuses a control without the token, with a wrong one, or with a token for another scheme', async () => {
      const body = JSON.stringify({ reason: 'NFP in 5 minutes' });
      const before = backend.calls.length;
      for (const headers of [{} as Record<string, string>, { Authorization: 'Bearer wrong-token-wrong-token-wrong-token' }, { Authorization: `Basic ${token}` }, { Authorization: `Bearer ${token}x` }]) {
        const r = await rawRequest(port, 'POST', '/api/controls/hold_new_entries', { ...json, ...headers }, body);
        expect(r.status).toBe(403);
        expect(JSON.parse(r.body)).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
      }
      expect(backend.calls.length).toBe(before);
    });

    it('refuses a GET that carries a wrong token, and serves one with none', async () => {
      expect((await rawRequest(port, 'GET', '/api/status', { Authorization: 'Bearer nope' })).status).toBe(403);
      expect((await rawRequest(port, 'GET', '/api/status', auth())).status).toBe(200);
    });

    it('refuses the event stream without the token, with a wrong one, from a foreign Origin or a wrong Host', async () => {
      const offers: [string[], Record<string, string>][] = [
        [[EVENT_STREAM.protocol], {}],
        [[EVENT_STREAM.protocol, `${EVENT_STREAM.bearer_protocol_prefix}wrong-token-wrong-token-wrong`], {}],
        [[EVENT_STREAM.protocol, EVENT_STREAM.bearer_protocol_prefix + token], { Origin: 'http://evil.example' }],
        [[EVENT_STREAM.protocol, EVENT_STREAM.bearer_protocol_prefix + token], { Host: `evil.example:${port}` }],
        [[`${EVENT_STREAM.bearer_protocol_prefix}${token}`], {}],
      ];
      for (const [protocols, headers] of offers) {
        const r = await openStream(port, protocols, headers);
        expect('refused' in r && r.refused).toBe(403);
      }
    });

    it('opens the event stream with the token: echoes guardian.v1 only, sends hello then status', async () => {
      const r = await openStream(port, [EVENT_STREAM.protocol, EVENT_STREAM.bearer_protocol_prefix + token], { Origin: `http://127.0.0.1:${port}` });
      if ('refused' in r) throw new Error(`refused ${r.refused}`);
      expect(r.protocol).toBe(EVENT_STREAM.protocol);
      expect(r.messages[0]).toMatchObject({ type: 'hello', version: 'test', pulse_ms: 250, demo: true });
      expect(r.messages[1]).toMatchObject({ type: 'status', status: { mode: 'NORMAL' } });
      const next = new Promise((resolve) => r.ws.once('message', (d) => resolve(JSON.parse(String(d)))));
      server.publish({ type: 'status', status: { ...backend.current, mode: 'DEGRADED.COMM' } });
      expect(await next).toMatchObject({ type: 'status', status: { mode: 'DEGRADED.COMM' } });
      expect(server.clients).toBe(1);
      r.ws.close();
    });
  });

  describe('the routes', () => {
    const requests: { [N in ApiName]: ApiRequest<N> } = {
      status: {}, metricsRecent: { window_s: 60 }, incidentsRecent: { limit: 10 }, incident: { id: FIXTURE_INCIDENT.id },
      routesStatus: {}, bufferStatus: {}, agentsConsensus: {}, gates: {}, auditRecent: { limit: 5 }, adviceList: {},
      signalsHeld: {}, deadLetters: {}, control: { name: 'hold_new_entries', request: { reason: 'NFP in 5 minutes' } },
      exportReport: { id: 'timeline', format: 'markdown' }, truth: {}, manifest: {}, execution: {},
    };
    const shapes: Record<ApiName, (x: Record<string, unknown>) => void> = {
      status: (x) => expect(Object.keys(x)).toEqual(expect.arrayContaining(['mode', 'overall_score', 'scores', 'routes', 'buffer', 'incidents', 'agent_votes', 'policy', 'ts', 'pulse_ms', 'demo', 'version'])),
      metricsRecent: (x) => expect(x).toMatchObject({ pulse_ms: 250, window_s: 60, budgets: expect.any(Object), samples: expect.any(Array) }),
      incidentsRecent: (x) => expect(x.incidents).toEqual([FIXTURE_INCIDENT]),
      incident: (x) => expect(x).toEqual(FIXTURE_INCIDENT),
      routesStatus: (x) => expect(x).toMatchObject({ routes: { active: 'socket' }, peers: [], active_tier: 'primary', last_switch: null }),
      bufferStatus: (x) => expect(x).toEqual({ depth: 2, enq_per_s: 3, deq_per_s: 3, oldest_age_s: 0.4 }),
      agentsConsensus: (x) => expect(x).toMatchObject({ decision: 'CONTINUE', votes: [], veto: null }),
      gates: (x) => expect(x).toEqual({ gates: [] }),
      auditRecent: (x) => expect(x).toEqual({ entries: expect.any(Array) }),
      adviceList: (x) => expect(x).toEqual({ advice: [] }),
      signalsHeld: (x) => expect(x).toEqual({ signals: [] }),
      deadLetters: (x) => expect(x).toEqual({ dead_letters: [] }),
      control: (x) => expect(x).toEqual({ ok: true, audit_id: expect.stringMatching(/^AUD-/) }),
      exportReport: (x) => expect(x).toMatchObject({ filename: expect.any(String), content_type: expect.any(String), body: expect.stringContaining('bridge_latency') }),
      truth: (x) => expect(x).toMatchObject({ journal_events: 4, metrics: { trades: 2, profit_factor: 'inf', sharpe: null } }),
      execution: (x) => expect(x).toMatchObject({ gate_enabled: true, blocked: [{ signal_id: 's-7', reason_code: 'ORDER_SIZE_BLOCK' }] }),
      manifest: (x) => expect(x).toMatchObject({ version: '0.0.0-test', config_hash: expect.stringMatching(/^[0-9a-f]{64}$/), protocol_versions: ['1.2', '1.0'] }),
    };

    it.each(API_NAMES)('%s answers its contract shape at the path the client builds', async (name) => {
      const spec = toHttpRequest(name, requests[name] as never);
      const headers: Record<string, string> = spec.body === undefined ? {} : { ...auth(), ...json };
      const r = await rawRequest(port, spec.method, spec.url, headers, spec.body === undefined ? undefined : JSON.stringify(spec.body));
      expect(r.status, r.body).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.headers['cache-control']).toBe('no-store');
      shapes[name](JSON.parse(r.body) as Record<string, unknown>);
      expect(API[name].method).toBe(spec.method);
    });

    it('runs a control with the actor of the token, never one the request names', async () => {
      const r = await rawRequest(port, 'POST', '/api/controls/force_path_switch', { ...auth(), ...json }, JSON.stringify({ reason: '  test the pipe  ', path: 'socket' }));
      expect(r.status).toBe(200);
      expect(backend.calls.at(-1)).toEqual({ call: { name: 'force_path_switch', request: { reason: 'test the pipe', path: 'socket' } }, actor: 'operator:alice' });
      const forged = await rawRequest(port, 'POST', '/api/controls/hold_new_entries', { ...auth(), ...json }, JSON.stringify({ reason: 'news', actor: 'operator:bob' }));
      expect(forged.status).toBe(400);
      expect(JSON.parse(forged.body)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    });

    it('refuses a control without a reason, an unknown control, bad JSON, the wrong content type', async () => {
      const post = (path: string, body: string, headers: Record<string, string> = json) => rawRequest(port, 'POST', path, { ...auth(), ...headers }, body);
      const noReason = await post('/api/controls/hold_new_entries', JSON.stringify({}));
      expect(noReason.status).toBe(422);
      expect(JSON.parse(noReason.body)).toEqual({ ok: false, code: 'REASON_REQUIRED', error: 'A reason is required.' });
      const short = await post('/api/controls/hold_new_entries', JSON.stringify({ reason: ' x ' }));
      expect(JSON.parse(short.body)).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
      expect((await post('/api/controls/self_destruct', JSON.stringify({ reason: 'why not' }))).status).toBe(404);
      expect((await post('/api/controls/hold_new_entries', '{"reason":')).status).toBe(400);
      expect((await post('/api/controls/hold_new_entries', 'reason=news', { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(415);
      expect((await post('/api/controls/hold_new_entries', JSON.stringify({ reason: 'x'.repeat(70_000) }))).status).toBe(413);
    });

    it('answers a refusal on the merits with 409 REFUSED and the reason', async () => {
      const r = await rawRequest(port, 'POST', '/api/controls/force_path_switch', { ...auth(), ...json }, JSON.stringify({ reason: 'move to pipe', path: 'pipe' }));
      expect(r.status).toBe(409);
      expect(JSON.parse(r.body)).toEqual({ ok: false, code: 'REFUSED', error: 'the path is not up' });
    });

    it('says 404 for an unknown incident or API, 405 for the wrong method, 400 for a bad query', async () => {
      expect((await rawRequest(port, 'GET', '/api/incidents/INC-404')).status).toBe(404);
      expect((await rawRequest(port, 'GET', '/api/reports/INC-404?format=json')).status).toBe(404);
      expect((await rawRequest(port, 'GET', '/api/reports/timeline?format=pdf')).status).toBe(400);
      expect((await rawRequest(port, 'GET', '/api/nothing')).status).toBe(404);
      expect((await rawRequest(port, 'GET', '/api/controls/hold_new_entries')).status).toBe(405);
      expect((await rawRequest(port, 'POST', '/api/status', { ...auth(), ...json }, '{}')).status).toBe(405);
      expect((await rawRequest(port, 'GET', '/api/incidents/recent?limit=abc')).status).toBe(400);
      expect((await rawRequest(port, 'GET', '/api/incidents/%E0%A4%A')).status).toBe(400);
    });

    it('serves the console with a CSP that allows no inline script, and nothing outside its folder', async () => {
      const page = await rawRequest(port, 'GET', '/?token=abc');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect((await rawRequest(port, 'GET', '/assets/app.js')).headers['content-type']).toMatch(/^text\/javascript/);
      expect((await rawRequest(port, 'GET', '/../secret.txt')).status).toBe(404);
      expect((await rawRequest(port, 'GET', '/%2e%2e/secret.txt')).status).toBe(404);
      expect((await rawRequest(port, 'GET', '/assets/../../secret.txt')).status).toBe(404);
      expect((await rawRequest(port, 'POST', '/', { ...auth(), ...json }, '{}')).status).toBe(405);
    });

    it('says how to build the console when it is not built, while the API still answers', async () => {
      const bare = await startConsoleServer({ backend, port: 0, token, actor: 'operator:alice', webRoot: join(dir, 'nowhere') });
      try {
        expect(bare.webBuilt).toBe(false);
        const r = await rawRequest(bare.port, 'GET', '/');
        expect(r.status).toBe(503);
        expect(r.body).toContain('npx vite build -c vite.web.config.ts');
        expect((await rawRequest(bare.port, 'GET', '/api/status')).status).toBe(200);
      } finally {
        await bare.close();
      }
    });
  });

  describe('/metrics', () => {
    it('is the Prometheus text format with mode, scores, paths, buffer, rates, store failures and bad input', async () => {
      const r = await rawRequest(port, 'GET', '/metrics');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const m = parsePrometheus(r.body);
      const one = (name: string, labels: Record<string, string> = {}) => m.get(name)?.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
      expect(one('guardian_mode', { mode: 'NORMAL' })).toBe(1);
      expect(one('guardian_mode', { mode: 'SAFE_MODE' })).toBe(0);
      expect(one('guardian_overall_score')).toBe(93.5);
      expect(one('guardian_gate_score', { gate: 'risk_management' })).toBe(93);
      expect(one('guardian_path_latency_seconds', { path: 'socket' })).toBeCloseTo(0.0032);
      expect(one('guardian_path_up', { path: 'socket' })).toBe(1);
      expect(one('guardian_path_up', { path: 'pipe' })).toBe(0);
      expect(one('guardian_path_drop_ratio', { path: 'socket' })).toBe(0);
      expect(one('guardian_path_active', { path: 'socket' })).toBe(1);
      expect(one('guardian_buffer_depth')).toBe(2);
      expect(one('guardian_buffer_oldest_age_seconds')).toBe(0.4);
      expect(one('guardian_messages_per_second')).toBe(3);
      expect(one('guardian_store_failures_total')).toBe(1);
      expect(one('guardian_bad_input_total', { reason: 'BAD_JSON' })).toBe(2);
      expect(one('guardian_bad_input_total', { reason: 'FRAME_SIZE' })).toBe(1);
      expect(m.has('process_cpu_seconds_total')).toBe(true);
    });

    it('the parser used above refuses what is not Prometheus text', () => {
      expect(() => parsePrometheus('# TYPE x gauge\nx{a="1"} one\n')).toThrow();
      expect(() => parsePrometheus('y 1\n')).toThrow(/no TYPE/);
    });
  });

  describe('the token file', () => {
    it('is made once, URL-safe, readable by its owner only, and kept', () => {
      const d = mkdtempSync(join(tmpdir(), 'guardian-token-'));
      try {
        const a = loadOrCreateToken(d);
        expect(a.created).toBe(true);
        expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        if (process.platform !== 'win32') expect(statSync(a.file).mode & 0o777).toBe(0o600);
        const b = loadOrCreateToken(d);
        expect(b).toMatchObject({ token: a.token, created: false });
        writeFileSync(a.file, 'short');
        expect(() => loadOrCreateToken(d)).toThrow(/does not hold a console token/);
      } finally {
        rmSync(d, { recursive: true, force: true });
      }
    });
  });
});

import { describe, expect, it } from 'vitest';
import { API, API_NAMES, matchHttpRoute, toHttpRequest } from './api';
import { parseStreamEvent } from './events';

describe('API table', () => {
  it('gives every entry a distinct route and a distinct IPC channel', () => {
    const routes = API_NAMES.map((n) => `${API[n].method} ${API[n].path}`);
    const channels = API_NAMES.map((n) => API[n].ipc);
    expect(new Set(routes).size).toBe(routes.length);
    expect(new Set(channels).size).toBe(channels.length);
    expect(API.status).toEqual({ method: 'GET', path: '/api/status', ipc: 'guardian:status' });
  });

  it('maps a control onto its route with the request as the body', () => {
    const spec = toHttpRequest('control', { name: 'force_path_switch', request: { reason: 'socket flaps', path: 'pipe' } });
    expect(spec).toEqual({ method: 'POST', url: '/api/controls/force_path_switch', body: { reason: 'socket flaps', path: 'pipe' } });
  });

  it('fills path parameters and puts the rest in the query', () => {
    expect(toHttpRequest('exportReport', { id: 'INC 7', format: 'markdown' })).toEqual({ method: 'GET', url: '/api/reports/INC%207?format=markdown' });
    expect(toHttpRequest('incidentsRecent', { limit: 500 })).toEqual({ method: 'GET', url: '/api/incidents/recent?limit=500' });
    expect(toHttpRequest('status', {})).toEqual({ method: 'GET', url: '/api/status' });
  });

  it('matches a route back to its entry, for the server', () => {
    expect(matchHttpRoute('POST', '/api/controls/kill_switch')).toEqual({ name: 'control', params: { name: 'kill_switch' } });
    expect(matchHttpRoute('GET', '/api/incidents/recent')).toEqual({ name: 'incidentsRecent', params: {} });
    expect(matchHttpRoute('GET', '/api/incidents/INC%207')).toEqual({ name: 'incident', params: { id: 'INC 7' } });
    expect(matchHttpRoute('DELETE', '/api/status')).toBeNull();
    expect(matchHttpRoute('GET', '/api/controls/')).toBeNull();
  });
});

describe('parseStreamEvent', () => {
  it('accepts known events with their object and refuses the rest', () => {
    expect(parseStreamEvent({ type: 'audit', entry: { id: 'A-1' } })).not.toBeNull();
    expect(parseStreamEvent({ type: 'hello', server_ts: 'x', version: '1', pulse_ms: 250, demo: false })).not.toBeNull();
    expect(parseStreamEvent({ type: 'audit' })).toBeNull();
    expect(parseStreamEvent({ type: 'toString', status: {} })).toBeNull();
    expect(parseStreamEvent('status')).toBeNull();
  });
});

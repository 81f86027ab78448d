// Which client the page uses: the preload's bridge in Electron, fixtures with `?fake=1`
// (`&scenario=degraded|safe`, `&incidents=5000`, `&conn=reconnecting|offline`, `&frozen=1` for no pulse), else the service.
import { FakeClient } from './fake/FakeClient';
import { SCENARIOS, type ScenarioName } from './fake/fixtures/scenario';
import { HttpClient } from './http';
import { IpcClient } from './ipc';
import { takeToken } from './token';
import type { GuardianClient } from './types';

export function chooseClient(win: Window): GuardianClient {
  if (win.guardian) return new IpcClient(win.guardian);
  const params = new URLSearchParams(win.location.search);
  if (params.get('fake') === '1') {
    const scenario = params.get('scenario') ?? 'normal';
    const conn = params.get('conn');
    const count = Number(params.get('incidents') ?? 40);
    return new FakeClient({
      scenario: (SCENARIOS as readonly string[]).includes(scenario) ? (scenario as ScenarioName) : 'normal',
      incidents: Number.isFinite(count) ? Math.min(Math.max(0, Math.floor(count)), 50_000) : 40,
      connection: conn === 'reconnecting' || conn === 'offline' ? conn : undefined,
      auto: params.get('frozen') !== '1',
    });
  }
  return new HttpClient({ origin: win.location.origin, token: takeToken(win.location, win.sessionStorage, win.history) });
}

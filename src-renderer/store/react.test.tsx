// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuardianStatus } from '../../src-shared/contract';
import { FakeClient } from '../client';
import { initialConnection } from '../client/connection';
import { createGuardianStore } from './guardian';
import { StoreProvider, useGuardian } from './react';
import { selectMode, selectPathMetrics } from './selectors';

afterEach(cleanup);

describe('selectors re-render only what changed', () => {
  it('a status update that moves the socket does not re-render the pipe or the mode', async () => {
    const base = await new FakeClient({ scenario: 'degraded' }).getStatus();
    const store = createGuardianStore(initialConnection(0));
    const renders = { pipe: 0, socket: 0, mode: 0 };
    function Pipe() { renders.pipe++; return <span>{useGuardian(selectPathMetrics('pipe'))?.latency_ms}</span>; }
    function Socket() { renders.socket++; return <span>{useGuardian(selectPathMetrics('socket'))?.latency_ms}</span>; }
    function ModeProbe() { renders.mode++; return <span>{useGuardian(selectMode)}</span>; }
    render(<StoreProvider store={store}><Pipe /><Socket /><ModeProbe /></StoreProvider>);
    const pulse = (i: number, socket_ms: number): GuardianStatus => {
      const s = structuredClone(base);
      s.ts = new Date(1_000_000 + i * 250).toISOString();
      s.routes.metrics.socket!.latency_ms = socket_ms;
      return s;
    };
    act(() => store.getState().actions.applyStatus(pulse(0, 200), 0));
    const after_first = { ...renders };
    act(() => store.getState().actions.applyStatus(pulse(1, 220), 250));
    act(() => store.getState().actions.applyStatus(pulse(2, 240), 500));
    expect(renders.socket).toBe(after_first.socket + 2);
    expect(renders.pipe).toBe(after_first.pipe);
    expect(renders.mode).toBe(after_first.mode);
  });
});

// Issue 3, the risk veto with the real data plane and the simulator: the EA reports a portfolio
// correlation over the cap -> the risk agent's EMERGENCY_STOP and the policy's cap -> SAFE_MODE:
// the EA receives COMMAND HOLD_NEW_ENTRIES (and CANCEL_ALL), new entries are refused with
// MODE_BLOCK while closes still reach the EA; once the correlation falls, the dwell brings NORMAL
// back and the EA is told to RESUME.
import { afterEach, describe, expect, it } from 'vitest';
import type { SignalPayload } from '../src-shared/protocol';
import { startScenario, until, type Scenario } from './control-harness';

describe('control plane: the risk veto', () => {
  let s: Scenario | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('correlation over the cap -> SAFE_MODE; the EA is told HOLD_NEW_ENTRIES; entries refused, closes pass; NORMAL once it falls', async () => {
    s = await startScenario({ rate_per_s: 0, tiers: ['primary'] });
    const { g, ea } = s;
    const cp = g.control!;
    const sig = s.signals.primary!;
    const refusals: string[] = [];
    sig.client.onError = (err) => refusals.push(`${String(err.reason)}: ${err.detail ?? ''}`);
    // Keep the primary tier fresh so the signal subsystem is known.
    const keepFresh = setInterval(() => void sig.client.send('SIGNAL', { signal_id: `keep-${Date.now()}`, symbol: 'EURUSD', action: 'MODIFY', tier: 'primary' } as SignalPayload).catch(() => {}), 200);
    try {
      await until(() => cp.mode === 'NORMAL' && (cp.latest()?.snapshot.seq ?? 0) > 10 && cp.controlStatus().control.veto.status === 'clear', 10_000, 'NORMAL with the veto seen clear');

      ea.faults.spikeCorrelation(0.92);
      await until(() => cp.mode === 'SAFE_MODE', 3000, 'SAFE_MODE');
      const entered = s.events.find((e) => e.type === 'mode_change' && e.to_mode === 'SAFE_MODE')!;
      expect(entered.why?.text).toMatch(/risk veto: portfolio_correlation 0\.92 > 0\.75/);
      expect(entered.severity).toBe('critical');
      expect(cp.controlStatus().consensus?.veto).toMatchObject({ armed: true, agent: 'risk', action: 'EMERGENCY_STOP' });

      // The EA receives COMMAND HOLD_NEW_ENTRIES (the simulated EA then holds new entries itself).
      await until(() => ea.holdingNewEntries, 3000, 'the EA to hold new entries');
      const sent = s.events.filter((e) => e.type === 'command').map((e) => String(e.data?.command));
      expect(sent).toEqual(expect.arrayContaining(['HOLD_NEW_ENTRIES', 'CANCEL_ALL']));
      expect(sent).not.toContain('FLATTEN'); // the policy says freeze

      // New entries are refused (MODE_BLOCK) and never reach the EA; a close still does.
      await sig.client.send('SIGNAL', { signal_id: 'entry-1', symbol: 'EURUSD', action: 'BUY', lots: 0.1, price: 1.08, sl: 1.07, tp: 1.1, tier: 'primary' });
      await sig.client.send('SIGNAL', { signal_id: 'close-1', symbol: 'EURUSD', action: 'CLOSE', tier: 'primary' });
      await until(() => ea.receivedSignals().some((r) => r.signal_id === 'close-1'), 3000, 'the close at the EA');
      await until(() => refusals.some((r) => r.startsWith('MODE_BLOCK')), 3000, 'the refusal back at the signal service');
      expect(ea.receivedSignals().some((r) => r.signal_id === 'entry-1')).toBe(false);
      expect(refusals.find((r) => r.startsWith('MODE_BLOCK'))).toMatch(/SAFE_MODE/);

      // The correlation falls: the veto clears, and after the dwell the mode is NORMAL and the EA resumes.
      ea.faults.spikeCorrelation(null);
      await until(() => cp.mode === 'NORMAL', 10_000, 'NORMAL after the veto cleared and the dwell');
      await until(() => !ea.holdingNewEntries, 3000, 'the EA to resume');
      expect(s.events.filter((e) => e.type === 'command').map((e) => String(e.data?.command))).toContain('RESUME');
      expect(s.modesEntered()).toEqual(['SAFE_MODE', 'NORMAL']);
    } finally {
      clearInterval(keepFresh);
    }
  });
});

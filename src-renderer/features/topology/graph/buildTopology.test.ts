import { describe, expect, it } from 'vitest';
import type { GuardianStatus } from '../../../../src-shared/contract';
import { FakeClient } from '../../../client';
import { BROKER_ID, EA_ID, GUARDIAN_ID, buildTopology, pathId, pathLabel, tierId } from './buildTopology';

async function status(scenario: 'normal' | 'degraded'): Promise<GuardianStatus> {
  return new FakeClient({ scenario, now: () => Date.parse('2026-11-21T10:00:00Z') }).getStatus();
}

const edgeOf = (g: ReturnType<typeof buildTopology>, id: string) => {
  const e = g.edges.find((x) => x.id === id);
  if (!e) throw new Error(`no edge ${id}`);
  return e;
};

describe('buildTopology', () => {
  it('lays out signals -> Guardian -> socket, pipe, spool -> EA -> broker', async () => {
    const g = buildTopology(await status('normal'));
    expect(g.nodes.map((n) => n.id)).toEqual([
      tierId('primary'), tierId('cached'), tierId('heuristic'), GUARDIAN_ID, pathId('socket'), pathId('pipe'), pathId('spool'), EA_ID, BROKER_ID,
    ]);
    for (const e of g.edges) {
      expect(g.nodes.some((n) => n.id === e.source)).toBe(true);
      expect(g.nodes.some((n) => n.id === e.target)).toBe(true);
    }
  });

  it('animates the active route end to end, and only it', async () => {
    const g = buildTopology(await status('normal'));
    const animated = g.edges.filter((e) => e.animated).map((e) => e.id).sort();
    expect(animated).toEqual(['e:ea-broker', 'e:g-socket', 'e:primary', 'e:socket-ea'].sort());
    for (const id of ['e:g-socket', 'e:socket-ea']) {
      expect(edgeOf(g, id).data!.state).toBe('active');
      expect(edgeOf(g, id).className).toBe('route-active');
    }
  });

  it('draws standby paths grey and not animated', async () => {
    const g = buildTopology(await status('normal'));
    for (const path of ['pipe', 'spool']) {
      const e = edgeOf(g, `e:g-${path}`);
      expect(e.animated).toBe(false);
      expect(e.data!.state).toBe('standby');
      expect(e.className).toBe('route-standby');
      expect(g.nodes.find((n) => n.id === pathId(path as 'pipe'))!.data).toMatchObject({ kind: 'path', state: 'standby' });
    }
  });

  it('marks a failed path, moves the animation to the path in use, and keeps the metrics on the edge', async () => {
    const g = buildTopology(await status('degraded'));
    const socket = edgeOf(g, 'e:g-socket');
    expect(socket.data!.state).toBe('failed');
    expect(socket.className).toBe('route-failed');
    expect(socket.animated).toBe(false);
    expect(socket.data!.tip).toContain('is failing its probes');
    expect(socket.data!.tip).toContain('handshake_timeout');
    expect(g.nodes.find((n) => n.id === pathId('socket'))!.data).toMatchObject({ kind: 'path', state: 'failed' });
    expect(edgeOf(g, 'e:g-pipe')).toMatchObject({ animated: true, className: 'route-active' });
    expect(edgeOf(g, 'e:g-pipe').data!.label).toBe('48 ms · 0.2% drop · 2 retr · 118 ack/s');
  });

  it('uses the active signal tier and fails a tier whose peers are all down', async () => {
    const s = await status('degraded');
    const g = buildTopology({ ...s, active_tier: 'cached' });
    expect(edgeOf(g, 'e:cached').animated).toBe(true);
    expect(edgeOf(g, 'e:primary').data!.state).toBe('standby');
    // sig-heur (legacy) reaches Guardian only by the socket, which is down.
    expect(edgeOf(g, 'e:heuristic').data!.state).toBe('failed');
  });

  it('builds from section 4 alone (no peers, no broker)', async () => {
    const { peers: _p, broker: _b, ...core } = await status('normal');
    const g = buildTopology(core);
    expect(g.nodes).toHaveLength(9);
    expect(edgeOf(g, 'e:ea-broker').data!.tip).toBe('Broker status not reported');
  });

  it('writes only the numbers it has on an edge', () => {
    expect(pathLabel({ healthy: true, queue_depth: 312 })).toBeNull();
    expect(pathLabel({ healthy: true, latency_ms: 48 })).toBe('48 ms');
    expect(pathLabel(undefined)).toBeNull();
  });
});

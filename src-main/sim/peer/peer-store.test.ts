import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessage, encodeFramedMessage, messageId, type Header } from '../../../src-shared/protocol';
import { PEER_MIGRATIONS, PeerStore } from './peer-store';
import { openSimDatabase } from './sim-db';

describe('PeerStore inbox', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('hands back what was stored but not handed over, whether kept as frame bytes or as JSON text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peer-store-'));
    dirs.push(dir);
    const db = openSimDatabase(join(dir, 'peer.db'), PEER_MIGRATIONS);
    const store = new PeerStore(db);
    const header = (seq: number): Header => ({ version: '1.2', timestamp: '2026-11-22T10:00:00.000Z', message_id: messageId('g', seq), message_type: 'COMMAND', source: 'GUARDIAN', destination: 'EA', stream: 'g', seq });
    const frame = encodeFramedMessage(header(1), { command: 'PING' });
    const d = decodeMessage(frame.subarray(4));
    if (!d.ok) throw new Error(d.detail);
    db.transaction(() => {
      store.insertInbox(d.envelope, 1, frame.subarray(4)); // the frame's bytes
      store.insertInbox({ header: header(2), payload: { command: 'RESUME' } }, 1); // JSON text
      store.flushStreamsIn();
    })();
    const back = store.undelivered('g', 0);
    expect(back.map((e) => [e.header.seq, e.payload])).toEqual([[1, { command: 'PING' }], [2, { command: 'RESUME' }]]);
    expect(store.streamIn('g').last_seq).toBe(2);
    db.close();
  });
});

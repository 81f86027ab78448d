// Loads the bridge through koffi the way Guardian's synthetic loop-around peer does, and runs a
// tiny Guardian in this process: HELLO -> HELLO_ACK, a SIGNAL delivered and ACKed, a STATUS
// received. Blocking calls run on koffi's worker thread (.async) so the server can answer.
// Usage: node koffi_smoke.mjs <path to libguardian_bridge.so | guardian_bridge.dll>
import koffi from 'koffi';
import net from 'node:net';
import process from 'node:process';
import console from 'node:console';
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';

const lib = koffi.load(process.argv[2]);
koffi.opaque('gb_client');
const f = {
  crc32: lib.func('uint32 gb_crc32(const uint8_t *data, int len)'),
  encode: lib.func('int gb_encode_message(str stream, int64 seq, str type, str source, str dest, str id, str ts, str payload, str key, _Out_ uint8_t *out, int cap)'),
  check: lib.func('int gb_decode_check(const uint8_t *body, int len, str key)'),
  open: lib.func('gb_client *gb_open(str node_id, str state_dir, str key)'),
  close: lib.func('void gb_close(gb_client *c)'),
  connect: lib.func('int gb_connect_socket(gb_client *c, str host, int port, int timeout_ms)'),
  send: lib.func('int64 gb_send(gb_client *c, str type, str payload)'),
  poll: lib.func('int gb_poll(gb_client *c, int timeout_ms)'),
  next: lib.func('int gb_next_message(gb_client *c, _Out_ uint8_t *out, int cap)'),
  unacked: lib.func('int64 gb_unacked_count(gb_client *c)'),
  pending: lib.func('int gb_pending_count(gb_client *c)'),
  version: lib.func('str gb_version()'),
};

const encode = (type, seq, payload) => {
  const out = Buffer.alloc(65537);
  const n = f.encode('guardian-1', seq, type, 'GUARDIAN', 'EA', null, null, payload, null, out, out.length);
  assert.ok(n > 0);
  return out.subarray(0, n);
};
const frame = (body) => {
  const h = Buffer.alloc(4);
  h.writeUInt32LE(body.length);
  return Buffer.concat([h, body]);
};

assert.equal(f.crc32(Buffer.from('123456789'), 9), 0xcbf43926);
const sig = encode('SIGNAL', 1, '{"signal_id":"s1","symbol":"EURUSD","action":"BUY","lots":0.1}');
assert.equal(f.check(sig, sig.length, null), 0);
assert.match(sig.toString(), /,"checksum":"CRC32:[0-9A-F]{8}"}$/);

const status = { ea_state: 'ARMED', balance: 1000, equity: 1000, margin_level: 0, spread_pips: 0.8, open_positions: 0, server_time: '2026.11.21 10:30:00' };
const seen = [];
const server = net.createServer((sock) => {
  let buf = Buffer.alloc(0);
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32LE(0)) {
      const body = buf.subarray(4, 4 + buf.readUInt32LE(0));
      buf = buf.subarray(4 + body.length);
      assert.equal(f.check(body, body.length, null), 0);
      const msg = JSON.parse(body.toString());
      seen.push(msg);
      if (msg.header.message_type === 'HELLO') {
        sock.write(frame(encode('HELLO_ACK', 0, '{"version":"1.2","node_id":"guardian-1","last_seq_received":0,"heartbeat_ms":60000}')));
        sock.write(frame(sig));
      }
      if (msg.header.message_type === 'STATUS') sock.write(frame(encode('ACK', 0, `{"ack_seq":${msg.header.seq}}`)));
    }
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const dir = mkdtempSync(path.join(tmpdir(), 'gb-koffi-'));
const c = f.open('ea-koffi', dir, null);
assert.ok(c);
assert.equal(await promisify(f.connect.async)(c, '127.0.0.1', server.address().port, 3000), 0);
// The SIGNAL may already have arrived with the HELLO_ACK (queued during connect).
for (let i = 0; i < 50 && f.pending(c) < 1; i++) await promisify(f.poll.async)(c, 20);
assert.equal(f.pending(c), 1);
const out = Buffer.alloc(4096);
const n = f.next(c, out, out.length);
assert.equal(JSON.parse(out.subarray(0, n).toString()).payload.signal_id, 's1');
assert.equal(Number(f.send(c, 'STATUS', JSON.stringify(status))), 1); // int64: a Number when safe
for (let i = 0; i < 50 && Number(f.unacked(c)) > 0; i++) await promisify(f.poll.async)(c, 20);
assert.equal(Number(f.unacked(c)), 0);
const types = seen.map((m) => m.header.message_type);
assert.deepEqual(types.filter((t) => t !== 'ACK'), ['HELLO', 'STATUS']);
assert.ok(types.includes('ACK'));
f.close(c);
server.close();
rmSync(dir, { recursive: true, force: true });
console.log(`koffi smoke: ok (${f.version()})`);

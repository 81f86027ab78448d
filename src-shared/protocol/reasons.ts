// The operator reads reason codes in the console, the incident log and the dead-letter store. Each
// gets one plain-English line: what happened, and what to check or fix. A Record over ReasonCode
// makes the compiler refuse a new code without its text.

import type { ReasonCode } from './types';

export const REASON_TEXT: Record<ReasonCode, string> = {
  FRAME_SIZE:
    "A frame declared a length of 0 or over 65,536 bytes; the stream cannot be resynchronised, so the connection was closed. Check the peer's framing (4-byte little-endian length).",
  BAD_JSON:
    'A message was not valid UTF-8 JSON, so it was dropped and the connection kept. Check how the peer builds and encodes its messages.',
  BAD_CHECKSUM:
    "A message's CRC-32 did not match its bytes, so it was not acknowledged and the sender will resend it. Repeated cases point to a damaged link or a peer computing the checksum over the wrong bytes.",
  AUTH_FAILED:
    "A message's HMAC was wrong or missing while a shared key is configured, so it was refused. Check that both sides use the same key; three in a row close the connection and open a security incident.",
  BAD_MESSAGE:
    'A message was valid JSON but broke the schema (a missing field, a wrong type or an unknown message type). It was acknowledged and kept in the dead-letter store; fix the sender, then review it there.',
  VERSION:
    "The peer's HELLO offered no protocol version Guardian speaks, so the connection was closed. Upgrade the peer or its bridge to GBP 1.2 (or 1.0).",
  FRAME_TIMEOUT:
    'The peer stopped in the middle of a frame for longer than frame_timeout_ms, so it was disconnected. Check the peer process and the link; it will resend after reconnecting.',
  NOT_HELLO:
    "The peer's first frame was not HELLO, so it is treated as a legacy 1.0 peer: best effort only, no acknowledgements or resends. Upgrade it to GBP 1.2 for guaranteed delivery.",
  MODE_BLOCK:
    'The current mode does not allow this signal (for example manage-only or halted), so it was stored but not sent to the EA. Change the mode if the block is no longer needed.',
  ORDER_SIZE_BLOCK:
    "The signal's lot size is beyond the configured limit, so the order was blocked. Check the signal source, or the order-size constraint if the limit is wrong.",
  PRICE_COLLAR_BLOCK:
    "The signal's price was too far from the market (outside the price collar), so the order was blocked. Check the signal's price source and the collar width.",
  DUPLICATE_ORDER_BLOCK:
    'The signal repeats an order already placed or pending, so it was blocked to avoid a double position. Check the signal source for resends under a new signal_id.',
  RATE_THROTTLE_BLOCK:
    'Too many orders were sent in a short time, so this one was throttled. Check the signal source for a burst or a loop; the limit is in the constraints.',
  CANCEL_LOOP_BLOCK:
    'Orders were being placed and cancelled in a repeating loop, so the order was blocked. Check the strategy or signal source that keeps replacing the same order.',
  SIGNAL_EXPIRED:
    'A signal held by manage-only mode expired before it was released, so it was never sent to the EA. Release held signals sooner, or lengthen their expiry.',
  NO_ROUTE:
    'No healthy path to the destination was available (socket, pipe and spool all down), so the message is waiting in the outbox. Check that the EA or service is running and reachable.',
};

/** The text of a code, or a generic line for a code this version does not know (a newer peer's). */
export function reasonText(code: string): string {
  return Object.prototype.hasOwnProperty.call(REASON_TEXT, code)
    ? REASON_TEXT[code as ReasonCode]
    : `The peer reported "${code}", a reason this version of Guardian does not know. See the message detail.`;
}

// The one door of the wire protocol (PROTOCOL.md): everything outside this folder imports from
// here, never from the files behind it.

export * from './types';
export { crc32, crc32Hex } from './crc32';
export { MAX_FRAME_BYTES, FRAME_HEADER_BYTES, encodeFrame, FrameDecoder } from './framing';
export type { FrameSizeError, PushResult } from './framing';
export {
  encodeMessage,
  encodeFramedMessage,
  encodeLegacyMessage,
  decodeMessage,
  messageId,
  AUTH_TRAILER_BYTES,
  CHECKSUM_TRAILER_BYTES,
} from './envelope';
export type {
  HmacFn,
  EncodeOptions,
  DecodeOptions,
  DecodeResult,
  DecodeFailure,
  DecodeFailureReason,
  LegacyMessage,
} from './envelope';
export {
  validateEnvelope,
  validateLegacy,
  validatePayload,
  isMessageType,
  MESSAGE_TYPES,
  ROLES,
  EA_STATES,
  TRADE_EVENTS,
  SIDES,
  SIGNAL_ACTIONS,
  COMMANDS,
} from './schemas';
export type { ValidationResult } from './schemas';
export { encodeSpoolLine, decodeSpoolLine, spoolFileName, parseSpoolFileName } from './spool-line';
export { REASON_TEXT, reasonText } from './reasons';

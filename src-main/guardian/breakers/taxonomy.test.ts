import { describe, expect, it } from 'vitest';
import { FAILURE_REASONS, classifyError, type FailureReason } from './index';

const cases: Array<[unknown, FailureReason]> = [
  ['ECONNREFUSED', 'NET_RETRY'],
  ['ENOENT', 'NET_RETRY'],
  ['ECONNRESET', 'PEER_GONE'],
  ['EPIPE', 'PEER_GONE'],
  ['ETIMEDOUT', 'TIMEOUT_RETRY'],
  ['handshake_timeout', 'TIMEOUT_RETRY'],
  ['EMFILE', 'RESOURCE_RETRY'],
  ['ENOSPC', 'DISK_FULL_HALT'],
  ['EACCES', 'ACCESS_HALT'],
  ['BAD_CHECKSUM', 'BAD_DATA'],
  ['BAD_JSON', 'BAD_DATA'],
  ['BAD_MESSAGE', 'REJECTED'],
  ['MODE_BLOCK', 'REJECTED'],
  ['AUTH_FAILED', 'AUTH_HALT'],
  ['VERSION', 'CONFIG_HALT'],
  ['RATE_LIMIT_RETRY', 'RATE_LIMIT_RETRY'],
  [429, 'RATE_LIMIT_RETRY'],
  [401, 'AUTH_HALT'],
  [504, 'TIMEOUT_RETRY'],
  [502, 'NET_RETRY'],
  [400, 'REJECTED'],
  [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9999'), { code: 'ECONNREFUSED' }), 'NET_RETRY'],
  [{ reason: 'BAD_CHECKSUM', ref_message_id: 'x' }, 'BAD_DATA'],
  [{ statusCode: 429 }, 'RATE_LIMIT_RETRY'],
  [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'CANCELLED'],
  [Object.assign(new Error('slow'), { name: 'TimeoutError' }), 'TIMEOUT_RETRY'],
  [new Error('write failed', { cause: Object.assign(new Error('no space'), { code: 'ENOSPC' }) }), 'DISK_FULL_HALT'],
  [new Error('something odd'), 'UNKNOWN'],
  ['WHAT_IS_THIS', 'UNKNOWN'],
  [undefined, 'UNKNOWN'],
];

describe('classifyError', () => {
  it.each(cases)('classifies %s as %s', (input, reason) => {
    expect(classifyError(input).reason).toBe(reason);
  });

  it('carries the flags of its reason and the code it recognised', () => {
    expect(classifyError('ENOSPC')).toEqual({ reason: 'DISK_FULL_HALT', code: 'ENOSPC', counts: true, retryable: false, halts: true, meaning: 'the disk or quota is full' });
  });

  it('survives a cycle of causes', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = new Error('b', { cause: a });
    expect(classifyError(a).reason).toBe('UNKNOWN');
  });
});

describe('FAILURE_REASONS', () => {
  it('halts only what retrying cannot fix, and never lets a halt be retryable', () => {
    for (const [reason, info] of Object.entries(FAILURE_REASONS)) {
      expect(info.halts && info.retryable, reason).toBe(false);
      expect(reason.endsWith('_HALT'), reason).toBe(info.halts);
    }
  });

  it('does not count what says nothing about the dependency', () => {
    expect(FAILURE_REASONS.REJECTED.counts).toBe(false);
    expect(FAILURE_REASONS.CANCELLED.counts).toBe(false);
    expect(FAILURE_REASONS.UNKNOWN.counts).toBe(true);
  });
});

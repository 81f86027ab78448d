// The hash chain. Each event's hash covers the previous event's hash and every other column of its
// own row, id included: a changed bit, a row moved to another id, or a row taken out all leave a
// hash or a link that no longer matches. Pure apart from node:crypto.
import { createHash } from 'node:crypto';
import type { StoredEvent } from './types';

/** The prev_hash of the first event (and the anchor of an empty log). */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth and no whitespace: the same value always gives the
 * same text, whatever order its keys were built in. Values JSON cannot hold (NaN, undefined) are
 * written the way JSON.stringify writes them (null, left out), so a reread row hashes the same.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return sortKeys((toJSON as () => unknown).call(value));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

/** A row as stored: detail is the canonical JSON text it was written with. */
export interface EventRow {
  id: number;
  ts: string;
  type: string;
  severity: string;
  incident_id: string | null;
  actor: string;
  summary: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

/**
 * sha256(prev_hash || canonical JSON of the row without hash). The detail is hashed as the stored
 * text, not reparsed, so that a changed byte in it shows even where it would parse to the same value.
 */
export function hashEvent(row: Omit<EventRow, 'hash'>): string {
  const { id, ts, type, severity, incident_id, actor, summary, detail, prev_hash } = row;
  const body = canonicalJson({ id, ts, type, severity, incident_id, actor, summary, detail, prev_hash });
  return createHash('sha256').update(prev_hash).update(body).digest('hex');
}

export function toStoredEvent(row: EventRow): StoredEvent {
  let detail: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(row.detail);
    detail = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    // a damaged row still reads; verifyLog says what is wrong with it
    detail = { unreadable: row.detail };
  }
  return { ...row, type: row.type as StoredEvent['type'], severity: row.severity as StoredEvent['severity'], detail };
}

// The console's bearer token: made once with crypto.randomBytes, kept in the data dir readable by
// its owner only (0600), printed with the console URL. Every call that changes anything carries
// it; the audit log names the operator the token belongs to.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export const TOKEN_FILE = 'api-token';
/** URL-safe base64: it travels in a URL, a header and a WebSocket subprotocol unchanged. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,128}$/;

export interface ApiToken {
  token: string;
  file: string;
  /** True when this start made it. */
  created: boolean;
}

/** Reads the token from the data dir, or makes one there (mode 0600) when there is none. */
export function loadOrCreateToken(dataDir: string, platform = process.platform): ApiToken {
  const file = join(dataDir, TOKEN_FILE);
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== null) {
    if (!TOKEN_SHAPE.test(text)) throw new Error(`${file} does not hold a console token (32-128 URL-safe base64 characters); delete it and Guardian makes a new one`);
    // A copy restored from a backup may have lost its mode: only the owner may read the token.
    if (platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return { token: text, file, created: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  // 'wx': never overwrite a token another process made a moment ago.
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, token + '\n');
  } finally {
    closeSync(fd);
  }
  return { token, file, created: true };
}

/** Compares in constant time, so the token cannot be guessed a character at a time. */
export function sameToken(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The operator a token stands for: whoever runs the service, as the audit log names people. */
export function defaultOperator(): string {
  let name = '';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (a container): fall back below
  }
  name = name.replace(/[^\w.@-]/g, '').slice(0, 64);
  return `operator:${name || 'console'}`;
}

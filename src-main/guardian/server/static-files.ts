// The built console (out/web) from the service's own origin, so the page's CSP can say
// `connect-src 'self'` and the token never leaves the machine. No inline script anywhere.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_CONTENT_TYPES } from '../../../src-shared/content-types';

/** Where `npx vite build -c vite.web.config.ts` puts the console, from this file in the repo. */
export const DEFAULT_WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../out/web');
export const WEB_BUILD_COMMAND = 'npx vite build -c vite.web.config.ts';

/** What every page the service sends may do: its own scripts, its own connections, nothing framed. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // React Flow and recharts position with style attributes; scripts stay strict.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES = CONSOLE_CONTENT_TYPES;

export function webBuilt(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}

/** Serves `pathname` from root: '/' is index.html; nothing outside root, no directory listings. */
export async function serveStatic(root: string, pathname: string, res: ServerResponse, head: boolean): Promise<void> {
  if (!webBuilt(root)) return notBuilt(root, res);
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return plain(res, 400, 'Bad path');
  }
  if (rel === '/' || rel === '/index.html') rel = '/index.html';
  const file = resolve(root, '.' + rel);
  if (file !== root && !file.startsWith(root + sep)) return plain(res, 404, 'Not found');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return plain(res, 404, 'Not found');
  }
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  // The page is fetched fresh (a new build must show at once); Vite's hashed assets never change.
  const cache = file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-store';
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': cache });
  res.end(head ? undefined : body);
}

function notBuilt(root: string, res: ServerResponse): void {
  const text = `Guardian is running, but the console is not built: ${root} has no index.html.\n\n` +
    `Build it once from the repository:\n\n    ${WEB_BUILD_COMMAND}\n\n(npm run demo builds it when it is missing.)\n` +
    `The API answers meanwhile: /api/status, /metrics.\n`;
  plain(res, 503, text);
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

// app://guardian/<path> -> a file of the built console (out/renderer), and nothing else: other
// hosts, paths that climb out of the folder, and unknown file types are refused. Pure mapping;
// app.ts serves the bytes with the CSP header.
import { extname, join, normalize, sep } from 'node:path';
import { APP_HOST, APP_PAGE, APP_SCHEME } from './app-url';
import { CONSOLE_CONTENT_TYPES } from '../../src-shared/content-types';

const TYPES = CONSOLE_CONTENT_TYPES;

export type AppFile = { file: string; contentType: string } | { refused: string };

export function appFileFor(url: string, rendererDir: string): AppFile {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { refused: 'not a URL' };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return { refused: `not ${APP_SCHEME}://${APP_HOST}` };
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return { refused: 'a malformed path' };
  }
  if (path === '/' || path === '') path = `/${APP_PAGE}`;
  if (path.includes('\0')) return { refused: 'a NUL in the path' };
  const root = normalize(rendererDir + sep);
  const file = normalize(join(root, path));
  if (!file.startsWith(root)) return { refused: 'a path outside the console' };
  const contentType = TYPES[extname(file).toLowerCase()];
  if (!contentType) return { refused: `an unknown file type (${extname(file) || 'none'})` };
  return { file, contentType };
}

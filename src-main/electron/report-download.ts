// Report export in the desktop app: the console saves a report as a download of a blob it made
// (src-renderer/features/incidents/download.ts); here that download gets a native save dialog
// with the right file type. Downloads from anywhere else are cancelled: the console fetches
// nothing from the network. Pure decision; app.ts applies it in session 'will-download'.
import { basename, extname, join } from 'node:path';
import { pageOf } from './app-url';

export interface SaveDialogPlan {
  title: string;
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
}

export type DownloadDecision = { allow: true; dialog: SaveDialogPlan } | { allow: false; why: string };

const KINDS: Record<string, { name: string; extensions: string[] }> = {
  '.md': { name: 'Markdown report', extensions: ['md'] },
  '.json': { name: 'JSON report', extensions: ['json'] },
  '.html': { name: 'Printable report', extensions: ['html'] },
};

export function downloadDecision(o: { url: string; filename: string; appUrl: string; documentsDir: string }): DownloadDecision {
  // blob:app://guardian/<uuid>: a blob the console page itself made.
  const inner = o.url.startsWith('blob:') ? pageOf(o.url.slice(5)) : null;
  const app = pageOf(o.appUrl);
  if (!inner || !app || inner.origin !== app.origin) return { allow: false, why: `not a report from the console: ${o.url.slice(0, 80)}` };
  const name = basename(o.filename || 'guardian-report.md');
  const kind = KINDS[extname(name).toLowerCase()];
  if (!kind) return { allow: false, why: `not a report file: ${name}` };
  return {
    allow: true,
    dialog: { title: 'Export incident report', defaultPath: join(o.documentsDir, name), filters: [kind] },
  };
}

// Save a report file the client returned: a download in a browser, a save dialog in Electron.
import type { ReportFile } from '../../../src-shared/contract';

export function saveFile(file: ReportFile): void {
  const url = URL.createObjectURL(new Blob([file.body], { type: file.content_type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

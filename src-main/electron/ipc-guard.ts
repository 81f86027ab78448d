// Every IPC message must come from our own page in our own window's main frame (VS Code's
// validatedIpcMain): an iframe, a page navigated elsewhere, or another window gets nothing, and
// the refusal is logged. Pure: the Electron event is read through the few fields it needs.
import { isConsolePage } from './app-url';

/** The check itself: the main frame, showing the console page (any hash or query). */
export function isTrustedSender(frameUrl: string | undefined | null, isMainFrame: boolean, appUrl: string): boolean {
  return isMainFrame && isConsolePage(frameUrl, appUrl);
}

/** What an IpcMainInvokeEvent / IpcMainEvent offers: senderFrame is null once the frame is gone. */
export interface IpcEventLike {
  senderFrame: { url: string; parent: unknown } | null;
  sender: { id: number };
}

export type SenderVerdict = { trusted: true } | { trusted: false; why: string };

/**
 * Judges one event: from the window we created (by webContents id), from its main frame (a frame
 * with no parent), showing the console page.
 */
export function judgeSender(event: IpcEventLike, appUrl: string, ourWebContentsId: number | null): SenderVerdict {
  const frame = event.senderFrame;
  if (!frame) return { trusted: false, why: 'the sending frame is gone' };
  if (ourWebContentsId === null || event.sender.id !== ourWebContentsId) return { trusted: false, why: `webContents ${event.sender.id} is not the console window` };
  const isMainFrame = frame.parent === null;
  if (!isTrustedSender(frame.url, isMainFrame, appUrl)) {
    return { trusted: false, why: isMainFrame ? `the frame shows ${frame.url}, not ${appUrl}` : `a subframe (${frame.url}) may not call Guardian` };
  }
  return { trusted: true };
}

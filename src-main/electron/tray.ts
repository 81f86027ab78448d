// The tray icon: coloured by mode (tray-model.ts), it keeps Guardian reachable while the window
// is closed, and offers show/hide and quit.
import { Menu, nativeImage, Tray } from 'electron';
import { join } from 'node:path';
import { trayMenu, trayView, type TrayState } from './tray-model';

export interface GuardianTray {
  show(state: TrayState, detail?: string): void;
  refreshMenu(): void;
  destroy(): void;
}

export function createGuardianTray(o: { iconsDir: string; windowVisible(): boolean; toggleWindow(): void; quit(): void }): GuardianTray {
  const image = (file: string) => nativeImage.createFromPath(join(o.iconsDir, 'tray', file)); // picks the @2x twin on HiDPI
  const initial = trayView('STARTING');
  const tray = new Tray(image(initial.icon));
  tray.setToolTip(initial.tooltip);
  const refreshMenu = () => tray.setContextMenu(Menu.buildFromTemplate(trayMenu(o.windowVisible()).map((item) => ({
    label: item.label,
    click: item.id === 'quit' ? o.quit : o.toggleWindow,
  }))));
  refreshMenu();
  tray.on('click', o.toggleWindow);
  // Statuses arrive every pulse: touch the OS only when something changed.
  let shown = { icon: initial.icon, tooltip: initial.tooltip };
  return {
    show(state, detail) {
      const view = trayView(state, detail);
      if (view.icon !== shown.icon) tray.setImage(image(view.icon));
      if (view.tooltip !== shown.tooltip) tray.setToolTip(view.tooltip);
      shown = view;
    },
    refreshMenu,
    destroy: () => tray.destroy(),
  };
}

// The same console specs against the desktop app, where an Electron binary is installed
// (skipped, with the reason printed, where it is not).
import { describeConsole } from './specs/console.spec';
import { electronLauncher } from './support/launchers';

describeConsole(electronLauncher);

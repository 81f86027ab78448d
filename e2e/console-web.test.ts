// The console specs against `guardian serve --demo`, in Debian's Chromium (skipped, with the
// reason printed, where Chromium is not installed; CI installs it).
import { describeConsole } from './specs/console.spec';
import { webLauncher } from './support/launchers';

describeConsole(webLauncher);

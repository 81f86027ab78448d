// The desktop app's own command-line switches (after Electron's). Pure.
//   --in-process        run the control plane in the main process instead of a utility process
//   --data-dir DIR      where Guardian keeps its database (default: <userData>/data)
//   --config FILE       Guardian's configuration (default: the shipped config/guardian.yaml)
//   --hidden            start in the tray, without showing the window (e.g. at login)
//   --demo              run the MT4 simulator beside Guardian, as `guardian serve --demo`
export interface LaunchOptions {
  inProcess: boolean;
  dataDir: string | null;
  configFile: string | null;
  hidden: boolean;
  demo: boolean;
}

export function parseLaunchOptions(argv: readonly string[]): LaunchOptions {
  const o: LaunchOptions = { inProcess: false, dataDir: null, configFile: null, hidden: false, demo: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i] ?? null;
    if (flag === '--in-process') o.inProcess = true;
    else if (flag === '--hidden') o.hidden = true;
    else if (flag === '--demo') o.demo = true;
    else if (flag === '--data-dir') o.dataDir = value();
    else if (flag === '--config') o.configFile = value();
    // Anything else is Electron's or Chromium's: not ours to refuse.
  }
  return o;
}

// npm run test:native: the C bridge's own tests (CTest), its cross-check with the TypeScript
// codec and its interop with a real Guardian; with mingw-w64 present, also the Windows DLLs.
// A missing toolchain is a skip with its reason, never a silent pass.
import { spawnSync } from 'node:child_process';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
if (!has('cmake') || !has('cc')) {
  console.log('test:native: SKIPPED: cmake or a C compiler is not installed (apt-get install cmake gcc); the C bridge was not tested');
  process.exit(0);
}
const args = ['native/build.sh'];
if (has('i686-w64-mingw32-gcc')) args.push('--windows');
else console.log('test:native: the Windows DLL build is SKIPPED: mingw-w64 is not installed (apt-get install mingw-w64)');
const r = spawnSync('bash', args, { stdio: 'inherit' });
process.exit(r.status ?? 1);

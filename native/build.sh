#!/usr/bin/env bash
# Builds the Guardian bridge library and runs its tests, all under native/build/ (gitignored).
#
#   native/build.sh             host build (Linux: libguardian_bridge.so) + CTest + koffi smoke test
#                               + cross-check against the TypeScript codec + interop with Guardian
#   native/build.sh --windows   also cross-compile guardian_bridge.dll for 32-bit (MT4) and 64-bit
#                               Windows with mingw-w64; if wine64 is installed the 64-bit tests run
#                               under it
#   native/build.sh --asan      also a host build with AddressSanitizer + UBSan, tests included
#
# Builds run with at most 2 jobs (shared machine). Windows DLLs land in native/build/dist/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src="$here/bridge"
out="$here/build"
jobs=2
windows=0
asan=0

for arg in "$@"; do
  case "$arg" in
    --windows) windows=1 ;;
    --asan) asan=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

step() { printf '\n== %s\n' "$*"; }

# configure + build + test one tree: build_tree <dir> [cmake args...]
build_tree() {
  local dir="$1"; shift
  cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" > "$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log"; return 1; }
  cmake --build "$dir" --parallel "$jobs"
}

run_tests() {
  local dir="$1"
  rm -rf "$dir/tests/tmp"
  (cd "$dir" && ctest --output-on-failure --timeout 180)
}

mkdir -p "$out"

step "host build ($(uname -s))"
build_tree "$out/host"
step "host tests"
run_tests "$out/host"

lib=$(ls "$out"/host/libguardian_bridge.so "$out"/host/libguardian_bridge.dylib 2>/dev/null | head -n 1 || true)
repo=$(cd "$here/.." && pwd)
if command -v node >/dev/null 2>&1 && [ -d "$repo/node_modules/koffi" ] && [ -n "$lib" ]; then
  step "koffi smoke test (Node loads the library)"
  node "$src/tests/koffi_smoke.mjs" "$lib"
  if [ -x "$repo/node_modules/.bin/tsx" ] && [ -d "$repo/src-shared/protocol" ]; then
    step "cross-check with the TypeScript codec (src-shared/protocol)"
    (cd "$repo" && node_modules/.bin/tsx native/bridge/tests/crosscheck.ts "$lib")
    step "interop with a real Guardian on socket, pipe and spool"
    (cd "$repo" && node_modules/.bin/tsx native/bridge/tests/interop.ts "$lib")
  fi
else
  step "koffi smoke test and TypeScript cross-check skipped (need node and npm install at the repo root)"
fi

if [ "$asan" = 1 ]; then
  step "sanitizer build (ASan + UBSan)"
  build_tree "$out/asan" -DCMAKE_BUILD_TYPE=Debug -DGB_SANITIZE=ON
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 run_tests "$out/asan"
fi

if [ "$windows" = 1 ]; then
  built=0
  for arch in i686 x86_64; do
    cc="$arch-w64-mingw32-gcc"
    if ! command -v "$cc" >/dev/null 2>&1; then
      step "Windows $arch: NOT BUILT - $cc not found (Debian: apt-get install mingw-w64)"
      continue
    fi
    dir="$out/windows-$arch"
    emu=()
    wine=$(command -v wine64 || ls /usr/lib/wine/wine64 2>/dev/null || true)
    if [ "$arch" = x86_64 ] && [ -n "$wine" ]; then emu=(-DCMAKE_CROSSCOMPILING_EMULATOR="$wine"); fi
    step "Windows $arch cross build ($cc)"
    build_tree "$dir" -DCMAKE_TOOLCHAIN_FILE="$src/cmake/mingw-w64-$arch.cmake" "${emu[@]}"
    dist="$out/dist/win$([ "$arch" = i686 ] && echo 32 || echo 64)"
    mkdir -p "$dist"
    cp "$dir/bin/guardian_bridge.dll" "$dist/"
    # MQL4 imports by plain name: every function of the header must be exported undecorated.
    exports=$("$arch-w64-mingw32-objdump" -p "$dist/guardian_bridge.dll" | grep -oE '\] gb_[a-z0-9_]+$' | sed 's/^] //' | sort -u)
    missing=$(grep -oE 'GB_CALL \*?gb_[a-z0-9_]+\(' "$src/include/guardian_bridge.h" | sed -E 's/GB_CALL \*?//; s/\(//' | sort -u | comm -23 - <(echo "$exports"))
    if [ -n "$missing" ]; then echo "not exported by plain name: $missing" >&2; exit 1; fi
    echo "$dist/guardian_bridge.dll: $(echo "$exports" | wc -l) functions exported by plain name;" \
         "imports: $("$arch-w64-mingw32-objdump" -p "$dist/guardian_bridge.dll" | awk '/DLL Name/ {printf "%s ", $3}')"
    if [ ${#emu[@]} -gt 0 ]; then
      step "Windows $arch tests under wine"
      WINEPREFIX="$out/wine-prefix" WINEDEBUG=-all run_tests "$dir"
    elif [ "$arch" = x86_64 ]; then
      echo "(wine64 not installed: Windows tests built, not run)"
    else
      echo "(32-bit tests built, not run: needs wine32)"
    fi
    built=$((built + 1))
  done
  if [ "$built" = 0 ]; then
    echo "build.sh --windows: mingw-w64 is not installed, no DLL was built." >&2
    exit 1
  fi
fi

step "done"

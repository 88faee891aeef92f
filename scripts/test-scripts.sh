#!/usr/bin/env bash
# Tests of the setup scripts themselves, cheap enough to run first in CI: a fresh machine's plan
# (bindings-wasm/build.sh --detect with the probed tools pointed at nothing names every package it
# would install, and does not end silently), the same with an old or a complete Debian toolchain
# and with rustup's target, a failing install that names its step and packages, and the ERR trap
# of scripts/lib.sh that names the failing step and command. Installs nothing; ends with
# "N passed, N failed".
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HTX_SCRIPT=test-scripts.sh
# shellcheck source=lib.sh
. "$ROOT/scripts/lib.sh"

SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
PASSED=0
FAILED=0

# check NAME EXPECTED-EXIT PATTERN... -- COMMAND...: runs COMMAND (stdout+stderr to a file) and
# checks its exit code and that every extended-regex PATTERN matches a line of its output.
check() {
  local name=$1 want=$2
  shift 2
  local patterns=()
  while [ "$1" != -- ]; do patterns+=("$1"); shift; done
  shift
  local out=$SCRATCH/out status=0 ok=1 p
  "$@" >"$out" 2>&1 </dev/null || status=$?
  if [ "$status" != "$want" ]; then
    ok=0
    printf 'not ok - %s: exit %s, expected %s\n' "$name" "$status" "$want"
  fi
  for p in "${patterns[@]}"; do
    if ! grep -Eq -- "$p" "$out"; then
      ok=0
      printf 'not ok - %s: no line matches /%s/\n' "$name" "$p"
    fi
  done
  if [ "$ok" = 1 ]; then
    PASSED=$((PASSED + 1))
    printf 'ok - %s\n' "$name"
  else
    FAILED=$((FAILED + 1))
    sed 's/^/    | /' "$out"
  fi
}

step "fake toolchains"
# A Debian rustc that is too old (Debian's plain rustc package), and one that is complete.
mkdir -p "$SCRATCH/old" "$SCRATCH/new/sysroot/lib/rustlib/src/rust/library" "$SCRATCH/rustup"
cat >"$SCRATCH/old/rustc" <<'SH'
#!/bin/sh
case "$1" in --version) echo "rustc 1.63.0 (4b91a6ea7 2022-08-08)";; --print) echo /nonexistent;; esac
SH
cat >"$SCRATCH/new/rustc" <<SH
#!/bin/sh
case "\$1" in --version) echo "rustc 1.96.0 (debian)";; --print) echo "$SCRATCH/new/sysroot";; esac
SH
printf '#!/bin/sh\nexit 0\n' >"$SCRATCH/new/wasm-ld"
printf '#!/bin/sh\n[ "$1 $2 $3" = "target list --installed" ] && printf "x86_64-unknown-linux-gnu\\nwasm32-unknown-unknown\\n"\n' >"$SCRATCH/rustup/rustup"
chmod +x "$SCRATCH"/old/rustc "$SCRATCH"/new/rustc "$SCRATCH"/new/wasm-ld "$SCRATCH"/rustup/rustup

BUILD=$ROOT/bindings-wasm/build.sh
NOTHING=(HTX_RUSTUP=/nonexistent/rustup HTX_DEBIAN_RUSTC=/nonexistent/rustc HTX_WASM_LD=/nonexistent/wasm-ld
  HTX_WASM_BINDGEN=/nonexistent/wasm-bindgen HTX_TOOLS_DIR=$SCRATCH/tools)

step "the wasm toolchain detection (build.sh --detect)"
check "fresh machine (no rustup target, no Debian compiler): names every package to install" 0 \
  '^detect: route debian$' '^detect: apt-install rustc-web rust-web-src lld$' \
  '^detect: cargo-install wasm-bindgen-cli [0-9.]+ into ' 'not found' -- \
  env "${NOTHING[@]}" bash "$BUILD" --detect
check "fresh machine without cargo either: adds Debian's cargo-web" 0 \
  '^detect: apt-install rustc-web rust-web-src lld cargo-web$' -- \
  env "${NOTHING[@]}" HTX_CARGO=/nonexistent/cargo bash "$BUILD" --detect
check "HTX_DETECT_ONLY=1 is the same as --detect" 0 '^detect: apt-install rustc-web rust-web-src lld$' -- \
  env "${NOTHING[@]}" HTX_DETECT_ONLY=1 bash "$BUILD"
check "Debian's old rustc 1.63: rustc-web and its std source are installed" 0 \
  '^detect: apt-install rustc-web rust-web-src$' 'rustc: 1\.63, older than 1\.85' -- \
  env "${NOTHING[@]}" HTX_DEBIAN_RUSTC="$SCRATCH/old/rustc" HTX_WASM_LD="$SCRATCH/new/wasm-ld" bash "$BUILD" --detect
check "a complete Debian toolchain: nothing to install" 0 '^detect: route debian$' '^detect: apt-install \(nothing\)$' -- \
  env "${NOTHING[@]}" HTX_DEBIAN_RUSTC="$SCRATCH/new/rustc" HTX_WASM_LD="$SCRATCH/new/wasm-ld" bash "$BUILD" --detect
check "rustup with the wasm32 target: the plain route, nothing from Debian" 0 '^detect: route rustup$' '^detect: apt-install \(nothing\)$' -- \
  env "${NOTHING[@]}" HTX_RUSTUP="$SCRATCH/rustup/rustup" bash "$BUILD" --detect
check "an unknown argument is refused, naming it" 1 "FAILED at step \"start\": unknown argument '--bogus'" -- \
  bash "$BUILD" --bogus

step "a failing install names its step and packages (apt-get pointed at nothing)"
check "build.sh on a fresh machine without apt-get: fails loudly at the install step" 1 \
  'FAILED at step "installing the wasm toolchain \(Debian: rustc-web rust-web-src lld\)"' \
  "'/nonexistent/apt-get' not found: cannot install the Debian packages rustc-web rust-web-src lld" -- \
  env "${NOTHING[@]}" HTX_APT_GET=/nonexistent/apt-get bash "$BUILD"

step "scripts/lib.sh: failures name the step and the command"
cat >"$SCRATCH/fails.sh" <<SH
. "$ROOT/scripts/lib.sh"
step "the demo step"
true
false
echo "not reached"
SH
cat >"$SCRATCH/missing.sh" <<SH
. "$ROOT/scripts/lib.sh"
step "calling a tool"
no-such-tool-htx --version
SH
cat >"$SCRATCH/need.sh" <<SH
. "$ROOT/scripts/lib.sh"
step "checking tools"
need_tool no-such-tool-htx "the htx demo tool (apt-get install htx-demo)"
SH
check "a failing command: the step, the exit code, the command" 1 \
  'FAILED at step "the demo step" \(exit 1\)' 'command: false' 'fails\.sh line 4' -- bash "$SCRATCH/fails.sh"
check "a missing command: exit 127 named as such, with the command" 127 \
  'FAILED at step "calling a tool" \(exit 127: command not found\)' 'command: no-such-tool-htx --version' -- bash "$SCRATCH/missing.sh"
check "need_tool: names the tool and how to get it" 1 \
  "FAILED at step \"checking tools\": 'no-such-tool-htx' not found: the htx demo tool \(apt-get install htx-demo\)" -- bash "$SCRATCH/need.sh"

step "npm_ci: a registry that does not answer is retried, then named with npm's words"
mkdir -p "$SCRATCH/npm"
printf '{"name":"x","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{"":{"name":"x","version":"1.0.0","dependencies":{"is-number":"7.0.0"}},"node_modules/is-number":{"version":"7.0.0"}}}\n' >"$SCRATCH/npm/package-lock.json"
printf '{"name":"x","version":"1.0.0","dependencies":{"is-number":"7.0.0"}}\n' >"$SCRATCH/npm/package.json"
cat >"$SCRATCH/npmci.sh" <<SH
. "$ROOT/scripts/lib.sh"
step "node tools"
npm_ci "$SCRATCH/npm" "the demo package"
SH
if command -v npm >/dev/null 2>&1; then
  check "npm_ci: three attempts, npm's error shown, the step and the directory named" 1 \
    'attempt 3 of 3' 'npm (error|ERR)' "FAILED at step \"node tools\": npm ci failed three times in .*npm \(the demo package\)" -- \
    env HTX_NPM_RETRY_SECONDS=0 npm_config_registry=http://127.0.0.1:9/ npm_config_cache="$SCRATCH/npm-cache" \
    npm_config_fetch_retries=0 bash "$SCRATCH/npmci.sh"
fi

step "bindings-python/test.sh: a missing Python is named"
check "PYTHON pointed at nothing: fails at its step, naming it" 1 "FAILED at step \"Python\": '/nonexistent/python3' not found" -- \
  env PYTHON=/nonexistent/python3 HTX_VENV="$SCRATCH/venv" bash "$ROOT/bindings-python/test.sh"

printf '\n%s passed, %s failed\n' "$PASSED" "$FAILED"
[ "$FAILED" = 0 ]

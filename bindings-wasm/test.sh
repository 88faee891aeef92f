#!/usr/bin/env bash
# Builds the browser binding and runs all its tests: the conformance corpus and API tests in node,
# the TypeScript declarations through tsc, the size budget, and the web forms in Chromium. Prints
# the size/speed figures (never asserted) before the tests, so the output ends with node's summary.
# Exits non-zero on any failure.
#
#   bindings-wasm/test.sh             # everything
#   HTX_SKIP_BUILD=1 test.sh          # reuse pkg/ as built
#   HTX_SKIP_BENCH=1 test.sh          # no measurements
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf '\033[1mtest.sh:\033[0m %s\n' "$*" >&2; }

# 1. the build
if [ "${HTX_SKIP_BUILD:-0}" != 1 ] || ! [ -f "$HERE/pkg/htx_rules_wasm_bg.wasm" ]; then
  "$HERE/build.sh"
fi

# 2. a browser (Debian's Chromium; `npx playwright install` cannot work on these machines)
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if ! [ -x "$CHROMIUM" ]; then
  log "installing chromium (apt)"
  if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
export CHROMIUM_PATH=$CHROMIUM

# 3. node tools: playwright-core, typescript (and binaryen, used by build.sh)
cd "$HERE"
if ! [ -x node_modules/.bin/tsc ] || ! [ -d node_modules/playwright-core ]; then
  log "npm ci"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; else npm install --no-audit --no-fund --silent; fi
fi

# 4. figures (printed, not asserted)
if [ "${HTX_SKIP_BENCH:-0}" != 1 ]; then
  log "bench.mjs"
  node bench.mjs || log "bench.mjs failed (figures only; not a test)"
fi

# 5. the tests; node's summary lines end the output
mkdir -p test-output
log "node --test"
exec node --test --test-concurrency=1 \
  tests/conformance.test.mjs tests/api.test.mjs tests/types.test.mjs tests/size.test.mjs tests/browser.test.mjs

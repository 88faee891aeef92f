#!/usr/bin/env bash
# Builds bindings-wasm/pkg/ — an ES module for browsers (wasm-bindgen --target web) with the
# embedded Bến Tre pack. Idempotent: installs only what is missing, and each tool only once.
#
#   bindings-wasm/build.sh            # build pkg/
#   HTX_WASM_OPT=0 build.sh           # skip the wasm-opt size pass
#   CARGO_TARGET_DIR=... build.sh     # default: <repo>/target/wasm (kept apart from other builds)
#   HTX_TOOLS_DIR=... build.sh        # where `cargo install`ed tools go (default ~/.cache/htx-rules-wasm)
#   HTX_SIZE_FLAGS=0 build.sh         # Debian route: no unstable size flags (see below)
#
# Route: where rustup has the wasm32-unknown-unknown standard library, a plain cargo build. Otherwise
# (machines without that target, see docs in the toolchain notes) Debian's rustc-web, whose standard
# library source lets cargo build std for wasm32 (-Zbuild-std), linked with lld's wasm-ld.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CRATE=htx-rules-wasm
LIB=htx_rules_wasm
TARGET=wasm32-unknown-unknown
PROFILE=wasm
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target/wasm}
TOOLS=${HTX_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/htx-rules-wasm}
OUT=$HERE/pkg

log() { printf '\033[1mbuild.sh:\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else log "need root to run: $*"; return 1; fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || { log "apt-get not found; install by hand: $*"; return 1; }
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

cd "$ROOT"

# --- 1. which compiler route -------------------------------------------------------------------
BUILD_ENV=()
BUILD_FLAGS=()
if command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
  log "route: rustup (target $TARGET installed)"
else
  log "route: Debian rustc-web + build-std (rustup has no $TARGET here)"
  need=()
  # Debian's rustc-web: /usr/bin/rustc, new enough for the workspace (rust-version 1.85).
  minor=$( { /usr/bin/rustc --version 2>/dev/null || true; } | sed -n 's/^rustc 1\.\([0-9]*\)\..*/\1/p')
  [ "${minor:-0}" -ge 85 ] || need+=(rustc-web)
  [ -d "$(/usr/bin/rustc --print sysroot 2>/dev/null || echo /usr)/lib/rustlib/src/rust/library" ] || need+=(rust-web-src)
  command -v wasm-ld >/dev/null || need+=(lld)
  command -v cargo >/dev/null || need+=(cargo-web)
  if [ ${#need[@]} -gt 0 ]; then apt_install "${need[@]}"; fi
  BUILD_ENV=(RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld)
  BUILD_FLAGS=(-Zbuild-std=std,panic_abort)
  if [ "${HTX_SIZE_FLAGS:-1}" != 0 ]; then
    # This route builds std anyway, with unstable flags on: std's size-optimised code, no panic
    # locations, and panics that abort at once (the binding never panics; a panic would trap
    # either way). Debug formatting is left alone: messages must match the command line's.
    BUILD_FLAGS+=(-Zbuild-std-features=optimize_for_size)
    BUILD_ENV+=("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-} -Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort")
  fi
fi

# --- 2. the wasm-bindgen CLI, pinned to Cargo.lock ---------------------------------------------
# Resolve the workspace so Cargo.lock lists this crate's wasm-bindgen (writes the lock if needed).
cargo metadata --format-version 1 >/dev/null
WB_VERSION=$(awk '
  /^\[\[package\]\]/ { name = "" }
  /^name = / { gsub(/"/, "", $3); name = $3 }
  /^version = / && name == "wasm-bindgen" { gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[ -n "$WB_VERSION" ] || { log "wasm-bindgen not found in Cargo.lock"; exit 1; }

WASM_BINDGEN=""
if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$WB_VERSION" ]; then
  WASM_BINDGEN=$(command -v wasm-bindgen)
else
  WASM_BINDGEN=$TOOLS/wasm-bindgen-cli-$WB_VERSION/bin/wasm-bindgen
  if ! [ -x "$WASM_BINDGEN" ] || [ "$("$WASM_BINDGEN" --version | awk '{print $2}')" != "$WB_VERSION" ]; then
    log "installing wasm-bindgen-cli $WB_VERSION into $TOOLS (takes a few minutes, once)"
    # Not --locked: a dependency locked by the CLI is missing from the registry (see toolchain notes).
    (unset RUSTC RUSTC_BOOTSTRAP CARGO_TARGET_DIR
     cargo install wasm-bindgen-cli --version "=$WB_VERSION" --root "$TOOLS/wasm-bindgen-cli-$WB_VERSION" --quiet)
  fi
fi
log "wasm-bindgen $WB_VERSION: $WASM_BINDGEN"

# --- 3. compile ----------------------------------------------------------------------------------
log "cargo build -p $CRATE --profile $PROFILE --target $TARGET ${BUILD_FLAGS[*]}"
env "${BUILD_ENV[@]}" cargo build -p "$CRATE" --profile "$PROFILE" --target "$TARGET" "${BUILD_FLAGS[@]}"
WASM_IN=$CARGO_TARGET_DIR/$TARGET/$PROFILE/$LIB.wasm

# --- 4. bindings ---------------------------------------------------------------------------------
rm -rf "$OUT.tmp"
"$WASM_BINDGEN" --target web --out-dir "$OUT.tmp" "$WASM_IN"

# --- 5. optional size pass (wasm-opt from npm's binaryen; Debian's is too old) --------------------
if [ "${HTX_WASM_OPT:-1}" != 0 ]; then
  WASM_OPT=$HERE/node_modules/.bin/wasm-opt
  if ! [ -x "$WASM_OPT" ] && command -v npm >/dev/null; then
    log "npm install (binaryen for wasm-opt)"
    (cd "$HERE" && { [ -f package-lock.json ] && npm ci --no-audit --no-fund --silent || npm install --no-audit --no-fund --silent; })
  fi
  if [ -x "$WASM_OPT" ]; then
    BG=$OUT.tmp/${LIB}_bg.wasm
    "$WASM_OPT" -Oz --strip-debug --strip-producers \
      --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-reference-types --enable-multivalue \
      -o "$BG.opt" "$BG"
    mv "$BG.opt" "$BG"
  else
    log "wasm-opt not available: skipping the size pass"
  fi
fi

rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
RAW=$(wc -c <"$OUT/${LIB}_bg.wasm")
GZ=$(gzip -9 -c "$OUT/${LIB}_bg.wasm" | wc -c)
log "pkg/${LIB}_bg.wasm: $RAW bytes, $GZ bytes gzip -9 ($(( (GZ + 1023) / 1024 )) KB)"

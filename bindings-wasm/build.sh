#!/usr/bin/env bash
# Builds bindings-wasm/pkg/ — the npm package `htx-rules`: an ES module for browsers and node
# (wasm-bindgen --target web) with the embedded Bến Tre pack, its TypeScript declarations and a
# package.json. Idempotent: installs only what is missing, each tool once; on a fresh machine it
# installs everything it needs (Debian packages, the wasm-bindgen CLI, npm tools).
#
#   bindings-wasm/build.sh            # build pkg/
#   build.sh --detect                 # only say which route and what would be installed; exit 0
#   HTX_WASM_OPT=0 build.sh           # skip the wasm-opt size pass
#   HTX_SIZE_FLAGS=0 build.sh         # Debian route: no unstable size flags (see below)
#   CARGO_TARGET_DIR=... build.sh     # default: <repo>/target/wasm (kept apart from other builds)
#   HTX_TOOLS_DIR=... build.sh        # where `cargo install`ed tools go (default ~/.cache/htx-rules-wasm)
#
# What it probes (each can be pointed elsewhere, e.g. at /nonexistent to see a fresh machine's plan):
#   HTX_RUSTUP=rustup                 # whose `target list --installed` may have wasm32-unknown-unknown
#   HTX_DEBIAN_RUSTC=/usr/bin/rustc   # Debian's rustc-web (>= 1.85, with rust-web-src's std source)
#   HTX_WASM_LD=wasm-ld               # the linker (Debian's lld)
#   HTX_CARGO=cargo                   # cargo (Debian's cargo-web when there is none)
#   HTX_WASM_BINDGEN=wasm-bindgen     # a wasm-bindgen CLI already installed (used when its version matches)
#
# Route: where rustup has the wasm32-unknown-unknown standard library, a plain cargo build. Otherwise
# (machines without that target; see the toolchain notes) Debian's rustc-web, whose standard
# library source lets cargo build std for wasm32 (-Zbuild-std), linked with lld's wasm-ld.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
HTX_SCRIPT=build.sh
# shellcheck source=../scripts/lib.sh
. "$ROOT/scripts/lib.sh"

DETECT_ONLY=${HTX_DETECT_ONLY:-0}
for arg in "$@"; do
  case $arg in
    --detect) DETECT_ONLY=1 ;;
    *) die "unknown argument '$arg' (expected --detect)" ;;
  esac
done

CRATE=htx-rules-wasm
LIB=htx_rules_wasm
FULL=htx_rules_full_wasm
TARGET=wasm32-unknown-unknown
PROFILE=wasm
RUSTUP=${HTX_RUSTUP:-rustup}
DEBIAN_RUSTC=${HTX_DEBIAN_RUSTC:-/usr/bin/rustc}
WASM_LD=${HTX_WASM_LD:-wasm-ld}
CARGO=${HTX_CARGO:-cargo}
PATH_WASM_BINDGEN=${HTX_WASM_BINDGEN:-wasm-bindgen}
MIN_RUST_MINOR=85 # the workspace's rust-version 1.85
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target/wasm}
TOOLS=${HTX_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/htx-rules-wasm}
OUT=$HERE/pkg

cd "$ROOT"

# --- 1. which compiler route, and what is missing ------------------------------------------------
# Every probe tolerates a missing program (no pipeline fails under pipefail): a fresh machine must
# get as far as the install, and `--detect` must say what it would install.

# The minor version of a rustc (85 for 1.85.0), or empty when it does not run.
rustc_minor() {
  local out
  out=$("$1" --version 2>/dev/null) || return 0
  [[ $out =~ ^rustc\ 1\.([0-9]+)\. ]] && printf '%s' "${BASH_REMATCH[1]}"
  return 0
}

# Does the rustc have the standard library's source (rust-web-src)?
has_std_source() {
  local sysroot
  sysroot=$("$1" --print sysroot 2>/dev/null) || return 1
  [ -d "$sysroot/lib/rustlib/src/rust/library" ]
}

rustup_has_target() {
  command -v "$RUSTUP" >/dev/null 2>&1 || return 1
  local installed
  installed=$("$RUSTUP" target list --installed 2>/dev/null) || return 1
  grep -qx "$TARGET" <<<"$installed"
}

detect() {
  NEED_APT=()
  if rustup_has_target; then
    ROUTE=rustup
    log "route: rustup (target $TARGET installed)"
  else
    ROUTE=debian
    log "route: Debian rustc-web + build-std (no $TARGET in \`$RUSTUP target list --installed\`)"
    local minor
    minor=$(rustc_minor "$DEBIAN_RUSTC")
    if [ -z "$minor" ]; then
      log "  $DEBIAN_RUSTC: not found"
      NEED_APT+=(rustc-web)
    elif [ "$minor" -lt "$MIN_RUST_MINOR" ]; then
      log "  $DEBIAN_RUSTC: 1.$minor, older than 1.$MIN_RUST_MINOR"
      NEED_APT+=(rustc-web)
    else
      log "  $DEBIAN_RUSTC: 1.$minor"
    fi
    if has_std_source "$DEBIAN_RUSTC"; then log "  std source: present"; else
      log "  std source: missing"
      NEED_APT+=(rust-web-src)
    fi
    if command -v "$WASM_LD" >/dev/null 2>&1; then log "  $WASM_LD: present"; else
      log "  $WASM_LD: not found"
      NEED_APT+=(lld)
    fi
  fi
  if command -v "$CARGO" >/dev/null 2>&1; then :; else
    log "  $CARGO: not found"
    NEED_APT+=(cargo-web)
  fi
}

step "toolchain detection"
detect

# --- 2. the wasm-bindgen CLI, pinned to Cargo.lock -----------------------------------------------
# The version wasm-bindgen has in Cargo.lock (the lock is committed; no cargo needed to read it).
WB_VERSION=$(awk '
  /^\[\[package\]\]/ { name = "" }
  /^name = / { gsub(/"/, "", $3); name = $3 }
  /^version = / && name == "wasm-bindgen" { gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[ -n "$WB_VERSION" ] || die "wasm-bindgen not found in Cargo.lock"

wasm_bindgen_version() { "$1" --version 2>/dev/null | awk '{print $2}' || true; }
WASM_BINDGEN=""
if command -v "$PATH_WASM_BINDGEN" >/dev/null 2>&1 && [ "$(wasm_bindgen_version "$PATH_WASM_BINDGEN")" = "$WB_VERSION" ]; then
  WASM_BINDGEN=$(command -v "$PATH_WASM_BINDGEN")
elif [ -x "$TOOLS/wasm-bindgen-cli-$WB_VERSION/bin/wasm-bindgen" ] &&
  [ "$(wasm_bindgen_version "$TOOLS/wasm-bindgen-cli-$WB_VERSION/bin/wasm-bindgen")" = "$WB_VERSION" ]; then
  WASM_BINDGEN=$TOOLS/wasm-bindgen-cli-$WB_VERSION/bin/wasm-bindgen
fi

WASM_OPT=$HERE/node_modules/.bin/wasm-opt

if [ "$DETECT_ONLY" = 1 ]; then
  # One line per fact, for people and for the CI check (scripts/test-scripts.sh).
  echo "detect: route $ROUTE"
  if [ ${#NEED_APT[@]} -gt 0 ]; then
    echo "detect: apt-install ${NEED_APT[*]}"
  else
    echo "detect: apt-install (nothing)"
  fi
  if [ -n "$WASM_BINDGEN" ]; then
    echo "detect: wasm-bindgen $WB_VERSION at $WASM_BINDGEN"
  else
    echo "detect: cargo-install wasm-bindgen-cli $WB_VERSION into $TOOLS/wasm-bindgen-cli-$WB_VERSION"
  fi
  if [ "${HTX_WASM_OPT:-1}" = 0 ]; then echo "detect: wasm-opt skipped"
  elif [ -x "$WASM_OPT" ]; then echo "detect: wasm-opt at $WASM_OPT"
  else echo "detect: npm-install binaryen (wasm-opt)"; fi
  exit 0
fi

if [ ${#NEED_APT[@]} -gt 0 ]; then
  step "installing the wasm toolchain (Debian: ${NEED_APT[*]})"
  apt_install "${NEED_APT[@]}"
  detect
  [ ${#NEED_APT[@]} -eq 0 ] ||
    die "still missing after apt-get install: ${NEED_APT[*]} (is Debian's security suite, which has rustc-web, in the apt sources?)"
fi
need_tool "$CARGO" "cargo (install Rust with rustup, or Debian's cargo-web)"

if [ -z "$WASM_BINDGEN" ]; then
  step "installing wasm-bindgen-cli $WB_VERSION (cargo install, a few minutes, once)"
  WASM_BINDGEN=$TOOLS/wasm-bindgen-cli-$WB_VERSION/bin/wasm-bindgen
  # Not --locked: a dependency locked by the CLI is missing from the registry (see toolchain notes).
  (unset RUSTC RUSTC_BOOTSTRAP CARGO_TARGET_DIR
    "$CARGO" install wasm-bindgen-cli --version "=$WB_VERSION" --root "$TOOLS/wasm-bindgen-cli-$WB_VERSION" --quiet)
  [ "$(wasm_bindgen_version "$WASM_BINDGEN")" = "$WB_VERSION" ] ||
    die "wasm-bindgen-cli $WB_VERSION did not install at $WASM_BINDGEN"
fi
log "wasm-bindgen $WB_VERSION: $WASM_BINDGEN"

# --- 3. compile ----------------------------------------------------------------------------------
BUILD_ENV=()
BUILD_FLAGS=()
if [ "$ROUTE" = debian ]; then
  BUILD_ENV=(RUSTC="$DEBIAN_RUSTC" RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$WASM_LD")
  BUILD_FLAGS=(-Zbuild-std=std,panic_abort)
  if [ "${HTX_SIZE_FLAGS:-1}" != 0 ]; then
    # This route builds std anyway, with unstable flags on: std's size-optimised code, no panic
    # locations, and panics that abort at once (the binding never panics; a panic would trap
    # either way). Debug formatting is left alone: messages must match the command line's.
    BUILD_FLAGS+=(-Zbuild-std-features=optimize_for_size)
    BUILD_ENV+=("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-} -Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort")
  fi
fi
# Two modules from the same crate: the small one (the package's default entry point: the pack
# compiled at build time by build.rs, no TOML reader nor checker) and the full one (feature
# `sources`: Engine.fromSources and withReform; entry point `htx-rules/full`).
rm -rf "$OUT.tmp"
build_module() { # build_module NAME CARGO-FEATURE-ARGS...
  local name=$1
  shift
  step "compiling $CRATE ($name: ${*:-default features}) for $TARGET ($ROUTE route)"
  env "${BUILD_ENV[@]}" "$CARGO" build -p "$CRATE" --profile "$PROFILE" --target "$TARGET" "${BUILD_FLAGS[@]}" "$@"
  local wasm_in=$CARGO_TARGET_DIR/$TARGET/$PROFILE/$LIB.wasm
  [ -f "$wasm_in" ] || die "cargo build succeeded but $wasm_in is missing"

  step "wasm-bindgen $name (--target web, with a reset function for recovery after a trap)"
  # --experimental-reset-state-function: js/engine.js rebuilds the instance after a trap with it.
  "$WASM_BINDGEN" --target web --experimental-reset-state-function --out-name "$name" --out-dir "$OUT.tmp" "$wasm_in"

  # optional size pass (wasm-opt from npm's binaryen; Debian's is too old)
  if [ "${HTX_WASM_OPT:-1}" != 0 ]; then
    step "wasm-opt -Oz $name (binaryen from npm)"
    if ! [ -x "$WASM_OPT" ]; then
      need_tool npm "npm (Debian: apt-get install npm) — or skip the size pass with HTX_WASM_OPT=0"
      npm_ci "$HERE" "binaryen for wasm-opt"
    fi
    [ -x "$WASM_OPT" ] || die "wasm-opt not found at $WASM_OPT after npm ci"
    local bg=$OUT.tmp/${name}_bg.wasm
    "$WASM_OPT" -Oz --strip-debug --strip-producers \
      --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-reference-types --enable-multivalue \
      -o "$bg.opt" "$bg"
    mv "$bg.opt" "$bg"
  fi
}
build_module "$LIB" --no-default-features
build_module "$FULL" --features sources

# --- 6. the npm package: entry point, declarations, package.json ---------------------------------
step "npm package (package.json, entry point htx_rules.js)"
cp "$HERE/js/engine.js" "$HERE/js/htx_rules.js" "$HERE/js/htx_rules.d.ts" "$HERE/js/full.js" \
  "$HERE/js/full.d.ts" "$HERE/js/README.md" "$OUT.tmp/"
VERSION=$(awk -F'"' '/^\[workspace.package\]/ { p = 1 } p && /^version = / { print $2; exit }' Cargo.toml)
LICENSE=$(awk -F'"' '/^\[workspace.package\]/ { p = 1 } p && /^license = / { print $2; exit }' Cargo.toml)
[ -n "$VERSION" ] || die "no version in [workspace.package] of Cargo.toml"
cat >"$OUT.tmp/package.json" <<JSON
{
  "name": "htx-rules",
  "version": "$VERSION",
  "description": "Law as code for Vietnam's programme supporting women-managed cooperatives (QĐ 01/QĐ-TTg; Bến Tre KH 2747/KH-UBND), in the browser and node: WebAssembly, no dependencies.",
  "license": "$LICENSE",
  "type": "module",
  "main": "./htx_rules.js",
  "module": "./htx_rules.js",
  "types": "./htx_rules.d.ts",
  "exports": {
    ".": {
      "types": "./htx_rules.d.ts",
      "default": "./htx_rules.js"
    },
    "./full": {
      "types": "./full.d.ts",
      "default": "./full.js"
    },
    "./htx_rules_wasm_bg.wasm": "./htx_rules_wasm_bg.wasm",
    "./htx_rules_full_wasm_bg.wasm": "./htx_rules_full_wasm_bg.wasm",
    "./package.json": "./package.json"
  },
  "files": [
    "engine.js",
    "htx_rules.js",
    "htx_rules.d.ts",
    "htx_rules_wasm.js",
    "htx_rules_wasm.d.ts",
    "htx_rules_wasm_bg.wasm",
    "htx_rules_wasm_bg.wasm.d.ts",
    "full.js",
    "full.d.ts",
    "htx_rules_full_wasm.js",
    "htx_rules_full_wasm.d.ts",
    "htx_rules_full_wasm_bg.wasm",
    "htx_rules_full_wasm_bg.wasm.d.ts",
    "README.md"
  ],
  "sideEffects": false,
  "engines": {
    "node": ">=20"
  }
}
JSON

rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
for name in "$LIB" "$FULL"; do
  RAW=$(wc -c <"$OUT/${name}_bg.wasm")
  GZ=$(gzip -9 -c "$OUT/${name}_bg.wasm" | wc -c)
  log "pkg/${name}_bg.wasm: $RAW bytes, $GZ bytes gzip -9 ($(((GZ + 1023) / 1024)) KB)"
done
log "npm package htx-rules $VERSION"

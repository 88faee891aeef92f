# Sourced by every script of the repository (scripts/, bindings-*/): strict mode, and failures
# that say where they happened — the step, the command, the line — and which tool is missing.
#
#   . "$ROOT/scripts/lib.sh"          # sets -Eeuo pipefail and the ERR trap
#   step "building the wheel"         # names what follows (printed; used in failure messages)
#   need_tool cargo "Rust (rustup)"   # fails loudly when a command is missing
#   apt_install chromium              # root or sudo; `apt-get update` once per run
#
# Variables: HTX_SCRIPT (the name in messages; default: the script's file name), HTX_APT_GET
# (the apt-get command; tests point it at nothing to see the failure).
# shellcheck shell=bash

set -Eeuo pipefail

HTX_SCRIPT=${HTX_SCRIPT:-$(basename "$0")}
HTX_STEP=${HTX_STEP:-start}

# Bold name when stderr is a terminal, plain text in CI logs.
if [ -t 2 ]; then HTX_B=$'\033[1m' HTX_R=$'\033[0m'; else HTX_B='' HTX_R=''; fi

log() { printf '%s%s:%s %s\n' "$HTX_B" "$HTX_SCRIPT" "$HTX_R" "$*" >&2; }

# Names the step that follows; every failure from here on names it.
step() {
  HTX_STEP=$*
  printf '\n==== %s: %s\n' "$HTX_SCRIPT" "$*" >&2
}

# Fails now, naming the step and the reason.
die() {
  printf '\n%s%s: FAILED%s at step "%s": %s\n' "$HTX_B" "$HTX_SCRIPT" "$HTX_R" "$HTX_STEP" "$*" >&2
  exit 1
}

# The ERR trap: any failing command (set -e) reports the step, the command and where it is.
htx_on_err() {
  local status=$1 line=$2 command=$3
  # 127: the command itself was not found
  local why="exit $status"
  [ "$status" = 127 ] && why="exit 127: command not found"
  printf '\n%s%s: FAILED%s at step "%s" (%s)\n    command: %s\n    at: %s line %s\n' \
    "$HTX_B" "$HTX_SCRIPT" "$HTX_R" "$HTX_STEP" "$why" "$command" "${BASH_SOURCE[1]:-$0}" "$line" >&2
}
trap 'htx_on_err $? "$LINENO" "$BASH_COMMAND"' ERR

# need_tool CMD WHAT: fails unless CMD runs; WHAT says what it is and how to get it.
need_tool() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found: $2"
}

htx_as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "root (or sudo) is needed to run: $*"
  fi
}

HTX_APT_UPDATED=${HTX_APT_UPDATED:-0}
# apt_install PKG...: installs Debian packages (once per run updates the lists); fails naming them.
apt_install() {
  local apt=${HTX_APT_GET:-apt-get}
  command -v "$apt" >/dev/null 2>&1 ||
    die "'$apt' not found: cannot install the Debian packages $* — install them by hand"
  if [ "$HTX_APT_UPDATED" = 0 ]; then
    log "apt-get update"
    htx_as_root "$apt" update -qq || die "apt-get update failed (needed to install $*)"
    HTX_APT_UPDATED=1
    export HTX_APT_UPDATED
  fi
  log "apt-get install $*"
  htx_as_root env DEBIAN_FRONTEND=noninteractive "$apt" install -y -qq "$@" >/dev/null ||
    die "apt-get install $* failed"
}

# npm_ci DIR WHY: `npm ci` in DIR, tried three times (a registry hiccup must not fail a run), with
# npm's errors shown; fails naming WHY, npm's last words and the free disk space.
npm_ci() {
  local dir=$1 why=$2 attempt out
  out=$(mktemp)
  for attempt in 1 2 3; do
    log "npm ci in $dir ($why), attempt $attempt of 3"
    if (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >"$out" 2>&1; then
      rm -f "$out"
      return 0
    fi
    log "npm ci failed; what npm said:"
    tail -n 40 "$out" >&2
    [ "$attempt" = 3 ] || sleep $((attempt * ${HTX_NPM_RETRY_SECONDS:-10}))
  done
  log "free disk space where npm writes:"
  df -h "$dir" "${npm_config_cache:-$HOME/.npm}" >&2 2>/dev/null || true
  rm -f "$out"
  die "npm ci failed three times in $dir ($why); the registry is https://registry.npmjs.org/ ($(npm config get registry 2>/dev/null || echo '?'))"
}

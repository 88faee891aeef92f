#!/usr/bin/env bash
# How `htx-rules check` scales with the number of rules (issue 9). Generates packs whose rules
# form a chain (scripts/gen-chain-pack.py) of 10^4, 4x10^4 and 10^5 rules and prints:
#   1. the command line on each, with the default caps (a pack over a cap stops early);
#   2. the checker itself with the caps raised (core/examples/check_scaling.rs), on a 2 MiB
#      stack: seconds, time per rule, and its ratio to the first size's (linear: about 1), and
#      the time to evaluate a record on which every rule is unknown;
#   3. each size's peak memory.
# Figures only, never asserted. usage: scripts/bench-check.sh [N …]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 40000 100000)
cargo build -q --release -p htx-rules-cli
cargo build -q --release -p htx-rules --example check_scaling
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== htx-rules check (default caps)"
for n in "${sizes[@]}"; do
  python3 scripts/gen-chain-pack.py "$n" "$tmp/chain$n"
  /usr/bin/time -f "$n rules: %e s, %M KB peak, exit %x" -o "$tmp/time" \
    target/release/htx-rules check "$tmp/chain$n" >"$tmp/out" 2>&1 || true
  cat "$tmp/time"
  head -c 300 "$tmp/out" | head -2 | sed 's/^/    /'
done
echo "== the checker alone, caps raised, 2 MiB stack"
target/release/examples/check_scaling "${sizes[@]}"
for n in "${sizes[@]}"; do
  /usr/bin/time -f "$n rules: %M KB peak" target/release/examples/check_scaling "$n" >/dev/null
done

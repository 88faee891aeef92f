#!/usr/bin/env bash
# The command line on a big file: records per second and peak memory of `htx-rules eval` in
# each output mode, beside a baseline binary built from another commit, in the same run.
#
#   bash scripts/bench-cli.sh                  # 1,000,000 records; baseline: the commit main points at
#   N=200000 BASE_REF=HEAD~5 bash scripts/bench-cli.sh
#   BASE_BIN=/path/to/htx-rules bash scripts/bench-cli.sh   # a baseline already built
#
# The input is generated (scripts/gen-coops.py: synthetic cooperatives, deterministic), never
# committed. Each mode runs RUNS times (default 3) interleaved with the baseline; the figures
# are medians from /usr/bin/time (wall seconds, maximum resident set size, and user + system
# CPU seconds per record, the figure a loaded machine changes least). Not run by CI.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=${N:-1000000}
RUNS=${RUNS:-3}
BASE_REF=${BASE_REF:-main}
WORK=${WORK:-${TMPDIR:-/tmp}/htx-bench-cli}
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "bench-cli: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

input="$WORK/coops-$N.jsonl"
if [ ! -s "$input" ]; then
  echo "generating $N records -> $input" >&2
  python3 scripts/gen-coops.py "$N" > "$input"
fi

echo "building the current binary (release)" >&2
cargo build -q --release -p htx-rules-cli
new="$ROOT/target/release/htx-rules"

base=${BASE_BIN:-}
if [ -z "$base" ]; then
  tree="$WORK/base-tree"
  rev=$(git rev-parse "$BASE_REF")
  if [ ! -x "$WORK/base-$rev" ]; then
    echo "building the baseline $BASE_REF ($rev) in $tree" >&2
    rm -rf "$tree"
    git worktree add -f --detach "$tree" "$rev" >/dev/null
    (cd "$tree" && CARGO_TARGET_DIR="$WORK/base-target" cargo build -q --release -p htx-rules-cli)
    cp "$WORK/base-target/release/htx-rules" "$WORK/base-$rev"
    git worktree remove --force "$tree"
  fi
  base="$WORK/base-$rev"
fi

# one timed run: prints "seconds peak_kb cpu_seconds"
timed() {
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@" > /dev/null
  awk '{ print $1, $2, $3 + $4 }' "$WORK/time.txt"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

run_mode() { # label, baseline args ("" to skip), current args
  local label=$1 base_args=$2 new_args=$3
  local bs=() bm=() bc=() ns=() nm=() nc=()
  for _ in $(seq "$RUNS"); do
    if [ -n "$base_args" ]; then
      read -r s m c < <(timed $base eval --entity cooperative --as-of 2025-06-30 $base_args "$input")
      bs+=("$s"); bm+=("$m"); bc+=("$c")
    fi
    read -r s m c < <(timed "$new" eval --entity cooperative --as-of 2025-06-30 $new_args "$input")
    ns+=("$s"); nm+=("$m"); nc+=("$c")
  done
  local n_s n_m n_c
  n_s=$(printf '%s\n' "${ns[@]}" | median); n_m=$(printf '%s\n' "${nm[@]}" | median)
  n_c=$(printf '%s\n' "${nc[@]}" | median)
  local line
  line=$(awk -v n="$N" -v s="$n_s" -v m="$n_m" -v c="$n_c" -v l="$label" \
    'BEGIN { printf "%-34s %10.0f rec/s  %7.1f MB  %6.2f us CPU/rec", l, n / s, m / 1024, c * 1e6 / n }')
  if [ -n "$base_args" ]; then
    local b_s b_m b_c
    b_s=$(printf '%s\n' "${bs[@]}" | median); b_m=$(printf '%s\n' "${bm[@]}" | median)
    b_c=$(printf '%s\n' "${bc[@]}" | median)
    line+=$(awk -v n="$N" -v s="$b_s" -v m="$b_m" -v c="$b_c" -v ns="$n_s" -v nc="$n_c" \
      'BEGIN { printf "   baseline %10.0f rec/s  %7.1f MB  %6.2f us CPU/rec   speed-up x%.2f, CPU x%.2f", n / s, m / 1024, c * 1e6 / n, s / ns, c / nc }')
  fi
  echo "$line"
}

echo "$N records, $(nproc) cores, $(date -u +%Y-%m-%d), median of $RUNS runs, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run_mode "full JSON (the contract's array)" "--format json" "--format json"
run_mode "JSON Lines, full" "--format jsonl" "--format jsonl"
run_mode "JSON Lines, --fields values" "--format jsonl --fields values" "--format jsonl --fields values"
run_mode "JSON Lines, --fields outcomes" "--format jsonl --fields outcomes" "--format jsonl --fields outcomes"
run_mode "CSV" "--format csv" "--format csv"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

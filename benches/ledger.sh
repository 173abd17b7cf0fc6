#!/usr/bin/env bash
# The ledger at a state's scale, month after month: generate MONTHS statewide months (LINES lines,
# ROWS usage rows each, consecutive periods ending in LAST), post them one after another into one
# fresh ledger, and after 1, 3, 6 and 12 months time what finance runs against it:
#
#   post                 the month posted (reconcile of the same month timed beside it)
#   receivables          every employee's position with aging
#   history LINE         one line, month by month
#   journal --since      the adjusting entries since the first month
#   ledger verify        every balance recomputed from the entries
#   the file's size
#
#   benches/ledger.sh                               # 50,000 lines, 20M rows, 12 months
#   ROWS=2000000 MONTHS=3 benches/ledger.sh         # smaller
#
# Each month is written under $BENCH_DIR (default target/ledger-bench), posted, then removed
# (a statewide month is about 1 GB). Wall time and peak RSS come from /usr/bin/time -v.
set -euo pipefail
cd "$(dirname "$0")/.."

LINES="${LINES:-50000}"
ROWS="${ROWS:-20000000}"
MONTHS="${MONTHS:-12}"
LAST="${LAST:-2026-10}"
SEED="${SEED:-1}"
CHECKPOINTS="${CHECKPOINTS:-1 3 6 12}"
BENCH_DIR="${BENCH_DIR:-target/ledger-bench}"
TARGET="${CARGO_TARGET_DIR:-target}"

cargo build --release --locked --quiet
BIN="$TARGET/release/billrecon"
rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"
DB="$BENCH_DIR/billrecon.db"

measure() { # prints "wall_seconds peak_rss_mb" (wall to the millisecond)
  local log start end
  log="$(mktemp)"
  start="$EPOCHREALTIME"
  /usr/bin/time -v "$@" > /dev/null 2> "$log" || true
  end="$EPOCHREALTIME"
  local wall rss
  wall="$(echo "$end - $start" | bc -l | awk '{printf "%.3f", $1}')"
  rss="$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")"
  if grep -q "Exit status: [^01]" "$log"; then
    echo "failed: $*" >&2
    sed -n '1,5p' "$log" >&2
  fi
  rm -f "$log"
  echo "$wall $rss"
}

# The periods, oldest first, ending in LAST.
periods=()
y="${LAST%-*}"; m="${LAST#*-}"; m=$((10#$m))
for ((i = 0; i < MONTHS; i++)); do
  periods=("$(printf '%04d-%02d' "$y" "$m")" "${periods[@]}")
  m=$((m - 1)); if ((m == 0)); then m=12; y=$((y - 1)); fi
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "month: $LINES lines, $ROWS usage rows; $MONTHS months ${periods[0]} to ${periods[-1]}"
printf '\n%-8s %12s %10s %12s %10s\n' "month" "reconcile s" "post s" "post MB" "post/rec"
n=0
LINE="$(printf '%010d' 0)"
for p in "${periods[@]}"; do
  n=$((n + 1))
  dir="$BENCH_DIR/$p"
  "$BIN" generate --lines "$LINES" --usage-rows "$ROWS" --seed "$SEED" --period "$p" "$dir" 2> /dev/null
  if [[ -z "${LINE_SET:-}" ]]; then
    LINE="$(awk -F, 'NR == 2 {print $1}' "$dir/inventory.csv")"
    LINE_SET=1
  fi
  cat "$dir/usage.csv" > /dev/null # warm the page cache for both runs
  read -r rec _ < <(measure "$BIN" reconcile "$dir" --out "$BENCH_DIR/out-$p" -q)
  rm -rf "$BENCH_DIR/out-$p"
  read -r post rss < <(measure "$BIN" post "$dir" --ledger "$DB" -q)
  printf '%-8s %12.2f %10.2f %12s %10.2f\n' "$p" "$rec" "$post" "$rss" "$(echo "$post / $rec" | bc -l)"
  rm -rf "$dir"
  if [[ " $CHECKPOINTS " == *" $n "* ]]; then
    read -r recv recv_rss < <(measure "$BIN" receivables --ledger "$DB" --as-of 2027-01-15)
    read -r hist _ < <(measure "$BIN" history "$LINE" --ledger "$DB")
    read -r jour _ < <(measure "$BIN" journal --since "${periods[0]}-01" --ledger "$DB")
    read -r ver ver_rss < <(measure "$BIN" ledger verify --ledger "$DB")
    size="$(du -m "$DB" | cut -f1)"
    echo "  after $n months: receivables ${recv} s (${recv_rss} MB), history LINE ${hist} s, journal --since ${jour} s, verify ${ver} s (${ver_rss} MB), ledger ${size} MB"
  fi
done

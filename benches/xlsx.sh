#!/usr/bin/env bash
# A usage report as a workbook: a month of LINES lines whose ROWS usage rows are one XLSX sheet
# (1,000,000 by default; a sheet holds at most 1,048,575), read by `billrecon check` (rows read
# and checked, none kept) and `billrecon reconcile` (folded as they stream). Prints wall time,
# peak RSS and rows per second of each: memory holds a run of rows, never the sheet.
#
#   benches/xlsx.sh
#   ROWS=500000 benches/xlsx.sh
set -euo pipefail
cd "$(dirname "$0")/.."

LINES="${LINES:-10000}"
ROWS="${ROWS:-1000000}"
BENCH_DIR="${BENCH_DIR:-target/statewide}"
TARGET="${CARGO_TARGET_DIR:-target}"

cargo build --release --locked --quiet
cargo build --release --locked --quiet --example usage_to_xlsx
BIN="$TARGET/release/billrecon"
month="$BENCH_DIR/xlsx-l${LINES}-r${ROWS}"
if [ ! -f "$month/usage.xlsx" ]; then
  echo "generating $month ..." >&2
  rm -rf "$month"
  "$BIN" generate --lines "$LINES" --usage-rows "$ROWS" "$month" 2> /dev/null
  "$TARGET/release/examples/usage_to_xlsx" "$month"
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

measure() {
  local log
  log="$(mktemp)"
  /usr/bin/time -v "$@" > /dev/null 2> "$log" || true
  local wall rss
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')"
  rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")"
  rm -f "$log"
  echo "$wall $rss"
}

printf '%s lines, %s usage rows in %s (%s bytes)\n' "$LINES" "$ROWS" "$month/usage.xlsx" "$(stat -c %s "$month/usage.xlsx")"
printf '%-34s %10s %14s %12s\n' "command" "wall (s)" "peak RSS (MB)" "rows/s"
read -r s kb < <(measure "$BIN" check "$month")
printf '%-34s %10s %14s %12.0f\n' "billrecon check" "$s" "$((kb / 1024))" "$(awk -v r="$ROWS" -v s="$s" 'BEGIN { print r / s }')"
read -r s kb < <(measure "$BIN" reconcile "$month" --out "$out/o" --quiet)
printf '%-34s %10s %14s %12.0f\n' "billrecon reconcile (end to end)" "$s" "$((kb / 1024))" "$(awk -v r="$ROWS" -v s="$s" 'BEGIN { print r / s }')"

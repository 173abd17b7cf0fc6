#!/usr/bin/env bash
# A carrier's own usage export at size: the sample month's AT&T Premier usage detail (the real
# 24-column layout, some fields quoted, `$` amounts) repeated to ROWS rows, read through the
# `att-premier` profile by `billrecon check`. Prints wall time, peak RSS and rows per second.
#
#   benches/att.sh
#   ROWS=5000000 benches/att.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${ROWS:-1000000}"
BENCH_DIR="${BENCH_DIR:-target/statewide}"
TARGET="${CARGO_TARGET_DIR:-target}"

cargo build --release --locked --quiet
BIN="$TARGET/release/billrecon"
FIX="$PWD/fixtures"
month="$BENCH_DIR/att-r${ROWS}"
if [ ! -f "$month/usage.csv" ]; then
  mkdir -p "$month"
  src="$FIX/2026-10-att/Premier_Usage_Detail_202610.csv"
  { head -n 1 "$src"; tail -n +2 "$src" | yes "$(cat)" 2> /dev/null | head -n "$ROWS"; } > "$month/usage.csv" || true
fi
cat > "$month/billrecon.toml" <<TOML
period = "2026-10"

[[invoice]]
summary = "$FIX/2026-10/invoice-verizon.xlsx#Summary"
charges = "$FIX/2026-10/invoice-verizon.xlsx#Charges"

[[invoice]]
summary = "$FIX/2026-10/invoice-att-summary.csv"
charges = { path = "$FIX/2026-10-att/Premier_Billing_Export_202610.csv", profile = "att-premier" }

[inputs]
usage = ["$FIX/2026-10/usage-verizon.csv", { path = "usage.csv", profile = "att-premier" }]
inventory = "$FIX/2026-10/inventory.xlsx#Lines"
employees = "$FIX/2026-10/employees.csv"
plans = "$FIX/2026-10/plans.csv"
attestations = "$FIX/2026-10/attestations.csv"

[policy]
suspense_account = "9999-530-SUSP"
employee_receivable_account = "1290-EMPREC"
payable_account = "2010-AP"
TOML
cat "$month/usage.csv" > /dev/null
log="$(mktemp)"
/usr/bin/time -v "$BIN" check "$month" > /dev/null 2> "$log" || true
wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')"
rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")"
rm -f "$log"
echo "$ROWS rows of AT&T Premier usage detail ($(stat -c %s "$month/usage.csv") bytes) through att-premier"
awk -v w="$wall" -v r="$rss" -v n="$ROWS" 'BEGIN { printf "billrecon check: %.2f s, peak RSS %d MB, %d rows/s\n", w, r / 1024, n / w }'

#!/usr/bin/env bash
# The review web app under load: the statewide month (LINES lines, ROWS usage rows) posted into a
# fresh ledger, served on 127.0.0.1 (port 0), and CONNECTIONS concurrent clients requesting its
# findings queue page after page, REQUESTS each (examples/web_load.rs). Prints p50/p90/p99.
#
#   benches/web.sh                              # 50,000 lines, 20M rows, 200 connections x 25
#   ROWS=2000000 benches/web.sh                 # smaller month
#
# Loopback only; the server is stopped by its own pid when the run ends.
set -euo pipefail
cd "$(dirname "$0")/.."

LINES="${LINES:-50000}"
ROWS="${ROWS:-20000000}"
CONNECTIONS="${CONNECTIONS:-200}"
REQUESTS="${REQUESTS:-25}"
BENCH_DIR="${BENCH_DIR:-target/web-bench}"
TARGET="${CARGO_TARGET_DIR:-target}"

cargo build --release --locked --quiet
cargo build --release --locked --quiet --example web_load
BIN="$TARGET/release/billrecon"
LOAD="$TARGET/release/examples/web_load"
rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"
DB="$BENCH_DIR/billrecon.db"
"$BIN" generate --lines "$LINES" --usage-rows "$ROWS" --style carrier "$BENCH_DIR/2026-10" 2> /dev/null
"$BIN" post "$BENCH_DIR/2026-10" --ledger "$DB" -q > /dev/null || true
rm -rf "$BENCH_DIR/2026-10"
echo "bench passphrase 1" | "$BIN" user add bench --role clerk --password-stdin --ledger "$DB" > /dev/null

"$BIN" serve --ledger "$DB" --port 0 > "$BENCH_DIR/serve.out" 2> "$BENCH_DIR/serve.err" &
SERVER=$!
trap 'kill "$SERVER" 2> /dev/null || true' EXIT
for _ in $(seq 100); do [[ -s "$BENCH_DIR/serve.out" ]] && break; sleep 0.1; done
URL="$(head -1 "$BENCH_DIR/serve.out")"; URL="${URL%/}"
ADDR="${URL#http://}"

# Log in as a browser does.
CSRF="$(curl -s "$URL/login" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')"
COOKIE="$(curl -s -i -d "login=bench&password=bench+passphrase+1&csrf=$CSRF" "$URL/login" | tr -d '\r' | awk -F': ' 'tolower($1) == "set-cookie" {split($2, a, ";"); print a[1]}')"
FINDINGS="$(curl -s -H "Cookie: $COOKIE" "$URL/months/2026-10" | grep -o '[0-9,]* finding(s)' | head -1 | tr -d ', finding(s)')"
PAGES=$(( (FINDINGS + 49) / 50 ))

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "ledger: $LINES lines, $ROWS usage rows, $FINDINGS findings ($PAGES pages of 50), $(du -m "$DB" | cut -f1) MB"
echo "warm-up:"
"$LOAD" "$ADDR" "$COOKIE" 2026-10 "$PAGES" 20 10
echo "load:"
"$LOAD" "$ADDR" "$COOKIE" 2026-10 "$PAGES" "$CONNECTIONS" "$REQUESTS"

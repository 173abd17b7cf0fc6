#!/usr/bin/env bash
# The statewide benchmark: generate a month of LINES lines and ROWS usage rows in each STYLE,
# then time, on the same files, in one run:
#   1. `cat usage.csv > /dev/null`          the floor: reading the bytes
#   2. `billrecon reconcile`                end to end, every output written (and its stages)
#   3. DuckDB doing the usage half only     read the CSV, find chargeable DA, sum minutes per line
# and print each wall time, peak RSS, and the ratios to DuckDB: billrecon's read-and-fold stage
# (the like-for-like usage half) and its whole run.
#
# Styles (`billrecon generate --style`): `plain` (no quote anywhere, as billrecon's generator
# writes) and `carrier` (every text field quoted, `$` amounts, `(860) 555-0101` numbers, CRLF,
# as carriers' and databases' exports are). Both hold the same month.
#
#   benches/statewide.sh                     # 50,000 lines, 20,000,000 usage rows, both styles
#   STYLES=carrier benches/statewide.sh      # one style
#   ROWS=5000000 benches/statewide.sh        # another size
#   SCALING=1 benches/statewide.sh           # 5M, 10M and 20M rows, to show time grows linearly
#
# DuckDB is optional: `pip install duckdb` (or a `duckdb` CLI on PATH); without it that line is
# skipped. Months are written under $BENCH_DIR (default target/statewide) and reused. The
# outputs (about 35,000 notice files at 50,000 lines) go to a fresh folder under $OUT_BASE
# (default $BENCH_DIR): creating files right after deleting tens of thousands of others is
# several times slower on ext4 (it skips inodes freed in the last minutes), so each run writes
# into a new folder and they are all removed when the script ends. OUT_BASE=/dev/shm measures
# billrecon without the disk.
set -euo pipefail
cd "$(dirname "$0")/.."

LINES="${LINES:-50000}"
ROWS="${ROWS:-20000000}"
SEED="${SEED:-1}"
THREADS="${THREADS:-2}"
STYLES="${STYLES:-plain carrier}"
BENCH_DIR="${BENCH_DIR:-target/statewide}"
OUT_BASE="${OUT_BASE:-$BENCH_DIR}"
TARGET="${CARGO_TARGET_DIR:-target}"

cargo build --release --locked --quiet
BIN="$TARGET/release/billrecon"

# Runs a command under /usr/bin/time -v; prints "wall_seconds peak_rss_kb". The command's own
# stderr is kept in $LAST_LOG.
LAST_LOG="$(mktemp)"
OUTS=()
cleanup() {
  rm -f "$LAST_LOG"
  for o in "${OUTS[@]}"; do rm -rf "$o"; done
}
trap cleanup EXIT
measure() {
  local log
  log="$(mktemp)"
  /usr/bin/time -v "$@" > /dev/null 2> "$log" || true
  cp "$log" "$LAST_LOG"
  local wall rss
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')"
  rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")"
  rm -f "$log"
  echo "$wall $rss"
}

have_duckdb() {
  python3 -c 'import duckdb' 2> /dev/null && echo python && return
  command -v duckdb > /dev/null && echo cli && return
  echo none
}

run_one() {
  local rows="$1" style="$2"
  local month="$BENCH_DIR/l${LINES}-r${rows}-s${SEED}-${style}"
  if [ ! -f "$month/billrecon.toml" ]; then
    echo "generating $month ..." >&2
    "$BIN" generate --lines "$LINES" --usage-rows "$rows" --seed "$SEED" --style "$style" "$month" 2> /dev/null
  fi
  local usage="$month/usage.csv"
  local bytes
  bytes="$(stat -c %s "$usage")"
  cat "$usage" > /dev/null # warm the page cache for every contender alike

  read -r floor_s floor_kb < <(measure sh -c "cat '$usage' > /dev/null")
  local out="$OUT_BASE/$(basename "$month").out.$$"
  rm -rf "$out"
  OUTS+=("$out")
  sync
  read -r br_s br_kb < <(measure "$BIN" reconcile "$month" --out "$out" --quiet --timings)
  local stages
  stages="$(sed -n '/^timings:/,/total/p' "$LAST_LOG")"

  local duck
  duck="$(have_duckdb)"
  local dk_s="" dk_kb=""
  case "$duck" in
    python) read -r dk_s dk_kb < <(measure python3 benches/duckdb_usage.py "$usage" "$THREADS") ;;
    cli)
      local sql
      sql="SET threads TO $THREADS; WITH u AS (SELECT line, type, CAST(quantity AS DECIMAL(18,3)) q, COALESCE(TRY_CAST(NULLIF(replace(replace(charge,'\$',''),',',''),'') AS DECIMAL(18,2)),0) c, regexp_replace(COALESCE(number,''),'[^0-9]','','g') d FROM read_csv('$usage', header=true, all_varchar=true)) SELECT (SELECT count(*) FROM u WHERE c>0 AND (d IN ('411','1411','5551212') OR (length(d)=10 AND substr(d,4)='5551212' AND substr(d,1,1) BETWEEN '2' AND '9') OR (length(d)=11 AND substr(d,1,1)='1' AND substr(d,5)='5551212' AND substr(d,2,1) BETWEEN '2' AND '9'))), (SELECT count(*) FROM (SELECT line, sum(q) FROM u WHERE type='voice' GROUP BY line));"
      read -r dk_s dk_kb < <(measure duckdb -c "$sql")
      ;;
  esac

  local read_s
  read_s="$(awk '/read and fold/ {print $(NF-1)}' <<< "$stages")"
  printf '\n%s style: %s lines, %s usage rows, usage.csv %s bytes\n' "$style" "$LINES" "$rows" "$bytes"
  printf '%-40s %10s %14s\n' "contender" "wall (s)" "peak RSS (MB)"
  printf '%-40s %10s %14s\n' "cat usage.csv > /dev/null (floor)" "$floor_s" "$((floor_kb / 1024))"
  printf '%-40s %10s %14s\n' "billrecon reconcile (end to end)" "$br_s" "$((br_kb / 1024))"
  if [ -n "$dk_s" ]; then
    printf '%-40s %10s %14s\n' "DuckDB, usage half only ($THREADS threads)" "$dk_s" "$((dk_kb / 1024))"
    awk -v b="$br_s" -v d="$dk_s" 'BEGIN { printf "billrecon end to end / DuckDB = %.2f\n", b / d }'
    awk -v r="$read_s" -v d="$dk_s" 'BEGIN { printf "billrecon read and fold / DuckDB = %.2f\n", r / d }'
  else
    echo "DuckDB: not installed (pip install duckdb), skipped"
  fi
  awk -v b="$br_s" -v f="$floor_s" 'BEGIN { if (f > 0) printf "billrecon / floor  = %.1f\n", b / f; else print "billrecon / floor  = (floor below timer resolution)" }'
  echo "billrecon reconcile, by stage ($out):"
  echo "$stages"
}

for style in $STYLES; do
  if [ "${SCALING:-0}" = "1" ]; then
    for r in 5000000 10000000 20000000; do run_one "$r" "$style"; done
  else
    run_one "$ROWS" "$style"
  fi
done

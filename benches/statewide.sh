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
# Orders (`billrecon generate --order`): `line` (a line's calls together, as carriers list them)
# and `date` (every line interleaved in time order, as a database exports them). The same rows.
#
#   benches/statewide.sh                     # 50,000 lines, 20,000,000 usage rows, 2 styles x 2 orders
#   STYLES=carrier benches/statewide.sh      # one style
#   ORDERS=date benches/statewide.sh         # one order
#   ROWS=5000000 benches/statewide.sh        # another size
#   SCALING=1 benches/statewide.sh           # 5M, 10M and 20M rows, to show time grows linearly
#   RUNS=5 BASELINE=/tmp/billrecon-old benches/statewide.sh
#                                            # 5 runs each, alternating billrecon, the previous
#                                            # binary and DuckDB run by run; medians reported
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
ORDERS="${ORDERS:-line date}"
RUNS="${RUNS:-1}"
BASELINE="${BASELINE:-}"
BENCH_DIR="${BENCH_DIR:-target/statewide}"
OUT_BASE="${OUT_BASE:-$BENCH_DIR}"
TARGET="${CARGO_TARGET_DIR:-target}"

# BIN=path measures a binary built elsewhere (a copy, so a rebuild cannot change it mid-run).
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked --quiet
  BIN="$TARGET/release/billrecon"
fi

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
  local rows="$1" style="$2" order="$3"
  local month="$BENCH_DIR/l${LINES}-r${rows}-s${SEED}-${style}-${order}"
  if [ ! -f "$month/billrecon.toml" ]; then
    echo "generating $month ..." >&2
    "$BIN" generate --lines "$LINES" --usage-rows "$rows" --seed "$SEED" --style "$style" --order "$order" "$month" 2> /dev/null
  fi
  local usage="$month/usage.csv"
  local bytes
  bytes="$(stat -c %s "$usage")"
  cat "$usage" > /dev/null # warm the page cache for every contender alike

  read -r floor_s floor_kb < <(measure sh -c "cat '$usage' > /dev/null")
  local duck
  duck="$(have_duckdb)"
  # Per contender: "wall rss read_and_fold render" of each run, contenders alternating run by run.
  local -A runs=()
  local contenders=("billrecon")
  [ -n "$BASELINE" ] && contenders+=("baseline")
  [ "$duck" != none ] && contenders+=("duckdb")
  local i c stages="" first_out=""
  for i in $(seq "$RUNS"); do
    for c in "${contenders[@]}"; do
      local wall kb rf="-" wr="-"
      case "$c" in
        billrecon | baseline)
          local bin="$BIN"
          [ "$c" = baseline ] && bin="$BASELINE"
          local out="$OUT_BASE/$(basename "$month").$c.$i.out.$$"
          rm -rf "$out"
          OUTS+=("$out")
          sync
          read -r wall kb < <(measure "$bin" reconcile "$month" --out "$out" --quiet --timings)
          rf="$(awk '/read and fold/ {print $(NF-1)}' "$LAST_LOG")"
          wr="$(awk '/render and write/ {print $(NF-1)}' "$LAST_LOG")"
          if [ "$c" = billrecon ] && [ "$i" = 1 ]; then
            stages="$(sed -n '/^timings:/,/total/p' "$LAST_LOG")"
            first_out="$out"
          fi
          ;;
        duckdb)
          case "$duck" in
            python) read -r wall kb < <(measure python3 benches/duckdb_usage.py "$usage" "$THREADS") ;;
            cli)
              local sql
              sql="SET threads TO $THREADS; WITH u AS (SELECT line, type, CAST(quantity AS DECIMAL(18,3)) q, COALESCE(TRY_CAST(NULLIF(replace(replace(charge,'\$',''),',',''),'') AS DECIMAL(18,2)),0) c, regexp_replace(COALESCE(number,''),'[^0-9]','','g') d FROM read_csv('$usage', header=true, all_varchar=true)) SELECT (SELECT count(*) FROM u WHERE c>0 AND (d IN ('411','1411','5551212') OR (length(d)=10 AND substr(d,4)='5551212' AND substr(d,1,1) BETWEEN '2' AND '9') OR (length(d)=11 AND substr(d,1,1)='1' AND substr(d,5)='5551212' AND substr(d,2,1) BETWEEN '2' AND '9'))), (SELECT count(*) FROM (SELECT line, sum(q) FROM u WHERE type='voice' GROUP BY line));"
              read -r wall kb < <(measure duckdb -c "$sql")
              ;;
          esac
          ;;
      esac
      runs[$c]+="$wall $kb $rf $wr"$'\n'
    done
  done

  printf '\n%s style, %s order: %s lines, %s usage rows, usage.csv %s bytes; %s run(s), medians\n' "$style" "$order" "$LINES" "$rows" "$bytes" "$RUNS"
  printf '%-34s %10s %14s %14s %14s\n' "contender" "wall (s)" "peak RSS (MB)" "read+fold (s)" "outputs (s)"
  printf '%-34s %10s %14s\n' "cat usage.csv > /dev/null (floor)" "$floor_s" "$((floor_kb / 1024))"
  local -A med=()
  for c in "${contenders[@]}"; do
    local row
    row="$(printf '%s' "${runs[$c]}" | median_columns)"
    med[$c]="$row"
    read -r w k r o <<< "$row"
    local label="$c"
    case "$c" in
      billrecon) label="billrecon reconcile (end to end)" ;;
      baseline) label="baseline binary (end to end)" ;;
      duckdb) label="DuckDB, usage half ($THREADS threads)" ;;
    esac
    printf '%-34s %10s %14s %14s %14s\n' "$label" "$w" "$((${k%.*} / 1024))" "$r" "$o"
    echo "  runs (wall rss_kb read+fold outputs): $(printf '%s' "${runs[$c]}" | tr '\n' ';')"
  done
  if [ -n "${med[duckdb]:-}" ]; then
    local dk_s br_s read_s
    dk_s="$(awk '{print $1}' <<< "${med[duckdb]}")"
    br_s="$(awk '{print $1}' <<< "${med[billrecon]}")"
    read_s="$(awk '{print $3}' <<< "${med[billrecon]}")"
    awk -v b="$br_s" -v d="$dk_s" 'BEGIN { printf "billrecon end to end / DuckDB = %.2f\n", b / d }'
    awk -v r="$read_s" -v d="$dk_s" 'BEGIN { printf "billrecon read and fold / DuckDB = %.2f\n", r / d }'
  else
    echo "DuckDB: not installed (pip install duckdb), skipped"
  fi
  echo "billrecon reconcile, by stage (first run, $first_out):"
  echo "$stages"
}

# Reads lines of "wall rss read_and_fold outputs" and prints each column's median ("-" stays).
median_columns() {
  awk '{ for (c = 1; c <= 4; c++) v[c, NR] = $c } END {
    for (c = 1; c <= 4; c++) {
      if (v[c, 1] == "-") { printf "%s ", "-"; continue }
      n = 0; for (r = 1; r <= NR; r++) a[++n] = v[c, r] + 0
      for (x = 1; x <= n; x++) for (y = x + 1; y <= n; y++) if (a[y] < a[x]) { t = a[x]; a[x] = a[y]; a[y] = t }
      m = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
      printf "%s ", m
    }
    printf "\n" }'
}

for style in $STYLES; do
  for order in $ORDERS; do
    if [ "${SCALING:-0}" = "1" ]; then
      for r in 5000000 10000000 20000000; do run_one "$r" "$style" "$order"; done
    else
      run_one "$ROWS" "$style" "$order"
    fi
  done
done

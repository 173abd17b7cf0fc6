#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), two at a time (one per core), after
# seeding the corpora; prints each target's executions and crashes. Crashing inputs land in
# fuzz/artifacts/TARGET/; copy each into crates/parser/tests/fuzz_regressions/TARGET/ once fixed.
#   fuzz/run.sh            # 10 minutes each, 30 minutes in all on two cores
#   SECONDS_EACH=60 fuzz/run.sh
set -uo pipefail
cd "$(dirname "$0")"
S="${SECONDS_EACH:-600}"
bash seed.sh
cargo +nightly fuzz build -O
run() {
  local t="$1"
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$S" -timeout=20 -rss_limit_mb=2048 \
    > "logs/$t.log" 2>&1
  local execs crashes
  execs=$(grep -oE '^Done [0-9]+ runs' "logs/$t.log" | grep -oE '[0-9]+' | tail -1)
  crashes=$(ls "artifacts/$t" 2>/dev/null | wc -l)
  echo "$t: ${execs:-?} executions in ${S}s, ${crashes} crashing inputs"
}
mkdir -p logs
for pair in "csv xlsx" "manifest profile" "values zip"; do
  set -- $pair
  run "$1" & run "$2" & wait
done

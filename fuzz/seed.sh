#!/usr/bin/env bash
# Seeds each target's corpus (fuzz/corpus/TARGET, not committed) from the fixtures: real CSV and
# TXT tables (the RDD members unpacked), real workbooks, manifests, profiles, carrier zips, and
# value spellings billrecon reads.
set -euo pipefail
cd "$(dirname "$0")/.."
C=fuzz/corpus
mkdir -p $C/csv $C/xlsx $C/manifest $C/profile $C/values $C/zip
n=0
for f in fixtures/*/*.csv fixtures/*/*.txt; do [ -f "$f" ] && cp "$f" "$C/csv/seed-$((n++))"; done
for z in fixtures/*/*.zip; do
  tmp=$(mktemp -d); (cd "$tmp" && unzip -qo "$OLDPWD/$z")
  for f in "$tmp"/*; do cp "$f" "$C/csv/seed-$((n++))"; done
  rm -rf "$tmp"
  cp "$z" "$C/zip/seed-$((n++))"
done
for f in fixtures/*/*.xlsx; do cp "$f" "$C/xlsx/seed-$((n++))"; done
for f in fixtures/*/billrecon.toml; do cp "$f" "$C/manifest/seed-$((n++))"; done
for f in crates/parser/profiles/*.toml; do cp "$f" "$C/profile/seed-$((n++))"; done
i=0
for v in '$1,234.56' '(1.99)' '-0.005' '1e6' '0.125' 'Jan 15, 2024' '02/30/2026' '01/05' '2026-10-14' \
         '7:15A' '12:00:00 PM' '25:00' '(860) 555-0101' '+1 860.555.0101' '411' '555-1212' \
         '2.000(shared)' 'unlimited' 'Unlimited Talk & Text 5GB' 'Business Talk 500 minutes $30.00'; do
  printf '%s' "$v" > "$C/values/seed-$((i++))"
done
echo "seeded: $(ls $C/csv | wc -l) csv, $(ls $C/xlsx | wc -l) xlsx, $(ls $C/manifest | wc -l) manifest, $(ls $C/profile | wc -l) profile, $(ls $C/values | wc -l) values, $(ls $C/zip | wc -l) zip"

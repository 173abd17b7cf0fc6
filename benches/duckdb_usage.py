"""DuckDB doing the usage half of a reconciliation, as a finance analyst would in SQL: read the
usage CSV, find chargeable directory assistance by the Rules issue's digit patterns, and sum
minutes per line. Amounts may carry `$` and thousands separators (the carrier style), so the
query finds the same rows in either style. Used by benches/statewide.sh; DuckDB is never a
dependency of billrecon.

    python3 benches/duckdb_usage.py USAGE.csv [THREADS]
"""
import sys
import time

import duckdb

path = sys.argv[1]
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
con = duckdb.connect()
con.execute(f"SET threads TO {threads}")
start = time.time()
da, lines, minutes = con.execute(
    """
    WITH u AS (
      SELECT line, type,
             CAST(quantity AS DECIMAL(18,3)) AS quantity,
             COALESCE(TRY_CAST(NULLIF(replace(replace(charge, '$', ''), ',', ''), '') AS DECIMAL(18,2)), 0) AS charge,
             regexp_replace(COALESCE(number, ''), '[^0-9]', '', 'g') AS d
      FROM read_csv(?, header = true, all_varchar = true)
    ),
    per_line AS (SELECT line, sum(quantity) AS minutes FROM u WHERE type = 'voice' GROUP BY line)
    SELECT
      (SELECT count(*) FROM u WHERE charge > 0 AND (
          d IN ('411', '1411', '5551212')
          OR (length(d) = 10 AND substr(d, 4) = '5551212' AND substr(d, 1, 1) BETWEEN '2' AND '9')
          OR (length(d) = 11 AND substr(d, 1, 1) = '1' AND substr(d, 5) = '5551212' AND substr(d, 2, 1) BETWEEN '2' AND '9'))),
      (SELECT count(*) FROM per_line),
      (SELECT sum(minutes) FROM per_line)
    """,
    [path],
).fetchone()
print(f"duckdb: {da} chargeable DA rows, {lines} lines, {minutes} voice minutes in {time.time() - start:.2f}s", file=sys.stderr)

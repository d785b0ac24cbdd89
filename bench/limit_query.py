"""The limit: one hand-written DuckDB query that does the job's essential work and nothing more.

It reads the file with DuckDB's native types (no text staging, no validation, no tests), computes
the FICO-style score with the project's default weights, assigns each customer to the nearest of
the given centroids, and writes one row per customer to a table in a fresh DuckDB file: the least
work that yields the job's main deliverable, a persisted ``customer_segments``. A second variant
only counts customers per segment (nothing persisted), to show what reading and scoring alone cost.

    python bench/limit_query.py FILE --db /tmp/limit.duckdb --centroids 720 680 640 600 540
Prints one JSON object with the timings in seconds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import duckdb

# The project's default policy (dbt_project.yml vars and seeds), written out by hand.
SCORE = """
    300
    + round(550 * 0.35 * "Payment History" / 2857, 2)
    + round(550 * 0.30 * (1 - "Credit Utilization Ratio"), 2)
    + round(550 * 0.15 * (least("Number of Credit Accounts", 10) - 1) / 9, 2)
    + round(550 * 0.10 * case "Education Level"
        when 'High School' then 0 when 'Bachelor' then 0.3333 when 'Master' then 0.6667
        else 1 end, 2)
    + round(550 * 0.10 * case "Employment Status"
        when 'Unemployed' then 0 when 'Self-Employed' then 0.75 else 1 end, 2)
"""


def reader(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    return f"read_parquet('{quoted}')" if path.suffix == ".parquet" else f"read_csv('{quoted}')"


def nearest_centroid(centroids: list[float]) -> str:
    """Rank 1 = highest centroid; a score goes to the centroid it is nearest to."""
    ordered = sorted(centroids, reverse=True)
    branches = " ".join(
        f"when credit_score >= {(upper + lower) / 2!r} then {rank}"
        for rank, (upper, lower) in enumerate(itertools.pairwise(ordered), start=1)
    )
    return f"case {branches} else {len(ordered)} end"


def run(path: Path, db: Path, centroids: list[float]) -> dict:
    scored = f"select *, {SCORE} as credit_score from {reader(path)}"
    segment = nearest_centroid(centroids)
    timings = {}
    with duckdb.connect(str(db)) as con:
        started = time.perf_counter()
        con.execute(
            f"create or replace table customer_segments as "
            f"select *, {segment} as segment_rank from ({scored})"
        )
        timings["persisted"] = time.perf_counter() - started
        started = time.perf_counter()
        counts = con.execute(
            f"select {segment} as segment_rank, count(*) from ({scored}) group by 1 order by 1"
        ).fetchall()
        timings["aggregate_only"] = time.perf_counter() - started
    return {"timings_s": timings, "segment_sizes": {int(rank): int(n) for rank, n in counts}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The benchmark's limit query.")
    parser.add_argument("input", type=Path)
    parser.add_argument("--db", type=Path, required=True, help="DuckDB file to write (replaced)")
    parser.add_argument("--centroids", type=float, nargs="+", required=True)
    args = parser.parse_args(argv)
    for stale in (args.db, args.db.with_name(args.db.name + ".wal")):
        stale.unlink(missing_ok=True)
    json.dump(run(args.input, args.db, args.centroids), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

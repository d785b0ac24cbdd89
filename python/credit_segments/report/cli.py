"""The command line: ``python -m credit_segments.report --out reports/credit_segments.html``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from credit_segments.errors import CreditSegmentsError
from credit_segments.report.page import write_report
from credit_segments.warehouse import warehouse_path

DEFAULT_OUT = Path("reports/credit_segments.html")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the credit segments HTML report.")
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="DuckDB warehouse (default: $CREDIT_SEGMENTS_DB or credit_segments.duckdb)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output HTML (default {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    try:
        out = write_report(warehouse_path(args.db), args.out)
    except CreditSegmentsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    size_mb = out.stat().st_size / 1e6
    print(f"report written to {out} ({size_mb:.1f} MB); open {out.resolve().as_uri()}")
    return 0

"""Generate customer files in the ``credit_scoring.csv`` schema.

The demo sample in ``data/`` is made by this module, and so are the inputs of the tests and
benchmarks. Output is deterministic for a given seed and row count.

    python -m credit_segments.sample_data --rows 1000 --out data/credit_scoring_sample.csv
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

# Payment History is a 0-100 percentage scaled by 200/7, as in the classic file.
PAYMENT_HISTORY_SCALE = 200 / 7

COLUMNS = (
    "Age",
    "Gender",
    "Marital Status",
    "Education Level",
    "Employment Status",
    "Credit Utilization Ratio",
    "Payment History",
    "Number of Credit Accounts",
    "Loan Amount",
    "Interest Rate",
    "Loan Term",
    "Type of Loan",
)
CUSTOMER_ID_COLUMN = "Customer ID"

_CATEGORIES: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "Gender": (("Male", "Female"), (0.5, 0.5)),
    "Marital Status": (("Single", "Married", "Divorced", "Widowed"), (0.35, 0.45, 0.15, 0.05)),
    "Education Level": (("High School", "Bachelor", "Master", "PhD"), (0.35, 0.35, 0.22, 0.08)),
    "Employment Status": (("Employed", "Self-Employed", "Unemployed"), (0.65, 0.2, 0.15)),
    "Type of Loan": (("Personal Loan", "Auto Loan", "Home Loan"), (0.4, 0.35, 0.25)),
}
_LOAN_TERMS = np.array([12, 24, 36, 48, 60])


@dataclass(frozen=True)
class SampleSpec:
    """What to generate."""

    rows: int
    seed: int = 42
    with_customer_id: bool = False
    chunk_rows: int = 1_000_000


def _chunk(rng: np.random.Generator, first_row: int, rows: int, with_id: bool) -> pa.Table:
    columns: dict[str, pa.Array] = {}
    if with_id:
        ids = np.arange(first_row + 1, first_row + rows + 1)
        columns[CUSTOMER_ID_COLUMN] = pa.array(np.char.add("C", np.char.zfill(ids.astype(str), 9)))
    columns["Age"] = pa.array(rng.integers(18, 76, rows))
    for name in ("Gender", "Marital Status", "Education Level", "Employment Status"):
        values, probabilities = _CATEGORIES[name]
        columns[name] = pa.array(np.asarray(values)[rng.choice(len(values), rows, p=probabilities)])
    columns["Credit Utilization Ratio"] = pa.array(np.round(rng.beta(2.0, 3.5, rows), 2))
    on_time_pct = rng.beta(6.0, 1.8, rows) * 100
    columns["Payment History"] = pa.array(np.round(on_time_pct * PAYMENT_HISTORY_SCALE))
    columns["Number of Credit Accounts"] = pa.array(rng.integers(1, 11, rows))
    loan = np.clip(np.round(rng.lognormal(10.5, 0.9, rows), -2), 1_000, 2_000_000)
    columns["Loan Amount"] = pa.array(loan.astype(np.int64))
    columns["Interest Rate"] = pa.array(np.round(rng.uniform(1.5, 19.5, rows), 2))
    columns["Loan Term"] = pa.array(_LOAN_TERMS[rng.integers(0, len(_LOAN_TERMS), rows)])
    values, probabilities = _CATEGORIES["Type of Loan"]
    columns["Type of Loan"] = pa.array(
        np.asarray(values)[rng.choice(len(values), rows, p=probabilities)]
    )
    return pa.table(columns)


def generate(spec: SampleSpec) -> Iterator[pa.Table]:
    """Yield the sample in chunks of at most ``spec.chunk_rows`` rows."""
    rng = np.random.default_rng(spec.seed)
    for first_row in range(0, spec.rows, spec.chunk_rows):
        rows = min(spec.chunk_rows, spec.rows - first_row)
        yield _chunk(rng, first_row, rows, spec.with_customer_id)


def write_sample(spec: SampleSpec, out: Path, progress: bool = False) -> Path:
    """Write the sample to ``out``; the format follows the suffix (.csv or .parquet)."""
    suffix = out.suffix.lower()
    if suffix not in {".csv", ".parquet"}:
        raise ValueError(f"unsupported output format '{out.suffix}': use .csv or .parquet")
    out.parent.mkdir(parents=True, exist_ok=True)
    writer: pa_csv.CSVWriter | pq.ParquetWriter | None = None
    written = 0
    try:
        for table in generate(spec):
            if writer is None:
                writer = (
                    pa_csv.CSVWriter(out, table.schema)
                    if suffix == ".csv"
                    else pq.ParquetWriter(out, table.schema, compression="zstd")
                )
            writer.write_table(table)
            written += table.num_rows
            if progress:
                print(f"  wrote {written:,} / {spec.rows:,} rows", file=sys.stderr)
    finally:
        if writer is not None:
            writer.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000, help="number of customers (default 1000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--out", type=Path, required=True, help="output .csv or .parquet path")
    parser.add_argument(
        "--customer-id", action="store_true", help=f"add a '{CUSTOMER_ID_COLUMN}' column"
    )
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    spec = SampleSpec(rows=args.rows, seed=args.seed, with_customer_id=args.customer_id)
    try:
        # one line per chunk written, whenever there is more than one chunk
        write_sample(spec, args.out, progress=args.rows > spec.chunk_rows)
    except ValueError as err:
        parser.error(str(err))
    print(f"wrote {args.rows:,} customers to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

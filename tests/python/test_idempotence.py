"""Idempotence: the same file gives the same bytes, and a failed build keeps the last good tables.

The main job (`python -m credit_segments.cli build`, what `make run` calls) runs twice on one
file with a few bad rows; each mart is exported as it stands (`COPY mart TO`, no ORDER BY) to CSV and
compared byte by byte.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from credit_segments.sample_data import SampleSpec, write_sample
from support.dbt import cli_build

pytestmark = pytest.mark.dbt

# The marts a user exports, as a plain `COPY mart TO ...` does: in the order they were written.
EXPORTS = [
    "customer_segments",
    "segment_summary",
    "rejected_customers",
    "data_quality_summary",
    "input_profile",
    "segment_comparison",
    "segment_fairness",
    "segment_score_distribution",
    "loan_amount_distribution",
    "input_correlations",
]
BAD_ROWS = 30  # of 3,000: 1 %, under the 5 % threshold


@dataclass(frozen=True)
class Build:
    workdir: Path
    exports: dict[str, bytes]
    output: str


def export_marts(workdir: Path, label: str) -> dict[str, bytes]:
    out = {}
    with duckdb.connect(str(workdir / "warehouse.duckdb"), read_only=True) as con:
        for table in EXPORTS:
            path = workdir / f"{label}_{table}.csv"
            con.execute(f"copy {table} to '{path}' (header)")
            out[table] = path.read_bytes()
    return out


def _build(workdir: Path, input_path: Path, label: str) -> Build:
    result = cli_build(workdir, input_path)
    assert result.returncode == 0, result.stdout + result.stderr
    return Build(workdir, export_marts(workdir, label), result.stdout)


@pytest.fixture(scope="module")
def input_with_bad_rows(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("idempotence_input")
    clean = write_sample(SampleSpec(rows=3000, seed=13, with_customer_id=True), directory / "c.csv")
    with clean.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    column = header.index("Payment History")
    for row in rows[:: len(rows) // BAD_ROWS][:BAD_ROWS]:
        row[column] = "n/a"
    path = directory / "customers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


@pytest.fixture(scope="module")
def first_and_second(tmp_path_factory, input_with_bad_rows) -> tuple[Build, Build]:
    workdir = tmp_path_factory.mktemp("idempotence")
    return _build(workdir, input_with_bad_rows, "first"), _build(
        workdir, input_with_bad_rows, "second"
    )


def test_the_main_job_runs_the_data_tests_but_not_the_unit_tests(first_and_second):
    """Unit tests check the SQL on fixtures, so `make test` runs them, not every production build."""
    first, _ = first_and_second
    assert " START test unique_customer_segments_customer_id " in first.output
    assert " START unit_test " not in first.output
    # the seeds' own checks are CI's (make test): the same on every input file
    assert " START test unique_fico_bands_band_rank " not in first.output


def test_the_export_is_not_trivially_equal(first_and_second):
    first, _ = first_and_second
    assert first.exports["customer_segments"].count(b"\n") == 3000 - BAD_ROWS + 1
    assert first.exports["rejected_customers"].count(b"\n") == BAD_ROWS + 1
    assert first.exports["segment_summary"].count(b"\n") == 5 + 1


@pytest.mark.parametrize("table", EXPORTS)
def test_building_twice_gives_byte_identical_marts(first_and_second, table):
    first, second = first_and_second
    assert first.exports[table] == second.exports[table]


def test_a_fresh_warehouse_gives_the_same_bytes(first_and_second, input_with_bad_rows, tmp_path):
    first, _ = first_and_second
    fresh = _build(tmp_path, input_with_bad_rows, "fresh")
    assert fresh.exports == first.exports


def test_a_failed_build_keeps_the_last_good_segments(first_and_second, tmp_path):
    first, _ = first_and_second
    garbage = tmp_path / "garbage.csv"
    garbage.write_text(
        "Payment History,Credit Utilization Ratio,Number of Credit Accounts,"
        "Education Level,Employment Status\n" + "n/a,lots,many,Kindergarten,Retired\n" * 40,
        encoding="utf-8",
    )
    result = cli_build(first.workdir, garbage)
    assert result.returncode != 0
    assert "error: Too many input rows rejected: 40 of 40" in result.stderr
    # a new file is no new dbt var (it travels as CREDIT_SEGMENTS_INPUT): the parse is reused
    assert "Unable to do partial parsing" not in result.stdout

    after = export_marts(first.workdir, "after_failure")
    assert after["customer_segments"] == first.exports["customer_segments"]
    assert after["segment_summary"] == first.exports["segment_summary"]
    # every mart keeps the last good build; the failed file's rejected rows are in the table the
    # error names
    assert after == first.exports
    assert "table int_customers__rejected" in result.stderr
    with duckdb.connect(str(first.workdir / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from int_customers__rejected").fetchone() == (40,)

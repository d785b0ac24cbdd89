"""The sample generator: schema, plausible ranges, determinism, formats."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from credit_segments.sample_data import COLUMNS, CUSTOMER_ID_COLUMN, SampleSpec, main, write_sample

pytestmark = pytest.mark.unit


def read(path: Path) -> duckdb.DuckDBPyRelation:
    return duckdb.connect().sql(f"select * from '{path}'")


def test_same_seed_writes_the_same_file(tmp_path):
    first = write_sample(SampleSpec(rows=500, seed=5), tmp_path / "a.csv")
    second = write_sample(SampleSpec(rows=500, seed=5), tmp_path / "b.csv")
    other = write_sample(SampleSpec(rows=500, seed=6), tmp_path / "c.csv")
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_chunking_does_not_change_the_rows_count_or_schema(tmp_path):
    out = write_sample(SampleSpec(rows=2500, seed=1, chunk_rows=1000), tmp_path / "x.parquet")
    relation = read(out)
    assert relation.columns == list(COLUMNS)
    assert relation.shape[0] == 2500


def test_values_are_in_the_classic_files_domains(tmp_path):
    out = write_sample(SampleSpec(rows=20_000, seed=2, with_customer_id=True), tmp_path / "s.csv")
    row = (
        duckdb.connect()
        .execute(
            f"""
        select
            min("Payment History"), max("Payment History"),
            min("Credit Utilization Ratio"), max("Credit Utilization Ratio"),
            min("Number of Credit Accounts"), max("Number of Credit Accounts"),
            min("Age"), max("Age"),
            count(distinct "{CUSTOMER_ID_COLUMN}"), count(*)
        from '{out}'
        """
        )
        .fetchone()
    )
    assert row[0] >= 0 and row[1] <= 2857
    assert row[2] >= 0 and row[3] <= 1
    assert (row[4], row[5]) == (1, 10)
    assert row[6] >= 18 and row[7] <= 120
    assert row[8] == row[9] == 20_000


def test_csv_and_parquet_hold_the_same_rows(tmp_path):
    spec = SampleSpec(rows=300, seed=9)
    csv = write_sample(spec, tmp_path / "s.csv")
    parquet = write_sample(spec, tmp_path / "s.parquet")
    assert read(csv).fetchall() == read(parquet).fetchall()


def test_cli_rejects_unknown_formats(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--rows", "10", "--out", str(tmp_path / "s.xlsx")])
    assert "use .csv or .parquet" in capsys.readouterr().err

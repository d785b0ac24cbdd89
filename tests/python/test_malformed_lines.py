"""Lines that do not split into the header's columns are quarantined, never fatal.

A line with an unquoted comma, a field too few or a cut-off last line goes to `rejected_customers`
with reason `malformed_line`, its line number and its text, through the command `make run` calls.
Every data line of the file is still accounted for, and the rows after a malformed line keep
their position in the file.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from credit_segments.sample_data import SampleSpec, write_sample
from support.dbt import cli_build, the_error_line

pytestmark = pytest.mark.dbt

ROWS = 30_000  # DuckDB sniffs the first 20,480 rows: one malformed line lies past them
EXTRA_FIELD_ROW = 10  # data row numbers, from 1
FIELD_TOO_FEW_ROW = 25_000
NEGATIVE_ZERO_ROW = 12


@dataclass(frozen=True)
class MalformedBuild:
    lines: list[str]  # the file's lines, the header first
    db_path: Path

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.execute(sql).fetchall()


def _data_lines(rows: int, seed: int, tmp: Path) -> list[str]:
    return write_sample(SampleSpec(rows=rows, seed=seed), tmp).read_text("utf-8").splitlines()


@pytest.fixture(scope="module")
def malformed_build(tmp_path_factory: pytest.TempPathFactory) -> MalformedBuild:
    workdir = tmp_path_factory.mktemp("malformed")
    lines = _data_lines(ROWS, 21, workdir / "clean.csv")
    header = next(csv.reader([lines[0]]))
    lines[EXTRA_FIELD_ROW] += ",stray"
    lines[FIELD_TOO_FEW_ROW] = lines[FIELD_TOO_FEW_ROW].rsplit(",", 3)[0]
    negative_zero = next(csv.reader([lines[NEGATIVE_ZERO_ROW]]))
    negative_zero[header.index("Loan Amount")] = "-0"
    lines[NEGATIVE_ZERO_ROW] = ",".join(negative_zero)
    lines.append(lines[5][:15])  # cut off inside a quoted field, and no final newline
    path = workdir / "customers.csv"
    path.write_text("\n".join(lines), encoding="utf-8")

    result = cli_build(workdir, path)
    assert result.returncode == 0, result.stdout + result.stderr
    return MalformedBuild(lines=lines, db_path=workdir / "warehouse.duckdb")


def test_each_malformed_line_is_quarantined_with_its_line_number_and_text(malformed_build):
    rows = malformed_build.query(
        "select source_row_number, source_line_number, rejection_reason_codes, malformed_line "
        "from rejected_customers order by source_row_number"
    )
    last_row = len(malformed_build.lines) - 1
    assert rows == [
        (row, row + 1, ["malformed_line"], malformed_build.lines[row])
        for row in (EXTRA_FIELD_ROW, FIELD_TOO_FEW_ROW, last_row)
    ]


def test_every_data_line_is_segmented_or_rejected(malformed_build):
    [(segmented, rejected, overlap)] = malformed_build.query(
        "select (select count(*) from customer_segments), (select count(*) from rejected_customers),"
        " (select count(*) from customer_segments inner join rejected_customers using"
        " (source_row_number))"
    )
    assert (segmented + rejected, rejected, overlap) == (len(malformed_build.lines) - 1, 3, 0)


@pytest.mark.parametrize("row", [EXTRA_FIELD_ROW + 1, FIELD_TOO_FEW_ROW - 1, FIELD_TOO_FEW_ROW + 1])
def test_rows_around_a_malformed_line_keep_their_position_in_the_file(malformed_build, row):
    header = next(csv.reader([malformed_build.lines[0]]))
    values = dict(zip(header, next(csv.reader([malformed_build.lines[row]])), strict=True))
    [(customer_id, payment_history, loan_type)] = malformed_build.query(
        "select customer_id, payment_history, loan_type from customer_segments "
        f"where source_row_number = {row}"
    )
    assert customer_id == f"row-{row}"
    assert payment_history == float(values["Payment History"])
    assert loan_type == values["Type of Loan"]


def test_negative_zero_is_stored_as_zero(malformed_build):
    [(text,)] = malformed_build.query(
        "select cast(loan_amount as varchar) from customer_segments "
        f"where source_row_number = {NEGATIVE_ZERO_ROW}"
    )
    assert text == "0.0"


def test_malformed_lines_count_against_the_rejection_threshold(tmp_path):
    lines = _data_lines(200, 22, tmp_path / "clean.csv")
    for row in range(1, 201, 10):  # 20 of 200: 10 %
        lines[row] += ",stray"
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = the_error_line(cli_build(tmp_path, path))
    assert "Too many input rows rejected: 20 of 200 (10.0%)" in line


def test_a_broken_header_stops_with_one_line(tmp_path):
    lines = _data_lines(50, 23, tmp_path / "clean.csv")
    lines[0] = lines[0].rsplit(",", 1)[0]  # a column name lost: every row has a field too many
    path = tmp_path / "header.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = the_error_line(cli_build(tmp_path, path))
    assert "has a header of 11 columns, but none of its lines splits into as many fields" in line
    assert "Check the header line" in line


def test_a_european_export_is_named_with_its_fix(tmp_path):
    lines = _data_lines(200, 24, tmp_path / "clean.csv")
    rows = list(csv.reader(lines))
    path = tmp_path / "european.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(rows[0])
        writer.writerows([value.replace(".", ",") for value in row] for row in rows[1:])
    line = the_error_line(cli_build(tmp_path, path))
    assert "Too many input rows rejected" in line
    assert "decimal comma" in line
    assert "decimal_separator = ','" in line


def test_a_glob_of_several_csv_files_stops_with_one_line(tmp_path):
    for name in ("a.csv", "b.csv"):
        write_sample(SampleSpec(rows=20, seed=25), tmp_path / name)
    line = the_error_line(cli_build(tmp_path, tmp_path / "*.csv"))
    assert "matches 2 CSV files" in line
    assert "export them as Parquet" in line

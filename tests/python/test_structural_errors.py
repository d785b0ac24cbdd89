"""Structural problems, through the commands a user runs: one `error:` line, no traceback.

Each case runs `python -m credit_segments.cli build` (what `make build` and `make run` call) or the
report command in a child process; two go through `make` itself.
"""

from __future__ import annotations

import csv
import os
import zipfile
from pathlib import Path

import duckdb
import pytest

from credit_segments.cli import DbtEvent, FailureCollector
from credit_segments.sample_data import SampleSpec, write_sample
from support.dbt import cli_build, run_dbt, run_report, the_error_line

pytestmark = pytest.mark.dbt


@pytest.fixture(scope="module")
def clean_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(SampleSpec(rows=200, seed=8), tmp_path_factory.mktemp("clean") / "in.csv")


def _rewrite_header(source: Path, target: Path, header: list[str]) -> Path:
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text(",".join(header) + "\n" + "".join(lines[1:]), encoding="utf-8")
    return target


def _header(source: Path) -> list[str]:
    with source.open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def test_missing_input_path(tmp_path):
    line = the_error_line(cli_build(tmp_path, tmp_path / "nowhere.csv"))
    assert "nowhere.csv' does not exist" in line
    assert "INPUT=" in line


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "is empty (0 bytes)" in the_error_line(cli_build(tmp_path, empty))


def test_header_but_no_rows(tmp_path, clean_csv):
    header_only = tmp_path / "header.csv"
    header_only.write_text(",".join(_header(clean_csv)) + "\n", encoding="utf-8")
    assert "has a header but no data rows" in the_error_line(cli_build(tmp_path, header_only))


def test_required_column_missing(tmp_path, clean_csv):
    dropped = tmp_path / "dropped.parquet"
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * exclude (\"Number of Credit Accounts\") from read_csv('{clean_csv}')) "
            f"to '{dropped}'"
        )
    line = the_error_line(cli_build(tmp_path, dropped))
    assert "has no column 'Number of Credit Accounts'" in line
    assert (
        "The score needs 'Education Level', 'Employment Status', 'Credit Utilization Ratio', "
        "'Payment History', 'Number of Credit Accounts'"
    ) in line


def test_required_column_misspelled(tmp_path, clean_csv):
    header = [
        "Payment Histroy" if name == "Payment History" else name for name in _header(clean_csv)
    ]
    misspelled = _rewrite_header(clean_csv, tmp_path / "misspelled.csv", header)
    line = the_error_line(cli_build(tmp_path, misspelled))
    assert "has no column 'Payment History'" in line
    assert "Found: " in line and "'Payment Histroy'" in line


@pytest.mark.parametrize("name", ["customers.xlsx", "customers"])
def test_file_that_is_not_csv_or_parquet_by_name(tmp_path, name):
    other = tmp_path / name
    other.write_text('{"a": 1}', encoding="utf-8")
    assert "is not CSV or Parquet" in the_error_line(cli_build(tmp_path, other))


def test_csv_content_named_parquet(tmp_path, clean_csv):
    renamed = tmp_path / "customers.parquet"
    renamed.write_bytes(clean_csv.read_bytes())
    line = the_error_line(cli_build(tmp_path, renamed))
    assert "customers.parquet' cannot be read" in line
    assert "UTF-8 CSV file with a header row, or a Parquet file" in line


def test_spreadsheet_named_csv(tmp_path):
    spreadsheet = tmp_path / "customers.csv"
    with zipfile.ZipFile(spreadsheet, "w") as archive:  # what an .xlsx is inside
        archive.writestr("xl/workbook.xml", "<workbook/>" * 50)
    assert "customers.csv' cannot be read" in the_error_line(cli_build(tmp_path, spreadsheet))


def test_warehouse_locked_during_build(tmp_path, clean_csv):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")):  # another process's writer
        line = the_error_line(cli_build(tmp_path, clean_csv))
    assert "is in use by another process" in line
    assert f"PID {os.getpid()}" in line


def test_warehouse_locked_during_report(tmp_path):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")):
        result = run_report(tmp_path)
    assert "is locked by another process" in the_error_line(result)


@pytest.mark.parametrize(
    ("warehouse", "expected"),
    [("missing", "No warehouse at"), ("without marts", "lacks the marts")],
)
def test_report_before_any_build(tmp_path, warehouse, expected):
    if warehouse == "without marts":
        duckdb.connect(str(tmp_path / "warehouse.duckdb")).close()
    line = the_error_line(run_report(tmp_path))
    assert expected in line
    assert "make run" in line


def test_one_valid_customer_is_named_in_the_singular(tmp_path, clean_csv):
    lines = clean_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    one = tmp_path / "one.csv"
    one.write_text("".join(lines[:2]), encoding="utf-8")
    assert "Only 1 valid customer, fewer than var segment_count = 5" in the_error_line(
        cli_build(tmp_path, one)
    )


@pytest.mark.parametrize(
    ("bad_vars", "expected"),
    [
        ({"credit_utilization_scale": 0}, "var credit_utilization_scale must be a positive number"),
        (
            {"credit_utilization_scale": "abc"},
            "var credit_utilization_scale must be a positive number",
        ),
        ({"payment_history_max": 0}, "var payment_history_max must be a positive number"),
    ],
)
def test_a_bad_scoring_setting_stops_before_any_model_and_names_itself(
    tmp_path, clean_csv, bad_vars, expected
):
    # each used to reach SQL: every row rejected, a cast of -nan, or 'abc' bound as a column
    result = cli_build(tmp_path, clean_csv, bad_vars)
    line = the_error_line(result)
    assert expected in line
    (value,) = bad_vars.values()
    assert f"got {value!r}." in line if isinstance(value, str) else f"got {value}." in line
    assert " START " not in result.stdout  # no model ran


def test_fewer_valid_customers_than_segments(tmp_path, clean_csv):
    lines = clean_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    three = tmp_path / "three.csv"
    three.write_text("".join(lines[:4]), encoding="utf-8")
    result = cli_build(tmp_path, three)
    line = the_error_line(result)
    assert "Only 3 valid customers, fewer than var segment_count = 5" in line
    assert "Lower segment_count" in line
    # dbt's usual progress is still shown
    assert "ERROR creating sql table model main.int_customers__quality_gate" in result.stdout


def test_mostly_garbage_file_stops_before_segmenting(tmp_path, clean_csv):
    lines = clean_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    garbage = tmp_path / "garbage.csv"
    # every third data row keeps its values; the others get a Payment History of 'n/a'
    header, rows = _header(clean_csv), list(csv.reader(lines[1:]))
    column = header.index("Payment History")
    for number, row in enumerate(rows):
        if number % 3:
            row[column] = "n/a"
    with garbage.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    rejected = sum(1 for number in range(len(rows)) if number % 3)
    line = the_error_line(cli_build(tmp_path, garbage))
    assert f"Too many input rows rejected: {rejected} of {len(rows)}" in line
    assert "max_rejected_share" in line


def test_plain_dbt_build_names_a_bad_var(tmp_path, clean_csv):
    # every var's rule is tried in test_project_vars.py; this is the path of a plain `dbt build`
    run = run_dbt(tmp_path, clean_csv, "build", extra_vars={"reason_code_limit": 7})
    assert run.result.returncode != 0
    assert "var reason_code_limit must be a whole number from 1 to 4" in run.output
    assert "Traceback" not in run.output


def test_plain_dbt_build_shows_the_same_message(tmp_path):
    run = run_dbt(tmp_path, tmp_path / "nowhere.csv", "build")
    assert run.result.returncode != 0
    assert "nowhere.csv' does not exist" in run.output


@pytest.mark.parametrize(
    ("make_input", "expected"),
    [("nowhere.csv", "does not exist"), ("header.csv", "has a header but no data rows")],
)
def test_make_build_ends_with_one_clear_line(tmp_path, clean_csv, make_input, expected, run_make):
    (tmp_path / "header.csv").write_text(",".join(_header(clean_csv)) + "\n", encoding="utf-8")
    result = run_make(tmp_path, "build", f"INPUT={tmp_path / make_input}")
    assert expected in the_error_line(result)


# --- the message extraction itself, on dbt events captured from real failures ---------------


def _event(name: str, **data) -> DbtEvent:
    return DbtEvent(name=name, level="error", msg="", timestamp="", data=data)


def test_an_exception_in_the_python_model_becomes_its_message():
    collector = FailureCollector()
    collector.add(
        _event(
            "RunResultFailure",
            resource_type="model",
            node_name="int_segments__kmeans",
        )
    )
    collector.add(
        _event(
            "RunResultError",
            msg=(
                "Runtime Error in model int_segments__kmeans (models/intermediate/x.py)\n"
                "  Python model failed:\n  Traceback (most recent call last):\n"
                '    File "clustering.py", line 102, in fit_segments\n'
                "  credit_segments.errors.InsufficientDataError: Only 3 valid customers, "
                "fewer than segment_count = 5. Lower var segment_count."
            ),
        )
    )
    assert collector.messages == [
        "Only 3 valid customers, fewer than segment_count = 5. Lower var segment_count."
    ]


def test_a_failed_data_test_names_the_test_and_says_it_is_not_bad_input():
    collector = FailureCollector()
    collector.add(_event("RunResultFailure", resource_type="test", node_name="not_null_x_y"))
    collector.add(_event("RunResultError", msg="Got 3 results, configured to fail if != 0"))
    [message] = collector.messages
    assert message.startswith("test not_null_x_y failed: Got 3 results")
    assert "rejected_customers" in message  # says why input rows are not the cause


def test_file_not_in_utf8(tmp_path, clean_csv):
    text = clean_csv.read_text(encoding="utf-8").replace("Home Loan", "Home Loan élite")
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(text.encode("latin-1"))
    line = the_error_line(cli_build(tmp_path, latin))
    first = next(n for n, text_line in enumerate(text.splitlines(), 1) if "élite" in text_line)
    assert f"latin1.csv' cannot be read: line {first} is not utf-8 encoded" in line

"""The warehouse records each build, and the report describes exactly one: the one its tables hold.

Two builds through the main job (`python -m credit_segments.cli build`, what `make build` runs) on
one warehouse: a good file with a few bad rows, then a file with 10 % bad rows that the quality
gate stops. Then the report, as `make report` runs it (`python -m credit_segments.report`).
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from credit_segments.build_record import (
    BuildHistory,
    BuildRecord,
    failure_text,
    warning_text,
)
from credit_segments.sample_data import SampleSpec, write_sample
from support.dbt import (
    cli_build,
    cli_command,
    run_report,
    shared_parse,
    workdir_args,
    workdir_env,
)

pytestmark = pytest.mark.dbt

ROWS = 1000
GOOD_FILE_BAD_ROWS = 20  # 2 %: under max_rejected_share, so the first build passes
BAD_FILE_BAD_ROWS = 100  # 10 %: the quality gate stops the second build
INPUT_MARTS = {
    "rejected_customers": "source_row_number",
    "data_quality_summary": "reason_code",
    "input_profile": "column_position",
}


def _with_bad_rows(path: Path, seed: int, bad_rows: int) -> Path:
    """Generated customers with ids; every (ROWS / bad_rows)-th row lacks a number of accounts."""
    write_sample(SampleSpec(rows=ROWS, seed=seed, with_customer_id=True), path)
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    column = header.index("Number of Credit Accounts")
    for row in rows[:: ROWS // bad_rows]:
        row[column] = "many"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def _rows(db_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _wait_until_unlocked(db_path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            duckdb.connect(str(db_path), read_only=True).close()
            return
        except duckdb.IOException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _element_text(page: str, element_id: str) -> str:
    """The text of the element with this id (no nested element of the same tag)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', page, flags=re.DOTALL)
    assert match, f"no element #{element_id}"
    return html.unescape(re.sub(r"<[^>]+>", " ", match[2]))


@dataclass(frozen=True)
class TwoBuilds:
    workdir: Path
    good_file: Path
    bad_file: Path
    marts_after_good_build: dict[str, list[tuple]]
    failed_build: subprocess.CompletedProcess[str]
    page: str

    @property
    def db_path(self) -> Path:
        return self.workdir / "warehouse.duckdb"


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> TwoBuilds:
    workdir = tmp_path_factory.mktemp("build_record")
    good_file = _with_bad_rows(workdir / "september book.csv", seed=21, bad_rows=GOOD_FILE_BAD_ROWS)
    # a quote in the name: the build log stores paths as SQL literals
    bad_file = _with_bad_rows(workdir / "october's book.csv", seed=22, bad_rows=BAD_FILE_BAD_ROWS)
    good = cli_build(workdir, good_file, {"as_of": "2026-09-30", "segment_count": 4})
    assert good.returncode == 0, good.stdout + good.stderr
    marts = {
        table: _rows(workdir / "warehouse.duckdb", f"select * from {table} order by {order}")
        for table, order in INPUT_MARTS.items()
    }
    failed = cli_build(workdir, bad_file, {"as_of": "2026-10-31"})
    assert failed.returncode != 0
    report = run_report(workdir, "report.html")
    assert report.returncode == 0, report.stderr
    page = (workdir / "report.html").read_text(encoding="utf-8")
    return TwoBuilds(workdir, good_file, bad_file, marts, failed, page)


def test_a_failed_build_publishes_none_of_the_input_marts(two_builds: TwoBuilds):
    assert len(two_builds.marts_after_good_build["rejected_customers"]) == GOOD_FILE_BAD_ROWS
    for table, order in INPUT_MARTS.items():
        after = _rows(two_builds.db_path, f"select * from {table} order by {order}")
        assert after == two_builds.marts_after_good_build[table], f"{table} changed"


def test_the_failed_files_rejected_rows_are_where_the_error_says(two_builds: TwoBuilds):
    error = two_builds.failed_build.stderr.strip().splitlines()[-1]
    assert error.startswith("error: Too many input rows rejected: 100 of 1000 (10.0%)")
    assert "table int_customers__rejected" in error
    rows = _rows(two_builds.db_path, "select customer_id from int_customers__rejected")
    with two_builds.bad_file.open(newline="", encoding="utf-8") as handle:
        bad_ids = {row["Customer ID"] for row in csv.DictReader(handle) if row[
            "Number of Credit Accounts"] == "many"}  # fmt: skip
    assert {customer_id for (customer_id,) in rows} == bad_ids
    assert len(bad_ids) == BAD_FILE_BAD_ROWS


def test_the_build_log_records_each_build_with_its_settings_and_counts(two_builds: TwoBuilds):
    rows = _rows(
        two_builds.db_path,
        """
        select input_path, dbt_command, node_selection, status, finished_at is not null,
               cast(as_of as varchar), score_method, segment_count, segmentation_features,
               input_row_count, segmented_row_count, rejected_row_count, failed_nodes,
               rebuilt_marts like '%customer_segments%'
        from build_log order by started_at
        """,
    )
    assert rows == [
        # make build's selector main_job builds the whole project: no partial selection
        (str(two_builds.good_file), "build", None, "success", True, "2026-09-30 00:00:00",
         "fico", 4, "score", ROWS, ROWS - GOOD_FILE_BAD_ROWS, GOOD_FILE_BAD_ROWS, None, True),
        (str(two_builds.bad_file), "build", None, "failed", True, "2026-10-31 00:00:00",
         "fico", 5, "score", ROWS, None, BAD_FILE_BAD_ROWS, "model int_customers__quality_gate",
         None),
    ]  # fmt: skip
    [(message,)] = _rows(
        two_builds.db_path, "select error_message from build_log where status = 'failed'"
    )
    assert "Too many input rows rejected: 100 of 1000 (10.0%)" in message


def test_the_report_describes_the_published_build(two_builds: TwoBuilds):
    record = _element_text(two_builds.page, "build-record")
    assert str(two_builds.good_file) in record
    assert "2026-09-30" in record
    assert "fico" in record
    assert "k = 4" in record
    assert str(two_builds.bad_file) not in record
    counts = [
        _element_text(two_builds.page, kpi)
        for kpi in ("input-rows", "segmented-rows", "rejected-rows")
    ]
    assert counts == ["1,000", f"{ROWS - GOOD_FILE_BAD_ROWS:,}", f"{GOOD_FILE_BAD_ROWS}"]


def test_the_report_says_the_last_build_failed_and_why(two_builds: TwoBuilds):
    page = two_builds.page
    assert page.index('id="build-warning"') < page.index("<h1>")  # at the top
    warning = " ".join(_element_text(page, "build-warning").split())
    assert warning.startswith(f"The last build (file {two_builds.bad_file}, started ")
    assert (
        ") failed in model int_customers__quality_gate: Too many input rows rejected: 100 of 1000"
        in warning
    )
    assert (
        f"The tables and this report are from the build of file {two_builds.good_file}, started "
        in warning
    )


def test_an_interrupted_build_makes_the_report_say_so(two_builds: TwoBuilds, tmp_path: Path):
    shutil.copy(two_builds.db_path, tmp_path / "warehouse.duckdb")
    command = [*cli_command(two_builds.good_file), *workdir_args(tmp_path)]
    with shared_parse(tmp_path / "target", None), subprocess.Popen(
        command, cwd=tmp_path, env=workdir_env(two_builds.good_file), stdout=subprocess.PIPE,
        text=True, start_new_session=True,
    ) as build:  # fmt: skip
        assert build.stdout is not None
        # the run is recorded before the first model starts; kill the build there, as kill -9 would
        for line in build.stdout:
            if " START sql " in line:
                os.killpg(build.pid, signal.SIGKILL)
                break
        build.wait()
    assert build.returncode != 0
    _wait_until_unlocked(tmp_path / "warehouse.duckdb")  # the killed dbt releases it as it exits
    [(status, finished)] = _rows(
        tmp_path / "warehouse.duckdb",
        "select status, finished_at from build_log order by started_at desc limit 1",
    )
    assert (status, finished) == ("running", None)
    report = run_report(tmp_path, "report.html")
    assert report.returncode == 0, report.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    warning = " ".join(_element_text(page, "build-warning").split())
    assert f"The last build (file {two_builds.good_file}, started " in warning
    assert "was interrupted" in warning
    assert f"the others are from the build of file {two_builds.good_file}" in warning


def test_a_warehouse_without_a_build_log_still_renders(two_builds: TwoBuilds, tmp_path: Path):
    shutil.copy(two_builds.db_path, tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute("drop table build_log")
    report = run_report(tmp_path, "report.html")
    assert report.returncode == 0, report.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Build record unavailable" in _element_text(page, "build-record")
    assert 'id="build-warning"' not in page
    # the row counts then come from the marts, which hold the good build
    assert _element_text(page, "input-rows") == "1,000"
    assert _element_text(page, "rejected-rows") == f"{GOOD_FILE_BAD_ROWS}"


def test_a_first_build_that_fails_leaves_no_marts_and_the_report_says_why(
    two_builds: TwoBuilds, tmp_path: Path
):
    failed = cli_build(tmp_path, two_builds.bad_file)
    assert failed.returncode != 0
    report = run_report(tmp_path, "report.html")
    assert report.returncode == 1
    [line] = report.stderr.strip().splitlines()
    assert line.startswith("error: The warehouse ")
    assert f"The last build (file {two_builds.bad_file}, started " in line
    assert "failed: Too many input rows rejected: 100 of 1000" in line


# --- the wording, on hand-made records ---------------------------------------------------------


def _record(**changes: object) -> BuildRecord:
    fields: dict = {
        "invocation_id": "a", "input_path": "book.csv", "dbt_command": "build",
        "node_selection": None, "is_empty_build": False, "status": "success",
        "started_at": pd.Timestamp("2026-10-01 08:00:00"), "as_of": pd.Timestamp("2026-09-30"),
        "score_method": "fico", "segment_count": 5, "segmentation_features": "score",
        "input_row_count": 10, "segmented_row_count": 9, "rejected_row_count": 1,
        "rebuilt_marts": ("customer_segments", "segment_summary"), "failed_nodes": None,
        "error_message": None,
    }  # fmt: skip
    return BuildRecord(**{**fields, **changes})


def test_a_failure_after_some_marts_were_rebuilt_names_them():
    failed = _record(
        invocation_id="b",
        input_path="next.csv",
        status="failed",
        rebuilt_marts=("customer_segments",),
        failed_nodes="test assert_x",
        error_message="Got 3 results, configured to fail if != 0",
    )
    text = warning_text(BuildHistory(is_logged=True, published=_record(), later=failed))
    assert text == (
        "The last build (file next.csv, started 2026-10-01 08:00:00 UTC) failed in test assert_x: "
        "Got 3 results, configured to fail if != 0. It had already rebuilt customer_segments from "
        "its file; the other tables, and this report's row counts, are from the build of file "
        "book.csv, started 2026-10-01 08:00:00 UTC."
    )


def test_a_partial_run_is_named_with_its_selection():
    partial = _record(
        invocation_id="b", dbt_command="run", node_selection="--select segment_summary"
    )
    text = warning_text(BuildHistory(is_logged=True, published=_record(), later=partial))
    assert text is not None
    assert "covered only part of the project (dbt run --select segment_summary)" in text
    assert "It rebuilt customer_segments, segment_summary from its file" in text


def test_no_warning_when_the_last_build_is_the_published_one():
    assert warning_text(BuildHistory(is_logged=True, published=_record())) is None


def test_failure_text_keeps_the_message_a_user_can_act_on():
    dbt_error = (
        "Runtime Error in model int_customers__quality_gate (models/x.sql)\n"
        "  Invalid Input Error: Too many input rows rejected: 66 of 100 (66.0%)."
    )
    assert failure_text(dbt_error) == "Too many input rows rejected: 66 of 100 (66.0%)."
    python_error = (
        "Runtime Error in model m (models/m.py)\n  Traceback (most recent call last):\n"
        '    File "x.py", line 1\n  credit_segments.errors.InsufficientDataError: Only 3 valid customers.'
    )
    assert failure_text(python_error) == "Only 3 valid customers."
    assert failure_text(None) == "no error message was recorded"

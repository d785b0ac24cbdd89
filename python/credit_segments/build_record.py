"""Which build the warehouse's tables come from, read from the build log.

dbt's hooks (macros/build_log.sql) write one row per invocation to the table ``build_log``. The
tables hold the latest successful build or run of the whole project (a build the quality gate or a
check stops publishes nothing); a later build that failed, was interrupted, or covered only a
selection of models is what the report warns about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from credit_segments.errors import DUCKDB_ERROR_LINE, PYTHON_EXCEPTION_LINE

BUILD_LOG = "build_log"  # source('warehouse', 'build_log')
# The commands that rebuild the marts; test, seed and snapshot leave them as they were.
PUBLISHING_COMMANDS = ("build", "run")

_ERROR_HEADER = re.compile(r"^(?:Runtime|Compilation|Database) Error in ")


@dataclass(frozen=True)
class BuildRecord:
    """One row of the build log."""

    invocation_id: str
    input_path: str
    dbt_command: str
    node_selection: str | None
    is_empty_build: bool
    status: str  # running (never finished: interrupted), success or failed
    started_at: pd.Timestamp  # UTC
    as_of: pd.Timestamp | None  # None: an ad-hoc build, which closes no period
    score_method: str | None
    segment_count: int | None
    segmentation_features: str | None
    input_row_count: int | None
    segmented_row_count: int | None
    rejected_row_count: int | None
    rebuilt_marts: tuple[str, ...]
    failed_nodes: str | None
    error_message: str | None

    @property
    def command_text(self) -> str:
        """The command as typed, e.g. `dbt build --empty`."""
        parts = ["dbt", self.dbt_command, "--empty" if self.is_empty_build else ""]
        return " ".join([*filter(None, parts), self.node_selection or ""]).strip()

    @property
    def counts(self) -> tuple[int, int, int] | None:
        """Input, segmented and rejected rows, when this build counted all three."""
        counts = (self.input_row_count, self.segmented_row_count, self.rejected_row_count)
        return None if None in counts else (counts[0], counts[1], counts[2])


@dataclass(frozen=True)
class BuildHistory:
    """What the log says about the tables: the build they come from, and a later one that did
    not replace them all."""

    is_logged: bool = False  # False: the warehouse predates the build log
    published: BuildRecord | None = None  # latest successful build or run of the whole project
    # the latest build or run, when it is not `published`: failed, interrupted or partial
    later: BuildRecord | None = None


def read_build_history(con: duckdb.DuckDBPyConnection) -> BuildHistory:
    """The build log's view of the warehouse; empty when the warehouse has no log."""
    has_log = con.execute(
        "select count(*) from duckdb_tables() where table_name = ? and schema_name = current_schema()",
        [BUILD_LOG],
    ).fetchone()
    if not has_log or not has_log[0]:
        return BuildHistory()
    commands = ", ".join(f"'{command}'" for command in PUBLISHING_COMMANDS)
    publishing = f"from {BUILD_LOG} where dbt_command in ({commands})"
    published = _record(
        con,
        f"select * {publishing} and status = 'success' and node_selection is null"
        " order by started_at desc limit 1",
    )
    latest = _record(con, f"select * {publishing} order by started_at desc limit 1")
    is_published = (
        published is not None
        and latest is not None
        and latest.invocation_id == published.invocation_id
    )
    later = None if is_published else latest
    return BuildHistory(is_logged=True, published=published, later=later)


def _record(con: duckdb.DuckDBPyConnection, sql: str) -> BuildRecord | None:
    rows = con.execute(sql).df()
    if rows.empty:
        return None
    row = rows.iloc[0]

    def value(name: str) -> Any:
        return None if pd.isna(row[name]) else row[name]

    def count(name: str) -> int | None:
        number = value(name)
        return None if number is None else int(number)

    marts = value("rebuilt_marts")
    return BuildRecord(
        invocation_id=str(row.invocation_id),
        input_path=str(row.input_path),
        dbt_command=str(row.dbt_command),
        node_selection=value("node_selection"),
        is_empty_build=bool(row.is_empty_build),
        status=str(row.status),
        started_at=pd.Timestamp(row.started_at),
        as_of=None if value("as_of") is None else pd.Timestamp(row.as_of),
        score_method=value("score_method"),
        segment_count=count("segment_count"),
        segmentation_features=value("segmentation_features"),
        input_row_count=count("input_row_count"),
        segmented_row_count=count("segmented_row_count"),
        rejected_row_count=count("rejected_row_count"),
        rebuilt_marts=tuple(str(marts).split(", ")) if marts else (),
        failed_nodes=value("failed_nodes"),
        error_message=value("error_message"),
    )


def time_text(stamp: pd.Timestamp) -> str:
    return f"{stamp:%Y-%m-%d %H:%M:%S} UTC"


def as_of_text(value: object) -> str:
    """A snapshot date as the report shows it: the day, and the time only when it has one."""
    stamp = pd.Timestamp(value)
    return f"{stamp:%Y-%m-%d}" if stamp == stamp.normalize() else f"{stamp:%Y-%m-%d %H:%M:%S}"


def failure_text(message: str | None) -> str:
    """dbt's error message as a user needs it: without dbt's 'Runtime Error in model ...' line,
    DuckDB's error class or a Python traceback's frames."""
    lines = [line.strip() for line in (message or "").splitlines() if line.strip()]
    if not lines:
        return "no error message was recorded"
    if len(lines) > 1 and _ERROR_HEADER.match(lines[0]):
        lines = lines[1:]
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        # a Python model's exception: its last line carries the message
        return PYTHON_EXCEPTION_LINE.sub(r"\g<message>", lines[-1])
    return DUCKDB_ERROR_LINE.sub(r"\g<message>", " ".join(lines))


def describe(record: BuildRecord) -> str:
    """'file X, started T', the way the report names a build."""
    return f"file {record.input_path}, started {time_text(record.started_at)}"


def warning_text(history: BuildHistory) -> str | None:
    """A plain warning when the latest build is not the one the tables hold; else None."""
    later = history.later
    if later is None:
        return None
    if later.status == "failed":
        where = f" in {later.failed_nodes}" if later.failed_nodes else ""
        what = f"failed{where}: {failure_text(later.error_message).rstrip('.')}."
    elif later.status == "running":
        what = (
            "was interrupted: it never finished (killed, or stopped before dbt recorded its end)."
        )
    else:
        what = f"covered only part of the project ({later.command_text})."
    source = (
        f"the build of {describe(history.published)}"
        if history.published
        else "an earlier build that the build log does not record"
    )
    if later.status == "running":
        tables = f"Tables it reached may come from it; the others are from {source}."
    elif later.rebuilt_marts:
        verb = "had already rebuilt" if later.status == "failed" else "rebuilt"
        tables = (
            f"It {verb} {', '.join(later.rebuilt_marts)} from its file; the other tables, and "
            f"this report's row counts, are from {source}."
        )
    else:
        tables = f"The tables and this report are from {source}."
    return f"The last build ({describe(later)}) {what} {tables}"

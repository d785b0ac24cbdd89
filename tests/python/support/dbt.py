"""Running dbt, the main job's CLI and make on a test's own warehouse, and reading their output."""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from credit_segments.cli import INPUT_ENV

PROJECT_DIR = Path(__file__).resolve().parents[3]
DBT = Path(sys.executable).with_name("dbt")
# What `make build` builds (selectors.yml): every model and data test, no unit tests. A test that
# builds another file or other vars uses it: the unit tests read fixtures, not the input, and the
# session's plain `dbt build` (fixture built_warehouse) runs them.
MAIN_JOB = ("--selector", "main_job")


@dataclass(frozen=True)
class DbtRun:
    """A finished `dbt` invocation against its own warehouse file."""

    result: subprocess.CompletedProcess[str]
    db_path: Path

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.execute(sql).fetchall()


# Every test's dbt runs in its own directory with the warehouse at the same relative path, and the
# input file in the environment (as `make run` passes it): the rendered profile and the vars are
# then the same for every test, so one test's saved parse serves the next (dbt re-parses only the
# files that read the input path) instead of a full parse per test.
WAREHOUSE = "warehouse.duckdb"
PARSE_CACHE = Path(tempfile.mkdtemp(prefix="credit-segments-parse-"))
atexit.register(shutil.rmtree, PARSE_CACHE, ignore_errors=True)


@contextmanager
def shared_parse(target: Path, dbt_vars: dict | None) -> Iterator[None]:
    """Seed target/ with the saved parse of an earlier run with the same vars; keep the new one."""
    key = hashlib.sha1(json.dumps(dbt_vars or {}, sort_keys=True).encode()).hexdigest()
    cached = PARSE_CACHE / f"{key}.msgpack"
    saved = target / "partial_parse.msgpack"
    if cached.exists() and not saved.exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, saved)
    yield
    if saved.exists():
        shutil.copyfile(saved, cached)


def workdir_args(workdir: Path) -> list[str]:
    """dbt's options that keep a run's target and logs in workdir, on the project."""
    return [
        "--project-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
    ]


def workdir_env(input_path: Path | str) -> dict[str, str]:
    """The environment of a run in its workdir: the project's profile, the warehouse at the same
    relative path as every other test's, and the input file as `make run` passes it."""
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "CREDIT_SEGMENTS_DB": WAREHOUSE,
        INPUT_ENV: str(input_path),
    }


def run_in_workdir(
    workdir: Path, command: list[str], input_path: Path | str, dbt_vars: dict | None
) -> subprocess.CompletedProcess[str]:
    """A dbt command (or the CLI around it) on input_path, with its warehouse, target and logs in
    workdir, the project's profile, and the saved parse of the last run with the same vars."""
    with shared_parse(workdir / "target", dbt_vars):
        return subprocess.run(
            [*command, *workdir_args(workdir)],
            cwd=workdir,
            env=workdir_env(input_path),
            capture_output=True,
            text=True,
            check=False,
        )


def run_dbt(
    workdir: Path, input_path: Path | str, *args: str, extra_vars: dict | None = None
) -> DbtRun:
    """Run `dbt <args>` on input_path with the project's profile, a private DB and target dir."""
    command = [str(DBT), *args]
    if extra_vars:
        command += ["--vars", json.dumps(extra_vars)]
    result = run_in_workdir(workdir, command, input_path, extra_vars)
    return DbtRun(result=result, db_path=workdir / WAREHOUSE)


def cli_command(input_path: Path | str, dbt_vars: dict | None = None) -> list[str]:
    """The build command as the Makefile runs it; dbt's own options follow it."""
    command = [sys.executable, "-m", "credit_segments.cli", "build", "--input", str(input_path)]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    return [*command, "--"]


def cli_build(
    workdir: Path, input_path: Path | str, dbt_vars: dict | None = None
) -> subprocess.CompletedProcess[str]:
    """The build command as the Makefile runs it, on a private warehouse and target dir."""
    return run_in_workdir(workdir, cli_command(input_path, dbt_vars), input_path, dbt_vars)


def project_env(workdir: Path) -> dict[str, str]:
    """The environment the Makefile sets up, with the warehouse in workdir."""
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "CREDIT_SEGMENTS_DB": str(workdir / WAREHOUSE),
    }


def run_report(workdir: Path, name: str = "report.html") -> subprocess.CompletedProcess[str]:
    """`make report`'s command on the warehouse in workdir, writing workdir/name."""
    return subprocess.run(
        [sys.executable, "-m", "credit_segments.report", "--out", str(workdir / name)],
        cwd=PROJECT_DIR,
        env=project_env(workdir),
        capture_output=True,
        text=True,
        check=False,
    )


@dataclass(frozen=True)
class Make:
    """`make <args>` from the project root, as a user runs it.

    dbt's target dir and the warehouse path are the same for every call: dbt keys its saved parse
    on the rendered profile, so a warehouse path per test would make each build parse the whole
    project again. The logs go to the test's workdir.
    """

    target: Path
    warehouse: Path

    def __call__(
        self, workdir: Path, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        environment = {
            **os.environ,
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "CREDIT_SEGMENTS_DB": str(self.warehouse),
            "DBT_TARGET_PATH": str(self.target),
            "DBT_LOG_PATH": str(workdir / "logs"),
            **(env or {}),
        }
        return subprocess.run(
            ["make", "--no-print-directory", *args],
            cwd=PROJECT_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )


RAW_ERROR_MARKERS = (
    "Traceback",
    "Compilation Error",
    "Runtime Error",
    "Invalid Input Error",
    "IO Error",
)


def the_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single `error:` line of a failed run; fails the test unless there is exactly one."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    errors = [line for line in output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, output
    for marker in RAW_ERROR_MARKERS:
        assert marker not in output, output
    return errors[0]

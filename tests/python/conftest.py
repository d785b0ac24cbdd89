"""Shared fixtures: a project-local dbt runner and a warehouse built from a generated file."""

from __future__ import annotations

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
import pytest

from credit_segments.cli import INPUT_ENV
from credit_segments.sample_data import SampleSpec, write_sample

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")


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


def run_in_workdir(
    workdir: Path, command: list[str], input_path: Path | str, dbt_vars: dict | None
) -> subprocess.CompletedProcess[str]:
    """A dbt command (or the CLI around it) on input_path, with its warehouse, target and logs in
    workdir, the project's profile, and the saved parse of the last run with the same vars."""
    command = [
        *command,
        "--project-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
    ]
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "CREDIT_SEGMENTS_DB": WAREHOUSE,
        INPUT_ENV: str(input_path),
    }
    with shared_parse(workdir / "target", dbt_vars):
        return subprocess.run(
            command, cwd=workdir, env=env, capture_output=True, text=True, check=False
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


def cli_build(
    workdir: Path, input_path: Path | str, dbt_vars: dict | None = None
) -> subprocess.CompletedProcess[str]:
    """The build command as the Makefile runs it, on a private warehouse and target dir."""
    command = [sys.executable, "-m", "credit_segments.cli", "build", "--input", str(input_path)]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    return run_in_workdir(workdir, [*command, "--"], input_path, dbt_vars)


def project_env(workdir: Path) -> dict[str, str]:
    """The environment the Makefile sets up, with the warehouse in workdir."""
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "CREDIT_SEGMENTS_DB": str(workdir / "warehouse.duckdb"),
    }


TEST_KINDS = ("unit", "dbt", "browser")  # the markers registered in pyproject.toml


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test is of exactly one kind, so `pytest -m unit` is the whole fast part."""
    for item in items:
        kinds = [kind for kind in TEST_KINDS if item.get_closest_marker(kind)]
        if len(kinds) != 1:
            raise pytest.UsageError(
                f"{item.nodeid} has the markers {kinds}: give its module exactly one of "
                f"{', '.join(TEST_KINDS)} (pytestmark = pytest.mark.<kind>)."
            )


@pytest.fixture(scope="session")
def generated_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 generated customers with ids."""
    out = tmp_path_factory.mktemp("input") / "customers.csv"
    return write_sample(SampleSpec(rows=2000, seed=7, with_customer_id=True), out)


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory, generated_csv: Path) -> DbtRun:
    """`dbt build` on the generated file; fails the session's tests that use it if dbt fails."""
    run = run_dbt(tmp_path_factory.mktemp("build"), generated_csv, "build")
    assert run.result.returncode == 0, run.output
    return run

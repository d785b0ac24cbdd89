"""Shared fixtures: a project-local dbt runner and a warehouse built from a generated file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

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


def run_dbt(
    workdir: Path, input_path: Path | str, *args: str, extra_vars: dict | None = None
) -> DbtRun:
    """Run `dbt <args>` on input_path with the project's profile, a private DB and target dir."""
    db_path = workdir / "warehouse.duckdb"
    dbt_vars = {"input_path": str(input_path), **(extra_vars or {})}
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR), "CREDIT_SEGMENTS_DB": str(db_path)}
    command = [
        str(DBT),
        *args,
        "--vars",
        json.dumps(dbt_vars),
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
    ]
    result = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    return DbtRun(result=result, db_path=db_path)


def cli_build(
    workdir: Path, input_path: Path | str, dbt_vars: dict | None = None
) -> subprocess.CompletedProcess[str]:
    """The build command as the Makefile runs it, on a private warehouse and target dir."""
    command = [sys.executable, "-m", "credit_segments.cli", "build", "--input", str(input_path)]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    command += ["--", "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")]
    return subprocess.run(
        command,
        cwd=PROJECT_DIR,
        env=project_env(workdir),
        capture_output=True,
        text=True,
        check=False,
    )


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

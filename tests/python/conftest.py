"""Fixtures and hooks; the helpers they use live in the support package."""

from __future__ import annotations

from pathlib import Path

import pytest

# the helpers' asserts report their values as a test's own do; registered before the import
pytest.register_assert_rewrite("support")

from credit_segments.sample_data import SampleSpec, write_sample  # noqa: E402
from support.dbt import DbtRun, Make, run_dbt  # noqa: E402

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


@pytest.fixture(scope="session")
def empty_build(tmp_path_factory: pytest.TempPathFactory, generated_csv: Path) -> DbtRun:
    """`dbt build --empty` on a fresh warehouse: every model built with no rows, every test run."""
    run = run_dbt(tmp_path_factory.mktemp("empty_build"), generated_csv, "build", "--empty")
    assert run.result.returncode == 0, run.output
    return run


@pytest.fixture(scope="session")
def run_make(tmp_path_factory: pytest.TempPathFactory) -> Make:
    """`make` as a user runs it, with one dbt target dir and warehouse path for the session."""
    shared = tmp_path_factory.mktemp("make")
    return Make(target=shared / "target", warehouse=shared / "warehouse.duckdb")

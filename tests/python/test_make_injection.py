"""Text given to make (INPUT, VARS, REPORT, Q, CHROMIUM) is never run, whatever it holds.

Each case runs `make` as a user does, from the project root (fixture run_make). A hostile
value would create the file PWNED: it must not, and a build must end with the usual single
`error:` line. The failures are early (no such input file, no warehouse), to keep dbt runs short.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import duckdb
import pytest

from credit_segments.sample_data import SampleSpec, write_sample
from support.dbt import PROJECT_DIR, the_error_line

pytestmark = pytest.mark.dbt

# {d} is the test's directory; each value tries to create {d}/PWNED
HOSTILE_VALUES = {
    "semicolon": "{d}/y.csv; touch {d}/PWNED; echo .csv",
    "single_quote": "{d}/y'; touch {d}/PWNED; echo '.csv",
    "double_quote": '{d}/y"; touch {d}/PWNED; echo ".csv',
    "backticks": "{d}/`touch {d}/PWNED`.csv",
    "shell_substitution": "{d}/$(touch {d}/PWNED).csv",
    "make_function": "{d}/$(shell touch {d}/PWNED).csv",
    "newline": "{d}/y\ntouch {d}/PWNED\n.csv",
    # make would read `$HOME` as its variable H followed by OME, and `$$` as `$`
    "dollar": "{d}/$HOME $$x $(touch {d}/PWNED).csv",
}


def hostile(name: str, workdir: Path) -> str:
    return HOSTILE_VALUES[name].format(d=workdir)


def assert_nothing_ran(workdir: Path, result: subprocess.CompletedProcess[str]) -> None:
    assert not (workdir / "PWNED").exists(), result.stdout + result.stderr


@pytest.mark.parametrize("name", HOSTILE_VALUES)
def test_hostile_input_runs_nothing_and_ends_with_one_error_line(tmp_path, name, run_make):
    value = hostile(name, tmp_path)
    result = run_make(tmp_path, "build", f"INPUT={value}")
    assert_nothing_ran(tmp_path, result)
    line = the_error_line(result)
    assert "does not exist" in line
    # the path reached dbt as written (a line break shows as a space on the one line)
    assert value.replace("\n", " ") in line


def test_hostile_input_from_the_environment_runs_nothing(tmp_path, run_make):
    value = hostile("make_function", tmp_path)
    result = run_make(tmp_path, "build", env={"INPUT": value})
    assert_nothing_ran(tmp_path, result)
    assert value in the_error_line(result)


@pytest.mark.parametrize("name", HOSTILE_VALUES)
def test_any_target_ignores_hostile_values(tmp_path, name, run_make):
    """make exports command-line values to every recipe: even `make help` must not run one."""
    value = hostile(name, tmp_path)
    result = run_make(tmp_path, "help", f"INPUT={value}", f"VARS={value}", f"UNUSED={value}")
    assert_nothing_ran(tmp_path, result)
    assert result.returncode == 0, result.stderr
    assert "make build" in result.stdout


def test_hostile_vars_run_nothing(tmp_path, run_make):
    value = "{segment_count: 4}'; touch " + str(tmp_path / "PWNED") + "; echo '"
    result = run_make(tmp_path, "build", f"INPUT={tmp_path / 'nowhere.csv'}", f"VARS={value}")
    assert_nothing_ran(tmp_path, result)
    assert "is not valid YAML" in the_error_line(result)


def test_vars_with_a_make_function_run_nothing(tmp_path, run_make):
    value = "{note: " + hostile("make_function", tmp_path) + "}"
    result = run_make(tmp_path, "build", f"INPUT={tmp_path / 'nowhere.csv'}", f"VARS={value}")
    assert_nothing_ran(tmp_path, result)
    assert "nowhere.csv' does not exist" in the_error_line(result)


@pytest.mark.parametrize("name", ["semicolon", "single_quote", "make_function", "newline"])
def test_hostile_report_path_runs_nothing(tmp_path, name, run_make):
    value = hostile(name, tmp_path).replace(".csv", ".html")
    no_warehouse = {"CREDIT_SEGMENTS_DB": str(tmp_path / "warehouse.duckdb")}
    result = run_make(tmp_path, "report", f"REPORT={value}", env=no_warehouse)
    assert_nothing_ran(tmp_path, result)
    assert "No warehouse at" in the_error_line(result)


@pytest.mark.parametrize("name", ["semicolon", "make_function"])
def test_hostile_query_name_runs_nothing(tmp_path, name, run_make):
    value = hostile(name, tmp_path).replace(f"{tmp_path}/y.csv", "segment_overview")
    result = run_make(tmp_path, "show", f"Q={value}")
    assert_nothing_ran(tmp_path, result)
    assert result.returncode != 0  # dbt has no node by that name


@pytest.mark.parametrize("name", ["double_quote", "single_quote"])
def test_hostile_chromium_path_runs_nothing(tmp_path, name, run_make):
    # an executable at that path exists, so `make browser` only says it found it
    chromium = Path(hostile(name, tmp_path).replace(".csv", "/chromium"))
    chromium.parent.mkdir(parents=True)
    chromium.write_text("#!/bin/sh\n", encoding="utf-8")
    chromium.chmod(0o755)
    result = run_make(tmp_path, "browser", f"CHROMIUM={chromium}")
    assert_nothing_ran(tmp_path, result)
    assert result.stdout.strip() == f"chromium found at {chromium}"


def test_hostile_python_runs_nothing(tmp_path, run_make):
    # -W: as if pyproject.toml had changed, so make runs the install recipe, which stops at its
    # first line here: no such Python (the .venv is left alone)
    value = f"{tmp_path}/nopython; touch {tmp_path}/PWNED; false"
    result = run_make(tmp_path, "-W", "pyproject.toml", "install", f"PYTHON={value}")
    assert_nothing_ran(tmp_path, result)
    assert the_error_line(result).startswith(f"error: {value} not found; install Python 3.11")


def test_path_with_a_quote_and_a_space_builds_and_dated_vars_reach_dbt(tmp_path, run_make):
    """One real build: the README's monthly example, through make, on an awkward path."""
    folder = tmp_path / "o'brien exports"
    folder.mkdir()
    book = write_sample(SampleSpec(rows=200, seed=8), folder / "book 2026-09.csv")
    result = run_make(tmp_path, "build", f"INPUT={book}", "VARS={as_of: 2026-09-30}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    with duckdb.connect(str(run_make.warehouse), read_only=True) as con:
        rows = con.execute(
            "select (select count(*) from customer_segments)"
            " + (select count(*) from rejected_customers)"
        ).fetchone()[0]
        as_of = con.execute(
            "select distinct snapshot_as_of from customer_segments_snapshot"
        ).fetchall()
    assert rows == 200
    # a date, as `dbt build --vars '{as_of: 2026-09-30}'` gives it
    assert as_of == [(dt.datetime(2026, 9, 30),)]


def test_make_and_plain_dbt_render_the_same_warehouse_path():
    """dbt keys its saved parse on the rendered profile: make's default warehouse path must be the
    profile's own, or every plain `dbt` command after a `make build` re-parses the whole project."""
    profile_default = re.search(
        r"env_var\('CREDIT_SEGMENTS_DB', '([^']+)'\)",
        (PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"),
    )
    assert profile_default
    environment = {k: v for k, v in os.environ.items() if k != "CREDIT_SEGMENTS_DB"}
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "--eval", 'show-db: ; @echo "$$CREDIT_SEGMENTS_DB"',
         "show-db"],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    assert result.stdout.strip() == profile_default[1]

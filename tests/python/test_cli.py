"""The build CLI's own logic: the vars it hands dbt, and a dbt that dies mid-build."""

from __future__ import annotations

import datetime as dt
import io
import sys

import pytest
from dbt.config.utils import parse_cli_vars

from credit_segments.cli import build_vars, dbt_build_command, stream_build

pytestmark = pytest.mark.unit


def passed_vars(input_path: str | None, vars_text: str) -> str:
    command = dbt_build_command(build_vars(input_path, vars_text), [], colors=False)
    return command[command.index("--vars") + 1]


@pytest.mark.parametrize(
    "vars_text",
    [
        "{as_of: 2026-09-30}",
        "{as_of: 2026-09-30 18:00:00}",
        "{as_of: 2026-09-30T18:00:00+02:00}",
        "{score_factors: [{name: a, domain: [0, 1.5]}, {name: b}], segment_count: 4}",
        "{as_of: null, flag: true, other: off, text: '2026-09-30', list: [1, 2.5, a, null]}",
        '{tags: !!set {a, b}, raw: !!binary aGk=, quoted: "it\'s\\n$(x) `y`", big: 12345678901234567890}',
    ],
)
def test_vars_reach_dbt_as_dbt_build_vars_would_read_them(vars_text):
    """dbt gets each value as `dbt build --vars '<the same text>'` gives it (dbt's own loader)."""
    assert parse_cli_vars(passed_vars(None, vars_text)) == parse_cli_vars(vars_text)


def test_a_date_stays_a_date():
    assert build_vars(None, "{as_of: 2026-09-30}") == {"as_of": dt.date(2026, 9, 30)}
    assert parse_cli_vars(passed_vars(None, "{as_of: 2026-09-30}")) == {
        "as_of": dt.date(2026, 9, 30)
    }


def test_input_wins_over_an_input_path_var():
    vars_text = "{input_path: other.csv, as_of: 2026-09-30}"
    assert parse_cli_vars(passed_vars("book.csv", vars_text)) == {"as_of": dt.date(2026, 9, 30)}


def test_blank_vars_are_no_vars():
    for text in ("", "  ", "# nothing yet"):
        assert build_vars(None, text) == {}
        assert "--vars" not in dbt_build_command(build_vars(None, text), [], colors=False)


@pytest.mark.parametrize("vars_text", ["[1, 2]", "segment_count", "{a: 1", "{as_of: 2026-02-30}"])
def test_vars_that_are_not_a_mapping_give_one_line(vars_text):
    with pytest.raises(SystemExit) as raised:
        build_vars(None, vars_text)
    message = str(raised.value)
    assert message.startswith("error: --vars ")
    assert "\n" not in message


def _build_that_dies(code: str) -> tuple[int, list[str]]:
    """stream_build on a fake dbt: it prints a progress line and dying-process noise, then code."""
    fake_dbt = (
        "import os, signal, sys\n"
        'print(\'{"info": {"name": "LogStartLine", "level": "info", "msg": "1 of 9 START",'
        ' "ts": "2026-01-01T12:00:00"}}\', flush=True)\n'
        "sys.stderr.write(\"    warnings.warn('resource_tracker: There appear to be %d '\\n\")\n"
        "sys.stderr.flush()\n" + code
    )
    out, err = io.StringIO(), io.StringIO()
    returncode = stream_build([sys.executable, "-c", fake_dbt], None, out=out, err=err)
    assert "1 of 9 START" in out.getvalue()
    return returncode, err.getvalue().splitlines()


@pytest.mark.parametrize(
    ("code", "signal_name", "exit_code"),
    [
        ("os.kill(os.getpid(), signal.SIGKILL)", "SIGKILL", 137),
        ("os.kill(os.getpid(), signal.SIGTERM)", "SIGTERM", 143),
        ("sys.exit(137)", "SIGKILL", 137),  # dbt run through a shell that reports the kill
    ],
)
def test_a_killed_build_says_it_was_interrupted_and_what_the_tables_hold(
    code, signal_name, exit_code
):
    returncode, lines = _build_that_dies(code)
    assert returncode == exit_code
    assert len(lines) == 1, lines
    [line] = lines
    assert line.startswith(f"error: The build was interrupted: dbt was stopped by {signal_name}")
    assert "No table is half written" in line
    assert "those it had finished the new file" in line
    assert "resource_tracker" not in line


def test_a_failed_build_still_reports_its_last_error_line():
    """Exit codes of dbt's own (1, 2) are failures, not interruptions."""
    returncode, lines = _build_that_dies(
        "sys.stderr.write('RuntimeError: the real problem\\n'); sys.exit(2)"
    )
    assert returncode == 2
    assert lines == ["error: the real problem"]

"""The main job, ``dbt build``, for people who did not write the project.

Runs dbt in a child process with JSON logs, prints dbt's usual progress lines, and when the build
fails prints one line, ``error: <problem and fix>``, in place of dbt's tracebacks and raw SQL
errors. ``make build`` and ``make run`` call it; analytics engineers can still run ``dbt build``
and see dbt's own output, which carries the same messages.

    python -m credit_segments.cli build --input data/customers.csv --vars '{segment_count: 4}'
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from credit_segments.errors import DUCKDB_ERROR_LINE, PYTHON_EXCEPTION_LINE

# dbt events that carry the details of a failure. They are hidden from the progress output and
# condensed into the one `error:` line instead.
FAILURE_DETAIL_EVENTS = frozenset(
    {
        "MainEncounteredError",
        "MainStackTrace",
        "RunResultFailure",
        "RunResultError",
        "RunResultErrorNoMessage",
        "SQLCompiledPath",
        "CheckNodeTestFailure",
    }
)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_LOCK = re.compile(
    r'Could not set lock on file "(?P<path>[^"]+)": '
    r"Conflicting lock is held in .*?\(PID (?P<pid>\d+)\)"
)


@dataclass(frozen=True)
class DbtEvent:
    """One line of dbt's JSON log."""

    name: str
    level: str
    msg: str
    timestamp: str
    data: dict

    @property
    def text(self) -> str:
        """The line as dbt prints it in text mode: time, two spaces, message."""
        return f"{self.timestamp}  {self.msg}" if self.timestamp else self.msg


def parse_event(line: str) -> DbtEvent | None:
    """The event on one line of dbt's JSON log, or None when the line is not such an event."""
    try:
        payload = json.loads(line)
        info = payload["info"]
        return DbtEvent(
            name=str(info["name"]),
            level=str(info.get("level", "")),
            msg=str(info.get("msg", "")),
            timestamp=str(info.get("ts", ""))[11:19],
            data=payload.get("data") or {},
        )
    except (ValueError, KeyError, TypeError):
        return None


@dataclass
class FailureCollector:
    """Turns dbt's failure events into messages a user can act on, one per failure."""

    input_path: str | None = None
    messages: list[str] = field(default_factory=list)
    _failed_node: str | None = field(default=None, init=False, repr=False)  # from the last failure

    def add(self, event: DbtEvent) -> None:
        if event.name == "RunResultFailure":
            kind = event.data.get("resource_type", "node")
            self._failed_node = f"{kind} {event.data.get('node_name', '?')}"
        elif event.name == "RunResultError":
            self.messages.append(self._node_message(str(event.data.get("msg", event.msg))))
        elif event.name == "RunResultErrorNoMessage":
            status = event.data.get("status")
            self.messages.append(f"{self._failed_node or 'a node'} ended with status {status}.")
        elif event.name == "MainEncounteredError":
            self.messages.append(self._run_message(str(event.data.get("exc", event.msg))))

    def _node_message(self, text: str) -> str:
        """A model, seed or test failed: our own messages pass through, the rest gets context."""
        lines = _plain_lines(text)
        csv_error = next((n for n, line in enumerate(lines) if "CSV Error on Line" in line), None)
        if csv_error is not None:
            # a malformed row past the part of the file DuckDB sniffed, found while reading it
            # DuckDB's next line says what is wrong with it (after the line's text, if shown)
            details = [
                line
                for line in lines[csv_error + 1 :]
                if not line.startswith(("Original Line", "Possible"))
            ][:1]
            where = DUCKDB_ERROR_LINE.sub(r"\g<message>", lines[csv_error])
            if any("utf-8" in line.lower() for line in details):
                fix = "Save the file as UTF-8, then run again."
            else:
                fix = "Fix or quote that row (an unquoted comma?), then run again."
            return (
                f"Input file '{self.input_path or 'var input_path'}' cannot be read: "
                f"{' '.join([where, *details]).rstrip('.')}. {fix}"
            )
        if "Traceback (most recent call last)" in text:
            # an exception from a Python model: its last line carries the message
            match = PYTHON_EXCEPTION_LINE.match(lines[-1])
            return match["message"] if match else lines[-1]
        for line in lines:
            match = DUCKDB_ERROR_LINE.match(line)
            if match and line.startswith("Invalid Input Error: "):
                return match["message"]  # raised on purpose by error() in a model (macro fail_if)
        detail = " ".join(line for line in lines[1:] if not line.startswith("compiled code at"))
        where = self._failed_node or (lines[0] if lines else "dbt")
        if self._failed_node and self._failed_node.startswith(("test", "unit_test")):
            return (
                f"{where} failed: {detail or lines[0]}. Input rows never fail tests (they go to "
                "rejected_customers), so this points at a changed model or seed: see logs/dbt.log."
            )
        return f"{where} failed: {detail or lines[0]} (details in logs/dbt.log)"

    def _run_message(self, text: str) -> str:
        """The whole run stopped: a hook's check, a locked warehouse, an unreadable file."""
        flat = " ".join(_plain_lines(text))
        lock = _LOCK.search(flat)
        if lock:
            return (
                f"The warehouse {lock['path']} is in use by another process (PID {lock['pid']}: "
                "a report, a query window or another build). Close it or wait for it to finish, "
                "then run again."
            )
        lines = [line for line in _plain_lines(text) if not line.startswith(">")]
        if lines and lines[0].startswith(("Compilation Error", "Runtime Error")):
            lines = lines[1:]
        if (
            self.input_path
            and self.input_path in flat
            and any(line.startswith("Invalid Input Error") for line in lines)
        ):
            first = DUCKDB_ERROR_LINE.match(lines[0])
            # DuckDB's first two lines say what is wrong (after the bad line's text, if shown);
            # the rest lists reader options
            detail = [
                line for line in lines[1:] if not line.startswith(("Original Line", "Possible"))
            ]
            reason = " ".join([first["message"] if first else lines[0], *detail[:1]])
            return (
                f"Input file '{self.input_path}' cannot be read: {reason.rstrip('.')}. "
                "It must be a UTF-8 CSV file with a header row, or a Parquet file (.parquet)."
            )
        # our own checks (macros validate_project_vars, create_raw_input_view) are one line already
        return " ".join(lines) if lines else flat


def _plain_lines(text: str) -> list[str]:
    return [line.strip() for line in _ANSI.sub("", text).splitlines() if line.strip()]


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project's .venv), else the one on PATH."""
    sibling = Path(sys.executable).with_name("dbt")
    if sibling.exists():
        return str(sibling)
    found = shutil.which("dbt")
    if found is None:
        raise SystemExit("error: dbt is not installed here. Run `make install` first.")
    return found


INPUT_ENV = "CREDIT_SEGMENTS_INPUT"  # read by the project's macro input_path()


def build_vars(input_path: str | None, vars_text: str | None) -> dict:
    """dbt's --vars: the YAML given with --vars.

    The input file travels in the environment (INPUT_ENV), not as a var: a changed var makes dbt
    re-parse the whole project, while a changed environment variable re-parses only the files
    that read it. --input wins over an input_path in --vars.
    """
    try:
        merged = yaml.safe_load(vars_text) if vars_text else {}
    except yaml.YAMLError as err:
        raise SystemExit(
            f"error: --vars {vars_text!r} is not valid YAML. "
            "Write a mapping, e.g. --vars '{segment_count: 4}'."
        ) from err
    except ValueError as err:  # YAML's own reading of a value, e.g. the date 2026-02-30
        raise SystemExit(
            f"error: --vars {vars_text!r} holds a value YAML cannot read: {err}. "
            "Correct it, or quote it to pass it as text."
        ) from err
    if merged is None:  # only blanks or a comment
        merged = {}
    if not isinstance(merged, dict):
        raise SystemExit("error: --vars must be a mapping, e.g. --vars '{segment_count: 4}'.")
    if input_path:
        merged.pop("input_path", None)
    return merged


def vars_yaml(dbt_vars: dict) -> str:
    """dbt_vars as the YAML mapping dbt reads with --vars.

    YAML, not JSON: dbt loads --vars with YAML's safe loader, so it gets back every value the user
    wrote as YAML read it (`as_of: 2026-09-30` stays a date, as with `dbt build --vars` itself),
    and the safe dumper writes every value the safe loader makes (dates, nulls, sets, bytes).
    """
    dumped = yaml.safe_dump(
        dbt_vars, default_flow_style=True, sort_keys=False, allow_unicode=True, width=1 << 30
    )
    return dumped.strip()


def dbt_build_command(dbt_vars: dict, extra_args: Iterable[str], colors: bool) -> list[str]:
    """dbt build of the selector main_job (selectors.yml): the data tests, but not the unit tests
    nor the checks of the seeds.

    Both give the same answer on every input file: unit tests check the SQL on fixed fixtures, and
    the seeds change only with the repository, whose CI runs them (`make test`). dbt advises
    running unit tests in development and CI, not in production builds.
    """
    color_flag = "--use-colors" if colors else "--no-use-colors"
    command = [dbt_executable(), "--log-format", "json", color_flag, "build"]
    command += ["--selector", "main_job"]
    if dbt_vars:
        command += ["--vars", vars_yaml(dbt_vars)]
    return command + list(extra_args)


def _drain(stream, sink: list[str]) -> None:
    for line in stream:
        sink.append(line)


def stream_build(command: list[str], input_path: str | None, out=None, err=None) -> int:
    """Run dbt, echo its progress to out, and end with one `error:` line on err when it fails."""
    out = out or sys.stdout
    err = err or sys.stderr
    env = {**os.environ}
    env.setdefault("DBT_PROFILES_DIR", os.getcwd())
    if input_path:
        env[INPUT_ENV] = input_path
    failures = FailureCollector(input_path=input_path)
    stderr_lines: list[str] = []
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
    ) as process:
        reader = threading.Thread(target=_drain, args=(process.stderr, stderr_lines), daemon=True)
        reader.start()
        for event, raw in _events(process.stdout):
            if event is None:
                print(raw, file=out, flush=True)  # a print() from a model, say
            elif event.name in FAILURE_DETAIL_EVENTS:
                failures.add(event)
            elif event.level in ("info", "warn", "error"):
                print(event.text, file=out, flush=True)
        returncode = process.wait()
        reader.join()
    if returncode == 0:
        err.write("".join(stderr_lines))  # warnings, such as fewer distinct scores than segments
        return 0
    stopped_by = stopping_signal(returncode)
    if stopped_by is not None:
        # dbt died mid-run: its last stderr lines are noise from its dying worker processes
        print(f"error: {interrupted_message(stopped_by, returncode)}", file=err, flush=True)
        return 128 + stopped_by.value  # the shell's code for it; a negative one would wrap
    if not failures.messages:
        last = next((line.strip() for line in reversed(stderr_lines) if line.strip()), "")
        fallback = f"dbt build failed (exit code {returncode}); see logs/dbt.log."
        failures.messages.append(PYTHON_EXCEPTION_LINE.sub(r"\g<message>", last) or fallback)
    distinct = list(dict.fromkeys(failures.messages))  # one bad file can fail several models
    message = distinct[0]
    if len(distinct) > 1:
        message += f" ({len(distinct) - 1} more error(s) in logs/dbt.log)"
    print(f"error: {message}", file=err, flush=True)
    return returncode


def stopping_signal(returncode: int) -> signal.Signals | None:
    """The signal that ended dbt, from its return code: -N from Popen, 128 + N through a shell.

    dbt's own exit codes are 0, 1 and 2, so a code above 128 can only come from a signal.
    """
    number = -returncode if returncode < 0 else returncode - 128 if returncode > 128 else 0
    try:
        return signal.Signals(number) if number else None
    except ValueError:
        return None


def interrupted_message(stopped_by: signal.Signals, returncode: int | None = None) -> str:
    """The `error:` line of a build that did not finish: what stopped it, and what it left."""
    code = "" if returncode is None else f" (exit code {returncode})"
    cause = (
        f"The build was interrupted: dbt was stopped by {stopped_by.name}{code} before it finished"
    )
    if stopped_by == signal.SIGKILL:
        cause += (
            "; if nobody killed it, the system probably ran out of memory "
            "(try a lower CREDIT_SEGMENTS_MEMORY_LIMIT)"
        )
    return (
        f"{cause}. No table is half written: dbt replaces each in one transaction, so the tables "
        "it had not reached still hold the earlier build, and those it had finished the new file "
        "(the report warns of the mix). Run the build again to finish it."
    )


def _events(lines: Iterable[str]) -> Iterator[tuple[DbtEvent | None, str]]:
    for line in lines:
        raw = line.rstrip("\n")
        if raw:
            yield parse_event(raw), raw


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m credit_segments.cli",
        description="Build the warehouse with dbt; a failure ends with one line: problem and fix.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="dbt build: seeds, models and data tests")
    build.add_argument(
        "--input",
        help="customer file (.csv, .parquet or a glob of .parquet); passed to dbt as CREDIT_SEGMENTS_INPUT",
    )
    build.add_argument("--vars", help="more dbt vars as YAML, e.g. '{segment_count: 4}'")
    build.add_argument("dbt_args", nargs=argparse.REMAINDER, help="passed to dbt build after --")
    args = parser.parse_args(argv)
    extra = [arg for arg in args.dbt_args if arg != "--"]
    dbt_vars = build_vars(args.input, args.vars)
    command = dbt_build_command(dbt_vars, extra, colors=sys.stdout.isatty())
    try:
        return stream_build(command, args.input)
    except KeyboardInterrupt:
        print(f"error: {interrupted_message(signal.SIGINT)}", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())

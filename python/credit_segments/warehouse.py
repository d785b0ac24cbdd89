"""Opening the DuckDB warehouse that dbt built, with errors a user can act on."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from credit_segments.errors import CreditSegmentsError

DB_ENV_VAR = "CREDIT_SEGMENTS_DB"
DEFAULT_DB_PATH = Path("credit_segments.duckdb")  # profiles.yml's default, relative to the project


def warehouse_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The warehouse file: the given path, else $CREDIT_SEGMENTS_DB, else the project default."""
    return Path(path or os.environ.get(DB_ENV_VAR) or DEFAULT_DB_PATH)


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection, or a CreditSegmentsError naming the problem and the fix."""
    if not path.exists():
        raise CreditSegmentsError(
            f"No warehouse at {path}: build it first with `make run` (or `dbt build`)."
        )
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as err:
        if "lock" in str(err).lower():
            raise CreditSegmentsError(
                f"The warehouse {path} is locked by another process (is dbt still building?). "
                "Wait for it to finish, then run the report again."
            ) from err
        raise CreditSegmentsError(f"Cannot open the warehouse {path}: {err}") from err

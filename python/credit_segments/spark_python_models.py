"""Run a dbt Python model in this process, against a local Spark session.

dbt-spark submits Python models only to Databricks clusters, so on the local `spark` target (method
session) the models' own `model(dbt, session)` runs here instead: the code is dbt's compiled model
(target/compiled/...), which already defines `dbtObj`, `ref` and the model's config, and its result
is written the way dbt-spark's table materialization writes it (overwrite, saveAsTable).

Until the package reads Spark DataFrames itself (docs/spark.md), `ref()` hands the model a DuckDB
relation over the Spark table, converted through Arrow when the model first uses it: the refs the
models read this way (histogram, seeds) hold a few rows per score or segment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


class ArrowBridgedRelation:
    """A Spark table as a DuckDB relation, read through Arrow on first use (never when unused)."""

    def __init__(self, frame: DataFrame) -> None:
        self._frame = frame
        self._relation: duckdb.DuckDBPyRelation | None = None

    def __getattr__(self, name: str) -> Any:
        if self._relation is None:
            self._relation = duckdb.from_arrow(self._frame.toArrow())
        return getattr(self._relation, name)


def duckdb_loader(session: SparkSession) -> Callable[[str], ArrowBridgedRelation]:
    """The `ref()` loader that gives a model DuckDB relations over Spark tables."""
    return lambda relation: ArrowBridgedRelation(session.table(relation))


def spark_loader(session: SparkSession) -> Callable[[str], DataFrame]:
    """dbt-spark's own loader: `ref()` gives a Spark DataFrame."""
    return session.table


def as_spark_frame(session: SparkSession, result: Any) -> DataFrame:
    """The model's result as a Spark DataFrame: a Spark DataFrame, an Arrow table, or pandas."""
    from pyspark.sql import DataFrame

    if isinstance(result, DataFrame):
        return result
    if isinstance(result, pa.Table):
        return session.createDataFrame(result)
    if isinstance(result, pd.DataFrame):
        return session.createDataFrame(result)
    raise TypeError(f"{type(result).__name__} is not a supported result for a dbt Python model")


def run_python_model(
    session: SparkSession,
    compiled_code: str,
    relation: str,
    *,
    loader: Callable[[SparkSession], Callable[[str], Any]] = duckdb_loader,
    file_format: str = "parquet",
) -> DataFrame:
    """Run one compiled dbt Python model and replace table `relation` with its result."""
    namespace: dict[str, Any] = {}
    exec(compile(compiled_code, relation, "exec"), namespace)
    dbt = namespace["dbtObj"](loader(session))
    frame = as_spark_frame(session, namespace["model"](dbt, session))
    frame.write.mode("overwrite").format(file_format).saveAsTable(relation)
    return session.table(relation)

"""The Spark target's foundation, on a real local Spark (skipped when pyspark is not installed).

dbt runs in this process (dbtRunner), so dbt-spark's session and the test's are one SparkSession:
one JVM start for the module, and no second process on the Derby metastore.
- The input hook numbers every row as DuckDB's does: a CSV with malformed lines, read in one split
  and in many, a CSV with blank lines, and a glob of Parquet files with many row groups.
- A dbt Python model, as dbt compiles it, runs in-process and writes its table.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from credit_segments.cli import INPUT_ENV
from credit_segments.clustering import build_segments
from credit_segments.sample_data import SampleSpec, write_sample
from support.dbt import PROJECT_DIR

pytestmark = pytest.mark.dbt
pyspark = pytest.importorskip("pyspark", reason="the Spark target is optional: make install-spark")

from credit_segments.spark_python_models import run_python_model  # noqa: E402

ROWS = 3000
TEXT_COLUMNS = ("Customer ID", "Age", "Type of Loan", "malformed_line")


@pytest.fixture(scope="module")
def dbt_in_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Runs dbt commands in this process, with the warehouses (DuckDB and Spark) in a temp dir."""
    from dbt.cli.main import dbtRunner

    workdir = tmp_path_factory.mktemp("spark")
    saved = dict(os.environ)
    os.environ.update(
        {
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "CREDIT_SEGMENTS_DB": str(workdir / "warehouse.duckdb"),
            "CREDIT_SEGMENTS_SPARK_DIR": str(workdir / "spark"),
        }
    )

    def invoke(input_path: Path, *args: str) -> None:
        os.environ[INPUT_ENV] = str(input_path)
        paths = ["--project-dir", str(PROJECT_DIR)]
        if args[0] != "debug":
            paths += ["--target-path", str(workdir / "target")]
        result = dbtRunner().invoke([*args, *paths])
        assert result.success, result.exception

    # dbt-spark starts the session, with the profile's warehouse, metastore and Hive catalog: a
    # session the test started first would be reused without them
    invoke(PROJECT_DIR / "data/credit_scoring_sample.csv", "debug", "--target", "spark")
    conf = spark_session().conf
    assert conf.get("spark.sql.catalogImplementation") == "hive"
    assert str(workdir) in conf.get("spark.sql.warehouse.dir")
    yield invoke
    os.environ.clear()
    os.environ.update(saved)


def spark_session():
    from pyspark.sql import SparkSession

    return SparkSession.builder.getOrCreate()


def split_count(reader: str, path: Path) -> int:
    """How many splits Spark reads the file(s) in, under the session's settings."""
    splits = spark_session().sql(
        "select count(distinct file_name, block_start) from (select input_file_name() as file_name,"
        f" input_file_block_start() as block_start from {reader}.`{path}`)"
    )
    return splits.collect()[0][0]


def duckdb_raw_rows(dbt_in_process, path: Path) -> list[tuple]:
    dbt_in_process(path, "run-operation", "create_raw_input_view", "--target", "local")
    columns = ", ".join(f'cast("{name}" as varchar)' for name in TEXT_COLUMNS)
    with duckdb.connect(os.environ["CREDIT_SEGMENTS_DB"]) as con:
        return con.execute(
            f"select source_row_number, {columns} from raw.credit_customers order by 1"
        ).fetchall()


def spark_raw_rows(dbt_in_process, path: Path) -> list[tuple]:
    dbt_in_process(path, "run-operation", "spark__create_raw_input_view", "--target", "spark")
    columns = ", ".join(f"cast(`{name}` as string)" for name in TEXT_COLUMNS)
    rows = spark_session().sql(
        f"select source_row_number, {columns} from raw.credit_customers order by 1"
    )
    return [tuple(row) for row in rows.collect()]


@pytest.fixture(scope="module")
def awkward_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ids, a field too many and one too few, a quoted comma, a cut-off last line."""
    workdir = tmp_path_factory.mktemp("csv")
    spec = SampleSpec(rows=ROWS, seed=31, with_customer_id=True)
    lines = write_sample(spec, workdir / "clean.csv").read_text("utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    lines[10] += ",stray"
    lines[2500] = lines[2500].rsplit(",", 3)[0]
    quoted = next(csv.reader([lines[40]]))
    quoted[header.index("Type of Loan")] = 'Home, "Bridge" Loan'
    lines[40] = ",".join(f'"{value.replace(chr(34), chr(34) * 2)}"' for value in quoted)
    lines.append(lines[5][:15])
    path = workdir / "customers.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_csv_file_is_numbered_as_duckdb_numbers_it(dbt_in_process, awkward_csv):
    expected = duckdb_raw_rows(dbt_in_process, awkward_csv)
    assert len(expected) == ROWS + 1  # the cut-off last line is a row too
    assert spark_raw_rows(dbt_in_process, awkward_csv) == expected


def test_a_csv_file_read_in_many_splits_keeps_its_numbers(dbt_in_process, awkward_csv):
    expected = duckdb_raw_rows(dbt_in_process, awkward_csv)
    spark = spark_session()
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(awkward_csv.stat().st_size // 7))
    try:
        assert split_count("text", awkward_csv) >= 7
        assert spark_raw_rows(dbt_in_process, awkward_csv) == expected
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")


def test_a_glob_of_parquet_files_is_numbered_in_file_order(dbt_in_process, tmp_path):
    clean = write_sample(SampleSpec(rows=ROWS, seed=32, with_customer_id=True), tmp_path / "a.csv")
    table = pa_csv.read_csv(clean, convert_options=pa_csv.ConvertOptions(strings_can_be_null=True))
    # two files, the larger second: Spark plans splits by size, not by name
    pq.write_table(table.slice(0, 1000), tmp_path / "part-1.parquet", row_group_size=100)
    pq.write_table(table.slice(1000), tmp_path / "part-2.parquet", row_group_size=100)
    glob = tmp_path / "part-*.parquet"
    expected = duckdb_raw_rows(dbt_in_process, glob)
    spark = spark_session()
    spark.conf.set("spark.sql.files.maxPartitionBytes", "8192")
    try:
        assert split_count("parquet", glob) > 2
        assert spark_raw_rows(dbt_in_process, glob) == expected
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")


def test_blank_lines_take_no_row_number(dbt_in_process, tmp_path):
    spec = SampleSpec(rows=500, seed=33, with_customer_id=True)
    lines = write_sample(spec, tmp_path / "clean.csv").read_text("utf-8").splitlines()
    lines[100:100] = ["", ""]
    lines[300:300] = [""]
    path = tmp_path / "blank_lines.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = duckdb_raw_rows(dbt_in_process, path)
    assert len(expected) == 500
    assert spark_raw_rows(dbt_in_process, path) == expected


def test_the_kmeans_model_runs_in_process_and_writes_its_table(dbt_in_process, awkward_csv):
    spark = spark_session()
    histogram = [(600.5, 10), (610.25, 4), (700.0, 7), (705.5, 3), (800.0, 5), (801.0, 1)]
    spark.sql("create schema if not exists main")
    spark.sql("drop table if exists main.int_credit_scores__histogram")
    spark.sql(
        "create table main.int_credit_scores__histogram using parquet as "
        "select cast(credit_score as decimal(12, 4)) as credit_score, customer_count "
        f"from values {', '.join(str(row) for row in histogram)} as t(credit_score, customer_count)"
    )
    labels = spark.read.csv(str(PROJECT_DIR / "seeds/segment_labels.csv"), header=True)
    labels.selectExpr(
        "cast(segment_count as int) as segment_count",
        "cast(segment_rank as int) as segment_rank",
        "segment_label",
    ).write.mode("overwrite").format("parquet").saveAsTable("main.segment_labels")
    dbt_in_process(
        awkward_csv,
        "compile",
        "--select",
        "int_segments__kmeans",
        "--target",
        "spark",
        "--vars",
        "{segment_count: 3}",
    )
    compiled = Path(os.environ["CREDIT_SEGMENTS_DB"]).parent / (
        "target/compiled/credit_segments/models/intermediate/int_segments__kmeans.py"
    )
    written = run_python_model(spark, compiled.read_text("utf-8"), "main.int_segments__kmeans")

    expected = build_segments(
        duckdb.sql(
            "select * from (values " + ", ".join(str(row) for row in histogram) + ") "
            "as t(credit_score, customer_count)"
        ),
        duckdb.from_arrow(spark.table("main.segment_labels").toArrow()),
        k=3,
    )
    columns = expected.column_names
    assert written.columns == columns
    rows = sorted(tuple(row) for row in written.collect())
    assert rows == sorted(
        zip(*(expected.column(name).to_pylist() for name in columns), strict=True)
    )

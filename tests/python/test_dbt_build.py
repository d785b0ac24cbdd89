"""`dbt build` end to end on a generated file: the marts people query."""

from __future__ import annotations

import pytest
import yaml

from support.dbt import MAIN_JOB, PROJECT_DIR, DbtRun, run_dbt

pytestmark = pytest.mark.dbt


def test_build_passes_every_data_and_unit_test(built_warehouse: DbtRun):
    assert "Completed successfully" in built_warehouse.output


def test_every_generated_customer_is_segmented(built_warehouse: DbtRun):
    [(segmented, distinct_ids)] = built_warehouse.query(
        "select count(*), count(distinct customer_id) from customer_segments"
    )
    [(rejected,)] = built_warehouse.query("select count(*) from rejected_customers")
    assert (segmented, distinct_ids, rejected) == (2000, 2000, 0)


def test_five_segments_labelled_best_to_worst(built_warehouse: DbtRun):
    rows = built_warehouse.query(
        "select segment_rank, segment_label, centroid_score from segment_summary order by segment_rank"
    )
    assert [label for _, label, _ in rows] == ["Excellent", "Good", "Fair", "Poor", "Very Poor"]
    centroids = [centroid for _, _, centroid in rows]
    assert centroids == sorted(centroids, reverse=True)


def test_each_customer_sits_in_the_segment_with_the_nearest_centroid(built_warehouse: DbtRun):
    [(misassigned,)] = built_warehouse.query(
        """
        with nearest as (
            select
                customer_segments.customer_id,
                customer_segments.segment_rank,
                arg_min(segments.segment_rank, abs(customer_segments.credit_score - segments.centroid_score))
                    as nearest_rank
            from customer_segments
            cross join segment_summary as segments
            group by all
        )
        select count(*) from nearest where segment_rank != nearest_rank
        """
    )
    assert misassigned == 0


def test_scores_stay_on_the_fico_scale_and_add_up(built_warehouse: DbtRun):
    factors = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["score_factors"]
    points = " + ".join(f"{factor['name']}_points" for factor in factors)
    [(low, high, mismatched)] = built_warehouse.query(
        f"select min(credit_score), max(credit_score), "
        f"count(*) filter (where credit_score != 300 + {points}) from customer_segments"
    )
    assert 300 <= low < high <= 850
    assert mismatched == 0


def test_input_profile_describes_every_input_column(built_warehouse: DbtRun):
    rows = built_warehouse.query(
        "select input_column, row_count, null_count from input_profile order by column_position"
    )
    assert len(rows) == 12
    assert rows[0][0] == "Age"
    assert {row_count for _, row_count, _ in rows} == {2000}


@pytest.mark.parametrize("fmt", ["parquet"])
def test_parquet_input_takes_the_same_path(tmp_path, generated_csv, built_warehouse: DbtRun, fmt):
    import duckdb

    parquet = tmp_path / f"customers.{fmt}"
    with duckdb.connect() as con:
        con.execute(f"copy (select * from read_csv('{generated_csv}')) to '{parquet}'")
    # the CSV first, in the same warehouse: it is loaded into a table, which the Parquet build drops
    loaded = (
        "select table_name from duckdb_tables()"
        " where schema_name = 'raw' and table_name = 'credit_customers_loaded'"
    )
    csv_run = run_dbt(tmp_path, generated_csv, "run", "--select", "stg_credit__customers")
    assert csv_run.result.returncode == 0, csv_run.output
    assert csv_run.query(loaded) == [("credit_customers_loaded",)]

    run = run_dbt(tmp_path, parquet, "build", *MAIN_JOB)
    assert run.result.returncode == 0, run.output
    assert run.query(loaded) == []
    # a single Parquet file numbers its own rows (file_row_number) and is read in place; a CSV is
    # loaded in file order and numbered by rowid: the same numbers
    same_columns = (
        "select customer_id, source_row_number, credit_score, segment_rank"
        " from customer_segments order by 1"
    )
    assert run.query(same_columns) == built_warehouse.query(same_columns)


def test_empty_build_makes_empty_marts(empty_build: DbtRun):
    assert empty_build.query("select count(*) from customer_segments") == [(0,)]
    assert empty_build.query("select count(*) from segment_summary") == [(0,)]


def test_a_glob_of_parquet_files_is_one_input(tmp_path, generated_csv, built_warehouse: DbtRun):
    import duckdb

    parts = tmp_path / "parts"
    parts.mkdir()
    with duckdb.connect() as con:
        source = f"read_csv('{generated_csv}')"
        con.execute(f"copy (select * from {source} limit 1200) to '{parts}/a.parquet'")
        con.execute(f"copy (select * from {source} offset 1200) to '{parts}/b.parquet'")
    run = run_dbt(tmp_path, f"{parts}/*.parquet", "build", *MAIN_JOB)
    assert run.result.returncode == 0, run.output
    # several files are loaded together, in file order, and numbered 1..n across them
    assert run.query(
        "select count(*), count(distinct customer_id), count(distinct source_row_number),"
        " min(source_row_number), max(source_row_number) from customer_segments"
    ) == [(2000, 2000, 2000, 1, 2000)]
    in_file_order = "select source_row_number, credit_score from customer_segments order by 1"
    assert run.query(in_file_order) == built_warehouse.query(in_file_order)


@pytest.mark.parametrize(
    ("segment_count", "labels"),
    [
        (3, ["Good", "Fair", "Poor"]),
        (7, [f"Segment {rank} of 7" for rank in range(1, 8)]),
    ],
)
def test_segment_count_var_picks_labels_from_the_seed_or_falls_back(
    tmp_path, generated_csv, segment_count, labels
):
    run = run_dbt(
        tmp_path, generated_csv, "build", *MAIN_JOB, extra_vars={"segment_count": segment_count}
    )
    assert run.result.returncode == 0, run.output
    rows = run.query("select segment_label from segment_summary order by segment_rank")
    assert [label for (label,) in rows] == labels

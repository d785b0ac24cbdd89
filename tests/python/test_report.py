"""The HTML report: self-contained, small, and safe with hostile text."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from conftest import DbtRun
from credit_segments.report import (
    NUMERIC_INPUTS,
    ReportData,
    chart_text,
    fairness_figure,
    html_table,
    load_report_data,
    main,
    migration_figure,
    segment_colors,
    segment_size_figure,
)

pytestmark = pytest.mark.dbt


def test_report_is_self_contained_and_small(built_warehouse: DbtRun, tmp_path):
    out = tmp_path / "report.html"
    assert main(["--db", str(built_warehouse.db_path), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<script src=" not in page  # plotly.js inlined: opens with no network
    assert "Plotly.newPlot" in page
    for chart in (
        "score-distribution",
        "segment-sizes",
        "utilization-by-segment",
        "loan-amounts",
        "input-correlations",
    ):
        assert f'id="{chart}"' in page
    for chart in ("elbow-silhouette", "segment-stability"):
        assert f'id="{chart}"' in page
    assert "Very Poor" in page
    assert out.stat().st_size < 5_000_000


def test_report_without_a_warehouse_says_how_to_build_it(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "missing.duckdb"), "--out", str(tmp_path / "r.html")]) == 1
    assert "make run" in capsys.readouterr().err


def test_table_cells_are_escaped():
    table = html_table(pd.DataFrame({"gender": ["<script>alert(1)</script>"]}))
    assert "<script>" not in table
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table


def test_segment_colours_run_from_green_to_red():
    colors = segment_colors(5)
    assert colors[0] == "rgb(26, 152, 80)"
    assert colors[-1] == "rgb(215, 48, 39)"


def test_quality_charts_plot_the_rows_of_the_segmentation_in_use(built_warehouse: DbtRun):
    from credit_segments.report import elbow_silhouette_figure, load_report_data, stability_figure
    from credit_segments.warehouse import connect_read_only

    con = connect_read_only(built_warehouse.db_path)
    try:
        data = load_report_data(con)
    finally:
        con.close()
    elbow = elbow_silhouette_figure(data)
    assert list(elbow.data[0].x) == list(range(2, 11))
    assert elbow.layout.xaxis.title.text == "Number of segments k"
    assert "points²" in elbow.layout.yaxis.title.text
    stability = stability_figure(data)
    # the k in use (5) is the one bar drawn in the highlight colour
    colours = list(stability.data[0].marker.color)
    bars = zip(stability.data[0].x, colours, strict=True)
    assert [k for k, colour in bars if colour == "#e45756"] == [5]
    assert "20 bootstrap resamples" in stability.layout.title.text


def test_report_of_an_empty_build_has_empty_quality_charts(tmp_path, generated_csv):
    from conftest import run_dbt

    run = run_dbt(tmp_path, generated_csv, "build", "--empty")
    assert run.result.returncode == 0, run.output
    out = tmp_path / "empty.html"
    assert main(["--db", str(run.db_path), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert 'id="elbow-silhouette"' in page and 'id="segment-stability"' in page


def test_report_correlations_match_pandas_on_the_warehouse(built_warehouse: DbtRun):
    columns = list(NUMERIC_INPUTS)
    with duckdb.connect(str(built_warehouse.db_path), read_only=True) as con:
        ours = load_report_data(con).correlations
        expected = con.execute(f"select {', '.join(columns)} from customer_segments").df().corr()
    pd.testing.assert_frame_equal(ours, expected, check_exact=False, atol=1e-9, check_names=False)


def test_report_reads_no_customer_rows(built_warehouse: DbtRun, tmp_path):
    """The charts come from marts whose size does not grow with the input, so the report's time
    does not either: with customer_segments emptied, every chart is the same, and so are the row
    counts, which come from the build log. (Without a log they are count(*) of the marts, which
    DuckDB answers from its metadata.)"""
    db = tmp_path / "aggregates_only.duckdb"
    db.write_bytes(built_warehouse.db_path.read_bytes())
    with duckdb.connect(str(db)) as con:
        before = load_report_data(con)
        con.execute("delete from customer_segments")
        after = load_report_data(con)
    for name in ("segments", "score_bins", "loan_amount_bins", "correlations", "input_profile"):
        pd.testing.assert_frame_equal(getattr(after, name), getattr(before, name))
    assert before.segmented_row_count > 0
    assert (after.input_row_count, after.segmented_row_count, after.rejected_row_count) == (
        before.input_row_count,
        before.segmented_row_count,
        before.rejected_row_count,
    )


# Plotly reads tags in chart text: <a href> becomes a link, <b> bold. Text from the input file
# (Gender and Marital Status are kept as written) must show as written instead.
HOSTILE_LABEL = '<a href="https://example.com/">Click</a> & <b>co</b>'
ESCAPED_LABEL = '&lt;a href="https://example.com/"&gt;Click&lt;/a&gt; &amp; &lt;b&gt;co&lt;/b&gt;'


def report_data_with_hostile_labels() -> ReportData:
    """Fairness groups, segment labels and migration states that hold tags."""
    empty = pd.DataFrame()
    segments = pd.DataFrame(
        {
            "segment_rank": [1, 2],
            "segment_label": [HOSTILE_LABEL, "Poor"],
            "customer_count": [10, 20],
            "customer_share": [1 / 3, 2 / 3],
        }
    )
    fairness = pd.DataFrame(
        {
            "characteristic": ["gender", "gender"],
            "group_value": [HOSTILE_LABEL, "Female"],
            "reference_group_value": ["Female", HOSTILE_LABEL],
            "group_customer_count": [10, 20],
            "favourable_rate": [0.1, 0.2],
            "adverse_impact_ratio": [0.5, 1.0],
            "is_below_impact_threshold": [True, False],
            "adverse_impact_threshold": [0.8, 0.8],
            "favourable_max_rank": [1, 1],
        }
    )
    migrations = pd.DataFrame(
        {
            "from_as_of": ["2026-09-30", "2026-09-30"],
            "to_as_of": ["2026-10-31", "2026-10-31"],
            "from_segment_rank": [1, 2],
            "from_state": [HOSTILE_LABEL, "Poor"],
            "to_segment_rank": [1, 2],
            "to_state": [HOSTILE_LABEL, "Poor"],
            "customer_count": [10, 20],
            "transition_rate": [1.0, 1.0],
        }
    )
    return ReportData(
        segments=segments,
        score_bins=empty,
        loan_amount_bins=empty,
        correlations=empty,
        input_profile=empty,
        quality=empty,
        input_row_count=30,
        segmented_row_count=30,
        rejected_row_count=0,
        segmentation_quality=empty,
        fairness=fairness,
        migrations=migrations,
    )


def test_chart_text_from_the_data_is_escaped_for_plotly():
    data = report_data_with_hostile_labels()
    fairness = fairness_figure(data).data[0]
    assert list(fairness.y) == [f"Gender: {ESCAPED_LABEL}", "Gender: Female"]
    assert [row[2] for row in fairness.customdata] == ["Female", ESCAPED_LABEL]
    assert list(segment_size_figure(data).data[0].x) == [ESCAPED_LABEL, "Poor"]
    migration = migration_figure(data).data[0]
    assert list(migration.x) == list(migration.y) == [ESCAPED_LABEL, "Poor"]
    assert chart_text(None) == ""

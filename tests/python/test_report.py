"""The HTML report on a built warehouse: self-contained, small, reading marts as they are."""

from __future__ import annotations

import html

import duckdb
import pandas as pd
import pytest

from credit_segments.report.cli import main
from credit_segments.report.data import ReportData, load_report_data
from credit_segments.report.figures import NEUTRAL_COLOR, fico_comparison_figure
from credit_segments.report.review_figures import elbow_silhouette_figure, stability_figure
from credit_segments.report.tables import fairness_table
from credit_segments.warehouse import connect_read_only
from support.dbt import DbtRun
from support.report_data import numeric_inputs_and_score

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
        "fico-comparison",
        "input-correlations",
        "elbow-silhouette",
        "segment-stability",
        "fairness-impact-ratios",
    ):
        assert f'id="{chart}"' in page
    assert "Very Poor" in page
    assert "they are not FICO bands" in page
    # labels, units and domains come from the input schema (mart input_columns), the domain's
    # upper end from var payment_history_max
    assert "Mean payment history (on-time % x 200/7, 0\u20132,857)" in html.unescape(page)
    # the stability chart sits with the elbow chart, in the segmentation quality section
    sections = [page.index(f'id="{name}"') for name in ("segmentation-quality", "fairness")]
    for chart in ("elbow-silhouette", "segment-stability"):
        assert sections[0] < page.index(f'id="{chart}"') < sections[1]
    assert out.stat().st_size < 5_000_000


def test_report_without_a_warehouse_says_how_to_build_it(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "missing.duckdb"), "--out", str(tmp_path / "r.html")]) == 1
    assert "make run" in capsys.readouterr().err


def report_data(run: DbtRun) -> ReportData:
    con = connect_read_only(run.db_path)
    try:
        return load_report_data(con)
    finally:
        con.close()


def test_quality_charts_plot_the_rows_of_the_segmentation_in_use(built_warehouse: DbtRun):
    data = report_data(built_warehouse)
    elbow = elbow_silhouette_figure(data)
    assert list(elbow.data[0].x) == list(range(2, 11))
    assert elbow.layout.xaxis.title.text == "Number of segments k"
    assert "points²" in elbow.layout.yaxis.title.text
    stability = stability_figure(data)
    # the k in use (5) is the one bar drawn in full colour, never in red (red means worst)
    colours = list(stability.data[0].marker.color)
    bars = zip(stability.data[0].x, colours, strict=True)
    assert [k for k, colour in bars if colour == NEUTRAL_COLOR] == [5]
    assert [shape.x0 for shape in stability.layout.shapes] == [5]
    assert "20 bootstrap resamples" in stability.layout.title.text


def test_report_of_an_empty_build_has_empty_quality_charts(tmp_path, empty_build: DbtRun):
    out = tmp_path / "empty.html"
    assert main(["--db", str(empty_build.db_path), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert 'id="elbow-silhouette"' in page and 'id="segment-stability"' in page


def test_report_correlations_match_pandas_on_the_warehouse(built_warehouse: DbtRun):
    with duckdb.connect(str(built_warehouse.db_path), read_only=True) as con:
        columns = numeric_inputs_and_score(con)
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
    for name in (
        "segments",
        "score_bins",
        "loan_amount_bins",
        "correlations",
        "input_profile",
        "fairness",
        "fairness_shares",
        "fico_comparison",
    ):
        pd.testing.assert_frame_equal(getattr(after, name), getattr(before, name))
    assert before.segmented_row_count > 0
    assert (after.input_row_count, after.segmented_row_count, after.rejected_row_count) == (
        before.input_row_count,
        before.segmented_row_count,
        before.rejected_row_count,
    )


def test_fairness_table_says_for_every_group_whether_it_is_below_the_threshold(
    built_warehouse: DbtRun,
):
    data = report_data(built_warehouse)
    table = fairness_table(data)
    column = [cell.text for cell in table.headers].index("Below 0.8")
    flags = built_warehouse.query(
        "select is_below_impact_threshold from segment_fairness_groups"
        " order by characteristic_order, group_sort_order"
    )
    assert [cells[column].text for cells, _ in table.rows] == [
        "yes" if flagged else "no" for (flagged,) in flags
    ]
    # one row per group: Female and Male, the marital statuses, the age bands
    assert len(table.rows) == len(flags) == len(data.fairness) > 3


def test_fico_chart_shows_each_segments_customers_by_fico_band(built_warehouse: DbtRun):
    figure = fico_comparison_figure(report_data(built_warehouse))
    bands = built_warehouse.query("select band_label from fico_bands order by band_rank")
    assert [trace.name for trace in figure.data] == [label for (label,) in bands]
    # each segment's shares add up to one across the bands
    totals = pd.DataFrame([list(trace.x) for trace in figure.data]).sum()
    assert totals.to_numpy() == pytest.approx(1.0)
    [(segments,)] = built_warehouse.query("select count(*) from segment_summary")
    assert len(figure.data[0].y) == segments

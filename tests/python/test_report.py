"""The HTML report: self-contained, small, and safe with hostile text."""

from __future__ import annotations

import pandas as pd

from conftest import DbtRun
from credit_segments.report import html_table, main, segment_colors


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

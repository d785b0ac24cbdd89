"""The report's pure logic: escaping, formatting, the fairness table and the package's files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from shutil import ignore_patterns

import pandas as pd
import pytest

from credit_segments.report.figures import (
    FLAGGED_COLOR,
    chart_text,
    figure_div,
    segment_colors,
    segment_size_figure,
)
from credit_segments.report.page import ENVIRONMENT, html_table
from credit_segments.report.review_figures import (
    fairness_figure,
    migration_figure,
    plain_kmeans_gap,
)
from credit_segments.report.tables import build_table, fairness_table, readable_number
from support.dbt import PROJECT_DIR
from support.report_data import ESCAPED_LABEL, HOSTILE_LABEL, report_data_with_hostile_labels

pytestmark = pytest.mark.unit


def test_chart_text_from_the_data_is_escaped_for_plotly():
    data = report_data_with_hostile_labels()
    fairness = fairness_figure(data).data[0]
    assert list(fairness.y) == [f"Gender: {ESCAPED_LABEL}", "Gender: Female"]
    assert [row[2] for row in fairness.customdata] == ["Female", ESCAPED_LABEL]
    assert list(segment_size_figure(data).data[0].x) == [ESCAPED_LABEL, "Poor"]
    migration = migration_figure(data).data[0]
    assert list(migration.x) == list(migration.y) == [ESCAPED_LABEL, "Poor"]
    assert chart_text(None) == ""


def test_table_cells_and_headers_are_escaped_by_the_template():
    table = html_table(build_table(pd.DataFrame({"<b>gender</b>": ["<script>alert(1)</script>"]})))
    assert "<script>" not in table and "<b>" not in table
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table
    assert "&lt;b&gt;gender&lt;/b&gt;" in table


def test_every_template_is_autoescaped():
    # autoescape=True (not select_autoescape): a template's name cannot turn escaping off
    assert ENVIRONMENT.autoescape is True
    rendered = ENVIRONMENT.from_string("{{ text }}").render(text=HOSTILE_LABEL)
    assert "<a" not in rendered and "&lt;a href=&#34;https://example.com/&#34;&gt;" in rendered


def test_fairness_table_says_yes_or_no_below_the_threshold_in_every_row():
    data = report_data_with_hostile_labels()
    table = fairness_table(data)
    column = [cell.text for cell in table.headers].index("Below 0.8")
    assert [cells[column].text for cells, _ in table.rows] == ["yes", "no"]
    assert [row_class for _, row_class in table.rows] == ["flagged", ""]
    # each group's shares per segment, matched by group, not by position
    headers = [cell.text for cell in table.headers]
    assert headers[-2:] == [f"In {HOSTILE_LABEL}", "In Poor"]
    assert [[cell.text for cell in cells[-2:]] for cells, _ in table.rows] == [
        ["10.0%", "90.0%"],
        ["20.0%", "80.0%"],
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("591600.0", "591,600"),
        ("18.0", "18"),
        ("0.35", "0.35"),
        ("0.123456", "0.1235"),
        ("2856.75", "2,856.75"),
        ("-3.5", "-3.5"),
        (1234.5678, "1,234.57"),
        ("nan", "nan"),
    ],
)
def test_numbers_read_with_separators_and_no_trailing_zeros(value, text):
    assert readable_number(value) == text


def test_the_gap_of_the_plain_kmeans_run_is_its_largest_relative_excess():
    quality = pd.DataFrame(
        {
            "within_cluster_sum_of_squares": [100.0, 50.0, 0.0],
            "plain_kmeans_within_cluster_sum_of_squares": [100.0, 55.0, 0.0],
        }
    )
    assert plain_kmeans_gap(quality) == pytest.approx(0.10)
    assert plain_kmeans_gap(quality.iloc[[0]]) == 0.0


def test_segment_colours_run_from_green_to_red():
    colors = segment_colors(5)
    assert colors[0] == "rgb(26, 152, 80)"
    assert colors[-1] == "rgb(215, 48, 39)" and FLAGGED_COLOR == "#d73027"


def test_charts_have_no_toolbar_over_their_titles():
    fig = segment_size_figure(report_data_with_hostile_labels())
    assert '"displayModeBar": false' in figure_div(fig, "sizes")


def test_a_normal_install_finds_the_page_template_and_stylesheet(tmp_path):
    """The editable install reads templates/ from the source tree; a wheel must ship them as
    package data. Built from a copy, so the build leaves nothing in the source tree."""
    source = tmp_path / "source"
    shutil.copytree(PROJECT_DIR / "python", source / "python", ignore=ignore_patterns("*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT_DIR / name, source / name)
    pip = (sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check")
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--wheel-dir", str(tmp_path), str(source)], check=True
    )
    [wheel] = tmp_path.glob("credit_segments-*.whl")
    installed = tmp_path / "installed"
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(installed), str(wheel)], check=True
    )
    # the installed copy comes first on the path; it renders its own template with its own CSS
    probe = (
        "import credit_segments.report.page as page; print(page.__file__); "
        "print(page.ENVIRONMENT.get_template('report.html.j2').filename); "
        "print(page.ENVIRONMENT.get_template('report.css').render()[:40])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        check=True,
    )
    module_file, template_file, css = result.stdout.splitlines()[:3]
    assert Path(module_file).is_relative_to(installed)
    assert Path(template_file).is_relative_to(installed)
    assert css.startswith("body {")

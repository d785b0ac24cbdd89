"""The report in a real browser: Debian's Chromium, driven by Playwright, offline, at 1280 px.

Playwright never downloads a browser here: it launches the system Chromium (`make browser`
installs Debian's package; CHROMIUM overrides the path). The test fails, rather than skips, when
the browser is missing, so a green run always means the report was really rendered.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from plotly.offline import get_plotlyjs

from credit_segments.report.cli import main as write_report
from credit_segments.report.figures import figure_div
from credit_segments.report.review_figures import fairness_figure
from support.dbt import PROJECT_DIR, DbtRun
from support.report_data import HOSTILE_LABEL, report_data_with_hostile_labels

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
VIEWPORT = {"width": 1280, "height": 900}
# Git-ignored (reports/*); look at it after a run: it is what a reader sees at 1280 px.
SCREENSHOT = PROJECT_DIR / "reports" / "screenshots" / "report-1280.png"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RENDER_TIMEOUT_MS = 60_000

# Per Plotly graph: its traces, the marks drawn for them, its title and its axis titles.
CHART_STATE_JS = """
() => Array.from(document.querySelectorAll('.plotly-graph-div')).map((gd) => ({
    id: gd.id,
    rendered: gd.classList.contains('js-plotly-plot'),
    traces: (gd.data || []).length,
    traceTypes: (gd.data || []).map((trace) => trace.type || 'scatter'),
    marks: Array.from(gd.querySelectorAll(
        '.cartesianlayer .trace path, .cartesianlayer .hm image, .pielayer .trace path.surface'
    )).filter((mark) => { const box = mark.getBBox(); return box.width > 0 || box.height > 0; })
        .length,
    title: ((gd.layout || {}).title || {}).text || '',
    axisTitles: Object.keys(gd._fullLayout || {})
        .filter((key) => /^[xy]axis\\d*$/.test(key) && gd._fullLayout[key].visible)
        .map((key) => ({axis: key, title: (gd._fullLayout[key].title || {}).text || ''})),
    width: gd.getBoundingClientRect().width,
    heatmapWidth: (gd.querySelector('.hm image') || {getBoundingClientRect: () => ({width: 0})})
        .getBoundingClientRect().width,
}))
"""


@dataclass
class BrowserVisit:
    """What the browser saw while loading the report."""

    charts: list[dict]
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    network_requests: list[str] = field(default_factory=list)
    page_width: int = 0
    chart_div_count: int = 0
    toolbar_count: int = 0


def _wait_for_charts(page: Page) -> None:
    page.wait_for_function(
        "() => { const gds = document.querySelectorAll('.plotly-graph-div');"
        " return gds.length > 0 && Array.from(gds).every((gd) => gd.classList.contains('js-plotly-plot')); }",
        timeout=RENDER_TIMEOUT_MS,
    )


@pytest.fixture(scope="module")
def visit(
    built_warehouse: DbtRun, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BrowserVisit]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"No Chromium at {CHROMIUM}: run `make browser` (installs Debian's chromium package) "
            "or set CHROMIUM=/path/to/chromium."
        )
    workdir = tmp_path_factory.mktemp("browser")
    report = workdir / "report.html"
    assert write_report(["--db", str(built_warehouse.db_path), "--out", str(report)]) == 0

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(workdir / "profile"),  # fresh: nothing carried over between runs
            executable_path=str(CHROMIUM),
            headless=True,
            args=LAUNCH_ARGS,
            viewport=VIEWPORT,
        )
        try:
            page = context.new_page()
            seen = BrowserVisit(charts=[])
            page.on(
                "console",
                lambda message: (
                    seen.console_errors.append(message.text) if message.type == "error" else None
                ),
            )
            page.on("pageerror", lambda error: seen.page_errors.append(str(error)))

            # The report must open offline: anything but the file itself is recorded and refused.
            def refuse_network(route):
                if route.request.url.startswith("file://"):
                    route.continue_()
                else:
                    seen.network_requests.append(route.request.url)
                    route.abort()

            page.route("**/*", refuse_network)
            page.goto(report.as_uri(), wait_until="load")
            _wait_for_charts(page)
            seen.charts = page.evaluate(CHART_STATE_JS)
            seen.chart_div_count = page.locator(".chart").count()
            seen.toolbar_count = page.locator(".modebar").count()  # Plotly's, hidden or shown
            seen.page_width = page.evaluate("() => document.documentElement.scrollWidth")
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            context.close()
    yield seen


def test_report_loads_without_console_or_page_errors(visit: BrowserVisit):
    assert visit.console_errors == []
    assert visit.page_errors == []


def test_report_needs_no_network(visit: BrowserVisit):
    assert visit.network_requests == []


def test_every_chart_rendered_with_plot_marks(visit: BrowserVisit):
    assert visit.charts, "no Plotly chart in the report"
    assert len(visit.charts) == visit.chart_div_count  # every chart panel holds a drawn graph
    for chart in visit.charts:
        assert chart["rendered"], chart["id"]
        assert chart["traces"] > 0, f"{chart['id']} has no trace"
        assert chart["marks"] > 0, f"{chart['id']} drew no visible bar, box, line, slice or cell"


def test_every_chart_has_a_title_and_axis_titles(visit: BrowserVisit):
    for chart in visit.charts:
        assert chart["title"].strip(), f"{chart['id']} has no title"
        if "heatmap" in chart["traceTypes"]:
            continue  # a matrix: both axes are labelled by their ticks, one variable each
        untitled = [axis["axis"] for axis in chart["axisTitles"] if not axis["title"].strip()]
        assert untitled == [], f"{chart['id']}: axes without a title: {untitled}"


def test_page_fits_1280_px_without_horizontal_scrolling(visit: BrowserVisit):
    assert visit.page_width <= VIEWPORT["width"]
    for chart in visit.charts:
        assert chart["width"] > 300, f"{chart['id']} is squeezed to {chart['width']:.0f} px"


def test_the_correlation_matrix_fills_its_card(visit: BrowserVisit):
    [matrix] = [chart for chart in visit.charts if chart["id"] == "input-correlations"]
    # the cells take about half the card's width, the labels and colour bar the rest (a square
    # matrix in a full-width card left more than half of it empty)
    assert matrix["heatmapWidth"] > 0.45 * matrix["width"], matrix


def test_no_toolbar_covers_a_chart_title(visit: BrowserVisit):
    assert visit.toolbar_count == 0


def test_the_segments_are_shown_against_the_fico_bands(visit: BrowserVisit):
    [fico] = [chart for chart in visit.charts if chart["id"] == "fico-comparison"]
    assert fico["traceTypes"] and set(fico["traceTypes"]) == {"bar"}
    assert fico["marks"] > 0


def test_screenshot_is_saved(visit: BrowserVisit):
    assert SCREENSHOT.stat().st_size > 10_000


def test_tags_in_the_data_show_as_written_in_a_chart(tmp_path):
    """A group value holding <a href=...> draws no link in the chart, just its text."""
    if not CHROMIUM.exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: run `make browser`.")
    data = report_data_with_hostile_labels()
    page_html = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><script>{get_plotlyjs()}</script>'
        f"</head><body>{figure_div(fairness_figure(data), 'fairness')}</body></html>"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_content(page_html, wait_until="load")
            _wait_for_charts(page)
            links = page.locator("#fairness svg a").count()  # the modebar has links of its own
            ticks = page.eval_on_selector_all(
                "#fairness .ytick text", "(texts) => texts.map((text) => text.textContent)"
            )
        finally:
            browser.close()
    assert links == 0
    assert f"Gender: {HOSTILE_LABEL}" in ticks

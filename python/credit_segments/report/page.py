"""The HTML page: the Jinja2 template in templates/ (autoescaped) filled from the report data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import jinja2
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from credit_segments.build_record import (
    BuildHistory,
    as_of_text,
    describe,
    failure_text,
    read_build_history,
    time_text,
    warning_text,
)
from credit_segments.errors import CreditSegmentsError
from credit_segments.report import figures, review_figures
from credit_segments.report.data import ReportData, load_report_data
from credit_segments.report.tables import (
    Table,
    fairness_table,
    input_profile_table,
    profile_table,
    quality_table,
)
from credit_segments.warehouse import connect_read_only

TEMPLATE = "report.html.j2"
MIGRATION_KINDS = ("stayed", "upgraded", "downgraded", "new", "left")
# Escaping is on for every template, whatever its name: the page's text comes from the input file.
ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("credit_segments.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Chart:
    html: str  # Plotly's own markup (it escapes its JSON for a <script>); the template trusts it
    wide: bool = False  # spans both columns of the grid


def chart(fig: go.Figure, div_id: str, wide: bool = False) -> Chart:
    return Chart(figures.figure_div(fig, div_id), wide)


def html_table(table: Table) -> str:
    """A table as HTML, every cell escaped (the values come from the input file)."""
    return str(ENVIRONMENT.get_template("table.html.j2").module.table(table))


def build_record_items(builds: BuildHistory) -> dict[str, str] | None:
    """The build the tables come from: input file, time, as_of, score method and k."""
    record = builds.published
    if record is None:
        return None
    as_of = (
        "unset (an ad-hoc build: no period closed, no history recorded)"
        if record.as_of is None
        else as_of_text(record.as_of)
    )
    return {
        "Input file": record.input_path,
        "Built": f"{time_text(record.started_at)}, by {record.command_text}",
        "as_of": as_of,
        "Score method": record.score_method or "",
        "Segments": f"k = {record.segment_count}, on {record.segmentation_features}",
    }


def build_record_missing(builds: BuildHistory) -> str:
    if builds.is_logged:
        return "the build log records no successful build of the whole project"
    return (
        "this warehouse was built before the build log (table build_log) existed; "
        "the next build records itself"
    )


def fairness_context(data: ReportData) -> dict | None:
    fairness = data.fairness
    if fairness.empty:
        return None
    top = int(fairness.favourable_max_rank.iloc[0])
    return {
        "favourable": "the top segment" if top == 1 else f"the top {top} segments",
        "threshold": f"{float(fairness.adverse_impact_threshold.iloc[0]):g}",
        "flagged": int(fairness.is_below_impact_threshold.sum()),
        "table": fairness_table(data),
    }


def migration_context(data: ReportData) -> dict | None:
    migrations = data.migrations
    if migrations.empty:
        return None
    totals = dict(
        zip(migrations.migration_type, migrations.migration_type_customer_count, strict=True)
    )
    return {
        "first": as_of_text(migrations.from_as_of.iloc[0]),
        "last": as_of_text(migrations.to_as_of.iloc[0]),
        "parts": ", ".join(f"{int(totals.get(kind, 0)):,} {kind}" for kind in MIGRATION_KINDS),
    }


def charts(data: ReportData) -> dict[str, list[Chart]]:
    """The charts of each section, in page order."""
    return {
        "segments": [
            chart(figures.score_distribution_figure(data), "score-distribution"),
            chart(figures.segment_size_figure(data), "segment-sizes"),
            chart(figures.utilization_figure(data), "utilization-by-segment"),
            chart(figures.loan_amount_figure(data), "loan-amounts"),
            chart(figures.fico_comparison_figure(data), "fico-comparison"),
            chart(figures.correlation_figure(data), "input-correlations"),
        ],
        "quality": [
            chart(review_figures.elbow_silhouette_figure(data), "elbow-silhouette"),
            chart(review_figures.stability_figure(data), "segment-stability"),
        ],
        "fairness": [
            chart(review_figures.fairness_figure(data), "fairness-impact-ratios", wide=True)
        ],
        # without an earlier run the section says so, with no chart
        "migration": []
        if data.migrations.empty
        else [chart(review_figures.migration_figure(data), "segment-migration", wide=True)],
    }


def render_html(data: ReportData) -> str:
    return ENVIRONMENT.get_template(TEMPLATE).render(
        plotly_js=get_plotlyjs(),
        warning=warning_text(data.builds),
        build_record=build_record_items(data.builds),
        build_record_missing=build_record_missing(data.builds),
        counts={
            "input": data.input_row_count,
            "segmented": data.segmented_row_count,
            "rejected": data.rejected_row_count,
            "segments": len(data.segments),
        },
        best_label=data.segments.segment_label.iloc[0] if len(data.segments) else "",
        charts=charts(data),
        profile=profile_table(data),
        fairness=fairness_context(data),
        migration=migration_context(data),
        no_earlier_run=review_figures.NO_EARLIER_RUN,
        quality=quality_table(data) if len(data.quality) else None,
        input_profile=input_profile_table(data),
    )


def write_report(db_path: Path, out: Path) -> Path:
    con = connect_read_only(db_path)
    try:
        data = load_report_data(con)
    except duckdb.CatalogException as err:
        raise CreditSegmentsError(
            f"The warehouse {db_path} lacks the marts ({str(err).splitlines()[0]}). "
            + _missing_marts_fix(con)
        ) from err
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(data), encoding="utf-8")
    return out


def _missing_marts_fix(con: duckdb.DuckDBPyConnection) -> str:
    """What to do when the marts are missing: the last build's error, when one failed."""
    later = read_build_history(con).later
    if later is None or later.status != "failed":
        return "Run `make run` (or `dbt build`) first."
    return (
        f"The last build ({describe(later)}) failed: {failure_text(later.error_message)} "
        "Fix that, then run `make run` again."
    )

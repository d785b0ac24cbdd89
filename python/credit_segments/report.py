"""The HTML report: one self-contained file of Plotly charts over the marts.

Runs as its own process after ``dbt build`` (DuckDB allows one writer per file) and reads only
aggregates from DuckDB, so it stays small and fast at any input size.

    python -m credit_segments.report --out reports/credit_segments.html
"""

from __future__ import annotations

import argparse
import html
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.offline import get_plotlyjs

from credit_segments.errors import CreditSegmentsError
from credit_segments.warehouse import connect_read_only, warehouse_path

DEFAULT_OUT = Path("reports/credit_segments.html")
SCORE_BIN_WIDTH = 5  # points per bar of the score distribution

# Risk order, best to worst: green (Excellent) through yellow to red (Very Poor).
RISK_COLORSCALE = [[0.0, "#1a9850"], [0.25, "#91cf60"], [0.5, "#fee08b"], [0.75, "#fc8d59"], [1.0, "#d73027"]]

NUMERIC_INPUTS = {
    "age_years": "Age (years)",
    "credit_utilization_ratio": "Credit utilization (ratio)",
    "payment_history": "Payment history (0-2857)",
    "number_of_credit_accounts": "Credit accounts (count)",
    "loan_amount": "Loan amount",
    "interest_rate_pct": "Interest rate (%)",
    "loan_term_months": "Loan term (months)",
    "credit_score": "Credit score",
}


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, already aggregated by DuckDB."""

    segments: pd.DataFrame
    score_bins: pd.DataFrame
    utilization_boxes: pd.DataFrame
    loan_amount_bins: pd.DataFrame
    correlations: pd.DataFrame
    input_profile: pd.DataFrame
    quality: pd.DataFrame
    input_row_count: int
    rejected_row_count: int


def segment_colors(segment_count: int) -> list[str]:
    """One colour per rank, best first, from the fixed risk scale."""
    if segment_count <= 1:
        return [RISK_COLORSCALE[0][1]] * segment_count
    positions = [rank / (segment_count - 1) for rank in range(segment_count)]
    return sample_colorscale(RISK_COLORSCALE, positions, colortype="rgb")


def correlation_matrix(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str]
) -> pd.DataFrame:
    """Pearson correlations of the columns over the rows where both values are present.

    When no value is missing (the usual case) every pair has the same rows, and the matrix comes
    from one pass of plain sums of centred products, several times faster on large tables than
    DuckDB's corr() per pair. Otherwise each pair gets corr() over its own complete rows.
    """
    pairs = list(itertools.combinations_with_replacement(columns, 2))
    complete = " and ".join(f"{column} is not null" for column in columns)
    means_sql = ", ".join(f"avg({column})" for column in columns)
    incomplete, *means = con.execute(
        f"select count(*) - count(case when {complete} then 1 end), {means_sql} from {table}"
    ).fetchone()
    if incomplete:
        terms = [f"corr({a}, {b})" for a, b in pairs]
    else:
        named_means = zip(columns, means, strict=True)
        centred = {name: f"({name} - {mean or 0!r})" for name, mean in named_means}
        terms = [f"sum({centred[a]} * {centred[b]})" for a, b in pairs]
    values = con.execute(f"select {', '.join(terms)} from {table}").fetchone()
    matrix = pd.DataFrame(np.nan, index=columns, columns=columns)
    for (a, b), value in zip(pairs, values, strict=True):
        matrix.loc[a, b] = matrix.loc[b, a] = np.nan if value is None else float(value)
    if not incomplete:
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.sqrt(np.diag(matrix.to_numpy()))
            matrix = matrix / np.outer(scale, scale)
    return matrix


def load_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    """Query the aggregates the charts need."""

    def frame(sql: str) -> pd.DataFrame:
        return con.execute(sql).df()

    correlations = correlation_matrix(con, "customer_segments", list(NUMERIC_INPUTS))
    gate = con.execute(
        "select input_row_count, rejected_row_count from int_customers__quality_gate"
    ).fetchone()
    return ReportData(
        segments=frame("select * from segment_summary order by segment_rank"),
        score_bins=frame(
            f"""
            select
                segment_rank,
                segment_label,
                floor(credit_score / {SCORE_BIN_WIDTH}) * {SCORE_BIN_WIDTH} as score_bin,
                count(*) as customer_count
            from customer_segments
            group by all
            order by segment_rank, score_bin
            """
        ),
        utilization_boxes=frame(
            """
            with quartiled as (
                -- one quantile aggregate for all three quartiles: one sort per segment, not three
                select
                    segment_rank,
                    segment_label,
                    min(credit_utilization_ratio) as low,
                    quantile_cont(credit_utilization_ratio, [0.25, 0.5, 0.75]) as quartiles,
                    max(credit_utilization_ratio) as high
                from customer_segments
                group by all
            )
            select
                segment_rank,
                segment_label,
                low,
                quartiles[1] as q1,
                quartiles[2] as median,
                quartiles[3] as q3,
                high
            from quartiled
            order by segment_rank
            """
        ),
        loan_amount_bins=frame(
            """
            with bounds as (
                select min(loan_amount) as low, max(loan_amount) as high
                from customer_segments
            ),
            binned as (
                select
                    least(floor((loan_amount - low) / nullif((high - low) / 40, 0)), 39) as bin,
                    low,
                    (high - low) / 40 as width
                from customer_segments cross join bounds
                where loan_amount is not null
            )
            select
                low + coalesce(bin, 0) * coalesce(width, 0) as bin_start,
                coalesce(width, 0) as bin_width,
                count(*) as customer_count
            from binned
            group by all
            order by bin_start
            """
        ),
        correlations=correlations,
        input_profile=frame("select * from input_profile order by column_position"),
        quality=frame(
            "select * from data_quality_summary where rejected_row_count > 0 "
            "order by rejected_row_count desc, reason_code"
        ),
        input_row_count=int(gate[0]) if gate else 0,
        rejected_row_count=int(gate[1]) if gate else 0,
    )


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        template="plotly_white",
        height=420,
        margin={"l": 70, "r": 30, "t": 60, "b": 60},
        legend_title_text="Segment",
    )
    return fig


def score_distribution_figure(data: ReportData) -> go.Figure:
    colors = segment_colors(len(data.segments))
    fig = go.Figure()
    for (_, segment), color in zip(data.segments.iterrows(), colors, strict=True):
        bins = data.score_bins[data.score_bins.segment_rank == segment.segment_rank]
        fig.add_bar(
            x=bins.score_bin + SCORE_BIN_WIDTH / 2,
            y=bins.customer_count,
            width=SCORE_BIN_WIDTH,
            name=str(segment.segment_label),
            marker_color=color,
        )
    fig.update_layout(barmode="stack", bargap=0)
    return _layout(fig, "Credit score distribution by segment", "Credit score (points)", "Customers")


def segment_size_figure(data: ReportData) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=data.segments.segment_label.astype(str),
            y=data.segments.customer_count,
            marker_color=segment_colors(len(data.segments)),
            text=[f"{share:.1%}" for share in data.segments.customer_share],
            textposition="outside",
        )
    )
    return _layout(fig, "Customers per segment", "Segment (best to worst)", "Customers")


def utilization_figure(data: ReportData) -> go.Figure:
    fig = go.Figure()
    colors = segment_colors(len(data.utilization_boxes))
    for (_, box), color in zip(data.utilization_boxes.iterrows(), colors, strict=True):
        fig.add_box(
            name=str(box.segment_label),
            q1=[box["q1"]],
            median=[box["median"]],  # item access: Series.median is a method
            q3=[box["q3"]],
            lowerfence=[box["low"]],
            upperfence=[box["high"]],
            marker_color=color,
        )
    return _layout(
        fig, "Credit utilization by segment", "Segment (best to worst)", "Credit utilization (ratio, 0-1)"
    )


def loan_amount_figure(data: ReportData) -> go.Figure:
    bins = data.loan_amount_bins
    fig = go.Figure(
        go.Bar(
            x=bins.bin_start + bins.bin_width / 2,
            y=bins.customer_count,
            width=bins.bin_width,
            marker_color="#4c78a8",
        )
    )
    fig.update_layout(bargap=0, showlegend=False)
    return _layout(fig, "Loan amount distribution", "Loan amount (currency units)", "Customers")


def correlation_figure(data: ReportData) -> go.Figure:
    labels = [NUMERIC_INPUTS[name] for name in data.correlations.columns]
    fig = go.Figure(
        go.Heatmap(
            z=data.correlations.round(3).to_numpy(),
            x=labels,
            y=labels,
            zmin=-1,
            zmax=1,
            colorscale="RdBu",
            colorbar_title="Pearson r",
        )
    )
    fig = _layout(fig, "Correlation of numeric inputs (valid customers)", "", "")
    fig.update_layout(height=560)
    return fig


def html_table(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> str:
    """A plain HTML table; every cell is escaped, since values come from the input file."""
    formats = formats or {}
    head = "".join(f"<th>{html.escape(str(column))}</th>" for column in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            text = "" if pd.isna(value) else formats.get(column, "{}").format(value)
            cells.append(f"<td>{html.escape(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _figure_div(fig: go.Figure, div_id: str) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"responsive": True})


PAGE_STYLE = """
body { font-family: system-ui, -apple-system, Segoe UI, sans-serif; margin: 0 auto; max-width: 1200px;
       padding: 24px; color: #222; }
h1 { margin-bottom: 4px; } .lede { color: #555; margin-top: 0; }
.kpis { display: flex; gap: 16px; margin: 16px 0; }
.kpi { background: #f4f6f8; border-radius: 8px; padding: 12px 16px; min-width: 160px; }
.kpi b { display: block; font-size: 1.6em; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.chart { border: 1px solid #e3e6ea; border-radius: 8px; padding: 4px; min-width: 0; }
table { border-collapse: collapse; font-size: 0.9em; margin: 8px 0 24px; }
th, td { border-bottom: 1px solid #e3e6ea; padding: 4px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
"""


def render_html(data: ReportData) -> str:
    charts = [
        ("score-distribution", score_distribution_figure(data)),
        ("segment-sizes", segment_size_figure(data)),
        ("utilization-by-segment", utilization_figure(data)),
        ("loan-amounts", loan_amount_figure(data)),
        ("input-correlations", correlation_figure(data)),
    ]
    chart_html = "\n".join(
        f'<div class="chart">{_figure_div(fig, div_id)}</div>' for div_id, fig in charts
    )
    segmented = int(data.segments.customer_count.sum()) if len(data.segments) else 0
    profile = data.segments[
        [
            "segment_rank", "segment_label", "customer_count", "customer_share", "centroid_score",
            "min_credit_score", "max_credit_score", "mean_credit_utilization_ratio",
            "mean_payment_history", "mean_number_of_credit_accounts", "mean_loan_amount",
        ]
    ]
    profile_formats = {
        "customer_count": "{:,}", "customer_share": "{:.1%}", "centroid_score": "{:.1f}",
        "min_credit_score": "{:.1f}", "max_credit_score": "{:.1f}",
        "mean_credit_utilization_ratio": "{:.2f}", "mean_payment_history": "{:.0f}",
        "mean_number_of_credit_accounts": "{:.1f}", "mean_loan_amount": "{:,.0f}",
    }
    input_formats = {"mean_value": "{:.4g}", "row_count": "{:,}", "null_count": "{:,}"}
    quality_table = (
        html_table(
            data.quality[["reason_code", "reason_message", "rejected_row_count", "share_of_input_rows"]],
            {"rejected_row_count": "{:,}", "share_of_input_rows": "{:.2%}"},
        )
        if len(data.quality)
        else "<p>No input row was rejected.</p>"
    )
    input_profile = data.input_profile[
        ["input_column", "row_count", "null_count", "distinct_count", "min_value", "max_value", "mean_value"]
    ]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Credit segments</title>
<style>{PAGE_STYLE}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head>
<body>
<h1>Credit segments</h1>
<p class="lede">FICO-style credit scores, segmented by exact K-Means. Built by dbt on DuckDB.</p>
<div class="kpis">
  <div class="kpi"><b id="input-rows">{data.input_row_count:,}</b>input rows</div>
  <div class="kpi"><b id="segmented-rows">{segmented:,}</b>customers segmented</div>
  <div class="kpi"><b id="rejected-rows">{data.rejected_row_count:,}</b>rows rejected</div>
  <div class="kpi"><b>{len(data.segments)}</b>segments</div>
</div>
<div class="grid">
{chart_html}
</div>
<h2>Segment profiles</h2>
{html_table(profile, profile_formats)}
<h2>Rejected rows by reason</h2>
<p>Each rejected row is in table <code>rejected_customers</code> with its raw values; a row can have several reasons.</p>
{quality_table}
<h2>Input profile</h2>
{html_table(input_profile, input_formats)}
</body>
</html>
"""


def write_report(db_path: Path, out: Path) -> Path:
    con = connect_read_only(db_path)
    try:
        data = load_report_data(con)
    except duckdb.CatalogException as err:
        raise CreditSegmentsError(
            f"The warehouse {db_path} lacks the marts ({err}). Run `make run` (or `dbt build`) first."
        ) from err
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(data), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the credit segments HTML report.")
    parser.add_argument("--db", type=Path, default=None, help="DuckDB warehouse (default: $CREDIT_SEGMENTS_DB or credit_segments.duckdb)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output HTML (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    try:
        out = write_report(warehouse_path(args.db), args.out)
    except CreditSegmentsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"report written to {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

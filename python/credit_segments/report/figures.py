"""The charts of the segments and their inputs, and the style every chart of the report shares."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from credit_segments.report.data import ReportData

# Risk order, best to worst: green through yellow to red. Red means worst, or flagged, everywhere.
RISK_COLORSCALE = [
    [0.0, "#1a9850"],
    [0.25, "#91cf60"],
    [0.5, "#fee08b"],
    [0.75, "#fc8d59"],
    [1.0, "#d73027"],
]
FLAGGED_COLOR = "#d73027"
NEUTRAL_COLOR = "#4c78a8"
MUTED_COLOR = "#b9cfe6"
# the toolbar would cover the titles; a reader saves a chart with the browser instead
PLOTLY_CONFIG = {"responsive": True, "displayModeBar": False}
CHART_HEIGHT = 420
TALL_CHART_HEIGHT = 540  # the FICO comparison and the correlations, side by side


def segment_colors(segment_count: int) -> list[str]:
    """One colour per rank, best first, from the fixed risk scale."""
    if segment_count <= 1:
        return [RISK_COLORSCALE[0][1]] * segment_count
    positions = [rank / (segment_count - 1) for rank in range(segment_count)]
    return sample_colorscale(RISK_COLORSCALE, positions, colortype="rgb")


def chart_text(value: object) -> str:
    """Text from the data as a chart shows it: Plotly reads tags in chart text (a link from
    <a href=...>, <b>, <br>), so &, < and > are escaped and the text shows as written."""
    return "" if pd.isna(value) else html.escape(str(value), quote=False)


def styled(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        template="plotly_white",
        height=CHART_HEIGHT,
        margin={"l": 70, "r": 30, "t": 60, "b": 60},
        legend_title_text="Segment",
    )
    return fig


def message_figure(title: str, message: str) -> go.Figure:
    """An empty chart that says why it is empty, so the page keeps its layout."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return styled(fig, title, "", "")


def figure_div(fig: go.Figure, div_id: str) -> str:
    """The chart as an HTML fragment (Plotly's own markup; the page inlines plotly.js once)."""
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=PLOTLY_CONFIG)


def score_distribution_figure(data: ReportData) -> go.Figure:
    colors = segment_colors(len(data.segments))
    fig = go.Figure()
    for (_, segment), color in zip(data.segments.iterrows(), colors, strict=True):
        bins = data.score_bins[data.score_bins.segment_rank == segment.segment_rank]
        fig.add_bar(
            x=bins.score_bin_lower_bound + bins.score_bin_width / 2,
            y=bins.customer_count,
            width=bins.score_bin_width,
            name=chart_text(segment.segment_label),
            marker_color=color,
        )
    fig.update_layout(barmode="stack", bargap=0, legend_traceorder="normal")
    return styled(fig, "Credit score distribution by segment", "Credit score (points)", "Customers")


def segment_size_figure(data: ReportData) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=data.segments.segment_label.map(chart_text),
            y=data.segments.customer_count,
            marker_color=segment_colors(len(data.segments)),
            text=[f"{share:.1%}" for share in data.segments.customer_share],
            textposition="outside",
        )
    )
    return styled(fig, "Customers per segment", "Segment (best to worst)", "Customers")


def fico_comparison_figure(data: ReportData) -> go.Figure:
    """Each segment's customers by fixed FICO band: the segment labels are ranks within this book,
    so a segment can span several bands, or sit inside one."""
    title = "Segments against the fixed FICO bands"
    comparison = data.fico_comparison
    if comparison.empty:
        return message_figure(
            title, "No FICO bands: score_method seed is not on the 300-850 scale."
        )
    bands = comparison.drop_duplicates("group_rank").sort_values("group_rank")
    segments = comparison.drop_duplicates("segment_rank").segment_label.map(chart_text).tolist()
    fig = go.Figure()
    for (_, band), color in zip(bands.iterrows(), segment_colors(len(bands)), strict=True):
        cells = comparison[comparison.group_rank == band.group_rank]
        fig.add_bar(
            y=segments,
            x=cells.share_of_segment,
            orientation="h",
            name=chart_text(band.group_label),
            marker_color=color,
            customdata=cells.customer_count,
            hovertemplate="%{y}: %{x:.1%} in "
            + chart_text(band.group_label)
            + " (%{customdata:,} customers)<extra></extra>",
        )
    fig = styled(fig, title, "Share of the segment's customers", "Segment (best first)")
    fig.update_layout(
        barmode="stack",
        legend_title_text="FICO band",
        legend_traceorder="normal",
        height=TALL_CHART_HEIGHT,
    )
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(autorange="reversed", type="category")
    return fig


def utilization_figure(data: ReportData) -> go.Figure:
    fig = go.Figure()
    colors = segment_colors(len(data.segments))
    for (_, segment), color in zip(data.segments.iterrows(), colors, strict=True):
        fig.add_box(
            name=chart_text(segment.segment_label),
            x=[chart_text(segment.segment_label)],  # precomputed boxes all sit at x=0 without it
            q1=[segment.p25_credit_utilization_ratio],
            median=[segment.median_credit_utilization_ratio],
            q3=[segment.p75_credit_utilization_ratio],
            lowerfence=[segment.min_credit_utilization_ratio],
            upperfence=[segment.max_credit_utilization_ratio],
            marker_color=color,
        )
    fig = styled(
        fig,
        "Credit utilization by segment",
        "Segment (best to worst)",
        data.label("credit_utilization_ratio").title,
    )
    fig.update_layout(showlegend=False)  # the x axis already names each box
    return fig


def loan_amount_figure(data: ReportData) -> go.Figure:
    bins = data.loan_amount_bins
    fig = go.Figure(
        go.Bar(
            x=bins.loan_amount_bin_lower_bound + bins.loan_amount_bin_width / 2,
            y=bins.customer_count,
            width=bins.loan_amount_bin_width,
            marker_color=NEUTRAL_COLOR,
        )
    )
    fig.update_layout(bargap=0, showlegend=False)
    return styled(fig, "Loan amount distribution", data.label("loan_amount").title, "Customers")


def correlation_figure(data: ReportData) -> go.Figure:
    labels = [data.label(name).label for name in data.correlations.columns]  # r has no unit
    fig = go.Figure(
        go.Heatmap(
            z=data.correlations.round(3).to_numpy(),
            x=labels,
            y=labels,
            zmin=-1,
            zmax=1,
            colorscale="RdBu",
            colorbar_title="Pearson r",
            texttemplate="%{z:.2f}",
        )
    )
    fig = styled(fig, "Correlation of numeric inputs (valid customers)", "", "")
    # the cells fill the card (no forced square): the diagonal runs from top left
    fig.update_layout(height=TALL_CHART_HEIGHT)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-40)
    return fig

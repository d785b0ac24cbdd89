"""The HTML report: one self-contained file of Plotly charts over the marts.

Runs as its own process after ``dbt build`` (DuckDB allows one writer per file) and reads only
aggregates from DuckDB, so it stays small and fast at any input size.

    python -m credit_segments.report --out reports/credit_segments.html
"""

from __future__ import annotations

import argparse
import html
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

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
from credit_segments.warehouse import connect_read_only, warehouse_path

DEFAULT_OUT = Path("reports/credit_segments.html")

# Risk order, best to worst: green (Excellent) through yellow to red (Very Poor).
RISK_COLORSCALE = [
    [0.0, "#1a9850"],
    [0.25, "#91cf60"],
    [0.5, "#fee08b"],
    [0.75, "#fc8d59"],
    [1.0, "#d73027"],
]

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
    score_bins: pd.DataFrame  # mart segment_score_distribution
    loan_amount_bins: pd.DataFrame  # mart loan_amount_distribution
    correlations: pd.DataFrame  # mart input_correlations as a square matrix
    input_profile: pd.DataFrame
    quality: pd.DataFrame
    # the row counts of the build the tables come from (its build log row; else the marts)
    input_row_count: int
    segmented_row_count: int
    rejected_row_count: int
    segmentation_quality: pd.DataFrame  # one row per k of the segmentation in use
    # one row per group of each protected characteristic (mart segment_fairness)
    fairness: pd.DataFrame = field(default_factory=pd.DataFrame)
    # the transition matrix between the last two snapshots (mart segment_migrations); empty when
    # there is no earlier run to compare with
    migrations: pd.DataFrame = field(default_factory=pd.DataFrame)
    # the build the tables come from, and a later one that failed, was interrupted or was partial
    # (table build_log)
    builds: BuildHistory = field(default_factory=BuildHistory)


def segment_colors(segment_count: int) -> list[str]:
    """One colour per rank, best first, from the fixed risk scale."""
    if segment_count <= 1:
        return [RISK_COLORSCALE[0][1]] * segment_count
    positions = [rank / (segment_count - 1) for rank in range(segment_count)]
    return sample_colorscale(RISK_COLORSCALE, positions, colortype="rgb")


def load_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    """Read the report's marts. Each is small at any input size: the aggregation happened in dbt."""

    def frame(sql: str) -> pd.DataFrame:
        return con.execute(sql).df()

    correlations = frame(
        "select column_a, column_b, pearson_correlation from input_correlations"
        " order by column_a_position, column_b_position"
    )
    order = list(dict.fromkeys(correlations.column_a))
    builds = read_build_history(con)
    counts = (builds.published.counts if builds.published else None) or _mart_row_counts(con)
    return ReportData(
        segments=frame("select * from segment_summary order by segment_rank"),
        score_bins=frame(
            "select * from segment_score_distribution order by segment_rank, score_bin_lower_bound"
        ),
        loan_amount_bins=frame("select * from loan_amount_distribution order by bin_number"),
        correlations=correlations.pivot(
            index="column_a", columns="column_b", values="pearson_correlation"
        ).reindex(index=order, columns=order),
        input_profile=frame("select * from input_profile order by column_position"),
        quality=frame(
            "select * from data_quality_summary where rejected_row_count > 0 "
            "order by rejected_row_count desc, reason_code"
        ),
        input_row_count=counts[0],
        segmented_row_count=counts[1],
        rejected_row_count=counts[2],
        builds=builds,
        fairness=frame(FAIRNESS_SQL),
        migrations=frame(MIGRATIONS_SQL),
        segmentation_quality=frame(
            """
            select *
            from segmentation_quality
            where segmentation_features = coalesce(
                (select any_value(segmentation_features) from segmentation_quality where is_in_use),
                'score'
            )
            order by k
            """
        ),
    )


def _mart_row_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """Input, segmented and rejected rows counted on the marts, for a warehouse whose build has no
    record. Every input row is in exactly one of the two marts (a dbt test checks it on every
    build); count(*) of a DuckDB table reads row-group metadata, not the rows."""
    row = con.execute(
        "select (select count(*) from customer_segments), (select count(*) from rejected_customers)"
    ).fetchone()
    segmented, rejected = (int(row[0]), int(row[1])) if row else (0, 0)
    return segmented + rejected, segmented, rejected


def chart_text(value: object) -> str:
    """Text from the data as a chart shows it: Plotly reads tags in chart text (a link from
    <a href=...>, <b>, <br>), so &, < and > are escaped and the text shows as written."""
    return "" if pd.isna(value) else html.escape(str(value), quote=False)


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
            x=bins.score_bin_lower_bound + bins.score_bin_width / 2,
            y=bins.customer_count,
            width=bins.score_bin_width,
            name=chart_text(segment.segment_label),
            marker_color=color,
        )
    fig.update_layout(barmode="stack", bargap=0, legend_traceorder="normal")
    return _layout(
        fig, "Credit score distribution by segment", "Credit score (points)", "Customers"
    )


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
    return _layout(fig, "Customers per segment", "Segment (best to worst)", "Customers")


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
    fig = _layout(
        fig,
        "Credit utilization by segment",
        "Segment (best to worst)",
        "Credit utilization (ratio, 0-1)",
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
            texttemplate="%{z:.2f}",
        )
    )
    fig = _layout(fig, "Correlation of numeric inputs (valid customers)", "", "")
    fig.update_layout(height=620)
    # square cells, diagonal from top left, as a correlation matrix is usually read
    fig.update_yaxes(autorange="reversed", scaleanchor="x", constrain="domain")
    fig.update_xaxes(constrain="domain")
    return fig


def _quality_units(quality: pd.DataFrame) -> str:
    features = quality.segmentation_features.iloc[0] if len(quality) else "score"
    return "factor units²" if features == "factors" else "points²"


def _mark_k_in_use(fig: go.Figure, quality: pd.DataFrame) -> None:
    in_use = quality[quality.is_in_use]
    if len(in_use):
        k = int(in_use.k.iloc[0])
        fig.add_vline(
            x=k,
            line_dash="dot",
            line_color="#555",
            annotation_text=f"k in use = {k}",
            annotation_position="bottom right",
        )


def elbow_silhouette_figure(data: ReportData) -> go.Figure:
    """Within-cluster SS (elbow) and silhouette by k, so the reader can judge the k in use."""
    quality = data.segmentation_quality
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(
        x=quality.k,
        y=quality.within_cluster_sum_of_squares,
        mode="lines+markers",
        name="Within-cluster SS (segments used)",
        line_color="#4c78a8",
    )
    fig.add_scatter(
        x=quality.k,
        y=quality.plain_kmeans_within_cluster_sum_of_squares,
        mode="lines+markers",
        name="Within-cluster SS (plain scikit-learn run)",
        line={"color": "#4c78a8", "dash": "dash"},
    )
    fig.add_scatter(
        x=quality.k,
        y=quality.silhouette_score,
        mode="lines+markers",
        name="Silhouette (sample)",
        line_color="#e45756",
        secondary_y=True,
    )
    _mark_k_in_use(fig, quality)
    fig = _layout(
        fig,
        "Elbow and silhouette by number of segments",
        "Number of segments k",
        f"Within-cluster SS ({_quality_units(quality)})",
    )
    silhouettes = quality.silhouette_score.dropna()
    lowest = float(silhouettes.min()) if len(silhouettes) else 0.0
    fig.update_yaxes(
        title_text="Mean silhouette (-1 to 1)",
        range=[min(0.0, lowest), 1],
        secondary_y=True,
        tickmode="linear",
        tick0=0,
        dtick=0.2,
        showgrid=False,
    )
    fig.update_layout(legend_title_text="", legend={"orientation": "h", "y": -0.2})
    return fig


def stability_figure(data: ReportData) -> go.Figure:
    """Mean adjusted Rand index over the bootstrap resamples by k, whisker down to the lowest."""
    quality = data.segmentation_quality
    resamples = int(quality.stability_bootstrap_count.max()) if len(quality) else 0
    fig = go.Figure(
        go.Bar(
            x=quality.k,
            y=quality.stability_ari_mean,
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [0] * len(quality),
                "arrayminus": (quality.stability_ari_mean - quality.stability_ari_min).tolist(),
            },
            marker_color=["#e45756" if in_use else "#9ecae9" for in_use in quality.is_in_use],
            text=[f"{ari:.2f}" for ari in quality.stability_ari_mean],
            textposition="outside",
            showlegend=False,
        )
    )
    fig = _layout(
        fig,
        f"Segment stability over {resamples} bootstrap resamples",
        "Number of segments k (in use: red)",
        "Adjusted Rand index (1 = same segments)",
    )
    lowest = float(quality.stability_ari_min.min()) if len(quality) else 0.0
    fig.update_yaxes(range=[min(0.0, lowest), 1.1])
    return fig


def html_table(
    frame: pd.DataFrame,
    formats: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    row_classes: list[str] | None = None,
) -> str:
    """A plain HTML table; every cell is escaped, since values come from the input file.

    ``headers`` maps a column to the label a reader sees (default: the column name).
    ``row_classes`` gives each row a CSS class (e.g. to highlight flagged rows), "" for none.
    """
    formats = formats or {}
    headers = headers or {}
    # numbers align right so their digits line up; text aligns left
    align = {
        column: "num" if pd.api.types.is_numeric_dtype(frame[column]) else "text"
        for column in frame.columns
    }
    head = "".join(
        f'<th class="{align[column]}">{html.escape(headers.get(str(column), str(column)))}</th>'
        for column in frame.columns
    )
    rows = []
    classes = row_classes or [""] * len(frame)
    for record, row_class in zip(frame.itertuples(index=False), classes, strict=True):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            text = "" if pd.isna(value) else formats.get(column, "{}").format(value)
            cells.append(f'<td class="{align[column]}">{html.escape(text)}</td>')
        class_attribute = f' class="{html.escape(row_class)}"' if row_class else ""
        rows.append(f"<tr{class_attribute}>{''.join(cells)}</tr>")
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f'<div class="table-wrap">{table}</div>'


def _figure_div(fig: go.Figure, div_id: str) -> str:
    return fig.to_html(
        full_html=False, include_plotlyjs=False, div_id=div_id, config={"responsive": True}
    )


# --- Fairness view and segment migration -------------------------------------------------------

FAIRNESS_SQL = """
with groups as (
    select
        -- the group-level columns repeat on each of the group's segment rows: group by them
        characteristic, group_value, group_sort_order, group_customer_count,
        favourable_customer_count, favourable_rate, reference_group_value, adverse_impact_ratio,
        is_reference_group, is_below_impact_threshold, favourable_max_rank,
        adverse_impact_threshold,
        list(segment_label order by segment_rank) as segment_labels,
        list(share_of_group order by segment_rank) as segment_shares
    from segment_fairness
    group by all
)
select * from groups
order by
    case characteristic when 'gender' then 1 when 'marital_status' then 2 else 3 end,
    group_sort_order
"""

MIGRATIONS_SQL = """
select
    from_as_of, to_as_of, from_segment_rank, from_state, to_segment_rank, to_state,
    migration_type, customer_count, from_customer_count, transition_rate
from segment_migrations
order by from_segment_rank nulls last, to_segment_rank nulls last
"""

CHARACTERISTIC_NAMES = {
    "gender": "Gender",
    "marital_status": "Marital status",
    "age_band": "Age band",
}
FLAGGED_COLOR = "#d73027"
UNFLAGGED_COLOR = "#4c78a8"
NO_EARLIER_RUN = (
    "No earlier run to compare: the migration matrix needs two snapshots. Build again on the next "
    "file, with a later var as_of (e.g. the month-end it describes)."
)


def _message_figure(fig_title: str, message: str) -> go.Figure:
    """An empty chart that says why it is empty, so the page keeps its layout."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, fig_title, "", "")


def _favourable_segments(fairness: pd.DataFrame) -> str:
    top = int(fairness.favourable_max_rank.iloc[0])
    return "the top segment" if top == 1 else f"the top {top} segments"


def fairness_figure(data: ReportData) -> go.Figure:
    """Adverse impact ratio per group, bars below the threshold in red, the threshold dashed."""
    fairness = data.fairness
    fig_title = "Fairness: adverse impact ratio by group"
    if fairness.empty:
        return _message_figure(fig_title, "No customers segmented.")
    threshold = float(fairness.adverse_impact_threshold.iloc[0])
    labels = [
        f"{CHARACTERISTIC_NAMES.get(characteristic, characteristic)}: {chart_text(group)}"
        for characteristic, group in zip(fairness.characteristic, fairness.group_value, strict=True)
    ]
    ratios = fairness.adverse_impact_ratio.astype(float)
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=ratios.fillna(0),
            orientation="h",
            marker_color=[
                FLAGGED_COLOR if flagged else UNFLAGGED_COLOR
                for flagged in fairness.is_below_impact_threshold
            ],
            text=["n/a" if pd.isna(ratio) else f"{ratio:.2f}" for ratio in ratios],
            textposition="outside",
            customdata=fairness[["group_customer_count", "favourable_rate"]]
            .assign(reference=fairness.reference_group_value.map(chart_text))
            .to_numpy(),
            hovertemplate=(
                "%{y}<br>ratio %{text}<br>%{customdata[0]:,} customers, "
                "%{customdata[1]:.1%} in favourable segments<br>reference: %{customdata[2]}"
                "<extra></extra>"
            ),
        )
    )
    fig.add_vline(
        x=threshold,
        line_dash="dash",
        line_color=FLAGGED_COLOR,
        annotation_text=f"four-fifths rule: {threshold:g}",
        annotation_position="top",
    )
    fig = _layout(
        fig,
        "Fairness: adverse impact ratio by group",
        "Ratio to the most favoured group (1 = parity)",
        "Group",
    )
    fig.update_yaxes(autorange="reversed")
    # room for the value labels right of the longest bar
    fig.update_xaxes(range=[0, 1.15 * max(1.0, float(ratios.max(skipna=True) or 0))])
    fig.update_layout(showlegend=False, height=max(420, 120 + 26 * len(fairness)))
    return fig


def migration_figure(data: ReportData) -> go.Figure:
    """Heatmap of the transition matrix: rows = previous run, columns = latest run, rates."""
    migrations = data.migrations
    fig_title = "Segment migration between the last two runs"
    if migrations.empty:
        return _message_figure(fig_title, NO_EARLIER_RUN.replace(": ", ":<br>", 1))
    migrations = migrations.assign(
        from_state=migrations.from_state.map(chart_text),
        to_state=migrations.to_state.map(chart_text),
    )
    from_states = migrations.drop_duplicates("from_segment_rank").from_state.tolist()
    to_states = migrations.drop_duplicates("to_segment_rank").to_state.tolist()
    cells = migrations.set_index(["from_state", "to_state"])
    rates = [
        [cells.transition_rate.get((row, column)) for column in to_states] for row in from_states
    ]
    counts = [
        [cells.customer_count.get((row, column)) for column in to_states] for row in from_states
    ]
    text = [
        [
            "" if count is None else f"{count:,}" + ("" if pd.isna(rate) else f"<br>{rate:.0%}")
            for count, rate in zip(count_row, rate_row, strict=True)
        ]
        for count_row, rate_row in zip(counts, rates, strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=[[None if rate is None or pd.isna(rate) else rate for rate in row] for row in rates],
            x=to_states,
            y=from_states,
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=1,
            colorscale="Blues",
            colorbar_title="Share of row",
            hovertemplate="%{y} → %{x}<br>%{text}<extra></extra>",
        )
    )
    first, last = migrations.from_as_of.iloc[0], migrations.to_as_of.iloc[0]
    fig = _layout(
        fig,
        f"Segment migration, {as_of_text(first)} → {as_of_text(last)}",
        f"Segment on {as_of_text(last)} (latest run)",
        f"Segment on {as_of_text(first)} (previous run)",
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="bottom")
    return fig


def fairness_section(data: ReportData) -> str:
    fairness = data.fairness
    if fairness.empty:
        return "<h2>Fairness view</h2>\n<p>No customers segmented.</p>"
    threshold = float(fairness.adverse_impact_threshold.iloc[0])
    flagged = int(fairness.is_below_impact_threshold.sum())
    table = pd.DataFrame(
        {
            "Characteristic": fairness.characteristic.map(lambda c: CHARACTERISTIC_NAMES.get(c, c)),
            "Group": fairness.group_value,
            "Customers": fairness.group_customer_count,
            "In favourable segments": fairness.favourable_customer_count,
            "Favourable rate": fairness.favourable_rate,
            "Reference group": fairness.reference_group_value,
            "Adverse impact ratio": fairness.adverse_impact_ratio,
            f"Below {threshold:g}": fairness.is_below_impact_threshold.map(
                {True: "yes", False: ""}
            ),
        }
    )
    # the group's share in each segment, one column per segment, best first
    for position, label in enumerate(fairness.segment_labels.iloc[0]):
        table[f"In {label}"] = [shares[position] for shares in fairness.segment_shares]
    formats = {
        "Customers": "{:,}",
        "In favourable segments": "{:,}",
        "Favourable rate": "{:.1%}",
        "Adverse impact ratio": "{:.3f}",
        **{f"In {label}": "{:.1%}" for label in fairness.segment_labels.iloc[0]},
    }
    row_classes = ["flagged" if flag else "" for flag in fairness.is_below_impact_threshold]
    return f"""<h2>Fairness view</h2>
<p>Share of each group reaching {_favourable_segments(fairness)}, divided by that of the most
favoured group of the same characteristic (Unknown is never the reference). The score does not use
gender, marital status or age; a ratio below {threshold:g} (the four-fifths rule) means the group
reaches the favourable segments markedly less often and deserves a closer look.
<b id="fairness-flagged">{flagged}</b> group(s) below {threshold:g}. Small groups give noisy ratios.
Shares per segment are in table <code>segment_fairness</code>.</p>
{html_table(table, formats, row_classes=row_classes)}"""


def migration_section(data: ReportData) -> str:
    migrations = data.migrations
    if migrations.empty:
        return (
            f'<h2>Segment migration</h2>\n<p class="note" id="no-earlier-run">{NO_EARLIER_RUN}</p>'
        )
    totals = migrations.groupby("migration_type").customer_count.sum()
    parts = ", ".join(
        f"{int(totals.get(kind, 0)):,} {kind}"
        for kind in ("stayed", "upgraded", "downgraded", "new", "left")
    )
    first = as_of_text(migrations.from_as_of.iloc[0])
    last = as_of_text(migrations.to_as_of.iloc[0])
    return f"""<h2>Segment migration</h2>
<p>From the run of {html.escape(first)} to that of {html.escape(last)}: {parts}. Rates are
shares of the previous run's segment (each row of the heatmap adds up to 100%). Segments are
refitted on each file, so a move can come from the customer's score or from shifted segment bounds.
Customers without a Customer ID are matched only when both runs read the same file. The full matrix
is table <code>segment_migrations</code>; every period (a build with var <code>as_of</code>) is kept
in snapshot <code>customer_segments_snapshot</code>.</p>"""


# --- Which build the report describes ------------------------------------------------------------


def build_record_html(builds: BuildHistory) -> str:
    """The build the tables come from: input file, time, as_of, score method and k."""
    record = builds.published
    if record is None:
        reason = (
            "the build log records no successful build of the whole project"
            if builds.is_logged
            else "this warehouse was built before the build log (table build_log) existed; "
            "the next build records itself"
        )
        return f'<p class="note" id="build-record">Build record unavailable: {reason}.</p>'
    as_of = (
        "unset (an ad-hoc build: no period closed, no history recorded)"
        if record.as_of is None
        else as_of_text(record.as_of)
    )
    items = {
        "Input file": record.input_path,
        "Built": f"{time_text(record.started_at)}, by {record.command_text}",
        "as_of": as_of,
        "Score method": record.score_method or "",
        "Segments": f"k = {record.segment_count}, on {record.segmentation_features}",
    }
    rows = "".join(
        f"<dt>{html.escape(label)}</dt><dd>{html.escape(text)}</dd>"
        for label, text in items.items()
    )
    return f'<dl class="build-record" id="build-record">{rows}</dl>'


def build_warning_html(builds: BuildHistory) -> str:
    """A banner when the last build did not replace the tables: failed, interrupted, partial."""
    text = warning_text(builds)
    return "" if text is None else f'<p class="warning" id="build-warning">{html.escape(text)}</p>'


PAGE_STYLE = """
body { font-family: system-ui, -apple-system, Segoe UI, sans-serif; margin: 0 auto; max-width: 1200px;
       padding: 24px; color: #222; }
h1 { margin-bottom: 4px; } .lede { color: #555; margin-top: 0; }
.kpis { display: flex; gap: 16px; margin: 16px 0; }
.kpi { background: #f4f6f8; border-radius: 8px; padding: 12px 16px; min-width: 160px; }
.kpi b { display: block; font-size: 1.6em; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.chart { border: 1px solid #e3e6ea; border-radius: 8px; padding: 4px; min-width: 0; }
.chart:has(#input-correlations) { grid-column: 1 / -1; }
.table-wrap { overflow-x: auto; margin: 8px 0 24px; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border-bottom: 1px solid #e3e6ea; padding: 4px 10px; }
th { vertical-align: bottom; }
.num { text-align: right; } .text { text-align: left; }
tr.flagged td { background: #fde0dc; font-weight: 600; }
.note { color: #555; }
.warning { background: #fde0dc; border-left: 6px solid #d73027; padding: 12px 16px; font-weight: 600;
           overflow-wrap: anywhere; }
.build-record { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
.build-record dt { color: #555; } .build-record dd { margin: 0; overflow-wrap: anywhere; }
"""


def render_html(data: ReportData) -> str:
    charts = [
        ("score-distribution", score_distribution_figure(data)),
        ("segment-sizes", segment_size_figure(data)),
        ("utilization-by-segment", utilization_figure(data)),
        ("loan-amounts", loan_amount_figure(data)),
        ("input-correlations", correlation_figure(data)),
        ("fairness-impact-ratios", fairness_figure(data)),
        ("elbow-silhouette", elbow_silhouette_figure(data)),
        ("segment-stability", stability_figure(data)),
    ]
    if not data.migrations.empty:  # else the migration section says there is no earlier run
        charts.append(("segment-migration", migration_figure(data)))
    chart_html = "\n".join(
        f'<div class="chart">{_figure_div(fig, div_id)}</div>' for div_id, fig in charts
    )
    profile = data.segments[
        [
            "segment_rank",
            "segment_label",
            "customer_count",
            "customer_share",
            "centroid_score",
            "min_credit_score",
            "max_credit_score",
            "mean_credit_utilization_ratio",
            "mean_payment_history",
            "mean_number_of_credit_accounts",
            "mean_loan_amount",
        ]
    ]
    profile_formats = {
        "customer_count": "{:,}",
        "customer_share": "{:.1%}",
        "centroid_score": "{:.1f}",
        "min_credit_score": "{:.1f}",
        "max_credit_score": "{:.1f}",
        "mean_credit_utilization_ratio": "{:.2f}",
        "mean_payment_history": "{:.0f}",
        "mean_number_of_credit_accounts": "{:.1f}",
        "mean_loan_amount": "{:,.0f}",
    }
    profile_headers = {
        "segment_rank": "Rank",
        "segment_label": "Segment",
        "customer_count": "Customers",
        "customer_share": "Share",
        "centroid_score": "Centroid score",
        "min_credit_score": "Min score",
        "max_credit_score": "Max score",
        "mean_credit_utilization_ratio": "Mean utilization (ratio)",
        "mean_payment_history": "Mean payment history (0-2857)",
        "mean_number_of_credit_accounts": "Mean credit accounts",
        "mean_loan_amount": "Mean loan amount",
    }
    input_formats = {
        "mean_value": "{:,.2f}",
        "row_count": "{:,}",
        "null_count": "{:,}",
        "distinct_count": "{:,}",
    }
    input_headers = {
        "input_column": "Input column",
        "row_count": "Rows",
        "null_count": "Empty or unparseable",
        "distinct_count": "Distinct values",
        "min_value": "Min",
        "max_value": "Max",
        "mean_value": "Mean",
    }
    quality_table = (
        html_table(
            data.quality[
                ["reason_code", "reason_message", "rejected_row_count", "share_of_input_rows"]
            ],
            {"rejected_row_count": "{:,}", "share_of_input_rows": "{:.2%}"},
            {
                "reason_code": "Reason code",
                "reason_message": "Reason",
                "rejected_row_count": "Rows",
                "share_of_input_rows": "Share of input rows",
            },
        )
        if len(data.quality)
        else "<p>No input row was rejected.</p>"
    )
    input_profile = data.input_profile[
        [
            "input_column",
            "row_count",
            "null_count",
            "distinct_count",
            "min_value",
            "max_value",
            "mean_value",
        ]
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
{build_warning_html(data.builds)}
<h1>Credit segments</h1>
<p class="lede">FICO-style credit scores, segmented by exact K-Means. Built by dbt on DuckDB.</p>
{build_record_html(data.builds)}
<div class="kpis">
  <div class="kpi"><b id="input-rows">{data.input_row_count:,}</b>input rows</div>
  <div class="kpi"><b id="segmented-rows">{data.segmented_row_count:,}</b>customers segmented</div>
  <div class="kpi"><b id="rejected-rows">{data.rejected_row_count:,}</b>rows rejected</div>
  <div class="kpi"><b>{len(data.segments)}</b>segments</div>
</div>
<div class="grid">
{chart_html}
</div>
<h2>Segment profiles</h2>
{html_table(profile, profile_formats, profile_headers)}
{fairness_section(data)}
{migration_section(data)}
<h2>Rejected rows by reason</h2>
<p>Each rejected row is in table <code>rejected_customers</code> with its raw values; a row can have several reasons.</p>
{quality_table}
<h2>Input profile</h2>
{html_table(input_profile, input_formats, input_headers)}
</body>
</html>
"""


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the credit segments HTML report.")
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="DuckDB warehouse (default: $CREDIT_SEGMENTS_DB or credit_segments.duckdb)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output HTML (default {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    try:
        out = write_report(warehouse_path(args.db), args.out)
    except CreditSegmentsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    size_mb = out.stat().st_size / 1e6
    print(f"report written to {out} ({size_mb:.1f} MB); open {out.resolve().as_uri()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The charts that judge the segmentation: its quality by k, its fairness, its migrations."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from credit_segments.build_record import as_of_text
from credit_segments.report.data import ReportData
from credit_segments.report.figures import (
    CHART_HEIGHT,
    FLAGGED_COLOR,
    MUTED_COLOR,
    NEUTRAL_COLOR,
    chart_text,
    message_figure,
    styled,
)

SILHOUETTE_COLOR = "#8a5fb0"  # not red: red means worst or flagged
# below this relative gap the scikit-learn line is drawn over the exact one and cannot be told apart
VISIBLE_GAP = 0.005
CHARACTERISTIC_NAMES = {
    "gender": "Gender",
    "marital_status": "Marital status",
    "age_band": "Age band",
}
NO_EARLIER_RUN = (
    "No earlier run to compare: the migration matrix needs two snapshots. Build again on the next "
    "file, with a later var as_of (e.g. the month-end it describes)."
)


def characteristic_name(characteristic: str) -> str:
    return CHARACTERISTIC_NAMES.get(characteristic, characteristic)


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
            annotation_position="top right",
        )


def plain_kmeans_gap(quality: pd.DataFrame) -> float:
    """The largest relative excess of the plain scikit-learn run's within-cluster SS over the
    exact one's, over k (0 when none is computed)."""
    exact = quality.within_cluster_sum_of_squares.astype(float)
    gap = (quality.plain_kmeans_within_cluster_sum_of_squares.astype(float) - exact) / exact
    largest = gap.replace([float("inf"), float("-inf")], float("nan")).max(skipna=True)
    return 0.0 if pd.isna(largest) else float(largest)


def elbow_silhouette_figure(data: ReportData) -> go.Figure:
    """Within-cluster SS (elbow) and silhouette by k, so the reader can judge the k in use."""
    quality = data.segmentation_quality
    gap = plain_kmeans_gap(quality)
    gap_text = (
        f"up to {gap:.1%} above the segments used"
        if gap >= VISIBLE_GAP
        else "on the line of the segments used: no visible gap"
    )
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(
        x=quality.k,
        y=quality.within_cluster_sum_of_squares,
        mode="lines+markers",
        name="Within-cluster SS (segments used)",
        line={"color": NEUTRAL_COLOR, "width": 4},
    )
    # drawn second, thin and with open markers, so it shows even where it equals the exact line
    fig.add_scatter(
        x=quality.k,
        y=quality.plain_kmeans_within_cluster_sum_of_squares,
        mode="lines+markers",
        name=f"Plain scikit-learn run ({gap_text})",
        line={"color": "#111", "dash": "dash", "width": 1.5},
        marker={"symbol": "circle-open", "size": 9},
    )
    fig.add_scatter(
        x=quality.k,
        y=quality.silhouette_score,
        mode="lines+markers",
        name="Silhouette (sample)",
        line_color=SILHOUETTE_COLOR,
        secondary_y=True,
    )
    _mark_k_in_use(fig, quality)
    fig = styled(
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
            marker_color=[NEUTRAL_COLOR if in_use else MUTED_COLOR for in_use in quality.is_in_use],
            text=[f"{ari:.2f}" for ari in quality.stability_ari_mean],
            textposition="outside",
            showlegend=False,
        )
    )
    _mark_k_in_use(fig, quality)
    fig = styled(
        fig,
        f"Segment stability over {resamples} bootstrap resamples",
        "Number of segments k",
        "Adjusted Rand index (1 = same segments)",
    )
    lowest = float(quality.stability_ari_min.min()) if len(quality) else 0.0
    fig.update_yaxes(range=[min(0.0, lowest), 1.1])
    return fig


def fairness_figure(data: ReportData) -> go.Figure:
    """Adverse impact ratio per group, bars below the threshold in red, the threshold dashed."""
    fairness = data.fairness
    title = "Fairness: adverse impact ratio by group"
    if fairness.empty:
        return message_figure(title, "No customers segmented.")
    threshold = float(fairness.adverse_impact_threshold.iloc[0])
    labels = [
        f"{characteristic_name(characteristic)}: {chart_text(group)}"
        for characteristic, group in zip(fairness.characteristic, fairness.group_value, strict=True)
    ]
    ratios = fairness.adverse_impact_ratio.astype(float)
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=ratios.fillna(0),
            orientation="h",
            marker_color=[
                FLAGGED_COLOR if flagged else NEUTRAL_COLOR
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
    fig = styled(fig, title, "Ratio to the most favoured group (1 = parity)", "Group")
    fig.update_yaxes(autorange="reversed")
    # room for the value labels right of the longest bar
    fig.update_xaxes(range=[0, 1.15 * max(1.0, float(ratios.max(skipna=True) or 0))])
    fig.update_layout(showlegend=False, height=max(CHART_HEIGHT, 120 + 26 * len(fairness)))
    return fig


def migration_figure(data: ReportData) -> go.Figure:
    """Heatmap of the transition matrix: rows = previous run, columns = latest run, rates."""
    migrations = data.migrations
    if migrations.empty:
        title = "Segment migration between the last two runs"
        return message_figure(title, NO_EARLIER_RUN.replace(": ", ":<br>", 1))
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
    fig = styled(
        fig,
        f"Segment migration, {as_of_text(first)} → {as_of_text(last)}",
        f"Segment on {as_of_text(last)} (latest run)",
        f"Segment on {as_of_text(first)} (previous run)",
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="bottom")
    return fig

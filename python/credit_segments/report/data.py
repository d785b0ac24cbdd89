"""What the report shows, read from the marts as they are: dbt did the aggregation, so every table
read here is small at any input size, and nothing here aggregates again."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from credit_segments.build_record import BuildHistory, read_build_history


@dataclass(frozen=True)
class ColumnLabel:
    """How the report names a column: its label, its unit and its domain, when it has them."""

    label: str
    unit: str | None = None
    domain_min: float | None = None
    domain_max: float | None = None

    @property
    def title(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def title_with_domain(self) -> str:
        """The title with the domain's two ends, when it has both: "Payment history (..., 0-2,857)"."""
        parts = [self.unit] if self.unit else []
        if self.domain_min is not None and self.domain_max is not None:
            parts.append(f"{self.domain_min:,.10g}\u2013{self.domain_max:,.10g}")
        return f"{self.label} ({', '.join(parts)})" if parts else self.label


# The input columns' labels, units and domains come from the input schema (mart input_columns);
# the score is the one derived column the report names.
SCORE_LABEL = ColumnLabel("Credit score", "points")
INPUT_COLUMNS_SQL = """
select column_name, column_label, unit, domain_min, domain_max
from input_columns
order by column_position
"""


def read_column_labels(con: duckdb.DuckDBPyConnection) -> dict[str, ColumnLabel]:
    """Every input column's label (mart input_columns), and the score's."""
    labels = {
        column: ColumnLabel(
            label,
            unit,
            None if pd.isna(low) else float(low),
            None if pd.isna(high) else float(high),
        )
        for column, label, unit, low, high in con.execute(INPUT_COLUMNS_SQL).fetchall()
    }
    return {**labels, "credit_score": SCORE_LABEL}


FAIRNESS_GROUPS_SQL = (
    "select * from segment_fairness_groups order by characteristic_order, group_sort_order"
)
FAIRNESS_SHARES_SQL = """
select characteristic, group_value, segment_rank, segment_label, share_of_group
from segment_fairness
order by characteristic_order, group_sort_order, segment_rank
"""
MIGRATIONS_SQL = """
select
    from_as_of, to_as_of, from_segment_rank, from_state, to_segment_rank, to_state,
    migration_type, customer_count, from_customer_count, transition_rate,
    migration_type_customer_count
from segment_migrations
order by from_segment_rank nulls last, to_segment_rank nulls last
"""
FICO_COMPARISON_SQL = """
select segment_rank, segment_label, group_rank, group_label, customer_count, share_of_segment
from segment_comparison
where comparison_scheme = 'fico_band'
order by segment_rank, group_rank
"""
# the rows of the segmentation in use (score or factors)
SEGMENTATION_QUALITY_SQL = """
select *
from segmentation_quality
where segmentation_features = coalesce(
    (select any_value(segmentation_features) from segmentation_quality where is_in_use),
    'score'
)
order by k
"""
CORRELATIONS_SQL = """
select column_a, column_b, pearson_correlation
from input_correlations
order by column_a_position, column_b_position
"""


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, each frame one mart (or one slice of it)."""

    segments: pd.DataFrame  # segment_summary
    score_bins: pd.DataFrame  # segment_score_distribution
    loan_amount_bins: pd.DataFrame  # loan_amount_distribution
    correlations: pd.DataFrame  # input_correlations as a square matrix
    input_profile: pd.DataFrame
    quality: pd.DataFrame  # data_quality_summary, reasons that hit a row
    # the row counts of the build the tables come from (its build log row; else the marts)
    input_row_count: int
    segmented_row_count: int
    rejected_row_count: int
    segmentation_quality: pd.DataFrame  # one row per k of the segmentation in use
    # one row per group of each protected characteristic (segment_fairness_groups)
    fairness: pd.DataFrame = field(default_factory=pd.DataFrame)
    # each group's share in each segment (segment_fairness): one row per group x segment
    fairness_shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    # the segments against the fixed FICO bands (segment_comparison); empty for score_method seed
    fico_comparison: pd.DataFrame = field(default_factory=pd.DataFrame)
    # the transition matrix between the last two snapshots; empty without an earlier run
    migrations: pd.DataFrame = field(default_factory=pd.DataFrame)
    # the build the tables come from, and a later one that did not replace them (build_log)
    builds: BuildHistory = field(default_factory=BuildHistory)
    # labels, units and domains of the columns the report names (mart input_columns)
    column_labels: dict[str, ColumnLabel] = field(default_factory=dict)

    def label(self, column: str) -> ColumnLabel:
        """The label of a column; its name, made readable, when the schema has none."""
        return self.column_labels.get(column, ColumnLabel(column.replace("_", " ").capitalize()))


def load_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    """Read the report's marts."""

    def frame(sql: str) -> pd.DataFrame:
        return con.execute(sql).df()

    correlations = frame(CORRELATIONS_SQL)
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
        segmentation_quality=frame(SEGMENTATION_QUALITY_SQL),
        fairness=frame(FAIRNESS_GROUPS_SQL),
        fairness_shares=frame(FAIRNESS_SHARES_SQL),
        fico_comparison=frame(FICO_COMPARISON_SQL),
        migrations=frame(MIGRATIONS_SQL),
        builds=builds,
        column_labels=read_column_labels(con),
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

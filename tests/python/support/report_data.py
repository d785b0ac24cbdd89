"""The report tests' shared data: report data whose labels hold tags (escaping, the browser),
and the numeric columns the correlations cover (read from the warehouse)."""

from __future__ import annotations

import duckdb
import pandas as pd

from credit_segments.report.data import ReportData

# Plotly reads tags in chart text: <a href> becomes a link, <b> bold. Text from the input file
# (Gender and Marital Status are kept as written) must show as written instead.
HOSTILE_LABEL = '<a href="https://example.com/">Click</a> & <b>co</b>'
ESCAPED_LABEL = '&lt;a href="https://example.com/"&gt;Click&lt;/a&gt; &amp; &lt;b&gt;co&lt;/b&gt;'


def report_data_with_hostile_labels() -> ReportData:
    """Fairness groups, segment labels and migration states that hold tags."""
    empty = pd.DataFrame()
    segments = pd.DataFrame(
        {
            "segment_rank": [1, 2],
            "segment_label": [HOSTILE_LABEL, "Poor"],
            "customer_count": [10, 20],
            "customer_share": [1 / 3, 2 / 3],
        }
    )
    fairness = pd.DataFrame(
        {
            "characteristic": ["gender", "gender"],
            "group_value": [HOSTILE_LABEL, "Female"],
            "reference_group_value": ["Female", HOSTILE_LABEL],
            "group_customer_count": [10, 20],
            "favourable_customer_count": [1, 4],
            "favourable_rate": [0.1, 0.2],
            "adverse_impact_ratio": [0.5, 1.0],
            "is_below_impact_threshold": [True, False],
            "adverse_impact_threshold": [0.8, 0.8],
            "favourable_max_rank": [1, 1],
        }
    )
    fairness_shares = pd.DataFrame(
        {
            "characteristic": ["gender"] * 4,
            "group_value": [HOSTILE_LABEL, HOSTILE_LABEL, "Female", "Female"],
            "segment_rank": [1, 2, 1, 2],
            "segment_label": [HOSTILE_LABEL, "Poor", HOSTILE_LABEL, "Poor"],
            "share_of_group": [0.1, 0.9, 0.2, 0.8],
        }
    )
    migrations = pd.DataFrame(
        {
            "from_as_of": ["2026-09-30", "2026-09-30"],
            "to_as_of": ["2026-10-31", "2026-10-31"],
            "from_segment_rank": [1, 2],
            "from_state": [HOSTILE_LABEL, "Poor"],
            "to_segment_rank": [1, 2],
            "to_state": [HOSTILE_LABEL, "Poor"],
            "customer_count": [10, 20],
            "transition_rate": [1.0, 1.0],
        }
    )
    return ReportData(
        segments=segments,
        score_bins=empty,
        loan_amount_bins=empty,
        correlations=empty,
        input_profile=empty,
        quality=empty,
        input_row_count=30,
        segmented_row_count=30,
        rejected_row_count=0,
        segmentation_quality=empty,
        fairness=fairness,
        fairness_shares=fairness_shares,
        migrations=migrations,
    )


NUMERIC_INPUTS_SQL = (
    "select column_name from input_columns where column_type = 'number' order by column_position"
)


def numeric_inputs_and_score(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The columns of mart input_correlations, in its order: the schema's numbers, then the score."""
    return [name for (name,) in con.execute(NUMERIC_INPUTS_SQL).fetchall()] + ["credit_score"]

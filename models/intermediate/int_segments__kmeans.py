"""One row per segment: exact 1-D K-Means of the credit score histogram (logic in credit_segments.clustering)."""

from credit_segments.clustering import build_segments


def model(dbt, session):
    dbt.config(materialized="table")
    return build_segments(
        histogram=dbt.ref("int_credit_scores__histogram"),
        label_seed=dbt.ref("segment_labels"),
        k=int(dbt.config.get("segment_count")),
    )

"""One row per segment: exact 1-D K-Means of credit_score (logic in credit_segments.clustering)."""

from credit_segments.clustering import build_segments


def model(dbt, session):
    dbt.config(materialized="table")
    return build_segments(
        scored=dbt.ref("int_customers__scored"),
        label_seed=dbt.ref("segment_labels"),
        k=int(dbt.config.get("segment_count")),
    )

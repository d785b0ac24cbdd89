"""One row per customer: K-Means segment of the score's 0-1 factors (logic in factor_segments)."""

from credit_segments.clustering import read_labels
from credit_segments.factor_segments import fit_factor_segments, read_factors


def model(dbt, session):
    dbt.config(materialized="table")
    return fit_factor_segments(
        read_factors(dbt.ref("int_customers__scored")),
        k=int(dbt.config.get("segment_count")),
        n_init=int(dbt.config.get("factor_kmeans_n_init")),
        seed=int(dbt.config.get("quality_random_seed")),
        labels=read_labels(dbt.ref("segment_labels")),
    )
